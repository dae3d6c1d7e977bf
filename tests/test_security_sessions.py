"""Sessions end when they should: on sign-out everywhere, password change, account deletion, and by age."""

import datetime as dt
import re

import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from bfs_tracker.security.log import UtcFormatter
from tests.security_helpers import events

PRIVATE = "two_factor"  # a page only a signed-in person may see


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def is_signed_in(client) -> bool:
    response = client.get(reverse(PRIVATE))
    if response.status_code == 200:
        return True
    assert response.status_code == 302, response
    assert response.url.startswith(reverse("login"))
    return False


def test_signing_out_on_one_device_ends_every_session_of_that_user(user, other_user):
    phone, laptop, someone_else = signed_in(user), signed_in(user), signed_in(other_user)
    phone.post(reverse("logout"))
    assert not is_signed_in(phone)
    assert not is_signed_in(laptop)
    assert is_signed_in(someone_else)


def test_changing_the_password_ends_the_other_sessions(user, password):
    phone, laptop = signed_in(user), signed_in(user)
    user.set_password("a brand new passphrase 99")
    user.save()
    assert not is_signed_in(phone)
    assert not is_signed_in(laptop)


def test_changing_the_password_on_one_device_keeps_that_one_and_ends_the_others(user, password):
    phone, laptop = signed_in(user), signed_in(user)
    response = phone.post(
        reverse("password_change"),
        {
            "old_password": password,
            "new_password1": "a brand new passphrase 99",
            "new_password2": "a brand new passphrase 99",
        },
    )
    assert response.status_code == 302
    assert is_signed_in(phone)
    assert not is_signed_in(laptop)


def test_deleting_the_account_deletes_its_sessions(user, other_user):
    signed_in(user), signed_in(user)
    signed_in(other_user)
    assert Session.objects.count() == 3
    user.delete()
    remaining = [s.get_decoded().get("_auth_user_id") for s in Session.objects.all()]
    assert remaining == [str(other_user.pk)]


def test_a_session_unused_for_seven_days_ends(user):
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC), tick=False) as traveller:
        client = signed_in(user)
        traveller.shift(dt.timedelta(days=6, hours=23))
        assert is_signed_in(client)
        traveller.shift(dt.timedelta(days=6, hours=23))
        assert is_signed_in(client), "using the app pushes the inactivity limit forward"
        traveller.shift(dt.timedelta(days=7, hours=1))
        assert not is_signed_in(client)


def test_every_session_ends_thirty_days_after_sign_in_however_active(user):
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC), tick=False) as traveller:
        client = signed_in(user)
        for _ in range(5):
            traveller.shift(dt.timedelta(days=5))
            assert is_signed_in(client)
        traveller.shift(dt.timedelta(days=5, hours=1))
        assert not is_signed_in(client)


def test_pages_for_a_signed_in_person_are_never_cached(user):
    response = signed_in(user).get(reverse(PRIVATE))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_public_pages_are_not_cached_either(client):
    assert "no-store" in client.get(reverse("login"))["Cache-Control"]


# --- The security log ---

UTC_LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ INFO bfs_tracker\.security event=")


def test_sign_ins_and_failed_sign_ins_are_logged_with_user_id_and_address(client, user, password, security_log):
    client.post(reverse("login"), {"username": "alice", "password": "nope"}, REMOTE_ADDR="203.0.113.9")
    client.post(reverse("login"), {"username": "alice", "password": password}, REMOTE_ADDR="203.0.113.9")
    assert events(security_log) == [
        f"event=sign_in_failed user_id={user.pk} ip=203.0.113.9",
        f"event=sign_in user_id={user.pk} ip=203.0.113.9",
    ]


def test_a_failed_sign_in_for_an_unknown_name_logs_no_name(client, db, security_log):
    client.post(reverse("login"), {"username": "mallory-typed-this", "password": "x"}, REMOTE_ADDR="203.0.113.9")
    assert events(security_log) == ["event=sign_in_failed user_id=- ip=203.0.113.9"]


def test_refused_pages_are_logged_by_page_name_without_dates_or_health_data(user, security_log):
    client = signed_in(user)
    security_log.clear()
    client.get("/days/2026-02-30/")
    client.get("/no-such-page/")
    expected = f"event=access_denied user_id={user.pk} ip=127.0.0.1 page=unresolved status=404"
    assert events(security_log) == [expected, expected]
    assert not any("2026" in line for line in events(security_log))


def test_a_forged_form_is_refused_with_a_helpful_page_and_logged(user, security_log):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    security_log.clear()
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    assert "That form had expired" in response.content.decode()
    assert events(security_log) == [f"event=csrf_failed user_id={user.pk} ip=127.0.0.1"]
    assert is_signed_in(client)


def test_the_security_log_is_written_in_utc(security_log, db):
    from bfs_tracker.security.log import security_event

    assert settings.LOGGING["formatters"]["utc"]["()"] == "bfs_tracker.security.log.UtcFormatter"
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))):
        security_event("sign_in", request=None, user_id=7)
    line = UtcFormatter().format(security_log.records[-1])
    assert UTC_LINE.match(line), line
    assert line.startswith("2026-03-01T14:30:")
