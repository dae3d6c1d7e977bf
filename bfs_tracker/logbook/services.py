"""Writes to the log. Each is one transaction: a day and its twitch entries are saved whole or not at all.

These write the log and nothing else. What follows from a saved or deleted day in other apps (its red-flag alerts)
is done by bfs_tracker.days.services, which calls these and then the alerts app: logbook depends on no other app.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from bfs_tracker.logbook import factors
from bfs_tracker.logbook.burden import twitch_burden
from bfs_tracker.logbook.models import DailyLog, ReliefMethod, TwitchEntry
from bfs_tracker.logbook.taxonomy import RED_FLAG_SIGNS
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
    checked: bool = False,
) -> tuple[DailyLog, bool]:
    """Create or replace the user's log for a date; returns (log, created).

    Saving a date that already has a log updates that log (never a second row), so two tabs or an offline
    resend of the same day end with one log. The row is locked while its entries are replaced. Values are checked
    with the rules the form and the importers share (logbook/validation.py) before anything is written (`checked`:
    the caller has just run daily_log_check on these very values); the database's check constraints stay the last
    word.
    """
    if not checked:
        daily_log_check(fields=fields, twitches=twitches)
    # No savepoint: the values were checked above, so what can still fail is the database itself, and then the
    # caller's whole transaction must roll back anyway; a savepoint would cost two round trips on every saved day.
    with transaction.atomic(savepoint=False):
        stored = _stored_log_locked(user, date)
        log = stored if stored is not None else DailyLog(user=user, date=date)  # a new day starts at the defaults
        _fill(log, fields, twitches)
        created = stored is None
        if created:
            try:
                with transaction.atomic():  # a savepoint: another tab may be creating this very day at this moment
                    log.save(force_insert=True)  # one INSERT with every value (was INSERT of defaults, then UPDATE)
            except IntegrityError:  # it did: save over its day, as if this save had come second
                stored = _stored_log_locked(user, date)
                if stored is None:  # not that day's row: a real error
                    raise
                log, created = stored, False
                _fill(log, fields, twitches)
        if not created:  # what log.save() writes that can differ from the row just read (auto_now as save() sets it)
            log.updated_at = timezone.now()
            _update_rows([log], list(dict.fromkeys([*fields, "weakness_location", "burden", "updated_at"])))
            _delete_where(TwitchEntry, "log_id", log.pk)
        TwitchEntry.objects.bulk_create(
            TwitchEntry(log=log, muscle_group=t.muscle_group, side=t.side, intensity=t.intensity) for t in twitches
        )
        _reliefs_replace(log, [r for r in reliefs if r.user_id == user.pk], created=created)
    return log, created


def _fill(log: DailyLog, fields: dict, twitches: Sequence[Twitch]) -> None:
    """The day's new values on `log`, noting the red-flag signs it held before (log.signs_before, for the alerts)."""
    log.signs_before = frozenset(sign for sign, _label in RED_FLAG_SIGNS if getattr(log, sign))
    for name, value in fields.items():
        setattr(log, name, value)
    if not log.weakness:
        log.weakness_location = ""
    log.burden = twitch_burden((t.side, t.intensity) for t in twitches)


# Saving a stored day (the usual save: a day edited, or saved again from another tab or offline) reads, updates and
# clears it with hand-written statements: the ORM's get_or_create, save() and QuerySet.delete() (its deletion
# collector) cost about 2 ms of Python per save for statements the database answers in a fraction of that. Table
# and column names come from the models; every value is a query parameter.


def _stored_log_locked(user, date: dt.date) -> DailyLog | None:
    """The person's stored log of `date`, locked until the transaction ends (FOR UPDATE where the database has
    it; SQLite's IMMEDIATE transaction already holds the write lock), as select_for_update().get() reads it."""
    meta = DailyLog._meta
    columns = ", ".join(field.column for field in meta.concrete_fields)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    sql = f"SELECT {columns} FROM {meta.db_table} WHERE user_id = %s AND date = %s{lock}"  # noqa: S608  # nosec B608
    found = list(DailyLog.objects.raw(sql, [user.pk, date]))
    return found[0] if found else None


def _delete_where(model, column: str, value: int) -> None:
    """DELETE FROM the model's table WHERE column = value: for rows nothing else refers to (twitch entries, the
    days' things tried), so Django's deletion collector has nothing to follow."""
    quote = connection.ops.quote_name
    sql = f"DELETE FROM {quote(model._meta.db_table)} WHERE {quote(column)} = %s"  # noqa: S608  # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(sql, [value])


def _reliefs_replace(log: DailyLog, reliefs: list[ReliefMethod], *, created: bool) -> None:
    """The day's things tried become `reliefs`: at most one DELETE and one INSERT (a new day: no DELETE), where
    `log.reliefs.set()` would first read the current ones."""
    through = DailyLog.reliefs.through
    if not created:
        _delete_where(through, "dailylog_id", log.pk)
    if reliefs:
        through.objects.bulk_create(
            [through(dailylog_id=log.pk, reliefmethod_id=pk) for pk in sorted({r.pk for r in reliefs})]
        )


@dataclass(frozen=True)
class DayToSave:
    """One day for daily_logs_bulk_save: what daily_log_save takes, for one date."""

    date: dt.date
    fields: dict
    twitches: Sequence[Twitch]
    reliefs: Sequence[ReliefMethod] = ()


@dataclass(frozen=True)
class BulkSaved:
    created: int
    replaced: int
    skipped: int
    dates: tuple[dt.date, ...]  # the days written (created or replaced), in date order


BULK_BATCH = 500  # rows per INSERT/UPDATE, and ids per IN (...): well inside SQLite's and PostgreSQL's limits


def _chunks(items: Sequence, size: int = BULK_BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _update_rows(logs: Sequence[DailyLog], names: Sequence[str]) -> None:
    """Write the `names` columns of stored logs: one UPDATE statement, run for each row by executemany, per batch.

    Django's bulk_update builds a CASE expression for every field and row; for ten years of days that took minutes
    (docs/performance.md). Column and table names come from the model, values go as parameters."""
    meta = DailyLog._meta
    by_name = {field.name: field for field in meta.concrete_fields}
    columns = [by_name[name] for name in names]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(column.column)} = %s" for column in columns)
    # Identifiers from the model, quoted by the backend; every value is a parameter.
    where = f"{quote(meta.pk.column)} = %s"
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {where}"  # noqa: S608  # nosec B608
    rows = [
        [column.get_db_prep_save(getattr(log, column.attname), connection) for column in columns] + [log.pk]
        for log in logs
    ]
    with connection.cursor() as cursor:
        for batch in _chunks(rows):
            cursor.executemany(sql, batch)


def daily_logs_bulk_save(*, user, days: Sequence[DayToSave], replace: bool) -> BulkSaved:
    """Save many days at once, as daily_log_save would save each, in a number of queries that grows with the
    number of days only by one per BULK_BATCH rows (imports of years of days; docs/performance.md).

    A date the person already logged is replaced when `replace`, else skipped (left exactly as it was). As in
    daily_log_save, a field a day does not give keeps its stored value on a replaced day and its default on a new
    one, weakness unticked clears its place, and burden is computed from the twitches. Every day is checked with
    the shared rules before anything is written; the caller's transaction (or this function's own) holds it all.
    """
    if len({day.date for day in days}) != len(days):
        raise ValueError("A date appears twice.")
    for day in days:
        daily_log_check(fields=day.fields, twitches=day.twitches)
    if not days:
        return BulkSaved(0, 0, 0, ())
    dates = {day.date for day in days}
    with transaction.atomic():
        stored = DailyLog.objects.select_for_update().filter(user=user, date__range=(min(dates), max(dates)))
        existing = {log.date: log for log in stored if log.date in dates}
        new: list[tuple[DailyLog, DayToSave]] = []
        replaced: list[tuple[DailyLog, DayToSave]] = []
        for day in sorted(days, key=lambda d: d.date):
            log = existing.get(day.date)
            if log is None:
                log = DailyLog(user=user, date=day.date)
                new.append((log, day))
            elif replace:
                replaced.append((log, day))
            else:
                continue
            for name, value in day.fields.items():
                setattr(log, name, value)
            if not log.weakness:
                log.weakness_location = ""
            log.burden = twitch_burden((t.side, t.intensity) for t in day.twitches)
        if replaced:
            now = timezone.now()
            for log, _ in replaced:
                log.updated_at = now  # auto_now is not applied by bulk_update
            names = {name for _, day in replaced for name in day.fields} | {"weakness_location", "burden", "updated_at"}
            _update_rows([log for log, _ in replaced], sorted(names))
            through = DailyLog.reliefs.through
            for ids in _chunks([log.pk for log, _ in replaced]):
                TwitchEntry.objects.filter(log_id__in=ids).delete()
                through.objects.filter(dailylog_id__in=ids).delete()
        DailyLog.objects.bulk_create([log for log, _ in new], batch_size=BULK_BATCH)
        written = sorted(new + replaced, key=lambda pair: pair[1].date)
        TwitchEntry.objects.bulk_create(
            (
                TwitchEntry(log=log, muscle_group=t.muscle_group, side=t.side, intensity=t.intensity)
                for log, day in written
                for t in day.twitches
            ),
            batch_size=BULK_BATCH,
        )
        DailyLog.reliefs.through.objects.bulk_create(
            (
                DailyLog.reliefs.through(dailylog_id=log.pk, reliefmethod_id=relief.pk)
                for log, day in written
                for relief in {r.pk: r for r in day.reliefs if r.user_id == user.pk}.values()
            ),
            batch_size=BULK_BATCH,
        )
    return BulkSaved(len(new), len(replaced), len(days) - len(written), tuple(day.date for _, day in written))


def daily_log_delete(*, log: DailyLog) -> None:
    log.delete()
