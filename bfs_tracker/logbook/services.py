"""Writes to the log. Each is one transaction: a day and its twitch entries are saved whole or not at all."""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from bfs_tracker.logbook.burden import twitch_burden
from bfs_tracker.logbook.models import DailyLog, ReliefMethod, TwitchEntry
from bfs_tracker.logbook.taxonomy import DEFAULT_RELIEF_METHODS, MuscleGroup, Side


@dataclass(frozen=True)
class Twitch:
    muscle_group: str
    side: str
    intensity: int


# Fields of DailyLog a caller may set through daily_log_save (everything the person enters, nothing derived).
LOG_FIELDS: tuple[str, ...] = (
    "stress",
    "anxiety",
    "sleep_hours",
    "sleep_quality",
    "caffeine_mg",
    "alcohol_units",
    "nicotine",
    "exertion",
    "exertion_minutes",
    "illness",
    "pain",
    "cramps",
    "fatigue",
    "numbness",
    "stiffness",
    "tingling",
    "weakness",
    "weakness_location",
    "muscle_wasting",
    "swallowing_trouble",
    "slurred_speech",
    "breathing_trouble",
    "falls",
    "dropping_things",
    "notes",
)


def twitches_validate(twitches: Sequence[Twitch]) -> None:
    """Refuse a day's twitches before anything is written if an entry is not one we can store.

    (A group and side entered twice is left to the database constraint, which rolls the whole save back.)
    """
    for twitch in twitches:
        if twitch.muscle_group not in MuscleGroup.values or twitch.side not in Side.values:
            raise ValidationError(f"Unknown muscle group or side: {twitch.muscle_group!r}, {twitch.side!r}.")
        if not isinstance(twitch.intensity, int) or not 1 <= twitch.intensity <= 10:
            raise ValidationError(f"Twitch intensity is 1 to 10, not {twitch.intensity!r}.")


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
    resend of the same day end with one log. The row is locked while its entries are replaced.
    """
    unknown = set(fields) - set(LOG_FIELDS)
    if unknown:
        raise ValueError(f"Not log fields: {sorted(unknown)}")
    twitches_validate(twitches)
    for name, value in fields.items():
        # PostgreSQL cannot store NUL in text; forms refuse it already, imports and other callers must too.
        if isinstance(value, str) and "\x00" in value:
            raise ValidationError({name: "Text cannot contain NUL characters."})
    with transaction.atomic():
        log, created = DailyLog.objects.select_for_update().get_or_create(user=user, date=date)
        for name in LOG_FIELDS:
            if name in fields:
                setattr(log, name, fields[name])
        if not log.weakness:
            log.weakness_location = ""
        log.burden = twitch_burden((t.side, t.intensity) for t in twitches)
        # Field validators give the messages; the check constraints are enforced by the database itself, so
        # validating them here too would cost three queries per constraint (45 per save) for nothing.
        log.full_clean(validate_unique=False, validate_constraints=False)
        log.save()
        log.twitches.all().delete()
        TwitchEntry.objects.bulk_create(
            TwitchEntry(log=log, muscle_group=t.muscle_group, side=t.side, intensity=t.intensity) for t in twitches
        )
        log.reliefs.set([r for r in reliefs if r.user_id == user.pk])
        # Red-flag alerts follow the day in the same transaction (imported here: alerts depends on logbook).
        from bfs_tracker.alerts.services import alerts_sync_for_log

        alerts_sync_for_log(user=user, date=date, log=log)
    return log, created


def daily_log_delete(*, log: DailyLog) -> None:
    """Delete a day; its alerts are withdrawn (kept in the history), not deleted."""
    from bfs_tracker.alerts.services import alerts_sync_for_log

    with transaction.atomic():
        user, date = log.user, log.date
        log.delete()
        alerts_sync_for_log(user=user, date=date)


def relief_methods_seed(*, user) -> None:
    """Give a new account the common list of things people try; they can edit it afterwards."""
    ReliefMethod.objects.bulk_create(
        [ReliefMethod(user=user, name=name) for name in DEFAULT_RELIEF_METHODS], ignore_conflicts=True
    )
