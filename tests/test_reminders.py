"""Daily reminder emails: at the user's own time, only on days not logged, never twice for one day."""

import datetime as dt
import io

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.urls import reverse

from bfs_tracker.days.services import day_save
from bfs_tracker.reminders.models import ReminderSettings
from bfs_tracker.reminders.selectors import reminders_due
from bfs_tracker.reminders.services import reminder_send


def _remind(user, at: dt.time, enabled: bool = True) -> ReminderSettings:
    return ReminderSettings.objects.create(user=user, enabled=enabled, time=at)


def _send() -> list[str]:
    mail.outbox.clear()
    call_command("send_reminders", stdout=io.StringIO())
    return [m.to[0] for m in mail.outbox]


@pytest.mark.django_db
def test_it_sends_at_each_users_local_time_never_twice(user, other_user):
    # alice lives in London, bob in New York; both want a reminder at 21:00 on their own clock.
    _remind(user, dt.time(21, 0))
    _remind(other_user, dt.time(21, 0))

    with time_machine.travel(dt.datetime(2026, 11, 12, 20, 55, tzinfo=dt.UTC), tick=False):
        assert _send() == []
    with time_machine.travel(dt.datetime(2026, 11, 12, 21, 5, tzinfo=dt.UTC), tick=False):
        assert _send() == ["alice@example.org"]
    with time_machine.travel(dt.datetime(2026, 11, 12, 21, 10, tzinfo=dt.UTC), tick=False):
        assert _send() == []
    # 21:05 in New York is 02:05 UTC the next day: still 12 November there.
    with time_machine.travel(dt.datetime(2026, 11, 13, 2, 5, tzinfo=dt.UTC), tick=False):
        assert _send() == ["bob@example.org"]
    with time_machine.travel(dt.datetime(2026, 11, 13, 4, 0, tzinfo=dt.UTC), tick=False):
        assert _send() == []
    assert ReminderSettings.objects.get(user=user).last_sent_for == dt.date(2026, 11, 12)
    assert ReminderSettings.objects.get(user=other_user).last_sent_for == dt.date(2026, 11, 12)
    # The next evening each gets the next day's reminder.
    with time_machine.travel(dt.datetime(2026, 11, 13, 21, 30, tzinfo=dt.UTC), tick=False):
        assert _send() == ["alice@example.org"]


@pytest.mark.django_db
def test_it_skips_a_day_already_logged(user):
    _remind(user, dt.time(20, 0))
    day_save(user=user, date=dt.date(2026, 11, 12), fields={}, twitches=[])
    with time_machine.travel(dt.datetime(2026, 11, 12, 22, 0, tzinfo=dt.UTC), tick=False):
        assert _send() == []
    with time_machine.travel(dt.datetime(2026, 11, 13, 22, 0, tzinfo=dt.UTC), tick=False):
        assert _send() == ["alice@example.org"]


@pytest.mark.django_db
def test_it_sends_nothing_when_reminders_are_off(user):
    _remind(user, dt.time(0, 0), enabled=False)
    with time_machine.travel(dt.datetime(2026, 11, 12, 23, 0, tzinfo=dt.UTC), tick=False):
        assert _send() == []


@pytest.mark.django_db
def test_the_email_links_to_today_and_to_turning_it_off(user, settings):
    settings.SITE_URL = "https://bfs.example.org"
    _remind(user, dt.time(7, 30))
    with time_machine.travel(dt.datetime(2026, 11, 12, 8, 0, tzinfo=dt.UTC), tick=False):
        _send()
    (email,) = mail.outbox
    assert "https://bfs.example.org/" in email.body
    assert "https://bfs.example.org/settings/reminders/" in email.body
    assert "&#x27;" not in email.body
    assert "&amp;" not in email.body


@pytest.mark.django_db
def test_finding_due_reminders_takes_two_queries_however_many_users(user, other_user, django_assert_num_queries):
    _remind(user, dt.time(1, 0))
    _remind(other_user, dt.time(1, 0))
    with django_assert_num_queries(2):
        due = reminders_due(now=dt.datetime(2026, 11, 12, 12, 0, tzinfo=dt.UTC))
    assert {d.reminder.user.username for d in due} == {"alice", "bob"}


@pytest.mark.django_db
def test_the_settings_page_saves_the_choice(owner_client, user):
    response = owner_client.get(reverse("reminder_settings"))
    assert response.status_code == 200
    assert "Europe/London" in response.content.decode()
    response = owner_client.post(reverse("reminder_settings"), {"enabled": "on", "time": "21:30"}, follow=True)
    assert "We&#x27;ll email you at 21:30" in response.content.decode()
    saved = ReminderSettings.objects.get(user=user)
    assert saved.enabled
    assert saved.time == dt.time(21, 30)


@pytest.mark.django_db
def test_the_settings_page_rejects_a_time_that_is_not_a_time(owner_client, user):
    response = owner_client.post(reverse("reminder_settings"), {"enabled": "on", "time": "25:99"})
    assert response.status_code == 200
    assert "Enter a valid time" in response.content.decode()
    assert not ReminderSettings.objects.filter(user=user).exists()  # nothing saved (no row is made by reading)


def test_the_settings_page_needs_a_sign_in(client, db):
    response = client.get(reverse("reminder_settings"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_two_overlapping_runs_send_one_email(user):
    # Both runs found the reminder due before either sent it; the second must see the first's mark and stop.
    _remind(user, dt.time(9, 0))
    now = dt.datetime(2026, 11, 12, 10, 0, tzinfo=dt.UTC)
    first, second = reminders_due(now=now), reminders_due(now=now)
    sent = [reminder_send(reminder=d.reminder, local_date=d.local_date) for d in first + second]
    assert sent == [True, False]
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_failing_mail_server_leaves_the_day_to_retry(user, settings):
    settings.EMAIL_BACKEND = "tests.test_reminders.BrokenBackend"
    _remind(user, dt.time(9, 0))
    (due,) = reminders_due(now=dt.datetime(2026, 11, 12, 10, 0, tzinfo=dt.UTC))
    with pytest.raises(ConnectionError):
        reminder_send(reminder=due.reminder, local_date=due.local_date)
    assert ReminderSettings.objects.get(user=user).last_sent_for is None


class BrokenBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionError("mail server down")


@pytest.mark.django_db
def test_one_failure_does_not_stop_the_others_and_is_retried(user, other_user, settings):
    _remind(user, dt.time(9, 0))
    _remind(other_user, dt.time(0, 0))
    settings.EMAIL_BACKEND = "tests.test_reminders.BrokenBackend"
    with time_machine.travel(dt.datetime(2026, 11, 12, 15, 0, tzinfo=dt.UTC), tick=False):
        out = io.StringIO()
        call_command("send_reminders", stdout=out)
    assert "Sent 0 reminders. 2 failed." in out.getvalue()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(dt.datetime(2026, 11, 12, 15, 5, tzinfo=dt.UTC), tick=False):
        assert sorted(_send()) == ["alice@example.org", "bob@example.org"]
