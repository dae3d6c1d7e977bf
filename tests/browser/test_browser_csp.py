"""In a real browser, no page the app serves breaks its own Content-Security-Policy.

Every HTML page a signed-in person can open (found by walking the URLconf, so new pages are included) is loaded in
Chromium; the shared browser_problems collector hears every CSP violation (and console error), so any blocked
script, style, image or connection fails the test, listed by page.
"""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from bfs_tracker.days.services import day_save
from bfs_tracker.logbook.services import Twitch
from tests.test_security_urls import KWARGS_ANY_NAME, PUBLIC, ROUTES, World

pytestmark = pytest.mark.browser


def html_pages(user) -> list[str]:
    """Every page without object arguments that gives this person an HTML page (downloads and JSON left out)."""
    log, _ = day_save(
        user=user,
        date=dt.date.today() - dt.timedelta(days=1),
        fields={"stress": 5},
        twitches=[Twitch("calf", "left", 4)],
    )
    world = World(owner=user, log=log, relief=None, alert=None)
    client = Client()
    client.force_login(user)
    urls = []
    for route in ROUTES:
        if route.is_admin or route.name is None or route.full_name in PUBLIC:
            continue
        if any(name not in KWARGS_ANY_NAME for name in route.kwargs):
            continue
        url = reverse(route.full_name, kwargs={name: KWARGS_ANY_NAME[name].value(world) for name in route.kwargs})
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            urls.append(url)
    return urls


def test_no_page_breaks_the_content_security_policy(open_page, live_server, user, password, browser_problems):
    urls = html_pages(user)
    assert reverse("today") in urls
    assert reverse("two_factor") in urls

    page = open_page(reverse("login"))
    page.get_by_label("Email or username").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/")

    problems = {}
    for url in urls:
        seen_before = len(browser_problems.seen)
        page.goto(url)
        page.wait_for_load_state("networkidle")
        if reported := browser_problems.seen[seen_before:]:
            problems[url] = reported
        if url == reverse("two_factor"):
            assert page.evaluate("document.querySelector('img[src^=\"data:image/svg\"]').naturalWidth") > 0
    assert problems == {}
    assert [p for p in browser_problems.seen if "CSP violation" in p or "Content Security Policy" in p] == []
