"""Everything the day page shows of the log, read in one query: the day, its twitch entries, the things it tried, the
things the person can tick, their own factors and the day's answers to them.

Why one query: the day page is the page a person opens every day, and on PostgreSQL each query is a round trip of
0.1-0.3 ms plus Django's work around it. Read one by one (the day, its entries, its things tried, the list of things
to try, own factors, own answers) they were six of the page's nine queries and most of its time outside the
template (docs/performance.md, "Fifth pass"). Here the day is joined to a one-row table, so a day not logged yet
still gives one row (its columns empty) with the person's lists; each list comes as a JSON array from a subquery,
numbered by the order the ORM would give it (row_number), and put in that order here (so the database's collation
orders names, as it does everywhere else). tests/test_logbook_day_read.py compares every part with the ORM's own
reads, on PostgreSQL and on SQLite.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import BooleanField, DateTimeField, Model
from django.utils.dateparse import parse_datetime

from bfs_tracker.logbook.models import DailyLog, OwnFactor, ReliefMethod, TwitchEntry

# The JSON functions of each database: aggregate rows into an array, build one row's array.
_JSON = {
    "postgresql": ("json_agg", "json_build_array"),
    "sqlite": ("json_group_array", "json_array"),
}


@dataclass
class DayRead:
    """The day page's data. `log` is None for a day not logged yet; when there is one, log.twitches.all() and
    log.reliefs.all() are its entries and things tried with no further query (as prefetch_related leaves them)."""

    log: DailyLog | None
    # The things tried the form offers: the person's current ones and any archived one this day recorded, by name
    # (selectors.relief_choices' rows).
    reliefs_offered: list[ReliefMethod] = field(default_factory=list)
    own_factors: list[OwnFactor] = field(default_factory=list)  # current ones, by name (own_factors_for)
    own_values: dict[int, int] = field(default_factory=dict)  # the day's answers by factor id (values_of)


def _sql() -> str:
    """The one statement. Table and column names are written out or come from the models, never from input; the
    values (the person and the date, twice the person) are query parameters."""
    agg, row = _JSON[connection.vendor]
    log_columns = ", ".join(f"l.{f.column}" for f in DailyLog._meta.concrete_fields)
    # Each list: (position, fields...) per row, numbered in the order the models' Meta.ordering gives.
    return (
        f"SELECT {log_columns}, "  # noqa: S608  # nosec B608
        f"(SELECT {agg}({row}(n, id, muscle_group, side, intensity)) FROM (SELECT row_number() OVER "
        "(ORDER BY muscle_group, side, id) AS n, id, muscle_group, side, intensity FROM logbook_twitchentry "
        "WHERE log_id = l.id) e) AS day_twitches, "
        f"(SELECT {agg}({row}(n, id, name, archived, tried)) FROM (SELECT row_number() OVER (ORDER BY r.name) AS n, "
        "r.id, r.name, r.archived, CASE WHEN t.reliefmethod_id IS NULL THEN 0 ELSE 1 END AS tried "
        "FROM logbook_reliefmethod r LEFT JOIN logbook_dailylog_reliefs t "
        "ON t.reliefmethod_id = r.id AND t.dailylog_id = l.id "
        "WHERE r.user_id = %s AND (r.archived = %s OR t.reliefmethod_id IS NOT NULL)) r) AS day_reliefs, "
        f"(SELECT {agg}({row}(n, id, name, kind, created_at, updated_at)) FROM (SELECT row_number() OVER "
        "(ORDER BY name, id) AS n, id, name, kind, created_at, updated_at FROM logbook_ownfactor "
        "WHERE user_id = %s AND archived = %s) o) AS day_own_factors, "
        f"(SELECT {agg}({row}(factor_id, value)) FROM logbook_ownfactorvalue WHERE log_id = l.id) AS day_own_values "
        "FROM (SELECT 1 AS one) me LEFT JOIN logbook_dailylog l ON l.user_id = %s AND l.date = %s"
    )


def day_read(*, user, day: dt.date) -> DayRead:
    """The day page's data for `user` on `day`, in one query."""
    rows = list(DailyLog.objects.raw(_sql(), [user.pk, False, user.pk, False, user.pk, day]))
    found = rows[0]  # the one-row table: always one row
    log = found if found.pk is not None else None
    twitch_rows = _ordered(found.day_twitches)
    relief_rows = _ordered(found.day_reliefs)
    own_rows = _ordered(found.day_own_factors)
    offered = [
        _instance(ReliefMethod, {"id": pk, "user_id": user.pk, "name": name, "archived": archived})
        for pk, name, archived, _ in relief_rows
    ]
    read = DayRead(
        log=log,
        reliefs_offered=offered,
        own_factors=[
            _instance(
                OwnFactor,
                {"id": pk, "user_id": user.pk, "name": name, "kind": kind, "archived": False}
                | {"created_at": created, "updated_at": updated},
            )
            for pk, name, kind, created, updated in own_rows
        ],
    )
    if log is not None:
        entries = [
            _instance(TwitchEntry, {"id": pk, "log_id": log.pk, "muscle_group": group, "side": side, "intensity": i})
            for pk, group, side, i in twitch_rows
        ]
        for entry in entries:
            entry.log = log  # as prefetching sets it: no query for entry.log
        tried = [relief for relief, (*_, was_tried) in zip(offered, relief_rows, strict=True) if was_tried]
        prefetched(log, "twitches", entries)
        prefetched(log, "reliefs", tried)
        read.own_values = {factor: value for factor, value in _loaded(found.day_own_values)}
    return read


def prefetched(log: DailyLog, name: str, objects: list) -> None:
    """What prefetch_related leaves on `log` for the relation `name` (django.db.models.query.prefetch_one_level):
    log.<name>.all() then returns `objects` without a query."""
    queryset = getattr(log, name).get_queryset()
    queryset._result_cache = objects
    queryset._prefetched_objects_cache = {}
    queryset._prefetch_done = True
    log.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


def _loaded(value: Any) -> list:
    """A JSON array column: psycopg2 hands back Python lists, SQLite text; no rows is NULL on PostgreSQL."""
    if value is None:
        return []
    return json.loads(value) if isinstance(value, str) else value


def _ordered(value: Any) -> list[list]:
    """The rows of a numbered JSON array, in their numbers' order, without the number."""
    return [row[1:] for row in sorted(_loaded(value), key=lambda row: row[0])]


def _instance(model: type[Model], values: dict[str, Any]):
    """A model instance as if read from the database (`values` by attribute name, every concrete field): JSON's
    booleans (0/1 on SQLite) and date-times (text) made what the fields hold."""
    row = []
    for model_field in model._meta.concrete_fields:
        value = values[model_field.attname]
        if isinstance(model_field, BooleanField):
            value = bool(value)
        elif isinstance(model_field, DateTimeField) and isinstance(value, str):
            value = _aware(value)
        row.append(value)
    return model.from_db(connection.alias, [f.attname for f in model._meta.concrete_fields], row)


def _aware(text: str) -> dt.datetime | None:
    """A stored date-time from JSON: PostgreSQL gives ISO 8601 with its offset, SQLite the stored UTC text."""
    parsed = parse_datetime(text)
    if parsed is not None and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed
