"""Everything the dashboard shows for a date range, assembled as one plain object: the text numbers and the chart
data. No template, no cache here: trends/dashboard_cache.py renders and caches it, trends/series.py does the maths.

Flares and remissions are detected on the person's whole history (a baseline needs the weeks before the range),
then the periods that touch the range are shown with their true dates. Insights use the days in the range.
Events of the medical timeline in the range are markers on the burden chart. Costs a fixed number of queries (see
selectors) whatever the range.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from django.template.defaultfilters import pluralize

from bfs_tracker.logbook import factors
from bfs_tracker.logbook import selectors as log_selectors
from bfs_tracker.logbook.factors import Role
from bfs_tracker.logbook.own_factors import with_own
from bfs_tracker.logbook.remedies import RemedyCourse, RemedyEvent, remedies_in_range, remedy_events_between
from bfs_tracker.logbook.taxonomy import MuscleGroup, Side
from bfs_tracker.timeline.selectors import Marker, markers_between
from bfs_tracker.trends import selectors, series
from bfs_tracker.trends.experiment_store import ExperimentView, experiments_with_results
from bfs_tracker.trends.flares import FLARE, REMISSION, FlareParams, Period, State, longest
from bfs_tracker.trends.insights import CAVEAT, MIN_PAIRS, MULTIPLE, Insight, insight_factors, trigger_insights
from bfs_tracker.trends.remedy_timing import DuringFlare, started_during_flares
from bfs_tracker.trends.stability import no_twitching_text

CHART_FACTORS = ("stress", "sleep_hours", "caffeine_mg")


@dataclass(frozen=True)
class FlareItem:
    period: Period
    unusual: list[str]


@dataclass
class Dashboard:
    start: dt.date
    end: dt.date
    days_in_range: int
    days_logged: int
    state: str  # "flare", "remission", "baseline", "not_enough_data" or "no data", as of last_logged
    current: State  # the same, with the baseline, the days a baseline still needs and the words to show
    last_logged: dt.date | None
    periods: list[Period]  # touching the range
    flares: list[FlareItem]
    remissions: list[Period]
    longest_remission: Period | None
    longest_remission_ever: Period | None  # over the whole history, for "What has not changed"
    insights: list[Insight]
    ranking: list[dict]
    red_flag_days: list[dt.date]
    bucket: str  # "day", "week" or "month": how the group, factor and symptom charts are grouped
    chart: dict = field(repr=False)
    events: list[Marker] = field(default_factory=list)  # the medical timeline's events in the range
    remedies: list[RemedyCourse] = field(default_factory=list)  # taken on at least one day of the range
    remedy_events: list[RemedyEvent] = field(default_factory=list)  # starts, dose changes, stops in the range
    # Starts and dose changes of those remedies inside a flare of the whole history (clinical rule 10).
    remedies_during_flares: list[DuringFlare] = field(default_factory=list)
    experiments: list[ExperimentView] = field(default_factory=list)  # touching the range
    caveat: str = CAVEAT
    multiple: str = MULTIPLE

    @property
    def no_twitching_text(self) -> str:
        """What "Where it twitched" says without any twitching in the range (the report's words)."""
        return no_twitching_text(self.days_logged)

    @property
    def periods_pending(self) -> str:
        """Why no flare or remission is listed when none can be yet, or "" (trends.flares.State.periods_pending)."""
        return self.current.periods_pending

    @property
    def insights_ready(self) -> list[Insight]:
        return [i for i in self.insights if i.verdict != "not_enough_data"]

    @property
    def insights_waiting(self) -> list[Insight]:
        """Comparisons that still need days; the page sums them up in one line rather than one each."""
        return [i for i in self.insights if i.verdict == "not_enough_data"]

    @property
    def insights_start_in(self) -> int:
        """The fewest more days any waiting comparison needs (days with both logged, or days with and without a
        yes/no factor: each insight's own text says which)."""
        return min((i.days_needed or 0 for i in self.insights_waiting), default=0)

    @property
    def insights_waiting_text(self) -> str:
        """The one line that sums up the waiting comparisons. Only the nearest one is due after
        `insights_start_in` more days, and only if those days carry what it compares (a day with illness, a day
        with anxiety scored): "6 more comparisons start after 5 more days of logging" was said while five of them
        needed 14 days with anxiety or sleep quality recorded."""
        waiting = len(self.insights_waiting)
        if not waiting:
            return ""
        days = self.insights_start_in
        nearest = f"the nearest needs {days} more day{pluralize(days)} (below: which days each one needs)."
        if self.insights_ready:
            they = f"{waiting} more comparison{pluralize(waiting)} wait{pluralize(waiting, 's,')}"
            return f"{they} for enough days: {nearest}"
        return f"Insights start when a comparison has enough days: {nearest}"

    @property
    def insights_with_link(self) -> list[Insight]:
        return [i for i in self.insights if i.verdict in ("goes_with_higher", "goes_with_lower")]

    def as_json(self) -> dict:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "days_in_range": self.days_in_range,
            "days_logged": self.days_logged,
            "state": self.state,
            "state_detail": self.current.as_dict(),
            "last_logged": self.last_logged.isoformat() if self.last_logged else None,
            "periods": [p.as_dict() | _unusual_of(p, self.flares) for p in self.periods],
            "longest_remission": self.longest_remission.as_dict() if self.longest_remission else None,
            "insights": [i.as_dict() for i in self.insights],
            "caveat": self.caveat,
            "multiple_comparisons": self.multiple,
            "ranking": self.ranking,
            "remedies": [r.as_dict() for r in self.remedies],
            "remedies_during_flares": [d.text for d in self.remedies_during_flares],
            "experiments": [e.as_dict() for e in self.experiments],
            "chart": self.chart,
        }


def _insights(user, in_range: dict, start: dt.date, end: dt.date, span: selectors.LogSpan) -> list[Insight]:
    """The built-in factors and, when the person has any, their own, all under one multiple-comparison control."""
    if not span.own_factors_count:
        return trigger_insights(in_range)
    records, own = with_own(user, in_range, start, end, archived_min_days=MIN_PAIRS)
    return trigger_insights(records, [*insight_factors(), *own])


def _unusual_of(period: Period, flares: list[FlareItem]) -> dict:
    for item in flares:
        if item.period == period:
            return {"unusual_before": item.unusual}
    return {}


def build_dashboard(
    user,
    start: dt.date,
    end: dt.date,
    *,
    span: selectors.LogSpan | None = None,
    params: FlareParams | None = None,
) -> Dashboard:
    """The dashboard for `start`..`end` (inclusive). Pass `span` and `params` if already loaded, to save queries."""
    span = span or selectors.log_span(user)
    params = params or selectors.flare_params_for(user)
    found = selectors.periods_in_range(user, start, end, params=params)
    periods = found.periods
    in_range = {d: r for d, r in found.records.items() if start <= d <= end}
    bucket = series.bucket_for(start, end)
    group_rows = log_selectors.muscle_group_burden(user, start, end, bucket)
    ranking_rows = log_selectors.group_side_ranking(user, start, end)

    flares = [FlareItem(item.period, list(item.unusual)) for item in found.items if item.period.kind == FLARE]
    # Most people record no remedy or experiment: the log span's counts spare them both reads.
    remedies = remedies_in_range(user, start, end) if span.remedies_count else []
    remedy_events = remedy_events_between(remedies, start, end)
    remissions = [p for p in periods if p.kind == REMISSION]

    events = markers_between(user, start, end, today=user.today())
    n = (end - start).days + 1
    burden = series.daily_array(in_range, "burden", start, n)

    bucket_keys = series.bucket_labels(start, end, bucket)
    bucket_index = {key: i for i, key in enumerate(bucket_keys)}
    positions = np.array([bucket_index[series.bucket_key(start + dt.timedelta(days=i), bucket)] for i in range(n)])
    group_values: dict[str, list[int]] = {}
    for row in group_rows:
        period_key = row["period"]
        if isinstance(period_key, dt.datetime):
            period_key = period_key.date()
        values = group_values.setdefault(row["muscle_group"], [0] * len(bucket_keys))
        values[bucket_index[period_key]] += row["burden"]
    group_labels = dict(MuscleGroup.choices)
    side_labels = dict(Side.choices)

    chart = {
        "start": start.isoformat(),
        "days": n,
        "burden": series.nullable(burden),
        # Whole numbers beyond a year: a tenth of a point is invisible at that scale and doubles the JSON.
        "average7": series.nullable(series.rolling_mean(burden), digits=1 if n <= 366 else 0),
        "periods": [
            {"kind": p.kind, "start": max(p.start, start).isoformat(), "end": min(p.end, end).isoformat()}
            for p in periods
        ],
        "red_flag_days": [d.isoformat() for d, r in in_range.items() if r["red_flag"]],
        # Visits, tests, diagnoses (timeline app): markers on the burden chart, listed in text under it too.
        "events": [m.as_dict() for m in events],
        # Remedy and medication starts, dose changes and stops: markers of their own colour on the burden chart.
        "remedy_events": [e.as_dict() for e in remedy_events],
        # One band per remedy under the burden chart: the days of the range it was taken, as day offsets.
        "remedies": [
            {
                "label": f"{c.name}, {c.dose_text}",
                "from": (max(c.start, start) - start).days,
                "to": (min(c.stop or end, end) - start).days,
                "changes": [
                    {"day": (e.date - start).days, "text": e.text}
                    for e in c.events
                    if e.kind == "dose_change" and start <= e.date <= end
                ],
            }
            for c in remedies
        ],
        "bucket": bucket,
        "bucket_labels": [k.isoformat() for k in bucket_keys],
        "factors": {
            key: series.nullable(
                series.bucket_means(series.daily_array(in_range, key, start, n), positions, len(bucket_keys))
            )
            for key in CHART_FACTORS
        },
        "factor_labels": {key: factors.by_name(key).label for key in CHART_FACTORS},
        "burden_by_bucket": series.nullable(series.bucket_means(burden, positions, len(bucket_keys))),
        "symptom_labels": {f.name: f.label for f in factors.of_role(Role.SYMPTOM)},
        "symptoms": {
            key: series.nullable(
                series.bucket_means(series.daily_array(in_range, key, start, n), positions, len(bucket_keys))
            )
            for key in factors.names(Role.SYMPTOM)
        },
        "groups": [
            {"key": key, "label": group_labels[key], "values": group_values[key]}
            for key in MuscleGroup.values
            if key in group_values
        ],
    }
    ranking = [
        {
            "muscle_group": row["muscle_group"],
            "side": row["side"],
            "label": f"{group_labels[row['muscle_group']]}, {side_labels[row['side']].lower()}",
            "burden": row["burden"],
            "days": row["days"],
        }
        for row in ranking_rows
    ]
    return Dashboard(
        start=start,
        end=end,
        days_in_range=n,
        days_logged=len(in_range),
        state=found.state.kind,
        current=found.state,
        last_logged=span.last,
        periods=periods,
        flares=flares,
        remissions=remissions,
        longest_remission=longest(remissions, REMISSION),
        longest_remission_ever=longest([p for p in found.history if p.kind == REMISSION], REMISSION),
        insights=_insights(user, in_range, start, end, span),
        ranking=ranking,
        red_flag_days=[d for d, r in in_range.items() if r["red_flag"]],
        bucket=bucket,
        chart=chart,
        events=events,
        remedies=remedies,
        remedy_events=remedy_events,
        remedies_during_flares=started_during_flares(remedies, found.history),
        experiments=(
            experiments_with_results(user, user.today(), start=start, end=end) if span.experiments_count else []
        ),
    )
