"""Trigger insights: does a factor go with more twitching the same day or the next day? Plain Python, no request.

Honest by construction (the clinical rules in the domain notes):
- Only days where both the factor and the burden were logged are paired; unlogged days are unknown, never zero.
- Which factors are analysed comes from the factor table (logbook/factors.py: entries with insight phrases).
- A number factor (stress, anxiety, sleep hours, sleep quality, caffeine, alcohol, exertion level) uses Spearman's
  rank correlation (scipy.stats.spearmanr): ranks, so a few extreme days cannot make a link on their own.
- A yes/no factor (illness) compares days with it and days without with the Mann-Whitney U test
  (scipy.stats.mannwhitneyu), again on ranks.
- Below MIN_PAIRS paired days (or MIN_EACH_SIDE days on each side of a yes/no factor) nothing is claimed: the result
  says how many more days are needed.
- Many comparisons are made at once (every factor, the person's own included, the same day and the next day), so
  some would look clear by chance alone. The p-values of all of them are controlled together with the
  Benjamini-Hochberg procedure (statsmodels.stats.multitest.multipletests, "fdr_bh") at FALSE_DISCOVERY_RATE: of the
  links called, at most that share is expected to be chance. A link is only called one when it passes that and is
  not negligible (|rho| >= MIN_RHO). The words are "goes with", never "causes", and CAVEAT says why; MULTIPLE says
  how comparisons are controlled, on the dashboard and in the report.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from scipy import stats
from statsmodels.stats.multitest import multipletests  # type: ignore[import-untyped]

from bfs_tracker.logbook import factors
from bfs_tracker.logbook.factors import Factor, Kind

MIN_PAIRS = 14
MIN_EACH_SIDE = 5
FALSE_DISCOVERY_RATE = 0.05
MIN_RHO = 0.2

MULTIPLE = (
    "Every factor is checked against twitching the same day and the next day, so some links would look clear by "
    "chance alone; all these comparisons are controlled together (Benjamini-Hochberg, false discovery rate 5 %), "
    "so that at most about one link in twenty called here is expected to be chance."
)

CAVEAT = (
    "These are patterns in your own log, not causes: a factor that goes with more twitching may share a cause "
    "with it (a stressful week can also mean less sleep and more coffee)."
)


def insight_factors() -> list[Factor]:
    """The factors analysed, in table order: every entry of the factor table with insight phrases."""
    return [f for f in factors.day_factors() if f.analysed]


Verdict = Literal["goes_with_higher", "goes_with_lower", "no_clear_link", "not_enough_data"]


@dataclass(frozen=True)
class Insight:
    factor: str
    label: str
    lag: int  # 0: same day; 1: the factor on one day, burden on the next
    method: Literal["spearman", "mann-whitney"]
    verdict: Verdict
    text: str
    n_pairs: int
    n_with: int | None = None  # yes/no factors: days with it
    n_without: int | None = None
    days_needed: int = 0  # more paired days (or days on the short side) before anything is said
    rho: float | None = None
    p_value: float | None = None
    median_with: float | None = None
    median_without: float | None = None

    @property
    def enough(self) -> bool:
        return self.verdict != "not_enough_data"

    def as_dict(self) -> dict[str, Any]:
        return {
            "factor": self.factor,
            "label": self.label,
            "lag": self.lag,
            "method": self.method,
            "verdict": self.verdict,
            "text": self.text,
            "n_pairs": self.n_pairs,
            "n_with": self.n_with,
            "n_without": self.n_without,
            "days_needed": self.days_needed,
            "rho": None if self.rho is None else round(self.rho, 2),
            "p_value": None if self.p_value is None else round(self.p_value, 4),
        }


def _when(lag: int) -> str:
    return "the same day" if lag == 0 else "the next day"


def _pairs(days: Mapping[date, Mapping[str, Any]], factor: str, lag: int) -> list[tuple[float, float]]:
    out = []
    for day, record in sorted(days.items()):
        value = record.get(factor)
        later = days.get(day + timedelta(days=lag))
        burden = None if later is None else later.get("burden")
        if value is None or burden is None:
            continue
        out.append((float(value), float(burden)))
    return out


Clear = Callable[[float], bool]  # whether a p-value passes the multiple-comparison control


def _numeric(days: Mapping[date, Mapping[str, Any]], factor: Factor, lag: int, clear: Clear) -> Insight:
    label, more, less = factor.insight_title, factor.more, factor.less
    pairs = _pairs(days, factor.record_key, lag)
    base: dict[str, Any] = {
        "factor": factor.record_key,
        "label": label,
        "lag": lag,
        "method": "spearman",
        "n_pairs": len(pairs),
    }
    if len(pairs) < MIN_PAIRS:
        needed = MIN_PAIRS - len(pairs)
        text = f"{label} and twitching {_when(lag)}: needs {needed} more days with both logged ({len(pairs)} so far)."
        return Insight(**base, verdict="not_enough_data", text=text, days_needed=needed)
    xs, ys = zip(*pairs, strict=True)
    if len(set(xs)) < 2 or len(set(ys)) < 2:
        text = f"{label} and twitching {_when(lag)}: no clear link; one of them never varied ({len(pairs)} days)."
        return Insight(**base, verdict="no_clear_link", text=text)
    result = stats.spearmanr(xs, ys)
    rho, p = float(result.statistic), float(result.pvalue)
    if math.isnan(rho):
        rho, p = 0.0, 1.0
    if clear(p) and abs(rho) >= MIN_RHO:
        phrase = more if rho > 0 else less
        text = f"{phrase} goes with more twitching {_when(lag)} (rank correlation {abs(rho):.2f}, {len(pairs)} days)."
        verdict: Verdict = "goes_with_higher" if rho > 0 else "goes_with_lower"
    else:
        text = f"{label} and twitching {_when(lag)}: no clear link ({len(pairs)} days)."
        verdict = "no_clear_link"
    return Insight(**base, verdict=verdict, text=text, rho=rho, p_value=p)


def _binary(days: Mapping[date, Mapping[str, Any]], factor: Factor, lag: int, clear: Clear) -> Insight:
    label, being = factor.insight_title, factor.more
    pairs = _pairs(days, factor.record_key, lag)
    with_ = [b for v, b in pairs if v]
    without = [b for v, b in pairs if not v]
    base: dict[str, Any] = {
        "factor": factor.record_key,
        "label": label,
        "lag": lag,
        "method": "mann-whitney",
        "n_pairs": len(pairs),
        "n_with": len(with_),
        "n_without": len(without),
    }
    needed = max(MIN_PAIRS - len(pairs), MIN_EACH_SIDE - len(with_), MIN_EACH_SIDE - len(without), 0)
    if needed:
        text = (
            f"{label} and twitching {_when(lag)}: needs {needed} more days "
            f"({len(with_)} days with it and {len(without)} without so far; at least {MIN_EACH_SIDE} of each)."
        )
        return Insight(**base, verdict="not_enough_data", text=text, days_needed=needed)
    median_with, median_without = statistics.median(with_), statistics.median(without)
    counts = f"{len(with_)} days with, {len(without)} without"
    if len(set(with_ + without)) < 2:
        p, effect = 1.0, 0.0
    else:
        result = stats.mannwhitneyu(with_, without, alternative="two-sided")
        p = float(result.pvalue)
        # Rank-biserial correlation from U: on the same scale as rho, so the same MIN_RHO applies.
        effect = 2 * float(result.statistic) / (len(with_) * len(without)) - 1
    if clear(p) and abs(effect) >= MIN_RHO:
        higher = effect > 0
        verdict: Verdict = "goes_with_higher" if higher else "goes_with_lower"
        words = "more" if higher else "less"
        text = (
            f"{being} goes with {words} twitching {_when(lag)} "
            f"(median burden {median_with:g} with, {median_without:g} without; {counts})."
        )
    else:
        verdict = "no_clear_link"
        text = f"{label} and twitching {_when(lag)}: no clear link ({counts})."
    return Insight(
        **base,
        verdict=verdict,
        text=text,
        p_value=p,
        rho=effect,
        median_with=median_with,
        median_without=median_without,
    )


def trigger_insights(
    days: Mapping[date, Mapping[str, float | bool | None]], factor_list: Sequence[Factor] | None = None
) -> list[Insight]:
    """Same-day and next-day insights for every analysed factor (`insight_factors()` unless given), in table
    order, same day first.

    `days` maps each logged date to its record (logbook.selectors.day_record): `burden` and each factor under its
    record key (None for not recorded). Dates absent from `days` are unlogged.
    """
    tests = [
        (factor, lag, _binary if factor.kind == Kind.YES_NO else _numeric)
        for factor in (factor_list if factor_list is not None else insight_factors())
        for lag in (0, 1)
    ]
    # First every p-value, then Benjamini-Hochberg over all of them, then the verdicts.
    first = [test(days, factor, lag, lambda p: False) for factor, lag, test in tests]
    p_values = [i.p_value for i in first if i.p_value is not None]
    cutoff = -1.0  # the largest p-value that passes; none when nothing does
    if p_values:
        passed, *_ = multipletests(p_values, alpha=FALSE_DISCOVERY_RATE, method="fdr_bh")
        cutoff = max((p for p, ok in zip(p_values, passed, strict=True) if ok), default=-1.0)
    return [test(days, factor, lag, lambda p: p <= cutoff) for factor, lag, test in tests]
