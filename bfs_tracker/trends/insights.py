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
- Days are not independent: twitching, stress, sleep and the rest come in spells (a tense week, a bad fortnight),
  and two unrelated series that both run in spells look linked far more often than the plain tests expect. So
  each p-value is judged on the effective number of independent days (`effective_days`, Pyper and Peterman 1998
  after Bartlett: the paired days shrunk by the product of the two series' own rank autocorrelations, estimated
  with statsmodels' acf over calendar days, gaps left out), not on every paired day. The rank correlation itself is
  the plain one.
- Many comparisons are made at once (every factor, the person's own included, the same day and the next day), so
  some would look clear by chance alone. The p-values of all of them are controlled together with the
  Benjamini-Hochberg procedure (statsmodels.stats.multitest.multipletests, "fdr_bh") at FALSE_DISCOVERY_RATE. A
  link is only called one when it passes that and is not negligible (|rho| >= MIN_RHO). The words are "goes with",
  never "causes", and CAVEAT says why; MULTIPLE says how comparisons are controlled, on the dashboard and in the
  report.
- How well this works is measured, not assumed: `make eval-insights` (trends/insights_eval.py, docs/trends.md
  "What goes with worse days: how the insights were checked"). On made-up logs whose days run in spells the plain
  tests showed a false link to 12-24 % of people without any (47 % when both drift over months); this method 3-4.5 %
  (9.5 % with a drift), at some cost in links found (0.63 -> 0.52 of true links).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

import numpy as np
import statsmodels.api as sm  # type: ignore[import-untyped]
from scipy import stats
from statsmodels.stats.multitest import multipletests  # type: ignore[import-untyped]
from statsmodels.tsa.stattools import acf  # type: ignore[import-untyped]

from bfs_tracker.logbook import factors
from bfs_tracker.logbook.factors import Factor, Kind

MIN_PAIRS = 14
MIN_EACH_SIDE = 5
FALSE_DISCOVERY_RATE = 0.05
MIN_RHO = 0.2

MULTIPLE = (
    "Every factor is checked against twitching the same day and the next day, so some links would look clear by "
    "chance alone; all these comparisons are controlled together (Benjamini-Hochberg, false discovery rate 5 %). "
    "Days come in runs (a tense week, a bad fortnight), so each comparison counts only as many days as the runs are "
    "worth. Even so, a link shown here can be chance: on made-up logs like real ones, about one person in twenty "
    "with no real link was shown one, and one in ten when both had drifted slowly over months."
)

CAVEAT = (
    "These are patterns in your own log, not causes: a factor that goes with more twitching may share a cause "
    "with it (a stressful week can also mean less sleep and more coffee)."
)


def insight_factors() -> list[Factor]:
    """The factors analysed, in table order: every entry of the factor table with insight phrases."""
    return [f for f in factors.day_factors() if f.analysed]


# How a p-value allows for runs of similar days (make eval-insights compares them, docs/trends.md):
# "independent": the plain tests, as if days were independent; "effective_days": the same statistic, judged on the
# effective number of independent days (Pyper and Peterman 1998); "hac": a regression of burden ranks on factor
# ranks with Newey-West (HAC) standard errors (statsmodels).
Method = Literal["independent", "effective_days", "hac"]
METHOD: Method = "effective_days"
MAX_LAG_SHARE = 0.2  # effective days: autocorrelations up to a fifth of the paired days (Pyper and Peterman)

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


def _paired_days(days: Mapping[date, Mapping[str, Any]], factor: str, lag: int) -> list[tuple[int, float, float]]:
    """(day number, factor, burden `lag` days later) for every day where both were logged, in date order."""
    out = []
    for day, record in sorted(days.items()):
        value = record.get(factor)
        later = days.get(day + timedelta(days=lag))
        burden = None if later is None else later.get("burden")
        if value is None or burden is None:
            continue
        out.append((day.toordinal(), float(value), float(burden)))
    return out


def _pairs(days: Mapping[date, Mapping[str, Any]], factor: str, lag: int) -> list[tuple[float, float]]:
    return [(x, y) for _, x, y in _paired_days(days, factor, lag)]


Clear = Callable[[float], bool]  # whether a p-value passes the multiple-comparison control


def _calendar(day_numbers: Sequence[int], values: Sequence[float]) -> np.ndarray:
    """Ranks of `values` laid out on consecutive calendar days, NaN where a day has no pair."""
    first = day_numbers[0]
    series = np.full(day_numbers[-1] - first + 1, np.nan)
    series[np.asarray(day_numbers) - first] = stats.rankdata(values)
    return series


def _autocorrelations(series: np.ndarray, lags: int) -> np.ndarray:
    """Lag 1..`lags` autocorrelations of a calendar series with gaps (statsmodels' acf, pairs with a NaN left out);
    0 where a lag cannot be estimated."""
    if lags < 1 or np.nanstd(series) == 0:
        return np.zeros(max(lags, 0))
    # "conservative" leaves out pairs with a gap; `adjusted` divides each lag by the pairs it really has (without it,
    # every unlogged day would shrink the autocorrelation as if it were a day unlike its neighbours).
    values = acf(series, nlags=lags, missing="conservative", adjusted=True, fft=False)[1:]
    clipped: np.ndarray = np.clip(np.nan_to_num(np.asarray(values, dtype=float)), -1.0, 1.0)
    return clipped


def effective_days(day_numbers: Sequence[int], xs: Sequence[float], ys: Sequence[float], max_lag: int = 0) -> float:
    """How many independent days `len(xs)` paired days are worth when both series run in spells (Pyper and
    Peterman 1998, after Bartlett): 1/N* = 1/N + (2/N) sum_j (N-j)/N r_x(j) r_y(j), with the rank autocorrelations
    at calendar lags 1..max_lag (default: a fifth of N). Between 3 and N."""
    n = len(xs)
    lags = max_lag or max(1, int(n * MAX_LAG_SHARE))
    lags = min(lags, day_numbers[-1] - day_numbers[0] - 1)
    rx = _autocorrelations(_calendar(day_numbers, xs), lags)
    ry = _autocorrelations(_calendar(day_numbers, ys), lags)
    weights = (n - np.arange(1, len(rx) + 1)) / n
    inverse = 1 / n + 2 / n * float(np.sum(weights * rx * ry))
    return float(min(n, max(3.0, 1 / inverse))) if inverse > 0 else float(n)


def _hac_p(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Two-sided p-value of the slope of burden ranks on factor ranks, with Newey-West standard errors."""
    n = len(xs)
    design = sm.add_constant(stats.rankdata(xs))
    lags = int(4 * (n / 100) ** (2 / 9))
    fit = sm.OLS(stats.rankdata(ys), design).fit(cov_type="HAC", cov_kwds={"maxlags": max(lags, 1)}, use_t=True)
    p = float(fit.pvalues[1])
    return 1.0 if math.isnan(p) else p


def _numeric(
    days: Mapping[date, Mapping[str, Any]], factor: Factor, lag: int, clear: Clear, method: Method = METHOD
) -> Insight:
    label, more, less = factor.insight_title, factor.more, factor.less
    paired = _paired_days(days, factor.record_key, lag)
    pairs = [(x, y) for _, x, y in paired]
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
    elif method == "effective_days":
        n_eff = effective_days([d for d, _, _ in paired], xs, ys)
        t = abs(rho) * math.sqrt(max(n_eff - 2, 1) / max(1 - rho * rho, 1e-12))
        p = float(2 * stats.t.sf(t, max(n_eff - 2, 1)))
    elif method == "hac":
        p = _hac_p(xs, ys)
    if clear(p) and abs(rho) >= MIN_RHO:
        phrase = more if rho > 0 else less
        text = f"{phrase} goes with more twitching {_when(lag)} (rank correlation {abs(rho):.2f}, {len(pairs)} days)."
        verdict: Verdict = "goes_with_higher" if rho > 0 else "goes_with_lower"
    else:
        text = f"{label} and twitching {_when(lag)}: no clear link ({len(pairs)} days)."
        verdict = "no_clear_link"
    return Insight(**base, verdict=verdict, text=text, rho=rho, p_value=p)


def _binary(
    days: Mapping[date, Mapping[str, Any]], factor: Factor, lag: int, clear: Clear, method: Method = METHOD
) -> Insight:
    label, being = factor.insight_title, factor.more
    paired = _paired_days(days, factor.record_key, lag)
    pairs = [(x, y) for _, x, y in paired]
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
        xs = [float(bool(v)) for _, v, _ in paired]
        ys = [b for _, _, b in paired]
        if method == "effective_days":
            # The normal approximation's z, shrunk to the effective number of days.
            asymptotic = stats.mannwhitneyu(with_, without, alternative="two-sided", method="asymptotic")
            z = float(stats.norm.isf(float(asymptotic.pvalue) / 2))
            n_eff = effective_days([d for d, _, _ in paired], xs, ys)
            p = float(2 * stats.norm.sf(z * math.sqrt(n_eff / len(pairs))))
        elif method == "hac":
            p = _hac_p(xs, ys)
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
    days: Mapping[date, Mapping[str, float | bool | None]],
    factor_list: Sequence[Factor] | None = None,
    *,
    method: Method = METHOD,
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
    first = [test(days, factor, lag, lambda p: False, method) for factor, lag, test in tests]
    p_values = [i.p_value for i in first if i.p_value is not None]
    cutoff = -1.0  # the largest p-value that passes; none when nothing does
    if p_values:
        passed, *_ = multipletests(p_values, alpha=FALSE_DISCOVERY_RATE, method="fdr_bh")
        cutoff = max((p for p, ok in zip(p_values, passed, strict=True) if ok), default=-1.0)
    # A comparison whose p-value does not pass reads exactly as in the first pass; only the others are redone.
    return [
        test(days, factor, lag, lambda p: p <= cutoff, method)
        if insight.p_value is not None and insight.p_value <= cutoff
        else insight
        for (factor, lag, test), insight in zip(tests, first, strict=True)
    ]
