"""The BFS-Session header the offline app uses to tie stored pages to one session (static/js/sw.js)."""

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from bfs_tracker.security.middleware import SESSION_HEADER

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


def header(client, path="/") -> str:
    return client.get(path)[SESSION_HEADER]


def parsed(value: str) -> tuple[str, int]:
    match = re.fullmatch(r"tag=([0-9a-f]{32}); expires=(\d+)", value)
    assert match, value
    return match.group(1), int(match.group(2))


def test_signed_out_answers_say_none(client):
    assert header(client, reverse("login")) == "none"
    assert header(client, "/") == "none"  # the redirect to sign in too
    assert header(client, "/no-such-page/") == "none"


def test_a_session_has_a_tag_that_is_not_its_key_and_the_time_it_must_end_by(user):
    with time_machine.travel(NOW, tick=False):
        client = Client()
        client.force_login(user)
        tag, expires = parsed(header(client))
        assert parsed(header(client, reverse("settings")))[0] == tag  # the same on every page
    assert expires == int((NOW + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)).timestamp())
    assert tag not in client.cookies[settings.SESSION_COOKIE_NAME].value


def test_another_session_of_the_same_person_has_another_tag(user):
    first, second = Client(), Client()
    first.force_login(user)
    second.force_login(user)
    assert parsed(header(first))[0] != parsed(header(second))[0]


def test_the_expiry_never_passes_thirty_days_after_sign_in(user):
    with time_machine.travel(NOW, tick=False) as clock:
        client = Client()
        client.force_login(user)
        for _ in range(9):  # used every third day, so the 7 days without use never run out
            clock.shift(dt.timedelta(days=3))
            _, expires = parsed(header(client))
    assert expires == int((NOW + settings.SESSION_ABSOLUTE_LIFETIME).timestamp())


def test_logging_out_answers_none(owner_client):
    assert owner_client.post(reverse("logout"))[SESSION_HEADER] == "none"


def test_the_service_worker_drops_pages_for_a_different_or_ended_session():
    from django.contrib.staticfiles import finders

    script = open(finders.find("js/sw.js"), encoding="utf-8").read()
    assert '"BFS-Session"' in script
    assert "caches.delete(PAGE_CACHE)" in script
    assert "Date.now() / 1000 >= known.expires" in script
