"""What the app writes to its logs holds no dated path, share token or confirmation secret.

The tests read what the handlers configured in settings.LOGGING actually write (their streams are swapped for a
buffer), so they check the log as an operator would see it, whichever logger a line comes from.
"""

import datetime as dt
import io
import logging

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bfs_tracker.reports.services import share_link_create, share_link_revoke
from bfs_tracker.security.log import redact

DAY = "2026-03-10"


@pytest.fixture
def written():
    """Everything the app's own log handlers write during the test."""
    buffer = io.StringIO()
    handlers = {
        handler
        for name in ("", "django.server", "bfs_tracker", "bfs_tracker.security")
        for handler in logging.getLogger(name or None).handlers
        if handler.name in {"console", "security", "server"}  # the names given in settings.LOGGING
    }
    assert {handler.name for handler in handlers} >= {"console", "security"}
    old = {handler: handler.setStream(buffer) for handler in handlers}
    yield buffer
    for handler, stream in old.items():
        handler.setStream(stream)


@pytest.fixture
def token(user):
    _, token = share_link_create(
        user=user, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31), expires_at=timezone.now() + dt.timedelta(1)
    )
    return token


def test_a_404_on_a_dated_path_is_logged_without_the_date(owner_client, written):
    assert owner_client.get(f"/days/{DAY}/nothing-here/").status_code == 404
    assert owner_client.get("/calendar/2026/3/nothing-here/").status_code == 404
    log = written.getvalue()
    assert "Not Found: /days/<date>/nothing-here/" in log
    assert "Not Found: /calendar/<month>/nothing-here/" in log
    assert DAY not in log
    assert "2026/3" not in log


def test_a_revoked_share_link_is_logged_without_its_token(client, user, token, written):
    from bfs_tracker.reports.models import ShareLink

    share_link_revoke(link=ShareLink.objects.get(user=user))
    assert Client().get(reverse("shared_report", args=[token])).status_code == 404
    assert Client().get(reverse("shared_report_pdf", args=[token])).status_code == 404
    log = written.getvalue()
    assert "Not Found: /shared/<token>/" in log
    assert "Not Found: /shared/<token>/report.pdf" in log
    assert token not in log
    assert token[:10] not in log


def test_a_refused_form_on_a_dated_page_is_logged_without_the_date(user, written):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(f"/days/{DAY}/", {"stress": 3}).status_code == 403
    log = written.getvalue()
    assert "Forbidden" in log
    assert "/days/<date>/" in log
    assert DAY not in log


def test_every_handler_of_the_app_redacts():
    from django.conf import settings

    handlers = settings.LOGGING["handlers"]
    assert handlers
    assert all("redact" in handler.get("filters", []) for handler in handlers.values())


def test_development_server_request_lines_are_redacted(written):
    logging.getLogger("django.server").info(
        '"%s" %s %s', f"GET /days/{DAY}/?start=2026-01-01&next=/calendar/2026/2/ HTTP/1.1", 200, 512
    )
    line = written.getvalue()
    assert '"GET /days/<date>/?<query> HTTP/1.1" 200 512' in line


def test_a_traceback_mentioning_a_date_is_redacted(written):
    try:
        raise ValueError(f"cannot save /days/{DAY}/ for /shared/abcdefghijklmnop/")
    except ValueError:
        logging.getLogger("django.request").exception("Internal Server Error: %s", f"/days/{DAY}/")
    log = written.getvalue()
    assert "Internal Server Error: /days/<date>/" in log
    assert "ValueError: cannot save /days/<date>/ for /shared/<token>/" in log
    assert DAY not in log
    assert "abcdefghijklmnop" not in log


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GET /days/2026-03-10/delete/", "GET /days/<date>/delete/"),
        ("/days/99999-1-1/", "/days/<date>/"),
        ("/calendar/", "/calendar/"),
        ("/calendar/2026/3/", "/calendar/<month>/"),
        ("/shared/Zx_9-abc/report.pdf", "/shared/<token>/report.pdf"),
        ("/accounts/password/reset/MQ/c4k-0123abcd/", "/accounts/password/reset/<token>/"),
        ("/accounts/password/reset/MQ/set-password/", "/accounts/password/reset/<token>/"),
        ("/accounts/password/reset/sent/", "/accounts/password/reset/sent/"),
        ("/accounts/password/reset/complete/", "/accounts/password/reset/complete/"),
        ("/accounts/confirm/s3cr3t/", "/accounts/confirm/<token>/"),
        ("/settings/email/confirm/s3cr3t/", "/settings/email/confirm/<token>/"),
        ("/report/pdf/?start=2026-01-01&end=2026-03-31", "/report/pdf/?<query>"),
        ("event=sign_in user_id=4 ip=10.0.0.1", "event=sign_in user_id=4 ip=10.0.0.1"),
        ("Is it on? Yes.", "Is it on? Yes."),
        ("logged 2026-3-1 twice", "logged <date> twice"),
    ],
)
def test_redact(text, expected):
    assert redact(text) == expected


def test_redacting_twice_changes_nothing():
    once = redact("/calendar/2026/3/x/ /days/2026-03-10/delete/ /shared/abc/report.pdf ?a=1")
    assert redact(once) == once
