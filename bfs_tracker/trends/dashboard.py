"""Everything the dashboard shows for a date range, as one plain object: the text numbers and the chart JSON.

Flares and remissions are detected on the person's whole history (a baseline needs the weeks before the range),
then the periods that touch the range are shown with their true dates. Insights use the days in the range.
Costs a fixed number of queries (see selectors) whatever the range.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

import numpy as np
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils.html import json_script

from bfs_tracker.logbook.taxonomy import SYMPTOMS, MuscleGroup, Side
from bfs_tracker.trends import selectors
from bfs_tracker.trends.flares import (
    FLARE,
    REMISSION,
    FlareParams,
    Period,
    current_state,
    detect_periods,
    longest,
    unusual_before,
    unusual_days_from,
)
from bfs_tracker.trends.insights import CAVEAT, Insight, trigger_insights
from bfs_tracker.trends.selectors import SYMPTOM_FIELDS

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
    state: str  # "flare", "remission", "baseline" or "no data", as of last_logged
    last_logged: dt.date | None
    periods: list[Period]  # touching the range
    flares: list[FlareItem]
    remissions: list[Period]
    longest_remission: Period | None
    insights: list[Insight]
    ranking: list[dict]
    red_flag_days: list[dt.date]
    bucket: str  # "day", "week" or "month": how the group, factor and symptom charts are grouped
    chart: dict = field(repr=False)
    caveat: str = CAVEAT

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
            "last_logged": self.last_logged.isoformat() if self.last_logged else None,
            "periods": [p.as_dict() | _unusual_of(p, self.flares) for p in self.periods],
            "longest_remission": self.longest_remission.as_dict() if self.longest_remission else None,
            "insights": [i.as_dict() for i in self.insights],
            "caveat": self.caveat,
            "ranking": self.ranking,
            "chart": self.chart,
        }


def _unusual_of(period: Period, flares: list[FlareItem]) -> dict:
    for item in flares:
        if item.period == period:
            return {"unusual_before": item.unusual}
    return {}


def bucket_for(start: dt.date, end: dt.date) -> str:
    days = (end - start).days + 1
    if days <= 120:
        return "day"
    if days <= 800:
        return "week"
    return "month"


def _bucket_key(day: dt.date, bucket: str) -> dt.date:
    if bucket == "week":
        return day - dt.timedelta(days=day.weekday())
    if bucket == "month":
        return day.replace(day=1)
    return day


def _bucket_labels(start: dt.date, end: dt.date, bucket: str) -> list[dt.date]:
    keys, day = [], _bucket_key(start, bucket)
    while day <= end:
        keys.append(day)
        if bucket == "day":
            day += dt.timedelta(days=1)
        elif bucket == "week":
            day += dt.timedelta(days=7)
        else:
            day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return keys


def _nullable(values: np.ndarray, digits: int = 1) -> list[float | int | None]:
    """JSON-ready numbers: None for unknown, whole numbers without a decimal point (smaller JSON)."""
    out: list[float | int | None] = []
    for v in values.tolist():
        if v != v:  # NaN
            out.append(None)
        else:
            r = round(v, digits)
            out.append(int(r) if r.is_integer() else r)
    return out


def _daily_array(records: dict[dt.date, dict], key: str, start: dt.date, n: int) -> np.ndarray:
    out = np.full(n, np.nan)
    for day, record in records.items():
        i = (day - start).days
        if 0 <= i < n and record.get(key) is not None:
            out[i] = float(record[key])
    return out


def _rolling_mean(values: np.ndarray, window: int = 7) -> np.ndarray:
    """Mean of the logged days among the last `window` calendar days; NaN where none was logged."""
    logged = ~np.isnan(values)
    sums = np.concatenate([[0.0], np.cumsum(np.where(logged, values, 0.0))])
    counts = np.concatenate([[0], np.cumsum(logged)])
    idx = np.arange(len(values)) + 1
    lo = np.maximum(idx - window, 0)
    n = counts[idx] - counts[lo]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, (sums[idx] - sums[lo]) / np.maximum(n, 1), np.nan)


def _bucket_means(daily: np.ndarray, positions: np.ndarray, n_buckets: int) -> np.ndarray:
    logged = ~np.isnan(daily)
    sums = np.bincount(positions[logged], weights=daily[logged], minlength=n_buckets)
    counts = np.bincount(positions[logged], minlength=n_buckets)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)


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
    history = selectors.burden_series(user)
    all_periods = detect_periods(history, params)
    periods = [p for p in all_periods if p.end >= start and p.start <= end]
    flares_all = [p for p in all_periods if p.kind == FLARE]
    shown_flares = [p for p in periods if p.kind == FLARE]
    records = selectors.day_records(user, min(start, unusual_days_from(shown_flares) or start), end)
    in_range = {d: r for d, r in records.items() if start <= d <= end}
    bucket = bucket_for(start, end)
    group_rows = selectors.muscle_group_burden(user, start, end, bucket)
    ranking_rows = selectors.group_side_ranking(user, start, end)

    flares = []
    for period in shown_flares:
        found = unusual_before(period, records, exclude=[p for p in flares_all if p != period])
        flares.append(FlareItem(period, [u.text for u in found]))
    remissions = [p for p in periods if p.kind == REMISSION]

    n = (end - start).days + 1
    burden = _daily_array(in_range, "burden", start, n)

    bucket_keys = _bucket_labels(start, end, bucket)
    bucket_index = {key: i for i, key in enumerate(bucket_keys)}
    positions = np.array([bucket_index[_bucket_key(start + dt.timedelta(days=i), bucket)] for i in range(n)])
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
        "burden": _nullable(burden),
        # Whole numbers beyond a year: a tenth of a point is invisible at that scale and doubles the JSON.
        "average7": _nullable(_rolling_mean(burden), digits=1 if n <= 366 else 0),
        "periods": [
            {"kind": p.kind, "start": max(p.start, start).isoformat(), "end": min(p.end, end).isoformat()}
            for p in periods
        ],
        "red_flag_days": [d.isoformat() for d, r in in_range.items() if r["red_flag"]],
        "bucket": bucket,
        "bucket_labels": [k.isoformat() for k in bucket_keys],
        "factors": {
            key: _nullable(_bucket_means(_daily_array(in_range, key, start, n), positions, len(bucket_keys)))
            for key in CHART_FACTORS
        },
        "burden_by_bucket": _nullable(_bucket_means(burden, positions, len(bucket_keys))),
        "symptom_labels": dict(SYMPTOMS),
        "symptoms": {
            key: _nullable(_bucket_means(_daily_array(in_range, key, start, n), positions, len(bucket_keys)))
            for key in SYMPTOM_FIELDS
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
        state=current_state(all_periods, span.last, params),
        last_logged=span.last,
        periods=periods,
        flares=flares,
        remissions=remissions,
        longest_remission=longest(remissions, REMISSION),
        insights=trigger_insights(in_range),
        ranking=ranking,
        red_flag_days=[d for d, r in in_range.items() if r["red_flag"]],
        bucket=bucket,
        chart=chart,
    )


# Caching ----------------------------------------------------------------------------------------------------------
# A ten-year dashboard takes a few hundred milliseconds to compute, and it only changes when the person saves or
# deletes a day or changes their flare thresholds. The result is cached under a key made of exactly those things
# (the number of logs, the latest log and settings updated_at, the range), so a stale entry is never read: any
# change makes a new key, and old entries simply expire. The page's text sections are cached as rendered HTML (they
# hold nothing specific to the request), the JSON as bytes. Writes that bypass DailyLog.save() (queryset.update())
# would not change updated_at; the app has none (daily_log_save is the only write path).
CACHE_SECONDS = 60 * 60


def _cache_key(user, start: dt.date, end: dt.date, span: selectors.LogSpan) -> str:
    stamps = [s.isoformat() if s else "-" for s in (span.last_updated, span.settings_updated)]
    return f"trends:dashboard:v3:{user.pk}:{start}:{end}:{span.count}:{stamps[0]}:{stamps[1]}"


def _render_and_cache(user, start: dt.date, end: dt.date, span: selectors.LogSpan, key: str) -> dict[str, object]:
    board = build_dashboard(user, start, end, span=span)
    chart_script = json_script(board.chart, "dashboard-data")
    parts = {
        f"{key}:html": render_to_string("trends/_board.html", {"board": board, "chart_script": chart_script}),
        f"{key}:json": json.dumps(board.as_json(), cls=DjangoJSONEncoder, separators=(",", ":")).encode(),
    }
    cache.set_many(parts, CACHE_SECONDS)
    return parts


def dashboard_html(user, start: dt.date, end: dt.date, *, span: selectors.LogSpan) -> str:
    """The page's text and chart sections for the range, rendered once per data version and cached.
    On a cache hit it costs no query beyond the caller's log_span."""
    key = _cache_key(user, start, end, span)
    html = cache.get(f"{key}:html")
    return html if html is not None else _render_and_cache(user, start, end, span, key)[f"{key}:html"]


def dashboard_json(user, start: dt.date, end: dt.date, *, span: selectors.LogSpan) -> bytes:
    """Dashboard.as_json() for the range, serialised once per data version and cached."""
    key = _cache_key(user, start, end, span)
    body = cache.get(f"{key}:json")
    return body if body is not None else _render_and_cache(user, start, end, span, key)[f"{key}:json"]
