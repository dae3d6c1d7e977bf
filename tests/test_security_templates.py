"""No template may need 'unsafe-inline': no inline scripts, styles or event handlers anywhere.

This reads every template file in the project, so a new template that breaks the Content-Security-Policy fails here
before it reaches a browser.
"""

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_DIRS = [ROOT / "templates", *sorted((ROOT / "bfs_tracker").glob("*/templates"))]
TEMPLATES = sorted(path for folder in TEMPLATE_DIRS for path in folder.rglob("*.html"))

INLINE = {
    "a <script> without src (inline script)": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "a <style> block": re.compile(r"<style[\s>]", re.IGNORECASE),
    "a style= attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "an on…= event handler": re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE),
    "a javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
    "a script or style from another site": re.compile(
        r"<(?:script|link|img|iframe)[^>]*(?:src|href)\s*=\s*[\"']?(?:https?:)?//", re.IGNORECASE
    ),
}
JSON_SCRIPT = re.compile(r"<script[^>]*type=[\"']application/(?:ld\+)?json[\"']", re.IGNORECASE)


def test_there_are_templates_to_check():
    assert ROOT / "templates" / "base.html" in TEMPLATES


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_have_nothing_inline_that_the_policy_would_block(template):
    text = JSON_SCRIPT.sub("<data-json", template.read_text())
    problems = [what for what, pattern in INLINE.items() if pattern.search(text)]
    assert not problems, f"{template.relative_to(ROOT)} has {', '.join(problems)}; move it to static/js or static/css"


def test_the_checker_catches_each_kind_of_inline_code():
    samples = {
        "a <script> without src (inline script)": "<script>alert(1)</script>",
        "a <style> block": "<style>p{}</style>",
        "a style= attribute": '<p style="color:red">',
        "an on…= event handler": '<button onclick="go()">',
        "a javascript: URL": '<a href="javascript:go()">',
        "a script or style from another site": '<script src="https://cdn.example.com/x.js"></script>',
    }
    for what, sample in samples.items():
        assert INLINE[what].search(sample), what
    assert not INLINE["a <script> without src (inline script)"].search('<script src="/static/js/x.js" defer>')


EXPECTED_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "connect-src": "'self'",
    "worker-src": "'self'",
    "manifest-src": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'none'",
    "object-src": "'none'",
}


def parse_policy(header: str) -> dict[str, str]:
    parts = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {name: value for name, value in parts}


@pytest.mark.parametrize("name", ["today", "calendar", "settings", "two_factor"])
def test_main_pages_send_the_strict_policy(owner_client, name):
    response = owner_client.get(reverse(name))
    assert response.status_code == 200
    assert parse_policy(response["Content-Security-Policy"]) == EXPECTED_POLICY
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_sign_in_page_sends_the_strict_policy_too(client, db):
    response = client.get(reverse("signup"))
    assert parse_policy(response["Content-Security-Policy"]) == EXPECTED_POLICY
