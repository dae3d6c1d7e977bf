"""Everything the day page shows of the log, read in one query: the day, its twitch entries, the things it tried, the
things the person can tick, their own factors and the day's answers to them.

Why one query: the day page is the page a person opens every day, and on PostgreSQL each query is a round trip of
0.1-0.3 ms plus Django's work around it. Read one by one (the day, its entries, its things tried, the list of things
to try, own factors, own answers) they were six of the page's nine queries and most of its time outside the
template (docs/performance.md, "Fifth pass"). Here the day is joined to a one-row table, so a day not logged yet
still gives one row (its columns empty) with the person's lists; each list comes as a JSON array from a subquery,
in the order the ORM would give it (ordered inside the aggregate on PostgreSQL, numbered with row_number() and put
in order here on SQLite), so the database's collation orders names, as it does everywhere else.
tests/test_logbook_day_read.py compares every part with the ORM's own reads, on PostgreSQL and on SQLite.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import BooleanField, DateTimeField, Model
from django.utils.dateparse import parse_datetime

from bfs_tracker.lib import prepared
from bfs_tracker.logbook.models import DailyLog, OwnFactor, ReliefMethod, TwitchEntry


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


# Each list as a JSON array of rows in the ORM's order. PostgreSQL orders inside the aggregate (json_agg ... ORDER
# BY: half the planning time of the numbered form, measured). SQLite 3.40 cannot, so each of its rows carries its
# row_number() in that order first, and _ordered sorts by it and drops it.
_LISTS = {
    "postgresql": (
        "(SELECT json_agg(json_build_array(id, muscle_group, side, intensity) ORDER BY muscle_group, side, id) "
        "FROM logbook_twitchentry WHERE log_id = l.id) AS day_twitches, "
        "(SELECT json_agg(json_build_array(r.id, r.name, r.archived, "
        "CASE WHEN t.reliefmethod_id IS NULL THEN 0 ELSE 1 END) ORDER BY r.name) "
        "FROM logbook_reliefmethod r LEFT JOIN logbook_dailylog_reliefs t "
        "ON t.reliefmethod_id = r.id AND t.dailylog_id = l.id "
        "WHERE r.user_id = %s AND (r.archived = %s OR t.reliefmethod_id IS NOT NULL)) AS day_reliefs, "
        "(SELECT json_agg(json_build_array(id, name, kind, created_at, updated_at) ORDER BY name, id) "
        "FROM logbook_ownfactor WHERE user_id = %s AND archived = %s) AS day_own_factors, "
        "(SELECT json_agg(json_build_array(factor_id, value)) FROM logbook_ownfactorvalue WHERE log_id = l.id) "
        "AS day_own_values "
    ),
    "sqlite": (
        "(SELECT json_group_array(json_array(n, id, muscle_group, side, intensity)) FROM (SELECT row_number() OVER "
        "(ORDER BY muscle_group, side, id) AS n, id, muscle_group, side, intensity FROM logbook_twitchentry "
        "WHERE log_id = l.id) e) AS day_twitches, "
        "(SELECT json_group_array(json_array(n, id, name, archived, tried)) FROM (SELECT row_number() OVER "
        "(ORDER BY r.name) AS n, r.id, r.name, r.archived, CASE WHEN t.reliefmethod_id IS NULL THEN 0 ELSE 1 END "
        "AS tried FROM logbook_reliefmethod r LEFT JOIN logbook_dailylog_reliefs t "
        "ON t.reliefmethod_id = r.id AND t.dailylog_id = l.id "
        "WHERE r.user_id = %s AND (r.archived = %s OR t.reliefmethod_id IS NOT NULL)) r) AS day_reliefs, "
        "(SELECT json_group_array(json_array(n, id, name, kind, created_at, updated_at)) FROM (SELECT row_number() "
        "OVER (ORDER BY name, id) AS n, id, name, kind, created_at, updated_at FROM logbook_ownfactor "
        "WHERE user_id = %s AND archived = %s) o) AS day_own_factors, "
        "(SELECT json_group_array(json_array(factor_id, value)) FROM logbook_ownfactorvalue WHERE log_id = l.id) "
        "AS day_own_values "
    ),
}


_TYPES = ("bigint", "boolean", "bigint", "boolean", "bigint", "date")  # the parameters' types, for PREPARE


def _sql() -> str:
    """The one statement. Table and column names are written out or come from the models, never from input; the
    values (the person, twice, and the date) are query parameters."""
    log_columns = ", ".join(f"l.{f.column}" for f in DailyLog._meta.concrete_fields)
    return (
        f"SELECT {log_columns}, {_LISTS[connection.vendor]}"  # noqa: S608  # nosec B608
        "FROM (SELECT 1 AS one) me LEFT JOIN logbook_dailylog l ON l.user_id = %s AND l.date = %s"
    )


def day_read(*, user, day: dt.date) -> DayRead:
    """The day page's data for `user` on `day`, in one query."""
    with connection.cursor() as cursor:
        prepared.execute(cursor, "bfs_day_read", _sql(), _TYPES, [user.pk, False, user.pk, False, user.pk, day])
        row = cursor.fetchone()  # the one-row table: always one row
    log_values, (twitches, reliefs, own_factors, own_values) = row[:-4], row[-4:]
    log = _log(log_values) if log_values[0] is not None else None
    twitch_rows = _ordered(twitches)
    relief_rows = _ordered(reliefs)
    own_rows = _ordered(own_factors)
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
        read.own_values = {factor: value for factor, value in _loaded(own_values)}
    return read


def _log(values: tuple) -> DailyLog:
    """The day's row as a DailyLog, as the ORM would read it: each column through the database's converters (SQLite
    hands back dates, date-times and decimals as text or floats). By hand rather than with raw(), which matched the
    row's columns to the model's fields on every call (about a twentieth of the day page's time)."""
    fields = DailyLog._meta.concrete_fields
    compiler = DailyLog.objects.none().query.get_compiler(connection=connection)
    converters = compiler.get_converters([f.get_col(DailyLog._meta.db_table) for f in fields])
    converted = next(iter(compiler.apply_converters([values], converters))) if converters else values
    return DailyLog.from_db(connection.alias, [f.attname for f in fields], list(converted))


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
    """The rows of a JSON array list in the ORM's order: as they come on PostgreSQL; on SQLite sorted by the number
    each row starts with, which is then dropped."""
    rows = _loaded(value)
    if connection.vendor == "postgresql":
        return rows
    return [row[1:] for row in sorted(rows, key=lambda row: row[0])]


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
