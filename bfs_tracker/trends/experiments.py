"""Planned self-experiments (N-of-1): the phases of a plan, the comparison between them, and the verdict in words.
Plain Python and statsmodels: no database, no request (the model is trends.models.Experiment, the screens and
reads are in trends/experiment_views.py and trends/selectors.py).

Why it is built this way (domain notes, rule 10): flares fade by themselves, so anything started at a flare's peak
looks as if it worked. An experiment therefore compares a planned phase with the person's own logged days just
before it (or, for things that can be switched on and off, alternates A-B-A-B), and:

- the outcome is analysed on the log scale (log(1 + value)): twitch burden and symptom scores are skewed counts
  whose day-to-day spread grows with their level, and a remedy that helps would lower them by a share, not by a
  fixed amount; the estimate is read back as "x % lower or higher during the change";
- days are not independent (a bad day is followed by bad days, correlation about 0.5), so the interval comes from
  a regression with AR(1) errors (statsmodels GLSAR, iterated), with the residual correlation corrected for its
  known small-sample bias, not from a t-test that would treat 28 days as 28 independent facts;
- each side needs at least MIN_PHASE_DAYS logged days, or the verdict is "not enough logged days" and says how many
  more are needed;
- the verdict is "lower during", "higher during" or "no clear difference" from whether the 95 % interval excludes
  no change; never "works" or "cures" (words the tests forbid).

`make eval-experiments` (trends/experiment_eval.py) simulates thousands of experiments on realistic histories
and prints how often this calls a true 30 % reduction "lower" and a change that does nothing "lower" or "higher";
docs/trends.md has the figures and why this method was chosen over a moving-block bootstrap.
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

import numpy as np
import statsmodels.api as sm  # type: ignore[import-untyped]

MIN_PHASE_DAYS: Final = 14  # logged days on each side of the comparison (and the shortest plan)
SUGGESTED_DAYS: Final = 28
MAX_DAYS: Final = 180
MIN_BLOCK_DAYS: Final = 7  # an alternating design's shortest block
LEVEL: Final = 0.95

LOWER: Final = "lower"
HIGHER: Final = "higher"
NO_CLEAR: Final = "no_clear_difference"
NOT_ENOUGH: Final = "not_enough_days"
VERDICT_WORDS: Final = {
    LOWER: "lower during",
    HIGHER: "higher during",
    NO_CLEAR: "no clear difference",
    NOT_ENOUGH: "not enough logged days",
}

Design = Literal["ab", "abab"]
WITHOUT: Final = "A"  # the usual: baseline, or an "off" block
WITH: Final = "B"  # the change


@dataclass(frozen=True)
class PhaseSpec:
    label: str  # "Baseline", "During", "Off 1", "On 1", ...
    kind: str  # WITHOUT or WITH
    start: dt.date
    end: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def plan_phases(design: Design, start: dt.date, days: int) -> list[PhaseSpec]:
    """The phases of a plan. A-B: the `days` calendar days before `start` are the baseline (the person's logged
    days just before), then `days` days of the change. A-B-A-B: four blocks of `days // 4` days from `start`,
    off, on, off, on."""
    if design == "abab":
        block = days // 4
        labels = [("Off 1", WITHOUT), ("On 1", WITH), ("Off 2", WITHOUT), ("On 2", WITH)]
        return [
            PhaseSpec(label, kind, start + dt.timedelta(days=i * block), start + dt.timedelta(days=(i + 1) * block - 1))
            for i, (label, kind) in enumerate(labels)
        ]
    return [
        PhaseSpec("Baseline", WITHOUT, start - dt.timedelta(days=days), start - dt.timedelta(days=1)),
        PhaseSpec("During", WITH, start, start + dt.timedelta(days=days - 1)),
    ]


@dataclass(frozen=True)
class PhaseResult:
    label: str
    kind: str
    start: dt.date
    end: dt.date
    logged_days: int
    mean: float | None

    def as_dict(self) -> dict[str, object]:
        return {
            "label": self.label,
            "with_change": self.kind == WITH,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "logged_days": self.logged_days,
            "mean_outcome": None if self.mean is None else round(self.mean, 2),
        }


@dataclass(frozen=True)
class Comparison:
    phases: list[PhaseResult]
    verdict: str
    percent: float | None = None  # estimated change during, in % of the level without (negative: lower)
    low: float | None = None  # the interval's ends, in %
    high: float | None = None
    difference: float | None = None  # mean with - mean without, in the outcome's units
    more_days: int = 0  # logged days still needed (not enough days)
    method: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def verdict_words(self) -> str:
        return VERDICT_WORDS[self.verdict]

    def as_dict(self) -> dict[str, object]:
        return {
            "phases": [p.as_dict() for p in self.phases],
            "estimate": None
            if self.percent is None
            else {
                "percent_change": round(self.percent, 1),
                "difference_in_means": None if self.difference is None else round(self.difference, 2),
            },
            "interval": None
            if self.low is None or self.high is None
            else {"level": LEVEL, "percent_low": round(self.low, 1), "percent_high": round(self.high, 1)},
            "verdict": self.verdict,
            "verdict_words": self.verdict_words,
            "more_days_needed": self.more_days,
            "method": self.method,
            "warnings": list(self.warnings),
        }


def _logged(series: Mapping[dt.date, float | None], phase: PhaseSpec) -> list[tuple[dt.date, float]]:
    return sorted((d, float(v)) for d, v in series.items() if phase.contains(d) and v is not None and not math.isnan(v))


METHOD_ARMA = "regression with ARMA(1, 1) errors (statsmodels SARIMAX), log scale, unlogged days as gaps"
METHOD_AR1 = (
    "regression with AR(1) errors (statsmodels GLSAR) on the log scale, the correlation matched to the long-run "
    "variance of ARMA(1, 1) errors"
)


def long_run_rho(resid: np.ndarray) -> float:
    """The AR(1) correlation whose long-run variance matches the residuals' own, read as ARMA(1, 1).

    A day's value is a slowly moving level plus that day's scatter: its autocorrelations fall as r1 * phi**(k-1),
    with phi (how long the level remembers) above r1. An AR(1) fitted by r1 alone assumes they fall as r1**k and
    underestimates how long good and bad stretches last, so its intervals are too narrow. Here phi = r2 / r1 (kept
    between r1 and 0.95), the long-run variance factor is 1 + 2 r1 / (1 - phi), and the AR(1) correlation with the
    same factor, (f - 1) / (f + 1), is what GLSAR is given. r1 and r2 are corrected for their small-sample bias
    (Kendall: + (1 + 3 r) / n)."""
    n = len(resid)
    acf = sm.tsa.acf(resid, nlags=2, fft=False)
    r1 = min(0.95, max(0.0, float(acf[1]) + (1 + 3 * float(acf[1])) / n))
    r2 = min(0.95, max(0.0, float(acf[2]) + (1 + 3 * float(acf[2])) / n))
    phi = min(0.95, max(r1, r2 / r1 if r1 > 0 else 0.0))
    factor = 1 + 2 * r1 / (1 - phi)
    return (factor - 1) / (factor + 1)


def ar1_interval(
    y: np.ndarray, treated: np.ndarray, *, level: float = LEVEL, correct: bool = True
) -> tuple[float, float, float]:
    """Estimate and interval of b in y = a + b * treated + e, with AR(1) errors e, by statsmodels' GLSAR.

    GLSAR's own iterated estimate of the errors' correlation is biased low in series this short (a few dozen
    days) and misses the slow part of the day-to-day memory, which makes intervals too narrow and "no clear
    difference" too rare. With `correct`, the correlation comes from `long_run_rho` on the OLS residuals, then
    GLSAR fits with it. Rows are the logged days in date order (an unlogged day between two is treated as adjacent)."""
    x = sm.add_constant(treated.astype(float), has_constant="add")
    if correct:
        resid = sm.OLS(y, x).fit().resid
        rho = long_run_rho(resid)
        fit = sm.GLSAR(y, x, rho=rho).fit()
    else:
        fit = sm.GLSAR(y, x, rho=1).iterative_fit(maxiter=10)
    low, high = fit.conf_int(alpha=1 - level)[1]
    return float(fit.params[1]), float(low), float(high)


def arma_interval(
    days: np.ndarray, y: np.ndarray, treated: np.ndarray, *, level: float = LEVEL
) -> tuple[float, float, float]:
    """Estimate and interval of b in y = a + b * treated + e, with ARMA(1, 1) errors (statsmodels SARIMAX), on the
    daily grid: an unlogged day is a missing value the Kalman filter steps over, so a gap keeps its true length.

    ARMA(1, 1) rather than AR(1): a day's burden is a slowly moving level plus that day's own scatter, and the sum
    of the two is ARMA(1, 1); an AR(1) fitted to it underestimates how long good and bad stretches last, which
    makes intervals too narrow (docs/trends.md has the figures)."""
    first = int(days.min())
    n = int(days.max()) - first + 1
    grid = np.full(n, np.nan)
    grid[days - first] = y
    exog = np.zeros(n)
    exog[days - first] = treated.astype(float)
    # Unlogged days take the phase of the logged day before them (they carry no weight, only the gap's length).
    for i in range(1, n):
        if np.isnan(grid[i]):
            exog[i] = exog[i - 1]
    model = sm.tsa.SARIMAX(grid, exog=sm.add_constant(exog, has_constant="add"), order=(1, 0, 1), trend="n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = model.fit(disp=False, maxiter=200)
    low, high = fit.conf_int(alpha=1 - level)[1]
    return float(fit.params[1]), float(low), float(high)


def block_bootstrap_interval(
    y: np.ndarray, treated: np.ndarray, *, block: int = 7, draws: int = 2000, seed: int = 0, level: float = LEVEL
) -> tuple[float, float, float]:
    """The same comparison by a moving-block bootstrap within each phase (kept for the evaluation)."""
    rng = np.random.default_rng(seed)
    a, b = y[~treated], y[treated]

    def resample(values: np.ndarray) -> np.ndarray:
        n = len(values)
        size = min(block, n)
        starts = rng.integers(0, n - size + 1, size=(draws, math.ceil(n / size)))
        idx = (starts[:, :, None] + np.arange(size)[None, None, :]).reshape(draws, -1)[:, :n]
        return values[idx].mean(axis=1)

    diffs = resample(b) - resample(a)
    estimate = float(b.mean() - a.mean())
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(diffs, [tail, 100 - tail])
    return estimate, float(low), float(high)


def compare(
    series: Mapping[dt.date, float | None],
    phases: Sequence[PhaseSpec],
    *,
    method: str = "ar1",
    warnings: Sequence[str] = (),
    exclude: Collection[dt.date] = (),
) -> Comparison:
    """The comparison of the days with the change against the days without, with the verdict in words.

    `series` holds the outcome of each logged day (unlogged days absent). Days outside the phases are ignored."""
    if exclude:
        series = {d: v for d, v in series.items() if d not in exclude}
    per_phase = [(p, _logged(series, p)) for p in phases]
    results = [
        PhaseResult(p.label, p.kind, p.start, p.end, len(rows), float(np.mean([v for _, v in rows])) if rows else None)
        for p, rows in per_phase
    ]
    days_without = sum(r.logged_days for r in results if r.kind == WITHOUT)
    days_with = sum(r.logged_days for r in results if r.kind == WITH)
    short = max(MIN_PHASE_DAYS - days_without, MIN_PHASE_DAYS - days_with, 0)
    if short:
        return Comparison(results, NOT_ENOUGH, more_days=short, warnings=list(warnings))
    rows = sorted((d, v, p.kind == WITH) for p, logged in per_phase for d, v in logged)
    y = np.log1p(np.array([v for _, v, _ in rows]))
    treated = np.array([t for _, _, t in rows])
    if method == "bootstrap":
        b, low, high = block_bootstrap_interval(y, treated)
        name = "moving-block bootstrap (blocks of 7 logged days), log scale"
    elif method == "arma":
        offsets = np.array([(d - rows[0][0]).days for d, _, _ in rows])
        b, low, high = arma_interval(offsets, y, treated)
        name = METHOD_ARMA
    elif method == "ar2":
        x = sm.add_constant(treated.astype(float), has_constant="add")
        fit = sm.GLSAR(y, x, rho=2).iterative_fit(maxiter=10)
        b = float(fit.params[1])
        low, high = (float(v) for v in fit.conf_int(alpha=1 - LEVEL)[1])
        name = "regression with AR(2) errors (statsmodels GLSAR, iterated), log scale"
    elif method == "glsar_iterated":
        b, low, high = ar1_interval(y, treated, correct=False)
        name = "regression with AR(1) errors (statsmodels GLSAR, iterated), log scale"
    else:
        b, low, high = ar1_interval(y, treated)
        name = METHOD_AR1
    verdict = LOWER if high < 0 else HIGHER if low > 0 else NO_CLEAR
    values = {True: [v for _, v, t in rows if t], False: [v for _, v, t in rows if not t]}
    return Comparison(
        results,
        verdict,
        percent=(math.exp(b) - 1) * 100,
        low=(math.exp(low) - 1) * 100,
        high=(math.exp(high) - 1) * 100,
        difference=float(np.mean(values[True]) - np.mean(values[False])),
        method=name,
        warnings=list(warnings),
    )


def sentence(result: Comparison, outcome: str) -> str:
    """The result in one plain sentence, for the dashboard, the report and the command."""
    if result.verdict == NOT_ENOUGH:
        return (
            f"Too few logged days to compare {outcome}: at least {MIN_PHASE_DAYS} are needed on each side, "
            f"{result.more_days} more than were logged."
        )
    if result.percent is None or result.low is None or result.high is None:
        return f"No result for {outcome}."
    low, high = sorted((result.low, result.high))
    interval = f"95 % interval {_pct(low)} to {_pct(high)}"
    if result.verdict == NO_CLEAR:
        return (
            f"No clear difference in {outcome} between the phases: {_pct(result.percent)} ({interval}), which "
            "includes no change."
        )
    direction = "lower" if result.verdict == LOWER else "higher"
    return (
        f"{outcome.capitalize()} was {direction} during the change: {_pct(result.percent)} ({interval}). This says "
        "they went together in this period, not that the change caused it."
    )


def _pct(value: float) -> str:
    return f"{value:+.0f} %"


FLARE_WARNING: Final = (
    "A flare is under way. Flares fade by themselves, so anything started now would look as if it worked even if it "
    "did nothing. Waiting until the flare has ended and your usual level is back gives a fair comparison."
)
STARTED_IN_FLARE: Final = (
    "Started while a flare was under way or had just ended: flares fade by themselves, so the result may show a "
    "fall that would have happened anyway."
)
