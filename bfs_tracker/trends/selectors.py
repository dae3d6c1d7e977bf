"""Reads for the trend charts, the flare command and the doctor's report.

The days themselves are read through logbook.selectors; this module adds what trends owns (the person's flare
thresholds, the cache key's data version) and the one selector for "periods in a range, with what came before
each flare" that the dashboard, the report and the `flares` command share.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import connection
from django.utils.dateparse import parse_datetime

from bfs_tracker.alerts.models import FunctionCheck
from bfs_tracker.alerts.records import function_check_results
from bfs_tracker.lib.models import settings_row
from bfs_tracker.logbook import data_version
from bfs_tracker.logbook.models import DailyLog, OwnFactor, Remedy
from bfs_tracker.logbook.selectors import burden_series, day_records, red_flag_days
from bfs_tracker.timeline.models import Event
from bfs_tracker.trends.flares import (
    FLARE,
    FlareParams,
    Period,
    State,
    detect,
    state_of,
    unusual_before,
    unusual_days_from,
)
from bfs_tracker.trends.models import Experiment, FlareSettings
from bfs_tracker.trends.stability import Fact, Remission, what_has_not_changed

SPAN_CACHE = "dashboard"  # log_span's values per data version (settings.CACHES)


@dataclass(frozen=True)
class LogSpan:
    first: dt.date | None
    last: dt.date | None
    count: int
    last_updated: dt.datetime | None
    settings_updated: dt.datetime | None = None  # when the flare thresholds were last saved, if ever
    events_count: int = 0  # events on the medical timeline (markers on the burden chart)
    events_updated: dt.datetime | None = None
    plans: str = ""  # how many remedies and experiments, and when last saved: the dashboard shows both
    remedies_count: int = 0  # none: the dashboard skips reading them
    experiments_count: int = 0
    own_factors_count: int = 0  # the person's own factors (logbook.OwnFactor); none: no read of their values
    checks: str = "0@-"  # how many function checks and the newest's id (they are never edited, only added or removed)


def log_span(user) -> LogSpan:
    """`read_log_span`'s values, cached under the person's data version (trends.data_version): one primary-key read
    when nothing has been written since the last request. The version is read first, so a span cached under it can
    only be as new as or newer than that version, never older."""
    return data_version.cached(user, "trends:span:v1", lambda: read_log_span(user), alias=SPAN_CACHE)


def read_log_span(user) -> LogSpan:
    """First and last logged dates, how many days, and when logs, flare settings, timeline events, remedies,
    experiments and own factors were last saved, with how many of each, and the function checks' count and newest
    id (cache keys: the dashboard's, its "What has not changed" and the report's). An own factor's values are saved
    with their day, so the day's `updated_at` covers them.

    Every dashboard request runs this, so it is one hand-written query: the ORM's aggregate() costs about 0.7 ms
    more per call in Python than the query itself (measured, docs/performance.md). A test checks it against the ORM.
    Each value is its own scalar subquery, so each is one index lookup (MIN and MAX of the date on the (user, date)
    constraint's index, the latest save on the (user, updated_at) index) and the count reads the user's index
    entries alone: ten years cost about 0.1 ms on SQLite, where one aggregate over the days read every row (1 ms).
    """
    # Table names come from the models, never from input; the values are query parameters.
    logs, settings, events = DailyLog._meta.db_table, FlareSettings._meta.db_table, Event._meta.db_table
    remedies, experiments, own = Remedy._meta.db_table, Experiment._meta.db_table, OwnFactor._meta.db_table
    checks = FunctionCheck._meta.db_table
    sql = (
        f"SELECT (SELECT MIN(date) FROM {logs} WHERE user_id = %s), "  # noqa: S608  # nosec B608
        f"(SELECT MAX(date) FROM {logs} WHERE user_id = %s), "
        f"(SELECT COUNT(*) FROM {logs} WHERE user_id = %s), "
        f"(SELECT MAX(updated_at) FROM {logs} WHERE user_id = %s), "
        f"(SELECT updated_at FROM {settings} WHERE user_id = %s), "
        f"(SELECT COUNT(*) FROM {events} WHERE user_id = %s), "
        f"(SELECT MAX(updated_at) FROM {events} WHERE user_id = %s), "
        f"(SELECT COUNT(*) FROM {remedies} WHERE user_id = %s), "
        f"(SELECT MAX(updated_at) FROM {remedies} WHERE user_id = %s), "
        f"(SELECT COUNT(*) FROM {experiments} WHERE user_id = %s), "
        f"(SELECT MAX(updated_at) FROM {experiments} WHERE user_id = %s), "
        f"(SELECT COUNT(*) FROM {own} WHERE user_id = %s), "
        f"(SELECT MAX(updated_at) FROM {own} WHERE user_id = %s), "
        f"(SELECT COUNT(*) FROM {checks} WHERE user_id = %s), "
        f"(SELECT MAX(id) FROM {checks} WHERE user_id = %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk] * 15)
        first, last, count, last_updated, settings_updated, events_count, events_updated, *plans = cursor.fetchone()
    remedy_count, remedy_updated, experiment_count, experiment_updated, own_count, own_updated, *checks_read = plans
    return LogSpan(
        first=_as_date(first),
        last=_as_date(last),
        count=count,
        last_updated=_as_datetime(last_updated),
        settings_updated=_as_datetime(settings_updated),
        events_count=events_count,
        events_updated=_as_datetime(events_updated),
        plans=f"{remedy_count}@{_stamp(_as_datetime(remedy_updated))}:"
        f"{experiment_count}@{_stamp(_as_datetime(experiment_updated))}:"
        f"{own_count}@{_stamp(_as_datetime(own_updated))}",
        remedies_count=remedy_count,
        experiments_count=experiment_count,
        own_factors_count=own_count,
        checks=f"{checks_read[0]}@{checks_read[1] if checks_read[1] is not None else '-'}",
    )


def flare_version(user) -> str:
    """What flare detection depends on, as a cache key's part: the person's data version (trends.data_version),
    which every write to their days or flare settings changes (and writes to their other data, which only costs a
    rebuild). One primary-key read: the calendar asks it on every month shown."""
    return f"v{data_version.current(user)}"


def _stamp(value: dt.datetime | None) -> str:
    return value.isoformat() if value else "-"


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


def flare_settings_for(user) -> FlareSettings:
    """The person's saved thresholds, or an unsaved row of the defaults (lib.models.settings_row)."""
    return settings_row(FlareSettings, user=user)


def flare_params_for(user) -> FlareParams:
    """The person's thresholds, or the defaults if they never changed them (no row is created here)."""
    settings = FlareSettings.objects.filter(user=user).first()
    return settings.as_params() if settings else FlareParams()


@dataclass(frozen=True)
class PeriodItem:
    """A flare or remission touching the range; a flare carries what stood out in the days before it."""

    period: Period
    unusual: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        data = self.period.as_dict()
        if self.period.kind == FLARE:
            data["unusual_before"] = list(self.unusual)
        return data


@dataclass(frozen=True)
class PeriodsInRange:
    history: list[Period]  # every period of the whole history (the current state is read from it)
    items: list[PeriodItem]  # those that touch the range, in date order
    records: dict[dt.date, dict]  # the day records read or given: the range, and the days flare context needs
    state: State  # where the person is as of their last logged day (whatever the range)

    @property
    def periods(self) -> list[Period]:
        return [item.period for item in self.items]


def periods_in_range(
    user,
    start: dt.date | None,
    end: dt.date | None,
    *,
    params: FlareParams | None = None,
    records: Mapping[dt.date, dict] | None = None,
) -> PeriodsInRange:
    """Flares and remissions that touch start..end (None: open on that side), each flare with what stood out in the
    days before it. The one selector for this: the dashboard, the report and `manage.py flares` all call it.

    Periods are detected on the whole history with the person's thresholds, exactly as everywhere else (a flare
    needs the baseline of the weeks before it), and what stood out before a flare depends only on the dates around
    it, never on the range shown. Reads: the burden history; then, for a range, the day records from the earliest
    day a shown flare's context needs to `end`, in one query, returned in `records` so the caller does not read the
    range again. A caller that has read the range already passes its `records` for start..end; then only the days
    before `start` that flare context needs are read.
    """
    params = params or flare_params_for(user)
    detection = detect(burden_series(user), params)
    history = detection.periods
    shown = [p for p in history if (start is None or p.end >= start) and (end is None or p.start <= end)]
    flares = [p for p in shown if p.kind == FLARE]
    context_from = unusual_days_from(flares)
    if records is not None:
        if start is None:
            raise ValueError("records are for start..end: give start")
        read = dict(records)
        if context_from is not None and context_from < start:
            read.update(day_records(user, context_from, start - dt.timedelta(days=1)))
    elif start is not None and end is not None:
        read = day_records(user, min(start, context_from or start), end)
    elif context_from is not None:
        read = day_records(user, context_from, max(p.start for p in flares))
    else:
        read = {}
    items = []
    for period in shown:
        unusual: tuple[str, ...] = ()
        if period.kind == FLARE:
            others = [p for p in history if p.kind == FLARE and p != period]
            unusual = tuple(u.text for u in unusual_before(period, read, exclude=others))
        items.append(PeriodItem(period, unusual))
    return PeriodsInRange(history=history, items=items, records=read, state=state_of(detection, params))


def current_state_for(user, *, params: FlareParams | None = None) -> State:
    """Where the person is as of their last logged day: `kind` ("no data", "not_enough_data", "flare",
    "remission", "baseline"), `baseline` and `days_needed` (more logged days before a baseline exists), and `text`,
    the words every page shows. The one selector for the current state; two queries (thresholds, burden series).
    A caller that also needs periods uses periods_in_range(...).state, the same answer without a second read."""
    params = params or flare_params_for(user)
    return state_of(detect(burden_series(user), params), params)


def stability_for(user, *, span: LogSpan, longest_remission: Period | None) -> list[Fact]:
    """ "What has not changed" over the person's whole history (trends.stability), for the dashboard. Two queries
    (red-flag days, function checks); `span` and the longest remission come from what the dashboard has already.
    Cached apart from the dashboard (dashboard_cache.stability_facts): a function check changes it without touching
    the days."""
    return what_has_not_changed(
        first_logged=span.first,
        last_logged=span.last,
        days_logged=span.count,
        red_flag_days=[row["date"] for row in red_flag_days(user=user)],
        function_checks=[(c.taken_on, c.answers) for c in function_check_results(user, dt.date.min, dt.date.max)],
        longest_remission=(
            Remission(longest_remission.start, longest_remission.end, longest_remission.days)
            if longest_remission
            else None
        ),
    )


def flare_spans(user) -> list[tuple[dt.date, dt.date]]:
    """The person's flares as (first day, last day), detected on the whole history with their thresholds (as
    everywhere else). Two queries: the thresholds and the burden history."""
    return [(p.start, p.end) for p in detect(burden_series(user), flare_params_for(user)).periods if p.kind == FLARE]


def flare_days(user, first: dt.date, last: dt.date, spans: list[tuple[dt.date, dt.date]] | None = None) -> set[dt.date]:
    """The days in first..last that lie in a flare (`spans` from flare_spans, read now when not given), for the
    calendar's marks."""
    days: set[dt.date] = set()
    for start, end in spans if spans is not None else flare_spans(user):
        if end < first or start > last:
            continue
        day = max(start, first)
        while day <= min(end, last):
            days.add(day)
            day += dt.timedelta(days=1)
    return days
