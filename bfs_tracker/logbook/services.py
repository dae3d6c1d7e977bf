"""Writes to the log. Each is one transaction: a day and its twitch entries are saved whole or not at all.

These write the log and nothing else. What follows from a saved or deleted day in other apps (its red-flag alerts)
is done by bfs_tracker.days.services, which calls these and then the alerts app: logbook depends on no other app.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction

from bfs_tracker.logbook import factors
from bfs_tracker.logbook.burden import twitch_burden
from bfs_tracker.logbook.models import DailyLog, ReliefMethod, TwitchEntry
from bfs_tracker.logbook.validation import TEXT_FIELDS, as_validation_error, twitch_problems, value_problems


@dataclass(frozen=True)
class Twitch:
    muscle_group: str
    side: str
    intensity: int


def log_fields() -> tuple[str, ...]:
    """Fields of DailyLog a caller may set through daily_log_save: every factor of the table, then the text fields
    (everything the person enters, nothing derived)."""
    return (*factors.names(), *TEXT_FIELDS)


# The built-in list, for callers that want a constant (the table may be extended at run time: use log_fields()).
LOG_FIELDS: tuple[str, ...] = log_fields()


def daily_log_check(*, fields: dict, twitches: Sequence[Twitch]) -> None:
    """Raise (ValueError for a field that is not a log field, ValidationError for a value that cannot be stored)
    before anything is written. daily_log_save calls it; so may a caller that opens its own transaction first."""
    unknown = set(fields) - set(log_fields())
    if unknown:
        raise ValueError(f"Not log fields: {sorted(unknown)}")
    problems = value_problems(fields) + twitch_problems(twitches)
    if problems:
        raise as_validation_error(problems)


def daily_log_save(
    *,
    user,
    date: dt.date,
    fields: dict,
    twitches: Sequence[Twitch],
    reliefs: Iterable[ReliefMethod] = (),
) -> tuple[DailyLog, bool]:
    """Create or replace the user's log for a date; returns (log, created).

    Saving a date that already has a log updates that log (never a second row), so two tabs or an offline
    resend of the same day end with one log. The row is locked while its entries are replaced. Values are checked
    with the rules the form and the importers share (logbook/validation.py) before anything is written; the
    database's check constraints stay the last word.
    """
    daily_log_check(fields=fields, twitches=twitches)
    with transaction.atomic():
        log, created = DailyLog.objects.select_for_update().get_or_create(user=user, date=date)
        for name, value in fields.items():
            setattr(log, name, value)
        if not log.weakness:
            log.weakness_location = ""
        log.burden = twitch_burden((t.side, t.intensity) for t in twitches)
        log.save()
        log.twitches.all().delete()
        TwitchEntry.objects.bulk_create(
            TwitchEntry(log=log, muscle_group=t.muscle_group, side=t.side, intensity=t.intensity) for t in twitches
        )
        log.reliefs.set([r for r in reliefs if r.user_id == user.pk])
    return log, created


def daily_log_delete(*, log: DailyLog) -> None:
    log.delete()
