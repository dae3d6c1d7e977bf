"""Production settings pass Django's deployment checklist with no warnings."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def production_env(**overrides: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="bfs_tracker.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="bfs.example.org",
    )
    for key in ("SECURE_SSL_REDIRECT", "HSTS_SECONDS", "HSTS_PRELOAD", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
        env.pop(key, None)
    env.update(overrides)
    return env


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603  (our own manage.py, arguments from this file)
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_the_deployment_checklist_without_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output
    assert "System check identified no issues" in output


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["SECRET_KEY"]
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("settings.SECURE_SSL_REDIRECT", "True"),
        ("settings.SECURE_HSTS_SECONDS", "31536000"),
        ("settings.SECURE_HSTS_INCLUDE_SUBDOMAINS", "True"),
        ("settings.SECURE_HSTS_PRELOAD", "False"),
        ("settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE", "True"),
        ("settings.X_FRAME_OPTIONS", "DENY"),
        ("settings.SECURE_REFERRER_POLICY", "same-origin"),
        ("settings.SECURE_PROXY_SSL_HEADER", "None"),
    ],
)
def test_production_defaults_are_the_safe_ones(code, expected):
    result = run_manage(
        "shell", "--no-imports", "-c", f"from django.conf import settings; print({code})", env=production_env()
    )
    assert result.stdout.strip() == expected, result.stderr


def test_a_proxy_header_and_hsts_are_tunable_from_the_environment():
    env = production_env(
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https", HSTS_SECONDS="600", HSTS_PRELOAD="true"
    )
    code = "print(settings.SECURE_PROXY_SSL_HEADER, settings.SECURE_HSTS_SECONDS, settings.SILENCED_SYSTEM_CHECKS)"
    result = run_manage("shell", "--no-imports", "-c", f"from django.conf import settings; {code}", env=env)
    assert result.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https') 600 []", result.stderr
