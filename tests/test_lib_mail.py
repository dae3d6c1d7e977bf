"""lib.mail: one way to send mail, from templates, logged without addresses or contents."""

import datetime as dt
import io
import logging

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from bfs_tracker.alerts.services import alert_settings_update
from bfs_tracker.days.services import day_save
from bfs_tracker.lib.mail import mail_send
from bfs_tracker.reminders.services import reminder_settings_save

TEMPLATES = {
    "t/plain_subject.txt": "Tom & Jerry's\nreport",
    "t/plain.txt": "Fish & chips <b>{{ who }}</b>",
    "t/rich_subject.txt": "Rich",
    "t/rich.txt": "Plain {{ who }}",
    "t/rich.html": "<p>Hello {{ who }}</p>",
}


@pytest.fixture
def mail_templates(settings):
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", TEMPLATES)]},
        }
    ]


class Lines(logging.Handler):
    def __init__(self):
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())


@pytest.fixture
def mail_log():
    logger = logging.getLogger("bfs_tracker.mail")
    handler = Lines()
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


def lines(handler) -> list[str]:
    return handler.lines


def test_a_text_mail_is_not_html_escaped_and_has_a_one_line_subject(mail_templates, mail_log):
    mail_send(kind="test", to="a@example.org", template="t/plain", context={"who": "A & B"}, user_id=7)
    (message,) = mail.outbox
    assert message.subject == "Tom & Jerry's report"
    assert message.body == "Fish & chips <b>A & B</b>"
    assert message.alternatives == []
    assert message.to == ["a@example.org"]
    assert lines(mail_log) == ["mail_sent kind=test user_id=7"]


def test_an_html_template_is_sent_as_the_escaped_alternative(mail_templates):
    mail_send(kind="test", to="a@example.org", template="t/rich", context={"who": "<x>"})
    (message,) = mail.outbox
    assert message.body == "Plain <x>"
    assert message.alternatives[0].content == "<p>Hello &lt;x&gt;</p>"
    assert message.alternatives[0].mimetype == "text/html"


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server for a@example.org down")


def test_a_failure_is_logged_without_the_address_and_raised(mail_templates, mail_log, settings):
    settings.EMAIL_BACKEND = "tests.test_lib_mail.BrokenBackend"
    with pytest.raises(OSError, match="down"):
        mail_send(kind="test", to="a@example.org", template="t/plain", context={"who": "x"}, user_id=3)
    assert lines(mail_log) == ["mail_failed kind=test user_id=3 error=ConnectionRefusedError"]


@pytest.mark.django_db
def test_alerts_reminders_and_password_resets_all_go_through_it(
    client, user, mail_log, django_capture_on_commit_callbacks
):
    alert_settings_update(user=user, email_on_alert=True)
    with django_capture_on_commit_callbacks(execute=True):
        day_save(user=user, date=user.today(), fields={"swallowing_trouble": True, "notes": "private"}, twitches=[])
    reminder_settings_save(user=user, enabled=True, time=dt.time(7, 0))
    with time_machine.travel(dt.datetime(2030, 1, 5, 12, 0, tzinfo=dt.UTC), tick=False):
        call_command("send_reminders", stdout=io.StringIO())
    client.post(reverse("password_reset"), {"email": "alice@example.org"})
    assert lines(mail_log) == [
        f"mail_sent kind=alert user_id={user.pk}",
        f"mail_sent kind=reminder user_id={user.pk}",
        f"mail_sent kind=password_reset user_id={user.pk}",
    ]
    assert len(mail.outbox) == 3
    text = " ".join(lines(mail_log))
    assert "alice@example.org" not in text
    assert "swallow" not in text.lower()
