"""Saving or deleting a day, and what follows from it: the one place that writes the log and then the alerts.

logbook writes the log and knows no other app; the alerts app reads the log and keeps each day's red-flag alerts
in step with it. Whatever saves or deletes days (the day page, an import, the demo seeder) calls these functions,
so the alerts follow every change in the same transaction, by a call anyone can read here rather than by a signal
or an import hidden inside logbook.
"""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from django.db import transaction

from bfs_tracker.alerts.services import alerts_sync_for_log, alerts_sync_for_range
from bfs_tracker.logbook.models import DailyLog, ReliefMethod
from bfs_tracker.logbook.own_factors import own_values_save
from bfs_tracker.logbook.services import (
    BulkSaved,
    DayToSave,
    Twitch,
    daily_log_check,
    daily_log_delete,
    daily_log_save,
    daily_logs_bulk_save,
)


def day_save(
    *,
    user,
    date: dt.date,
    fields: dict,
    twitches: Sequence[Twitch],
    reliefs: Iterable[ReliefMethod] = (),
    own: Mapping[int, int | None] | None = None,
) -> tuple[DailyLog, bool]:
    """Save the person's day (logbook.services.daily_log_save) with the answers to their own factors (`own`: factor
    id -> value), then bring that day's alerts in line with it.

    One transaction, without a savepoint of its own (the save has one), so a failed sync rolls the day back with it;
    the day is checked first, so a refused day leaves a caller's own transaction usable."""
    daily_log_check(fields=fields, twitches=twitches)
    with transaction.atomic(savepoint=False):
        log, created = daily_log_save(
            user=user, date=date, fields=fields, twitches=twitches, reliefs=reliefs, checked=True
        )
        if own:
            own_values_save(log=log, values=own)
        alerts_sync_for_log(user=user, date=date, log=log)
    return log, created


def days_save(*, user, days: Sequence[DayToSave], replace: bool) -> BulkSaved:
    """Save many days in bulk (logbook.services.daily_logs_bulk_save: imports), then bring the alerts of the
    written range, and the persistent-weakness alerts of the whole history, in line with them. One transaction;
    the same alerts result as from saving each day with day_save, whatever their order."""
    with transaction.atomic(savepoint=False):
        saved = daily_logs_bulk_save(user=user, days=days, replace=replace)
        if saved.dates:
            alerts_sync_for_range(user=user, start=saved.dates[0], end=saved.dates[-1])
    return saved


def day_delete(*, log: DailyLog) -> None:
    """Delete a day; its alerts are withdrawn (kept in the history), not deleted."""
    with transaction.atomic(savepoint=False):
        user, date = log.user, log.date
        daily_log_delete(log=log)
        alerts_sync_for_log(user=user, date=date)


def days_written(*, user, start: dt.date, end: dt.date) -> None:
    """After days in [start, end] were written or deleted in bulk, around day_save (the demo seeder's fast path):
    bring the alerts of the whole range in line with what is now stored, in the caller's transaction."""
    alerts_sync_for_range(user=user, start=start, end=end)
