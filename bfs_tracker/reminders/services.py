"""Writes for reminders: saving a person's choice, and sending one day's email exactly once."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from bfs_tracker.lib.mail import mail_send
from bfs_tracker.reminders.models import ReminderSettings


def reminder_settings_save(*, user, enabled: bool, time: dt.time) -> ReminderSettings:
    """Save the person's choice, creating their row the first time (reading it never does: selectors)."""
    reminder, _ = ReminderSettings.objects.update_or_create(user=user, defaults={"enabled": enabled, "time": time})
    return reminder


def reminder_send(*, reminder: ReminderSettings, local_date: dt.date) -> bool:
    """Email the reminder for local_date unless one was already sent for it; True when an email went out.

    The row is locked and re-read, so two overlapping cron runs cannot both send. If the mail server fails the
    transaction rolls back and the next run tries again.
    """
    with transaction.atomic():
        locked = ReminderSettings.objects.select_for_update().select_related("user").get(pk=reminder.pk)
        if not locked.enabled or locked.last_sent_for == local_date:
            return False
        locked.last_sent_for = local_date
        locked.save(update_fields=["last_sent_for"])
        context = {
            "user": locked.user,
            "today_url": settings.SITE_URL + reverse("today"),
            "settings_url": settings.SITE_URL + reverse("reminder_settings"),
        }
        mail_send(
            kind="reminder", to=locked.user.email, template="reminders/email", context=context, user_id=locked.user_id
        )
    return True
