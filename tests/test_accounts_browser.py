"""Sign-up in a real browser: the time zone comes from the browser, and UTC without JavaScript."""

import pytest
from playwright.sync_api import sync_playwright

from bfs_tracker.accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture
def chromium_browser(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def sign_up(page, base_url: str) -> None:
    page.goto(f"{base_url}/accounts/signup/")
    page.get_by_label("Username").fill("maria")
    page.get_by_label("Email").fill("maria@example.org")
    page.get_by_label("Password", exact=True).fill("quiet river lantern 5")
    page.get_by_label("Password again").fill("quiet river lantern 5")


def test_the_browsers_time_zone_is_preselected_and_saved(chromium_browser, live_server):
    page = chromium_browser.new_page(viewport={"width": 390, "height": 844}, timezone_id="Pacific/Auckland")
    sign_up(page, live_server.url)
    assert page.get_by_label("Time zone").input_value() == "Pacific/Auckland"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(f"{live_server.url}/")
    assert User.objects.get(username="maria").time_zone == "Pacific/Auckland"


def test_without_javascript_the_account_starts_on_utc(chromium_browser, live_server):
    page = chromium_browser.new_page(java_script_enabled=False, timezone_id="Asia/Tokyo")
    sign_up(page, live_server.url)
    assert page.get_by_label("Time zone").input_value() == "UTC"
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(f"{live_server.url}/")
    assert User.objects.get(username="maria").time_zone == "UTC"
