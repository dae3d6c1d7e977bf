"""Which reminders are due at a given instant."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from bfs_tracker.lib.models import settings_row
from bfs_tracker.logbook.models import DailyLog
from bfs_tracker.reminders.models import ReminderSettings


def reminder_settings_for(*, user) -> ReminderSettings:
    """The person's reminder settings, or unsaved defaults (off, 21:00) when they never saved any."""
    return settings_row(ReminderSettings, user=user)


@dataclass(frozen=True)
class DueReminder:
    reminder: ReminderSettings
    local_date: dt.date


def reminders_due(*, now: dt.datetime) -> list[DueReminder]:
    """Enabled reminders whose time has passed on the user's own clock, for a day not yet logged or reminded.

    Two queries however many users: the reminders with their users, then the logs of the candidate dates.
    """
    candidates: list[DueReminder] = []
    reminders = (
        ReminderSettings.objects.filter(enabled=True, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
    )
    for reminder in reminders:
        local = now.astimezone(zoneinfo.ZoneInfo(reminder.user.time_zone))
        if local.time() >= reminder.time and reminder.last_sent_for != local.date():
            candidates.append(DueReminder(reminder, local.date()))
    if not candidates:
        return []
    logged = set(
        DailyLog.objects.filter(
            user_id__in={c.reminder.user_id for c in candidates}, date__in={c.local_date for c in candidates}
        ).values_list("user_id", "date")
    )
    return [c for c in candidates if (c.reminder.user_id, c.local_date) not in logged]
