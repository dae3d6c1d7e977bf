"""Sign-up in a real browser: the time zone comes from the browser, and UTC without JavaScript."""

import pytest

from bfs_tracker.accounts.models import User

pytestmark = pytest.mark.browser


def fill_sign_up_form(page) -> None:
    page.get_by_label("Username").fill("maria")
    page.get_by_label("Email").fill("maria@example.org")
    page.get_by_label("Password", exact=True).fill("quiet river lantern 5")
    page.get_by_label("Password again").fill("quiet river lantern 5")


def test_the_browsers_time_zone_is_preselected_and_saved(open_page, live_server, db):
    page = open_page("/accounts/signup/", timezone_id="Pacific/Auckland")
    fill_sign_up_form(page)
    assert page.get_by_label("Time zone").input_value() == "Pacific/Auckland"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(f"{live_server.url}/")
    assert User.objects.get(username="maria").time_zone == "Pacific/Auckland"


def test_without_javascript_the_account_starts_on_utc(open_page, live_server, db):
    page = open_page("/accounts/signup/", java_script_enabled=False, timezone_id="Asia/Tokyo")
    fill_sign_up_form(page)
    assert page.get_by_label("Time zone").input_value() == "UTC"
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(f"{live_server.url}/")
    assert User.objects.get(username="maria").time_zone == "UTC"
