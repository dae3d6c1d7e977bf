"""Flares and remissions, found in a person's daily twitch burden. Plain Python: no database, no request.

The rule, in words (describe_rule() prints it with the person's own thresholds; docs/trends.md shows how it was
chosen and how well it does on labelled made-up histories, `make eval-flares`):
- Starting level: nothing is detected on the first `min_baseline_days` logged days (state "not_enough_data").
- Baseline: the typical burden of the previous `baseline_days` ordinary logged days (in no period and not strongly
  high or low themselves): their mean on the log(1 + burden) scale, turned back into burden points. So flares never
  raise their own baseline while slow drifts are followed; and unlike a median, it does not stick to a whole number
  (a light twitcher's days of 0-4 have a median of 1 or 2, which made ordinary 3s look like a flare).
- Evidence: each logged day scores the log-likelihood ratio, on the log(1 + burden) scale with the person's own
  spread (from the previous SPREAD_DAYS ordinary logged days), of flare level (`flare_ratio` x baseline, at least
  `flare_margin` points above; or twice that step, whichever fits the day better) or remission level
  (`remission_ratio` x baseline) against the baseline, weighted up for a day logged after a gap (GAP_WEIGHT) and
  capped so that no single day decides (a flare's cap grows with the gap weight, GAP_CAP).
- Periods: the segmentation that maximises evidence minus `evidence` per start and per end (Viterbi over logged
  days, so unlogged days cost nothing), cut at more than `max_dip_days` low days in a row, trimmed to days that
  speak for it, kept when its evidence without its strongest day exceeds 2 x `evidence` and it lasts at least
  `flare_min_days` / `remission_min_days` calendar days; a flare must also stand above the days after it, and a
  remission's mean must be at most `remission_ratio` x baseline. Last, each period is cut down to its core (the
  run of its days with the largest sum beyond the midpoint between the baseline and its own level) and each edge
  is fitted (least squares of a step from the baseline to the period's own level, up to EDGE_WINDOW days either
  way).

A day not logged is unknown, never zero: it is absent from the series (None or NaN count as absent too). Adding or
removing unlogged days therefore changes nothing except whether a gap is short enough to be bridged.
"""

from __future__ import annotations

import bisect
import math
import statistics
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import Final, Literal, NamedTuple

from bfs_tracker.logbook import factors
from bfs_tracker.logbook.factors import Factor, Kind

FLARE: Final = "flare"
REMISSION: Final = "remission"
PASSES: Final = 4
OUTLIER: Final = 2.75  # days further than this many spreads from the baseline do not enter it
# A flare is weighed at flare level and at twice its step (log scale), whichever fits the day better, so a big
# flare gathers evidence faster than one just at flare level (docs/trends.md: recall 0.66 -> 0.69).
FLARE_STEPS: Final = (1.0, 2.0)
# A day logged after a gap of g calendar days (g <= 3) counts 1 + GAP_WEIGHT x (g - 1) times: days far apart are
# nearly independent, while consecutive days partly repeat each other (good and bad spells). Chosen so that people
# who log every second or third day get about as few false flares as daily loggers (docs/trends.md).
GAP_WEIGHT: Final = 0.5
GAP_DAYS: Final = 3
# The cap on one day's flare evidence (_cap) grows by this share of the gap weight: after one unlogged day by a
# quarter, after two or more by half. With the cap alone a strong day after a gap counted no more than a strong day
# in a row, so a person logging every third day needed four capped days for a flare (docs/trends.md: flare recall
# every 3rd day 0.71 -> 0.78 on seeds 0-99, 0.69 -> 0.74 on seeds 100-299). Still no single day decides (at most
# 5.1 points, a flare needs 8.5 without its strongest day).
GAP_CAP: Final = 0.5
# The day-to-day spread is read from this many previous ordinary logged days (at least the baseline window): from
# 28 it was so unsteady that the spread bounds did most of the work (docs/trends.md: flare precision 0.90 -> 0.93).
SPREAD_DAYS: Final = 168
EDGE_WINDOW: Final = 10  # calendar days an edge may move when it is fitted (_refine); chosen on the corpus (4-14)


@dataclass(frozen=True)
class FlareParams:
    """Thresholds of the rule; every user can tune them (trends.models.FlareSettings stores their choice)."""

    baseline_days: int = 28
    min_baseline_days: int = 7
    flare_ratio: float = 1.7
    flare_margin: float = 2.0
    flare_min_days: int = 3
    max_dip_days: int = 2
    remission_min_days: int = 7
    remission_level: float = 0.5
    remission_ratio: float = 0.25
    # Not in FlareSettings (set from the evaluation, docs/trends.md): how much evidence a period needs (it must
    # gather more than twice this), and the bounds of the day-to-day spread on the log(1 + burden) scale.
    evidence: float = 4.25
    min_spread: float = 0.35
    max_spread: float = 0.5

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


class _Level(NamedTuple):
    """The baseline on one logged day: the typical burden (expm1 of the mean log(1 + burden)) and the day-to-day
    spread (log scale) of its pool."""

    usual: float  # the baseline in burden points
    spread: float


def _usual(values: Sequence[float]) -> float:
    """The typical burden of some days: their mean on the log(1 + burden) scale, turned back into burden points."""
    return math.expm1(math.fsum(math.log1p(v) for v in values) / len(values))


def _cap(p: FlareParams) -> float:
    """The most one day can count for: a dip of up to `max_dip_days` low days costs less than a period is worth
    (so it is bridged), while `max_dip_days` + 1 of them cost more (so they split it)."""
    return 2 * p.evidence / (max(p.max_dip_days, 1) + 0.5)


def _flare_step(baseline: float, p: FlareParams) -> float:
    """How far (log scale) flare level lies above the baseline: `flare_ratio` times it, and at least
    `flare_margin` points more (the floor that keeps a light twitcher's 1 -> 2 from being a flare)."""
    return math.log1p(max(baseline * p.flare_ratio, baseline + p.flare_margin)) - math.log1p(baseline)


def _scores(value: float, level: _Level, p: FlareParams) -> tuple[float, float]:
    """The day's evidence for a flare and for a remission: the log-likelihood ratio, on the log(1 + burden) scale
    with the baseline's spread, of flare level (or remission level) against the baseline, capped at +-_cap. For a
    flare the better of FLARE_STEPS (the step to flare level, and twice it) counts."""
    cap, x, base = p.evidence * 2 / (max(p.max_dip_days, 1) + 0.5), math.log1p(value), math.log1p(level.usual)
    var = level.spread * level.spread
    up = _flare_step(level.usual, p)
    d = x - base
    best = -math.inf
    for k in FLARE_STEPS:  # a plain loop: this runs for every logged day in every round (ten years: 13,000 times)
        step = k * up
        best = max(best, step * (d - step / 2))
    flare = max(-cap, min(cap, best / var))
    if level.usual < p.remission_level:
        return flare, -cap  # too little twitching to go quiet from: no remission below `remission_level`
    down = math.log1p(level.usual * p.remission_ratio) - base
    return flare, max(-cap, min(cap, down * (x - base - down / 2) / var))


class _Pool:
    """The last `size` ordinary logged days, kept sorted on the log scale with a running sum, so that the mean and
    the quartiles cost nothing to read: the dashboard runs this over ten years of days."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.order: deque[float] = deque()
        self.logs: list[float] = []
        self.total = 0.0

    def add(self, value: float) -> None:
        if len(self.order) == self.size:
            old = math.log1p(self.order.popleft())
            del self.logs[bisect.bisect_left(self.logs, old)]
            self.total -= old
        self.order.append(value)
        x = math.log1p(value)
        bisect.insort(self.logs, x)
        self.total += x

    def usual(self) -> float:
        """The baseline: the mean on the log(1 + burden) scale the evidence is weighed on (docs/trends.md: the median
        of whole-number burdens sat at 1 for light twitchers whose days average 2, flare precision 0.87 -> 0.90)."""
        return max(0.0, math.expm1(self.total / len(self.logs)))

    def spread(self, p: FlareParams) -> float:
        """The day-to-day spread: the interquartile range of the log values over 1.349 (a normal distribution's sd),
        within `min_spread`..`max_spread`."""
        logs = self.logs
        n = len(logs)
        q1, q3 = 0.25 * (n - 1), 0.75 * (n - 1)
        i1, i3 = int(q1), int(q3)
        low = logs[i1] + (logs[min(i1 + 1, n - 1)] - logs[i1]) * (q1 - i1)
        high = logs[i3] + (logs[min(i3 + 1, n - 1)] - logs[i3]) * (q3 - i3)
        return max(p.min_spread, min((high - low) / 1.349, p.max_spread))


def _levels(values: Sequence[float], ordinary: Sequence[bool], window: int, p: FlareParams) -> list[_Level | None]:
    """The baseline on each logged day: the typical burden of the previous `window` ordinary logged days (None on the
    first `min_baseline_days`, which are the starting level), and the spread of the previous SPREAD_DAYS of them
    (a quartile range read from 28 days, good and bad spells included, is too unsteady). A day joins the pools
    when it is ordinary (in no period) and within OUTLIER spreads of the baseline on the log scale, so a flare
    never raises its own baseline and a single odd day never moves it."""
    out: list[_Level | None] = []
    pool, spread_pool = _Pool(window), _Pool(max(window, SPREAD_DAYS))
    for i, value in enumerate(values):
        if i < p.min_baseline_days:
            out.append(None)
            pool.add(value)
            spread_pool.add(value)
            continue
        level = _Level(pool.usual(), spread_pool.spread(p))
        out.append(level)
        # Far from the baseline either way (the same distance up and down, so the baseline is not pulled).
        far = abs(math.log1p(value) - math.log1p(level.usual)) > OUTLIER * level.spread
        if ordinary[i] and not far:
            pool.add(value)
            spread_pool.add(value)
    return out


_NORMAL, _FLARE, _REMISSION = 0, 1, 2


def _segment(scores: Sequence[tuple[float, float] | None], penalty: float) -> list[int]:
    """The states (normal, flare, remission) that maximise the summed evidence minus `penalty` for every start and
    every end of a period (Viterbi). A period still open on the last day pays its end too; going straight from a
    flare to a remission pays both."""
    normal, flare, remission = 0.0, -math.inf, -math.inf
    back: list[tuple[int, int, int]] = []
    for day in scores:
        if day is None:
            back.append((_NORMAL, _FLARE, _REMISSION))
            continue
        # Best way into each state today, from each state yesterday.
        to_normal = max((normal, _NORMAL), (flare - penalty, _FLARE), (remission - penalty, _REMISSION))
        to_flare = max((flare, _FLARE), (normal - penalty, _NORMAL), (remission - 2 * penalty, _REMISSION))
        to_remission = max((remission, _REMISSION), (normal - penalty, _NORMAL), (flare - 2 * penalty, _FLARE))
        normal, flare, remission = to_normal[0], to_flare[0] + day[0], to_remission[0] + day[1]
        back.append((to_normal[1], to_flare[1], to_remission[1]))
    end = [normal, flare - penalty, remission - penalty]
    state = max(range(3), key=lambda s: end[s])
    states = [0] * len(scores)
    for t in range(len(scores) - 1, -1, -1):
        states[t] = state
        state = back[t][state]
    return states


def _pieces(first: int, last: int, scores: Sequence[float], p: FlareParams) -> list[tuple[int, int]]:
    """A segment's periods: cut where more than `max_dip_days` logged days in a row speak against it, trimmed to
    days that speak for it, each kept only if its evidence without its strongest day exceeds 2 x `evidence`."""
    pieces: list[tuple[int, int]] = []
    start: int | None = None
    end = against = 0
    for k in range(first, last + 1):
        if scores[k] > 0:
            start = k if start is None else start
            end, against = k, 0
        else:
            against += 1
            if start is not None and against > p.max_dip_days:
                pieces.append((start, end))
                start = None
    if start is not None:
        pieces.append((start, end))
    return [(a, b) for a, b in pieces if sum(scores[a : b + 1]) - max(scores[a : b + 1]) > 2 * p.evidence]


def _comes_back_down(
    a: int, b: int, values: Sequence[float], states: Sequence[int], level: _Level, p: FlareParams
) -> bool:
    """A rise that never comes back down is a new baseline, not a flare: when `min_baseline_days` ordinary days
    follow it, the flare's median must lie above their median by at least half the flare step."""
    after: list[float] = []
    for k in range(b + 1, len(values)):
        if states[k] == _NORMAL:
            after.append(values[k])
            if len(after) == p.baseline_days:
                break
    if len(after) < p.min_baseline_days:
        return True
    inside = statistics.median(math.log1p(v) for v in values[a : b + 1])
    return inside - math.log1p(statistics.median(after)) > _flare_step(level.usual, p) / 2


def _quiet_enough(inside: Sequence[float], level: _Level, p: FlareParams) -> bool:
    """A remission's days must on average reach the remission level (`remission_ratio` x the baseline): for a
    light twitcher a quiet run of ones and twos is ordinary noise, not a remission (docs/trends.md)."""
    return statistics.fmean(inside) <= p.remission_ratio * level.usual


def _find(
    days: Sequence[tuple[date, float]], levels: Sequence[_Level | None], p: FlareParams
) -> tuple[list[Period], list[bool]]:
    values = [v for _, v in days]
    scored = [None if level is None else _scores(v, level, p) for v, level in zip(values, levels, strict=True)]
    cap = _cap(p)
    for k in range(1, len(days)):
        day = scored[k]
        gap = min((days[k][0] - days[k - 1][0]).days, GAP_DAYS)
        if day is not None and gap > 1:
            weight = 1 + GAP_WEIGHT * (gap - 1)
            flare_cap = cap * (1 + GAP_CAP * (weight - 1))
            scored[k] = (max(-flare_cap, min(flare_cap, day[0] * weight)), max(-cap, min(cap, day[1] * weight)))
    states = _segment(scored, p.evidence)
    columns = {
        FLARE: [0.0 if s is None else s[0] for s in scored],
        REMISSION: [0.0 if s is None else s[1] for s in scored],
    }
    periods: list[Period] = []
    kept: list[tuple[Literal["flare", "remission"], int, int, _Level]] = []
    ordinary = [True] * len(days)
    i = 0
    while i < len(days):
        if states[i] == _NORMAL:
            i += 1
            continue
        j = i
        while j + 1 < len(days) and states[j + 1] == states[i]:
            j += 1
        kind: Literal["flare", "remission"] = FLARE if states[i] == _FLARE else REMISSION
        for a, b in _pieces(i, j, columns[kind], p):
            level = levels[a]
            if level is None:  # never: nothing is scored before the baseline exists
                continue
            days_long = (days[b][0] - days[a][0]).days + 1
            if days_long < (p.flare_min_days if kind == FLARE else p.remission_min_days):
                continue
            if kind == FLARE and not _comes_back_down(a, b, values, states, level, p):
                continue
            if kind == REMISSION and not _quiet_enough(values[a : b + 1], level, p):
                continue
            kept.append((kind, a, b, level))
        i = j + 1
    for n, (kind, a, b, level) in enumerate(kept):
        # Edges move at most up to the neighbouring periods, and never into the starting level.
        low = max(kept[n - 1][2] + 1 if n else 0, p.min_baseline_days)
        high = kept[n + 1][1] - 1 if n + 1 < len(kept) else len(days) - 1
        a, b = _refine(days, values, a, b, low, high, level)
        if (days[b][0] - days[a][0]).days + 1 < (p.flare_min_days if kind == FLARE else p.remission_min_days):
            continue
        periods.append(_period(kind, days[a : b + 1], level.usual))
        for k in range(a, b + 1):
            ordinary[k] = False
    return periods, ordinary


def _core(values: Sequence[float], a: int, b: int, level: _Level) -> tuple[int, int]:
    """The run of days a..b that speaks most for the period: the largest sum of log(1 + burden) minus the midpoint
    between the baseline and the period's own level (the median of its days, log scale), on the period's side."""
    inside = statistics.median(math.log1p(v) for v in values[a : b + 1])
    mid = (inside + math.log1p(level.usual)) / 2
    sign = 1.0 if inside > mid else -1.0
    best, run, run_start, first, last = -math.inf, 0.0, a, a, b
    for k in range(a, b + 1):
        if run <= 0:
            run, run_start = 0.0, k
        run += sign * (math.log1p(values[k]) - mid)
        if run > best:
            best, first, last = run, run_start, k
    return first, last


def _refine(
    days: Sequence[tuple[date, float]], values: Sequence[float], a: int, b: int, low: int, high: int, level: _Level
) -> tuple[int, int]:
    """The period's edges, each moved to where a step from the baseline to the period's own level fits best.

    The evidence rule finds a period with an assumed flare level (`flare_ratio`), so its edges sit where days cross
    the midpoint between that level and the baseline: too late for a big flare, too early for a small one. Here
    each edge is placed by least squares with the two levels known (the baseline, and the median of the period's
    own days on the log(1 + burden) scale): the day that maximises the cumulative sum of (log(1 + burden) -
    midpoint) on the period's side, searched up to EDGE_WINDOW calendar days either way (docs/trends.md: flare
    edges within two days 0.59 -> 0.72, remissions 0.91 -> 0.97 on the corpus).

    Before that the period is cut down to its core: the run of its days with the largest sum of (log(1 + burden) -
    midpoint), however far in from its edges. The segmentation keeps a stretch of ordinary days that happen to
    score a little above the baseline joined to a flare (they add evidence), and the edge moves above reach only
    EDGE_WINDOW days in (docs/trends.md: flare edges within two days 0.70 -> 0.71 on seeds 0-99, 0.68 -> 0.69 on
    seeds 100-299)."""
    a, b = _core(values, a, b, level)
    inside = statistics.median(math.log1p(v) for v in values[a : b + 1])
    mid = (inside + math.log1p(level.usual)) / 2
    sign = 1.0 if inside > mid else -1.0

    def x(k: int) -> float:  # how much day k speaks for the period (on the period's side of the midpoint)
        return sign * (math.log1p(values[k]) - mid)

    first, last = days[a][0], days[b][0]
    # The start: earlier days added (extending backwards) or the first days dropped, whichever sums highest.
    best, best_s, total = 0.0, a, 0.0
    k = a - 1
    while k >= low and (first - days[k][0]).days <= EDGE_WINDOW:
        total += x(k)
        if total > best:
            best, best_s = total, k
        k -= 1
    total = 0.0
    k = a
    while k < b and (days[k][0] - first).days < EDGE_WINDOW:
        total -= x(k)
        if total > best:
            best, best_s = total, k + 1
        k += 1
    a = best_s
    # The end, likewise: later days added or the last days dropped.
    best, best_e, total = 0.0, b, 0.0
    k = b + 1
    while k <= high and (days[k][0] - last).days <= EDGE_WINDOW:
        total += x(k)
        if total > best:
            best, best_e = total, k
        k += 1
    total = 0.0
    k = b
    while k > a and (last - days[k][0]).days < EDGE_WINDOW:
        total -= x(k)
        if total > best:
            best, best_e = total, k - 1
        k -= 1
    return a, best_e


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
    starting level the baseline is made of, never a flare or a remission.

    The baseline leaves out the periods found, and the periods depend on the baseline, so the two are found in
    turn: first with a pool three times as long (so a long flare cannot take over its own baseline), then with
    `baseline_days`, until the periods stop changing (at most `PASSES` rounds)."""
    p = params or FlareParams()
    days = _logged(series)
    values = [v for _, v in days]
    ordinary = [True] * len(days)
    periods: list[Period] = []
    window = 3 * p.baseline_days
    for _ in range(PASSES):
        levels = _levels(values, ordinary, window, p)
        periods, found_ordinary = _find(days, levels, p)
        if found_ordinary == ordinary and window == p.baseline_days:
            break
        ordinary, window = found_ordinary, p.baseline_days
    pool = [v for v, keep in zip(values, ordinary, strict=True) if keep][-p.baseline_days :]
    baseline = _usual(pool) if len(days) >= p.min_baseline_days and pool else None
    return Detection(periods, len(days), days[-1][0] if days else None, baseline)


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

    @property
    def periods_pending(self) -> str:
        """Why no flare or remission can be listed yet (nothing is detected before a baseline exists), or "" once
        they are looked for: a count of "0 flares" or "no flare detected" would state as known what is not."""
        if self.kind == NO_DATA:
            return "flares and remissions are looked for once a baseline exists"
        if self.kind == NOT_ENOUGH_DATA:
            days = "day" if self.days_needed == 1 else "days"
            return f"flares and remissions are looked for after {self.days_needed} more logged {days}"
        return ""

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

    def gap_cap(unlogged: int) -> float:  # a flare's cap on a day logged after `unlogged` unlogged days
        return round(_cap(p) * (1 + GAP_CAP * GAP_WEIGHT * unlogged), 2)

    return (
        f"Your first {p.min_baseline_days} logged days are your starting level: nothing is detected on them, and "
        f"until you have logged them the app says how many more it needs. "
        f"After that, your baseline on any day is the typical twitch burden of your previous {p.baseline_days} "
        f"ordinary logged days (their average on a log scale, so a few busy days do not pull it up): days in a "
        f"flare or a remission, and single days far above or below it, never count towards it, so a flare does "
        f"not raise its own baseline while a slow change of your usual level is followed. "
        f"Each logged day is then weighed, on a log scale and against your usual day-to-day variation (read from "
        f"your previous {max(p.baseline_days, SPREAD_DAYS)} ordinary logged days), as evidence "
        f"for flare level ({p.flare_ratio:g} times your baseline, and at least {p.flare_margin:g} points above it; "
        f"or a level twice as far above your baseline on that log scale, whichever fits the day better) "
        f"or for remission level ({p.remission_ratio:.0%} of your baseline, looked for only when your baseline is at "
        f"least {p.remission_level:g}) against your baseline. A day logged after one unlogged day counts "
        f"{1 + GAP_WEIGHT:g} times as much, after {GAP_DAYS - 1} or more {1 + GAP_WEIGHT * (GAP_DAYS - 1):g} times, "
        f"as days far apart repeat each other less than days in a row. One day counts at most "
        f"{_cap(p):.1f} points ({gap_cap(1):g} towards a flare after one unlogged day, "
        f"{gap_cap(GAP_DAYS - 1):g} after {GAP_DAYS - 1} or more), so a single bad day never makes a flare. "
        f"A flare or a remission is a stretch of days whose evidence adds up to more than {2 * p.evidence:g} points "
        f"even without its strongest day; up to {p.max_dip_days} lower days in a row inside it do not end it, "
        f"{p.max_dip_days + 1} do. A remission's days must average at most {p.remission_ratio:.0%} of your "
        f"baseline. Then each period is cut down to its core, the run of its days that speaks most for it (the "
        f"largest sum of their distances beyond the midpoint between your baseline and the period's own level, on "
        f"the log scale), and each edge is placed where a step from your baseline to the period's own level fits "
        f"your days best, moving at most {EDGE_WINDOW} days. A flare lasts at least {p.flare_min_days} days and a "
        f"remission at least {p.remission_min_days} days (calendar days). "
        f"A rise that does not come back down is a new usual level, not a flare: once "
        f"{p.min_baseline_days} ordinary days follow a flare, it must also stand above them. "
        f"Days you did not log count as unknown, never as zero, and never break a flare or a remission."
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
