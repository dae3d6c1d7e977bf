"""Reads for the trend charts, the flare command and the doctor's report.

Each function is ONE query whatever the date range (values() rows, sums computed by the database), so a dashboard
over ten years costs the same number of queries as one over a week.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Sum, When
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils.dateparse import parse_datetime

from bfs_tracker.logbook.burden import SIDE_COUNT
from bfs_tracker.logbook.models import DailyLog, TwitchEntry
from bfs_tracker.logbook.taxonomy import EXERTION_LEVEL, RED_FLAG_SIGNS, SYMPTOMS
from bfs_tracker.trends.flares import FlareParams
from bfs_tracker.trends.models import FlareSettings

FACTOR_FIELDS: tuple[str, ...] = (
    "stress",
    "anxiety",
    "sleep_hours",
    "sleep_quality",
    "caffeine_mg",
    "alcohol_units",
    "exertion",
    "illness",
)
SYMPTOM_FIELDS: tuple[str, ...] = tuple(name for name, _ in SYMPTOMS)
RED_FLAG_FIELDS: tuple[str, ...] = tuple(name for name, _ in RED_FLAG_SIGNS)
BUCKETS = ("day", "week", "month")


@dataclass(frozen=True)
class LogSpan:
    first: dt.date | None
    last: dt.date | None
    count: int
    last_updated: dt.datetime | None
    settings_updated: dt.datetime | None = None  # when the flare thresholds were last saved, if ever


def log_span(user) -> LogSpan:
    """First and last logged dates, how many days, and when logs and flare settings were last saved (cache keys).

    Every dashboard request runs this, so it is one hand-written query: the ORM's aggregate() costs about 0.7 ms
    more per call in Python than the query itself (measured, docs/performance.md). A test checks it against the ORM.
    """
    # Table names come from the models, never from input; the values are query parameters.
    logs, settings = DailyLog._meta.db_table, FlareSettings._meta.db_table
    sql = (
        f"SELECT MIN(date), MAX(date), COUNT(*), MAX(updated_at), "  # noqa: S608  # nosec B608
        f"(SELECT updated_at FROM {settings} WHERE user_id = %s) FROM {logs} WHERE user_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, user.pk])
        first, last, count, last_updated, settings_updated = cursor.fetchone()
    return LogSpan(
        first=_as_date(first),
        last=_as_date(last),
        count=count,
        last_updated=_as_datetime(last_updated),
        settings_updated=_as_datetime(settings_updated),
    )


def _as_date(value) -> dt.date | None:
    # SQLite hands raw-cursor dates back as text.
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _as_datetime(value) -> dt.datetime | None:
    # SQLite gives text or a naive datetime, both in UTC.
    if isinstance(value, str):
        value = parse_datetime(value)
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value


def flare_params_for(user) -> FlareParams:
    """The person's thresholds, or the defaults if they never changed them (no row is created here)."""
    settings = FlareSettings.objects.filter(user=user).first()
    return settings.as_params() if settings else FlareParams()


def burden_series(user, start: dt.date | None = None, end: dt.date | None = None) -> dict[dt.date, float]:
    """Burden of every logged day (unlogged days are absent, never zero)."""
    rows = DailyLog.objects.filter(user=user)
    if start:
        rows = rows.filter(date__gte=start)
    if end:
        rows = rows.filter(date__lte=end)
    return {day: float(burden) for day, burden in rows.order_by("date").values_list("date", "burden")}


def day_records(user, start: dt.date, end: dt.date) -> dict[dt.date, dict]:
    """Each logged day's burden, factors, symptoms and red-flag signs, with `exertion_level` (0 none .. 3 hard),
    `sleep_hours` and `alcohol_units` as floats and `red_flag` True when any red-flag sign was reported."""
    fields = ("date", "burden", *FACTOR_FIELDS, *SYMPTOM_FIELDS, *RED_FLAG_FIELDS)
    records: dict[dt.date, dict] = {}
    for row in DailyLog.objects.filter(user=user, date__range=(start, end)).order_by("date").values(*fields):
        row["exertion_level"] = EXERTION_LEVEL.get(row["exertion"], 0)
        if row["sleep_hours"] is not None:
            row["sleep_hours"] = float(row["sleep_hours"])
        row["alcohol_units"] = float(row["alcohol_units"])
        row["red_flag"] = any(row[name] for name in RED_FLAG_FIELDS)
        records[row.pop("date")] = row
    return records


def _entry_burden():
    """Burden of one twitch entry in SQL, the same formula as logbook.burden.entry_burden."""
    return Case(
        *[When(side=side, then=F("intensity") * count) for side, count in SIDE_COUNT.items()],
        output_field=IntegerField(),
    )


def muscle_group_burden(user, start: dt.date, end: dt.date, bucket: str = "day") -> list[dict]:
    """Burden by muscle group per day, week (starting Monday) or month: rows of {period, muscle_group, burden}."""
    if bucket not in BUCKETS:
        raise ValueError(f"bucket must be one of {BUCKETS}")
    period = {"day": F("log__date"), "week": TruncWeek("log__date"), "month": TruncMonth("log__date")}[bucket]
    return list(
        TwitchEntry.objects.filter(log__user=user, log__date__range=(start, end))
        .annotate(period=period)
        .values("period", "muscle_group")
        .annotate(burden=Sum(_entry_burden()))
        .order_by("period", "muscle_group")
    )


def group_side_ranking(user, start: dt.date, end: dt.date) -> list[dict]:
    """Most affected muscle groups and sides over the range: {muscle_group, side, burden, days}, largest first."""
    return list(
        TwitchEntry.objects.filter(log__user=user, log__date__range=(start, end))
        .values("muscle_group", "side")
        .annotate(burden=Sum(_entry_burden()), days=Count("log_id", distinct=True))
        .order_by("-burden", "-days", "muscle_group", "side")
    )
