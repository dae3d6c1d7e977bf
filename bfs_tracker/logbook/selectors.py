"""Reads of the log, scoped to one user: for the day and calendar screens, and for the apps that read the log
(trends for charts, flares and insights; reports). Other apps read days through these, never through the models.

The range reads are ONE query whatever the range (values() rows, sums computed by the database), so a dashboard
over ten years costs the same number of queries as one over a week.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, When
from django.db.models.functions import TruncMonth, TruncWeek

from bfs_tracker.logbook import factors
from bfs_tracker.logbook.burden import SIDE_COUNT
from bfs_tracker.logbook.factors import Kind, Role
from bfs_tracker.logbook.models import DailyLog, ReliefMethod, TwitchEntry

BUCKETS = ("day", "week", "month")


def burdens_between(*, user, first: dt.date, last: dt.date) -> dict[dt.date, int]:
    """Burden of every logged day in a date range, in one query."""
    rows = DailyLog.objects.for_user(user).filter(date__range=(first, last)).values_list("date", "burden")
    return dict(rows)


def calendar_month(*, user, first: dt.date, last: dt.date) -> tuple[dict[dt.date, int], set[dt.date]]:
    """The calendar's month in one query: the burden of every logged day in [first, last], and which of them report
    a red-flag sign (as red_flag_days would say). Hand-written: the month is about thirty rows on the (user, date)
    index, and the ORM spent longer building the two queries this replaces than the database spent on them."""
    columns = [DailyLog._meta.get_field(name).column for name in factors.names(Role.RED_FLAG)]  # type: ignore[union-attr]
    any_sign = " OR ".join(f"{column} = %s" for column in columns)
    # The table and column names come from the model, never from input; the values are query parameters.
    sql = (
        f"SELECT date, burden, CASE WHEN {any_sign} THEN 1 ELSE 0 END "  # noqa: S608  # nosec B608
        f"FROM {DailyLog._meta.db_table} WHERE user_id = %s AND date BETWEEN %s AND %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [True] * len(columns) + [user.pk, first, last])
        rows = cursor.fetchall()
    burdens, red_flags = {}, set()
    for date, burden, red_flag in rows:
        day = dt.date.fromisoformat(date) if isinstance(date, str) else date  # SQLite hands back text
        burdens[day] = burden
        if red_flag:
            red_flags.add(day)
    return burdens, red_flags


def relief_choices_on(*, user, day: dt.date) -> QuerySet[ReliefMethod]:
    """The things tried a day can record, by its date: the person's current ones and any archived one the day already
    records, by name (as day_read.day_read offers them), without reading the log first (saving a day)."""
    recorded = DailyLog.reliefs.through.objects.filter(dailylog__user=user, dailylog__date=day)
    chosen = Q(pk__in=recorded.values("reliefmethod_id"))
    return ReliefMethod.objects.filter(user=user).filter(Q(archived=False) | chosen).order_by("name")


def reliefs_version(user) -> tuple:
    """The person's things tried as (id, name, archived), in id order: renaming one changes what a report says, and
    ReliefMethod keeps no time of change, so a cache key carries the list itself (a few short rows, one query)."""
    return tuple(ReliefMethod.objects.filter(user=user).order_by("pk").values_list("pk", "name", "archived"))


def burden_series(user, start: dt.date | None = None, end: dt.date | None = None) -> dict[dt.date, float]:
    """Burden of every logged day (unlogged days are absent, never zero)."""
    rows = DailyLog.objects.filter(user=user)
    if start:
        rows = rows.filter(date__gte=start)
    if end:
        rows = rows.filter(date__lte=end)
    return {day: float(burden) for day, burden in rows.order_by("date").values_list("date", "burden")}


def day_record(values: dict[str, Any]) -> dict[str, Any]:
    """One day's stored values as statistics read them: `burden`, each factor of the table as
    Factor.statistic gives it (decimals as floats, yes/no as bools; a level keeps its word and adds its number under
    the factor's `key`, e.g. `exertion_level` 0 none .. 3 hard), the text fields as they are, and `red_flag` True
    when any red-flag sign was reported. Missing or None values are unknown."""
    record: dict[str, Any] = {"burden": values.get("burden")}
    for factor in factors.day_factors():
        value = values.get(factor.name)
        record[factor.name] = value if factor.kind == Kind.LEVEL else factor.statistic(value)
        if factor.key:
            record[factor.key] = factor.statistic(value)
    for name in ("weakness_location", "notes"):
        if name in values:
            record[name] = values[name]
    record["red_flag"] = any(values.get(f.name) for f in factors.of_role(Role.RED_FLAG))
    return record


def day_records_with_lead_in(
    user, lead_in: dt.date, start: dt.date, end: dt.date
) -> tuple[dict[dt.date, dict[str, Any]], dict[dt.date, float]]:
    """Each logged day in [start, end] as a `day_record`, and the burden of every logged day in [lead_in, end]
    (for a detector that needs months before the days it judges), in one query: records are built only where
    they are used."""
    names = ("date", "burden", *factors.names())
    rows = DailyLog.objects.filter(user=user, date__range=(lead_in, end)).order_by("date").values(*names)
    records: dict[dt.date, dict[str, Any]] = {}
    burdens: dict[dt.date, float] = {}
    for row in rows:
        burdens[row["date"]] = float(row["burden"])
        if row["date"] >= start:
            records[row["date"]] = day_record(row)
    return records, burdens


def day_records(user, start: dt.date, end: dt.date) -> dict[dt.date, dict[str, Any]]:
    """Each logged day in [start, end] as a `day_record`, in date order, in one query."""
    names = ("date", "burden", *factors.names())
    rows = DailyLog.objects.filter(user=user, date__range=(start, end)).order_by("date").values(*names)
    return {row["date"]: day_record(row) for row in rows}


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


def logs_between(user, start: dt.date | None = None, end: dt.date | None = None) -> QuerySet[DailyLog]:
    """Whole days, oldest first, with their twitch entries and reliefs (three queries however many days): for
    exports and the report. None leaves that side of the range open."""
    logs = DailyLog.objects.for_user(user).order_by("date").prefetch_related("twitches", "reliefs")
    if start:
        logs = logs.filter(date__gte=start)
    if end:
        logs = logs.filter(date__lte=end)
    return logs


def record_of(log: DailyLog) -> dict[str, Any]:
    """A day already read, as the `day_record` statistics read (no query)."""
    return day_record({name: getattr(log, name) for name in ("burden", *factors.names(), "weakness_location", "notes")})


def logged_dates(user, dates: Iterable[dt.date]) -> set[dt.date]:
    """Which of these dates the person has logged (one query)."""
    return set(DailyLog.objects.for_user(user).filter(date__in=list(dates)).values_list("date", flat=True))


# For the alerts app: the days that report red-flag signs, read without loading whole days.
RED_FLAG_VALUES = ("date", "weakness_location", "notes")


def daily_log_on(*, user, day: dt.date) -> DailyLog | None:
    """The day's log alone, in one query (no twitch entries or reliefs)."""
    return DailyLog.objects.for_user(user).filter(date=day).first()


def red_flag_days(*, user, start: dt.date | None = None, end: dt.date | None = None) -> list[dict[str, Any]]:
    """Every day in [start, end] (the whole history when both are None) that reports any red-flag sign, as dicts of
    its date, weakness_location, notes and each sign; one query."""
    signs = factors.names(Role.RED_FLAG)
    any_sign = Q()
    for sign in signs:
        any_sign |= Q(**{sign: True})
    days = DailyLog.objects.for_user(user).filter(any_sign)
    if start is not None and end is not None:
        days = days.filter(date__range=(start, end))
    return list(days.values(*RED_FLAG_VALUES, *signs))


def weak_days(*, user) -> list[tuple[dt.date, str]]:
    """(date, where) of every day the person reported weakness, in one query (few rows: weakness is rare)."""
    return list(
        DailyLog.objects.for_user(user).filter(weakness=True).order_by().values_list("date", "weakness_location")
    )
