"""How well a flare detector finds the labelled flares and remissions of the made-up corpus (trends/synthetic.py).

`make eval-flares` prints the table; docs/trends.md keeps the figures. No database.

Matching rule: a detected period and a labelled one match when they are of the same kind and share at least one
calendar day; each is matched at most once, the pairs with the largest overlap first. A detected period with no
match is a false one (so a flare cut in two counts one match and one false flare); a labelled one with no match is
missed. For each matched pair the start error and end error are detected minus true, in calendar days.
False flares per year are counted on the flat categories (no labelled period at all: `flat_*`).
"""

from __future__ import annotations

import statistics
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

import numpy as np
import ruptures  # type: ignore[import-untyped]

from bfs_tracker.trends import synthetic
from bfs_tracker.trends.flares import FLARE, REMISSION, FlareParams, Period, _logged, _period, detect_periods
from bfs_tracker.trends.synthetic import History, Span


class HasSpan(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def start(self) -> date: ...
    @property
    def end(self) -> date: ...


Detector = Callable[[Mapping[date, float | None]], Sequence[HasSpan]]
EDGE_DAYS = 2  # "both edges within two days"


@dataclass
class Tally:
    """Counts for one kind (flares or remissions) over many histories."""

    true: int = 0
    found: int = 0
    matched: int = 0
    start_errors: list[int] = field(default_factory=list)
    end_errors: list[int] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.true += other.true
        self.found += other.found
        self.matched += other.matched
        self.start_errors += other.start_errors
        self.end_errors += other.end_errors

    @property
    def recall(self) -> float | None:
        return self.matched / self.true if self.true else None

    @property
    def precision(self) -> float | None:
        return self.matched / self.found if self.found else None

    @property
    def median_start_error(self) -> float | None:
        return statistics.median(abs(e) for e in self.start_errors) if self.start_errors else None

    @property
    def median_end_error(self) -> float | None:
        return statistics.median(abs(e) for e in self.end_errors) if self.end_errors else None

    @property
    def edges_within(self) -> float | None:
        """Share of matched periods with both edges within EDGE_DAYS days of the truth."""
        if not self.start_errors:
            return None
        pairs = zip(self.start_errors, self.end_errors, strict=True)
        return sum(1 for s, e in pairs if abs(s) <= EDGE_DAYS and abs(e) <= EDGE_DAYS) / len(self.start_errors)


@dataclass
class Score:
    histories: int = 0
    years: float = 0.0
    flares: Tally = field(default_factory=Tally)
    remissions: Tally = field(default_factory=Tally)

    def add(self, other: Score) -> None:
        self.histories += other.histories
        self.years += other.years
        self.flares.add(other.flares)
        self.remissions.add(other.remissions)

    @property
    def false_flares(self) -> int:
        return self.flares.found - self.flares.matched

    @property
    def false_flares_per_year(self) -> float:
        return self.false_flares / self.years if self.years else 0.0


def _overlap(a: HasSpan, b: Span) -> int:
    return max(0, (min(a.end, b.end) - max(a.start, b.start)).days + 1)


def match(found: Sequence[HasSpan], truth: Sequence[Span], kind: str) -> Tally:
    """Score one history for one kind (see the matching rule above)."""
    mine = [p for p in found if p.kind == kind]
    true = [s for s in truth if s.kind == kind]
    pairs = sorted(
        ((_overlap(p, s), i, j) for i, p in enumerate(mine) for j, s in enumerate(true) if _overlap(p, s) > 0),
        reverse=True,
    )
    used_found: set[int] = set()
    used_true: set[int] = set()
    tally = Tally(true=len(true), found=len(mine))
    for _, i, j in pairs:
        if i in used_found or j in used_true:
            continue
        used_found.add(i)
        used_true.add(j)
        tally.matched += 1
        tally.start_errors.append((mine[i].start - true[j].start).days)
        tally.end_errors.append((mine[i].end - true[j].end).days)
    return tally


def score_history(detector: Detector, h: History) -> Score:
    found = detector(h.series)
    return Score(1, h.years, match(found, h.truth, "flare"), match(found, h.truth, "remission"))


def evaluate(
    detector: Detector, categories: Iterable[str] | None = None, seeds: Iterable[int] = range(100)
) -> dict[str, Score]:
    """Per category, the detector's score over the given seeds."""
    seeds = list(seeds)
    out: dict[str, Score] = {}
    for category in categories or synthetic.CATEGORIES:
        score = Score()
        for seed in seeds:
            score.add(score_history(detector, synthetic.history(category, seed)))
        out[category] = score
    return out


def total(scores: Mapping[str, Score], *, leave_out: Iterable[str] = ()) -> Score:
    out = Score()
    skip = set(leave_out)
    for category, score in scores.items():
        if category not in skip:
            out.add(score)
    return out


def _f(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def table(scores: Mapping[str, Score], *, title: str = "", totals: bool = True) -> str:
    """The evaluation as a Markdown table: per category (or method), then overall."""
    head = (
        "| category | n | flares P | R | start err | end err | edges ≤2d | remissions P | R | start err | end err "
        "| edges ≤2d | false flares / year |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
    )
    rows = []
    lines = list(scores.items()) + ([("**overall**", total(scores))] if totals else [])
    for name, s in lines:
        f, r = s.flares, s.remissions
        rows.append(
            f"| {name} | {s.histories} | {_f(f.precision)} | {_f(f.recall)} | {_f(f.median_start_error, 1)} | "
            f"{_f(f.median_end_error, 1)} | {_f(f.edges_within)} | {_f(r.precision)} | {_f(r.recall)} | "
            f"{_f(r.median_start_error, 1)} | {_f(r.median_end_error, 1)} | {_f(r.edges_within)} | "
            f"{s.false_flares_per_year:.2f} |"
        )
    flat = total({k: v for k, v in scores.items() if k.startswith("flat_")}) if totals else Score()
    tail = ""
    if flat.years:
        tail = (
            f"\nFlat noisy data: {flat.false_flares} false flares in {flat.years:.0f} years "
            f"({flat.false_flares_per_year * 5:.2f} per five years).\n"
        )
    return (f"### {title}\n\n" if title else "") + head + "\n".join(rows) + "\n" + tail


# The methods compared (docs/trends.md) ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PreviousParams:
    """The thresholds of the rule used until the evaluation (kept to compare against)."""

    baseline_days: int = 28
    min_baseline_days: int = 7
    flare_ratio: float = 1.5
    flare_margin: float = 8.0
    flare_min_days: int = 4
    max_dip_days: int = 2
    remission_min_days: int = 7
    remission_level: float = 2.0
    remission_ratio: float = 0.25


def previous_rule(series: Mapping[date, float | None], p: PreviousParams = PreviousParams()) -> list[Period]:
    """The rule before the evaluation: baseline = median of the previous `baseline_days` ordinary logged days; a
    flare starts with `flare_min_days` logged days in a row at or above both `flare_ratio` x baseline and baseline +
    `flare_margin`, then bridges breaks of up to `max_dip_days`; a remission is `remission_min_days` logged days in
    a row at or below `remission_level` or `remission_ratio` x baseline."""
    days = _logged(series)

    def high(value: float, baseline: float) -> bool:
        return value >= baseline * p.flare_ratio and value >= baseline + p.flare_margin

    def low(value: float, baseline: float) -> bool:
        return value <= p.remission_level or value <= baseline * p.remission_ratio

    periods: list[Period] = []
    ordinary: deque[float] = deque(maxlen=p.baseline_days)
    i = 0
    while i < len(days):
        value = days[i][1]
        if i < p.min_baseline_days:
            ordinary.append(value)
            i += 1
            continue
        baseline = statistics.median(ordinary)
        if high(value, baseline):
            last, highs = i, 1
            for k in range(i + 1, len(days)):
                gap = (days[k][0] - days[last][0]).days - 1
                if high(days[k][1], baseline):
                    if gap > p.max_dip_days:
                        break
                    last, highs = k, highs + 1
                elif highs < p.flare_min_days or gap + 1 > p.max_dip_days:
                    break
            if highs >= p.flare_min_days:
                periods.append(_period(FLARE, days[i : last + 1], baseline))
                i = last + 1
                continue
        elif low(value, baseline):
            last = i
            for k in range(i + 1, len(days)):
                if (days[k][0] - days[last][0]).days - 1 > p.max_dip_days or not low(days[k][1], baseline):
                    break
                last = k
            if last - i + 1 >= p.remission_min_days:
                periods.append(_period(REMISSION, days[i : last + 1], baseline))
                i = last + 1
                continue
        ordinary.append(value)
        i += 1
    return periods


def change_points(
    series: Mapping[date, float | None], penalty: float = 8.0, params: FlareParams | None = None
) -> list[Period]:
    """Change-point segmentation with `ruptures` (PELT, least squares on log(1 + burden) of the logged days, the
    penalty in units of the spread). Each segment is compared with the median of the ordinary segments of the
    `baseline_days` logged days before it: a flare when its median is at least `flare_ratio` x that baseline and
    `flare_margin` above it, a remission when at most `remission_ratio` x it, with the same minimum lengths."""
    p = params or FlareParams()
    days = _logged(series)
    if len(days) <= p.min_baseline_days:
        return []
    logs = np.log1p(np.array([v for _, v in days]))
    spread = max(p.min_spread, 1.4826 * float(np.median(np.abs(np.diff(logs)))) / np.sqrt(2))
    ends = ruptures.Pelt(model="l2", min_size=2, jump=1).fit(logs[p.min_baseline_days :] / spread).predict(pen=penalty)
    periods: list[Period] = []
    ordinary = [v for _, v in days[: p.min_baseline_days]]
    start = p.min_baseline_days
    for end in ends:
        a, b = start, p.min_baseline_days + end - 1
        start = b + 1
        chunk = days[a : b + 1]
        values = [v for _, v in chunk]
        baseline = statistics.median(ordinary[-p.baseline_days :])
        level = statistics.median(values)
        span = (chunk[-1][0] - chunk[0][0]).days + 1
        if level >= baseline * p.flare_ratio and level >= baseline + p.flare_margin and span >= p.flare_min_days:
            periods.append(_period(FLARE, chunk, baseline))
        elif baseline >= p.remission_level and level <= baseline * p.remission_ratio and span >= p.remission_min_days:
            periods.append(_period(REMISSION, chunk, baseline))
        else:
            ordinary += values
    return periods


ADOPTED = "evidence segmentation (adopted)"
METHODS: dict[str, Detector] = {
    "previous rule (defaults)": previous_rule,
    "previous rule, tuned (margin 2, 3 days)": lambda s: previous_rule(
        s, PreviousParams(flare_margin=2, flare_min_days=3)
    ),
    "change points (ruptures PELT)": change_points,
    ADOPTED: detect_periods,
}
