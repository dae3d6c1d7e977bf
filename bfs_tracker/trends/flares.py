"""Flares and remissions, found in a person's daily twitch burden. Plain Python: no database, no request.

The rule, in words (describe_rule() prints it with the person's own thresholds):
- Baseline: the median burden of the previous `baseline_days` logged days, once at least `min_baseline_days` are
  logged. A median of the person's own days means a heavy twitcher and a light one both get meaningful flares, and
  one bad day does not move it.
- Flare: it starts with `flare_min_days` logged days in a row (unlogged days between them allowed) at or above both
  `flare_ratio` × baseline and baseline + `flare_margin`; after that, breaks of up to `max_dip_days` days (lower
  days or unlogged days) do not end it. It ends on its last high day.
  The baseline is frozen on the day a flare starts and days inside a flare never enter it, so a long flare does not
  drag the baseline up and end itself.
- Remission: at least `remission_min_days` logged days in a row (unlogged gaps of at most `max_dip_days` allowed)
  with burden at or below `remission_level`, or at or below `remission_ratio` × baseline. Remission days do not
  enter the baseline either (unless there are too few ordinary days yet), so the ordinary days after a remission
  are not mistaken for a flare.

A day not logged is unknown, never zero: it is absent from the series (None or NaN count as absent too). Adding or
removing unlogged days therefore changes nothing except whether a gap is short enough to be bridged.
"""

from __future__ import annotations

import math
import statistics
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import Final, Literal

from bfs_tracker.logbook import factors
from bfs_tracker.logbook.factors import Factor, Kind

FLARE: Final = "flare"
REMISSION: Final = "remission"


@dataclass(frozen=True)
class FlareParams:
    """Thresholds of the rule; every user can tune them (trends.models.FlareSettings stores their choice)."""

    baseline_days: int = 28
    min_baseline_days: int = 7
    flare_ratio: float = 1.5
    flare_margin: float = 8.0
    flare_min_days: int = 4
    max_dip_days: int = 2
    remission_min_days: int = 7
    remission_level: float = 2.0
    remission_ratio: float = 0.25

    def as_dict(self) -> dict[str, float]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class Period:
    """A flare or a remission. `days` counts calendar days start..end; `logged_days` those with a log."""

    kind: Literal["flare", "remission"]
    start: date
    end: date
    days: int
    logged_days: int
    peak: float
    mean: float
    baseline: float | None

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "days": self.days,
            "logged_days": self.logged_days,
            "peak": round(self.peak, 1),
            "mean": round(self.mean, 1),
            "baseline": None if self.baseline is None else round(self.baseline, 1),
        }


def _logged(series: Mapping[date, float | None]) -> list[tuple[date, float]]:
    out = []
    for day, value in series.items():
        if value is None:
            continue
        value = float(value)
        if math.isnan(value):
            continue
        out.append((day, value))
    out.sort()
    return out


def _is_high(value: float, baseline: float, p: FlareParams) -> bool:
    return value >= baseline * p.flare_ratio and value >= baseline + p.flare_margin


def _is_low(value: float, baseline: float | None, p: FlareParams) -> bool:
    if value <= p.remission_level:
        return True
    return baseline is not None and value <= baseline * p.remission_ratio


def _period(kind: Literal["flare", "remission"], run: Sequence[tuple[date, float]], baseline: float | None) -> Period:
    values = [v for _, v in run]
    start, end = run[0][0], run[-1][0]
    return Period(
        kind=kind,
        start=start,
        end=end,
        days=(end - start).days + 1,
        logged_days=len(run),
        peak=max(values),
        mean=sum(values) / len(values),
        baseline=baseline,
    )


def _flare_run(days: list[tuple[date, float]], i: int, baseline: float, p: FlareParams) -> tuple[int, int]:
    """From a high day i, the index of the run's last high day and how many high days it holds.

    A flare must first be established by `flare_min_days` high logged days with no lower day between them
    (unlogged gaps up to `max_dip_days` are unknown and allowed); after that, dips up to `max_dip_days` are bridged.
    """
    last_high, highs = i, 1
    for k in range(i + 1, len(days)):
        day, value = days[k]
        gap = (day - days[last_high][0]).days - 1  # calendar days since the last high day, this one excluded
        if _is_high(value, baseline, p):
            if gap > p.max_dip_days:
                break
            last_high, highs = k, highs + 1
        elif highs < p.flare_min_days or gap + 1 > p.max_dip_days:
            break
    return last_high, highs


def _remission_run(days: list[tuple[date, float]], i: int, baseline: float | None, p: FlareParams) -> int:
    """From a low day i, the index of the last day of the unbroken run of low days."""
    last = i
    for k in range(i + 1, len(days)):
        day, value = days[k]
        if (day - days[last][0]).days - 1 > p.max_dip_days or not _is_low(value, baseline, p):
            break
        last = k
    return last


@dataclass(frozen=True)
class Detection:
    """What the detector found in a whole history: the periods, and the baseline as of the last logged day."""

    periods: list[Period]
    logged_days: int
    last_logged: date | None
    baseline: float | None  # None until the person has `min_baseline_days` logged days


def detect(series: Mapping[date, float | None], params: FlareParams | None = None) -> Detection:
    """Flares and remissions in date order (they never overlap and start and end on logged days), and the baseline
    as of the last logged day. Nothing is detected on the first `min_baseline_days` logged days: they are the
    starting level the baseline is made of, never a flare or a remission."""
    p = params or FlareParams()
    days = _logged(series)
    periods: list[Period] = []
    # Recent logged burden outside flares and remissions.
    ordinary: deque[float] = deque(maxlen=p.baseline_days)
    i = 0
    while i < len(days):
        value = days[i][1]
        if i < p.min_baseline_days:
            ordinary.append(value)
            i += 1
            continue
        baseline = statistics.median(ordinary)
        if _is_high(value, baseline, p):
            last, highs = _flare_run(days, i, baseline, p)
            if highs >= p.flare_min_days:
                periods.append(_period(FLARE, days[i : last + 1], baseline))
                i = last + 1
                continue
        elif _is_low(value, baseline, p):
            last = _remission_run(days, i, baseline, p)
            if last - i + 1 >= p.remission_min_days:
                periods.append(_period(REMISSION, days[i : last + 1], baseline))
                i = last + 1
                continue
        ordinary.append(value)
        i += 1
    baseline_now = statistics.median(ordinary) if len(days) >= p.min_baseline_days else None
    return Detection(periods, len(days), days[-1][0] if days else None, baseline_now)


def detect_periods(series: Mapping[date, float | None], params: FlareParams | None = None) -> list[Period]:
    """Flares and remissions in date order; they never overlap and start and end on logged days."""
    return detect(series, params).periods


NO_DATA: Final = "no data"
NOT_ENOUGH_DATA: Final = "not_enough_data"
BASELINE: Final = "baseline"


@dataclass(frozen=True)
class State:
    """Where the person is as of their last logged day.

    `kind`: "no data" (nothing logged), "not_enough_data" (fewer logged days than a baseline needs: `days_needed`
    more), "flare", "remission" or "baseline" (at their usual level, `baseline`)."""

    kind: str
    baseline: float | None = None
    days_needed: int = 0
    as_of: date | None = None

    @property
    def text(self) -> str:
        """The state in the words every page uses (dashboard, report, `manage.py flares`)."""
        if self.kind == NOT_ENOUGH_DATA:
            days = "day" if self.days_needed == 1 else "days"
            return f"Not enough days yet: {self.days_needed} more logged {days} for a baseline"
        if self.kind == FLARE:
            return "In a flare"
        if self.kind == REMISSION:
            return "In remission"
        if self.kind == BASELINE:
            return (
                f"At your usual level (baseline {self.baseline:.1f})"
                if self.baseline is not None
                else "At your usual level"
            )
        return "Nothing logged yet"

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "baseline": None if self.baseline is None else round(self.baseline, 1),
            "days_needed": self.days_needed,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "text": self.text,
        }


def state_of(detection: Detection, params: FlareParams | None = None) -> State:
    """The current state from a whole history's detection.

    Still "flare" while the last logged day is within a bridgeable break after the flare's last high day (the flare
    may go on); "remission" only if the remission runs up to the last logged day (a higher day ends it).
    """
    p = params or FlareParams()
    last_logged = detection.last_logged
    if last_logged is None:
        return State(NO_DATA)
    if detection.logged_days < p.min_baseline_days:
        return State(NOT_ENOUGH_DATA, days_needed=p.min_baseline_days - detection.logged_days, as_of=last_logged)
    if detection.periods:
        last = detection.periods[-1]
        if last.kind == FLARE and (last_logged - last.end).days <= p.max_dip_days:
            return State(FLARE, detection.baseline, as_of=last_logged)
        if last.kind == REMISSION and last.end == last_logged:
            return State(REMISSION, detection.baseline, as_of=last_logged)
    return State(BASELINE, detection.baseline, as_of=last_logged)


def longest(periods: Sequence[Period], kind: str) -> Period | None:
    matching = [p for p in periods if p.kind == kind]
    return max(matching, key=lambda p: (p.days, p.start), default=None)


def describe_rule(params: FlareParams | None = None) -> str:
    """The rule in plain words with the exact thresholds, for the "How flares are detected" page."""
    p = params or FlareParams()
    ratio = f"{p.flare_ratio:g}"
    return (
        f"Your baseline on any day is the median twitch burden of your previous {p.baseline_days} logged days "
        f"(it needs at least {p.min_baseline_days} logged days before anything is detected). "
        f"A flare starts with at least {p.flare_min_days} logged days in a row with burden at least {ratio} times "
        f"your baseline and at least {p.flare_margin:g} points above it. Once it has started, breaks of up to "
        f"{p.max_dip_days} days (lower days or days you did not log) do not end it; it ends on its last high day. "
        f"While a flare lasts, your baseline stays at its value on the day the flare began, so the flare itself "
        f"does not raise it. Days in flares never count towards your baseline, and days in remissions only until "
        f"you have {p.min_baseline_days} ordinary days. "
        f"A remission is at least {p.remission_min_days} logged days in a row with burden at most "
        f"{p.remission_level:g}, or at most {p.remission_ratio:.0%} of your baseline; gaps of up to "
        f"{p.max_dip_days} unlogged days are allowed. "
        f"Days you did not log count as unknown, never as zero."
    )


# What happened before a flare -------------------------------------------------------------------------------------

# Which factors are looked at, which side of each aggravates twitching and how big a difference is worth naming all
# come from the factor table (logbook/factors.py: `aggravates`, `notable`). Only the aggravating side is reported
# (less sleep, more stress, ...), so a calmer-than-usual week before a flare is not listed as if it were a trigger.
MIN_TYPICAL_DAYS = 7
LOOKBACK_DAYS = 3  # days before a flare that are examined
TYPICAL_DAYS = 90  # the person's usual: the logged days in this many days before those


def unusual_days_from(
    flares: Sequence[Period], *, lookback: int = LOOKBACK_DAYS, typical_days: int = TYPICAL_DAYS
) -> date | None:
    """The first date whose factors unusual_before needs for these flares (None without flares)."""
    if not flares:
        return None
    return min(p.start for p in flares) - timedelta(days=lookback + typical_days)


@dataclass(frozen=True)
class Unusual:
    factor: str
    before: float
    usual: float
    text: str


def context_factors() -> list[Factor]:
    """The factors "what stood out before a flare" looks at, in table order."""
    return [f for f in factors.day_factors() if f.aggravates and f.notable is not None]


def unusual_before(
    flare: Period,
    days: Mapping[date, Mapping[str, float | bool | None]],
    *,
    lookback: int = LOOKBACK_DAYS,
    typical_days: int = TYPICAL_DAYS,
    exclude: Sequence[Period] = (),
) -> list[Unusual]:
    """What stood out in the `lookback` days before a flare compared with the person's typical days, on the side
    that can aggravate twitching (less sleep, more stress, anxiety, caffeine, alcohol or exertion, being ill: the
    factors of `context_factors()`).

    `days` maps a date to that day's record (logbook.selectors.day_record): each factor under its record key
    (exertion as `exertion_level`, 0 none .. 3 hard; illness a bool); a missing or None value is unknown.
    Typical days are the logged days in the `typical_days` before the lookback window, outside the `exclude`
    periods (pass the other flares). The answer depends only on the dates around the flare, never on which range a
    page shows, so `days` must cover flare.start - lookback - typical_days up to the flare's start.
    """
    window_start = flare.start - timedelta(days=lookback)
    typical_start = window_start - timedelta(days=typical_days)
    before = [f for d, f in days.items() if window_start <= d < flare.start]
    excluded = {p.start + timedelta(days=i) for p in exclude for i in range(p.days)}
    typical = [f for d, f in days.items() if typical_start <= d < window_start and d not in excluded]
    if not before or len(typical) < MIN_TYPICAL_DAYS:
        return []
    found: list[Unusual] = []
    for factor in context_factors():
        key, notable = factor.record_key, float(factor.notable or 0)
        if factor.kind == Kind.YES_NO:
            had = [bool(f[key]) for f in before if f.get(key) is not None]
            usual_had = [bool(f[key]) for f in typical if f.get(key) is not None]
            if any(had) and len(usual_had) >= MIN_TYPICAL_DAYS:
                share = sum(usual_had) / len(usual_had)
                if share < notable:
                    text = (
                        f"{factor.sentence_name} on {sum(had)} of {len(had)} days before vs {share:.0%} of your "
                        "usual days"
                    )
                    found.append(Unusual(key, sum(had) / len(had), share, text))
            continue
        b = [float(v) for f in before if (v := f.get(key)) is not None]
        t = [float(v) for f in typical if (v := f.get(key)) is not None]
        if not b or len(t) < MIN_TYPICAL_DAYS:
            continue
        mean_before, usual = sum(b) / len(b), statistics.median(t)
        if factor.aggravates * (mean_before - usual) >= notable:
            text = f"{factor.sentence_name} {factor.describe(mean_before)} vs your usual {factor.describe(usual)}"
            found.append(Unusual(key, mean_before, usual, text))
    return found
