"""Pages stored for offline use end with the session they were opened in (issue 16).

Before, only the Log out button on this device cleared them: after a sign-out elsewhere, a password change, an
expired session or a deleted account, the service worker kept serving the day page, notes included, offline.
Each test stores a day page, ends the session some other way, and then checks that offline the page is gone.
"""

import datetime as dt
import time
from importlib import import_module

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bfs_tracker.logbook.services import daily_log_save
from bfs_tracker.security.signals import SIGNED_IN_AT
from tests.browser.pages import wait_for_service_worker, wait_until
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

NOTE = "private note 5c1e: twitching left calf after the argument"


@pytest.fixture
def day(user):
    date = user.today() - dt.timedelta(days=1)
    daily_log_save(user=user, date=date, fields={"notes": NOTE, "stress": 6}, twitches=[])
    return f"/days/{date:%Y-%m-%d}/"


def store_for_offline(open_page, user, day):
    """A signed-in page of the day, stored by the service worker; offline it still opens (the baseline)."""
    page = open_page(day, user=user)
    wait_for_service_worker(page)
    page.reload()  # this load goes through the worker, which stores it
    wait_until(page, "caches.match(location.href).then(Boolean)")
    page.context.set_offline(True)
    page.reload()
    assert NOTE in page.content(), "the stored page should open offline while the session lives"
    page.context.set_offline(False)
    return page


def assert_gone_offline(page, day, browser_problems):
    browser_problems.allow(r"ERR_INTERNET_DISCONNECTED|Failed to fetch")
    page.context.set_offline(True)
    page.goto(day)
    assert page.get_by_role("heading", level=1).inner_text() == "You are offline"
    assert NOTE not in page.content()
    stored = page.evaluate(
        "caches.keys().then(keys => Promise.all(keys.filter(k => k.startsWith('bfs-pages'))"
        ".map(k => caches.open(k).then(c => c.keys())))).then(lists => lists.flat().map(r => new URL(r.url).pathname))"
    )
    assert day not in stored


def browser_session_key(page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)


def test_logging_out_on_another_device_ends_the_stored_pages_here(open_page, user, day, browser_problems):
    page = store_for_offline(open_page, user, day)
    phone = Client()
    phone.force_login(user)
    phone.post(reverse("logout"))  # ends every session of the account, this browser's too
    page.goto("/")  # online again: the app now sends this browser to sign in
    assert "/accounts/login/" in page.url
    assert_gone_offline(page, day, browser_problems)


def test_a_password_change_on_another_device_ends_them(open_page, user, day, browser_problems):
    page = store_for_offline(open_page, user, day)
    phone = Client()
    phone.force_login(user)
    new = "a different long passphrase 8"
    response = phone.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    page.goto(day)
    assert "/accounts/login/" in page.url
    assert_gone_offline(page, day, browser_problems)


def test_a_session_that_expired_on_the_server_ends_them(open_page, user, day, browser_problems):
    page = store_for_offline(open_page, user, day)
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=browser_session_key(page))
    store[SIGNED_IN_AT] = (timezone.now() - dt.timedelta(days=31)).timestamp()
    store.save()
    page.goto(day)
    assert "/accounts/login/" in page.url
    assert_gone_offline(page, day, browser_problems)


def test_offline_a_session_past_its_expiry_time_is_not_shown(open_page, user, day, browser_problems, settings):
    """No server contact at all: the worker knows when the session must have ended (here 6 seconds after use)."""
    settings.SESSION_COOKIE_AGE = 6
    page = store_for_offline(open_page, user, day)
    page.reload()  # a fresh expiry time: about 6 seconds from now
    browser_problems.allow(r"ERR_INTERNET_DISCONNECTED|Failed to fetch")
    page.context.set_offline(True)
    page.reload()
    assert NOTE in page.content()
    time.sleep(7)
    assert_gone_offline(page, day, browser_problems)


def test_deleting_the_account_in_this_browser_ends_them(open_page, user, day, browser_problems):
    page = store_for_offline(open_page, user, day)
    page.goto("/settings/delete-account/")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("I understand").check()
    page.get_by_role("button", name="Delete my account and data").click()
    page.wait_for_url("**/accounts/login/")
    assert_gone_offline(page, day, browser_problems)


def test_another_person_signed_in_on_this_browser_never_sees_them(
    open_page, user, other_user, day, browser_problems, signed_in_cookie
):
    page = store_for_offline(open_page, user, day)
    page.context.clear_cookies()  # the first person's session is gone from this browser
    page.context.add_cookies([signed_in_cookie(other_user)])
    page.goto("/")
    assert page.get_by_role("heading", level=1).is_visible()
    assert_gone_offline(page, day, browser_problems)
