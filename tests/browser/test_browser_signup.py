"""Sign-up in a real browser: the time zone comes from the browser, and UTC without JavaScript; the account opens
from the link in the mail (the test mail backend keeps it in django.core.mail.outbox)."""

import pytest

from bfs_tracker.accounts.models import User
from tests.browser.pages import finish_sign_up

pytestmark = pytest.mark.browser

PASSWORD = "quiet river lantern 5"


def fill_sign_up_form(page) -> None:
    page.get_by_label("Email").fill("maria@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)


def test_the_browsers_time_zone_is_preselected_and_saved(open_page, live_server, db):
    page = open_page("/accounts/signup/", timezone_id="Pacific/Auckland")
    fill_sign_up_form(page)
    assert page.get_by_label("Time zone").input_value() == "Pacific/Auckland"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    finish_sign_up(page, PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    assert User.objects.get(email="maria@example.org").time_zone == "Pacific/Auckland"


def test_without_javascript_the_account_starts_on_utc(open_page, live_server, db):
    page = open_page("/accounts/signup/", java_script_enabled=False, timezone_id="Asia/Tokyo")
    fill_sign_up_form(page)
    assert page.get_by_label("Time zone").input_value() == "UTC"
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    finish_sign_up(page, PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    assert User.objects.get(email="maria@example.org").time_zone == "UTC"
