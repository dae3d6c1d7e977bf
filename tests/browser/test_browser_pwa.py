"""The installable app in a real Chromium: the service worker takes over and visited pages open offline."""

import pytest

from tests.browser.pages import wait_for_service_worker, wait_until

pytestmark = pytest.mark.browser


def test_a_visited_page_opens_offline_and_an_unvisited_one_says_why_not(open_page, user, browser_problems):
    page = open_page("/settings/reminders/", user=user)
    wait_for_service_worker(page)
    page.reload()  # stored by the service worker on this visit

    browser_problems.allow(r"ERR_INTERNET_DISCONNECTED|Failed to fetch")
    page.context.set_offline(True)
    page.reload()
    assert page.get_by_role("heading", level=1).inner_text() == "Daily reminder"

    page.goto("/never-visited/")
    assert page.get_by_role("heading", level=1).inner_text() == "You are offline"


def test_signing_out_forgets_the_pages_stored_for_offline(open_page, user):
    page = open_page("/settings/reminders/", user=user)
    wait_for_service_worker(page)
    page.reload()
    assert page.evaluate("caches.keys().then(keys => keys.some(k => k.startsWith('bfs-pages')))")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/")
    wait_until(page, "caches.keys().then(keys => !keys.some(k => k.startsWith('bfs-pages')))")


def test_account_pages_are_never_stored_for_offline(open_page, user):
    page = open_page("/settings/reminders/", user=user)
    wait_for_service_worker(page)
    page.reload()
    page.goto("/accounts/password/")
    page.goto("/calendar/")
    stored = page.evaluate(
        "caches.keys().then(keys => caches.open(keys.find(k => k.startsWith('bfs-pages'))))"
        ".then(cache => cache.keys()).then(requests => requests.map(r => new URL(r.url).pathname))"
    )
    assert "/settings/reminders/" in stored
    assert "/calendar/" in stored
    assert "/accounts/password/" not in stored
