"""Planned self-experiments (N-of-1): the phases of a plan, the comparison between them, and the verdict in words.
Plain Python and statsmodels: no database, no request (the model is trends.models.Experiment, the screens and
reads are in trends/experiment_views.py and trends/selectors.py).

Why it is built this way (domain notes, rule 10): flares fade by themselves, so anything started at a flare's peak
looks as if it worked. An experiment therefore compares a planned phase with the person's own logged days just
before it (or, for things that can be switched on and off, alternates A-B-A-B), and:

- the outcome is analysed on the log scale (log(1 + value)): twitch burden and symptom scores are skewed counts
  whose day-to-day spread grows with their level, and a remedy that helps would lower them by a share, not by a
  fixed amount; the estimate is read back as "x % lower or higher during the change";
- days are not independent (a bad day is followed by bad days, correlation about 0.5): the estimate is the
  difference of the two sides' mean log(1 + value), its standard error comes from a model of the errors (a slowly
  moving level with AR(1) memory plus each day's scatter, fitted to the residuals), not from a t-test that would
  treat 28 days as 28 independent facts; and because that memory is itself estimated from a few dozen days (noisy,
  biased short), the critical value is not the t table's but comes from a calibrated parametric bootstrap of the
  fitted model on the same days and phases (`calibrated_interval`);
- each side needs at least MIN_PHASE_DAYS logged days, or the verdict is "not enough logged days" and says how many
  more are needed;
- the verdict is "lower during", "higher during" or "no clear difference" from whether the 95 % interval excludes
  no change; never "works" or "cures" (words the tests forbid).

`make eval-experiments` (trends/experiment_eval.py) simulates thousands of experiments on realistic histories
and prints how often this calls a true 30 % reduction "lower" and a change that does nothing "lower" or "higher";
docs/trends.md has the figures, the analytic ceiling on power, and why this method was chosen over the others
(GLS with a matched AR(1) correlation, used until 26 Nov 2026, is kept as `method="ar1"` for the evaluation).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import warnings
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, Literal, NamedTuple

import numpy as np
import statsmodels.api as sm  # type: ignore[import-untyped]
from scipy import spatial as scipy_spatial
from scipy import stats as scipy_stats

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
METHOD_DIFFERENCE = (
    "difference of the phases' mean log(1 + outcome), its standard error from the fitted errors (a slowly moving "
    "level with AR(1) memory plus daily scatter)"
)
METHOD_CALIBRATED = METHOD_DIFFERENCE + ", the critical value by a calibrated parametric bootstrap"
METHOD_MOMENTS = (
    "difference of the phases' mean log(1 + outcome), its standard error from the fitted errors (a slowly moving "
    "level with AR(1) memory plus daily scatter, fitted so that the residuals' expected autocorrelations for this "
    "design match the observed ones), the critical value by a parametric bootstrap"
)
DOUBLE_INNER: Final = 50
BOOTSTRAP_DRAWS: Final = 400
BOOTSTRAP_INNER: Final = 0
BOOTSTRAP_SEED: Final = 20261126  # fixed: the same logged days always give the same verdict


def _matched(r1: np.ndarray, r2: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised core of `long_run_rho`: (matched AR(1) rho, bias-corrected r1, phi) from lag-1 and lag-2
    autocorrelations of series of length n."""
    r1c = np.clip(r1 + (1 + 3 * r1) / n, 0.0, 0.95)
    r2c = np.clip(r2 + (1 + 3 * r2) / n, 0.0, 0.95)
    ratio = np.divide(r2c, r1c, out=np.zeros_like(r1c), where=r1c > 0)
    phi = np.minimum(0.95, np.maximum(r1c, ratio))
    factor = 1 + 2 * r1c / (1 - phi)
    return (factor - 1) / (factor + 1), r1c, phi


def _acf12(resid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lag-1 and lag-2 autocorrelations along the last axis, as statsmodels' `acf` (demeaned, divided by n)."""
    r = resid - resid.mean(axis=-1, keepdims=True)
    c0 = (r * r).sum(axis=-1)
    lag1, lag2 = (r[..., 1:] * r[..., :-1]).sum(axis=-1), (r[..., 2:] * r[..., :-2]).sum(axis=-1)
    # A series with no scatter at all (the same value every day of each phase) has no correlation to speak of.
    return (
        np.divide(lag1, c0, out=np.zeros_like(lag1), where=c0 > 0),
        np.divide(lag2, c0, out=np.zeros_like(lag2), where=c0 > 0),
    )


class Fit(NamedTuple):
    """One fit of the comparison, for one series or many at once (arrays, one entry per series)."""

    estimate: np.ndarray  # b: mean log(1 + outcome) with the change minus without (or GLSAR's b)
    se: np.ndarray  # its standard error under the fitted error model
    phi: np.ndarray  # the errors' model: a level with AR(1) memory phi ...
    share: np.ndarray  # ... holding this share of the variance, plus each day's own scatter
    variance: np.ndarray  # the residual variance


def _error_model(resid: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(matched AR(1) rho, phi, share, variance) of OLS residuals (rows): lag-k correlation r1 * phi**(k-1), so the
    slow level holds r1 / phi of the variance (r1 and phi bias-corrected as in `long_run_rho`)."""
    n = resid.shape[-1]
    rho, r1c, phi = _matched(*_acf12(resid), n)
    share = np.clip(np.divide(r1c, phi, out=np.zeros_like(r1c), where=phi > 0), 0.0, 1.0)
    return rho, phi, share, (resid * resid).sum(axis=-1) / (n - 2)


def _lag_sums(offsets: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """S[k] = sum of weights[i] * weights[j] over the pairs of rows whose days lie k calendar days apart (both
    orders; k = 0 once), so that sum_k S[k] * phi**k is weights' P(phi) weights with P(phi)[i, j] = phi**|days|."""
    grid = np.zeros(int(offsets.max() - offsets.min()) + 1)
    grid[offsets - offsets.min()] = weights
    sums = np.correlate(grid, grid, mode="full")[len(grid) - 1 :].copy()
    sums[1:] *= 2
    return sums


MOMENT_LAGS: Final = 3  # the residuals' autocorrelations at lags 1 to 3 are matched
_PHI_GRID: Final = np.round(np.arange(0.0, 0.951, 0.01), 2)  # the memory, 0 to 0.95 (the ratio estimate's range)
_SHARE_GRID: Final = np.round(np.arange(0.0, 1.001, 0.02), 2)  # the slow level's share of the variance


@functools.lru_cache(maxsize=64)
def _design_moments(offsets: bytes, treated: bytes) -> tuple[scipy_spatial.cKDTree, np.ndarray]:
    """For the exact design (logged days, phases): the expected lag sums of the OLS residuals under each model of
    the grid, and the expected residual sum of squares over the variance.

    The residuals are e = M y with M = I - X X+ (the two phase means removed), so under the errors' model
    Cov = v (s P(phi) + (1 - s) I), P(phi)[i, j] = phi**|d_i - d_j|, E[sum_t e_t e_(t+k)] = v tr_k(M Cov M), the
    sum of the k-th diagonal of M Cov M, linear in s: v (s A_k(phi) + (1 - s) B_k). Returned: the expected
    autocorrelations (s A_k + (1 - s) B_k) / (s A_0 + (1 - s) B_0) for k = 1..MOMENT_LAGS, one point per grid point
    (phi, share), in a k-d tree for the nearest-point search, and their denominators (E[RSS] / v). Cached per
    design: the bootstrap reuses it thousands of times."""
    days = np.frombuffer(offsets, dtype=np.int64).astype(float)
    on = np.frombuffer(treated, dtype=bool).astype(float)
    n = len(days)
    x = np.column_stack([np.ones(n), on])
    m = np.eye(n) - x @ np.linalg.pinv(x)
    gaps = np.abs(np.subtract.outer(days, days))
    lags = range(MOMENT_LAGS + 1)
    b = np.array([np.trace(m, offset=k) for k in lags])  # M I M = M
    a = np.empty((len(_PHI_GRID), MOMENT_LAGS + 1))
    for i, phi in enumerate(_PHI_GRID):
        g = m @ (phi**gaps) @ m
        a[i] = [np.trace(g, offset=k) for k in lags]
    share = _SHARE_GRID[None, :, None]
    sums = share * a[:, None, :] + (1 - share) * b[None, None, :]  # (phi, share, lag)
    sums = sums.reshape(-1, MOMENT_LAGS + 1)
    return scipy_spatial.cKDTree(sums[:, 1:] / sums[:, :1]), sums[:, 0]


def _acf(resid: np.ndarray, lags: int) -> np.ndarray:
    """Autocorrelations at lags 1..`lags` along the last axis (rows in order, no demeaning: the residuals of a fit
    with an intercept have mean 0), one column per lag."""
    c0 = (resid * resid).sum(axis=-1)
    out = np.zeros((*resid.shape[:-1], lags))
    for k in range(1, lags + 1):
        ck = (resid[..., k:] * resid[..., :-k]).sum(axis=-1)
        out[..., k - 1] = np.divide(ck, c0, out=np.zeros_like(ck), where=c0 > 0)
    return out


def _error_model_moments(
    resid: np.ndarray, offsets: np.ndarray, treated: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(phi, share, variance) of OLS residuals (rows) for the exact design: the grid point whose *expected*
    residual autocorrelations at lags 1..MOMENT_LAGS (`_design_moments`, the two phase means removed, the logged
    days' gaps) are closest (least squares) to the observed ones; the variance is the residual sum of squares over
    its expectation under that model. Sample autocorrelations of a few dozen residuals are biased low (the means
    removed take part of every slow excursion with them), so matching them to the model's own expectation for
    this design corrects that bias, where r2 / r1 with Kendall's correction does not."""
    expected, rss_factor = _design_moments(
        np.asarray(offsets, dtype=np.int64).tobytes(), np.asarray(treated, dtype=bool).tobytes()
    )
    _, best = expected.query(_acf(resid, MOMENT_LAGS))
    phi = _PHI_GRID[best // len(_SHARE_GRID)]
    share = _SHARE_GRID[best % len(_SHARE_GRID)]
    return phi, share, (resid * resid).sum(axis=-1) / rss_factor[best]


def difference_fit(y: np.ndarray, treated: np.ndarray, offsets: np.ndarray, *, memory: str = "ratio") -> Fit:
    """The comparison used: the difference of the two sides' mean log(1 + outcome) (the OLS estimate of b in
    y = a + b * treated + e), with its standard error from the errors' fitted covariance, not from a formula
    for independent days.

    The errors are read as a slowly moving level (AR(1) on the calendar, memory phi, share s of the variance v)
    plus each day's scatter: Cov(e_i, e_j) = v (s phi**|d_i - d_j| + (1 - s) [i = j]), with d the days, so a gap
    between logged days keeps its length. b = w'y for fixed weights w (+1/n during, -1/n without), so
    Var(b) = w' Cov w, exact for that model. Unlike GLS with the matched AR(1) correlation (`ar1_interval`), the
    estimate never depends on the estimated memory: when that is near 1, GLS reads the change almost only from
    the one day it starts, and a 65 % fall in the means can come out as "-5 %, no clear difference".
    Rows of `y` are series on the same days and phases (vectorised for the bootstrap). `memory`: "ratio" (used:
    phi = r2 / r1, `_error_model`) or "moments" (`_error_model_moments`, tried 26 Nov 2026 and not used: it removes
    the ratio's bias but not its noise, and costs power; docs/trends.md has the figures)."""
    y = np.atleast_2d(y)
    x = np.column_stack([np.ones(y.shape[-1]), treated.astype(float)])
    pinv = np.linalg.pinv(x)
    coef = y @ pinv.T
    resid = y - coef @ x.T
    if memory == "moments":
        phi, share, variance = _error_model_moments(resid, offsets, treated)
    else:
        _, phi, share, variance = _error_model(resid)
    weights = pinv[1]
    sums = _lag_sums(np.asarray(offsets), weights)
    slow = (phi[:, None] ** np.arange(len(sums))[None, :]) @ sums
    se = np.sqrt(variance * (share * slow + (1 - share) * float(weights @ weights)))
    return Fit(coef[:, 1], se, phi, share, variance)


def ar1_fit(y: np.ndarray, treated: np.ndarray, offsets: np.ndarray | None = None) -> Fit:
    """`ar1_interval`'s estimate and standard error (GLS with the matched AR(1) correlation, exactly as statsmodels'
    GLSAR: the first row dropped, each later one minus rho times the row before; a test pins it to GLSAR's own
    numbers), for many series at once, so the bootstrap can refit hundreds in one pass. Kept for the evaluation."""
    y = np.atleast_2d(y)
    n = y.shape[-1]
    x = np.column_stack([np.ones(n), treated.astype(float)])
    rho, phi, share, variance = _error_model(y - y @ (x @ np.linalg.pinv(x)).T)
    rho = rho[:, None]
    yw = y[:, 1:] - rho * y[:, :-1]
    x0 = np.broadcast_to(1 - rho, yw.shape)
    x1 = x[1:, 1][None, :] - rho * x[:-1, 1][None, :]
    a00, a01, a11 = (x0 * x0).sum(-1), (x0 * x1).sum(-1), (x1 * x1).sum(-1)
    g0, g1 = (x0 * yw).sum(-1), (x1 * yw).sum(-1)
    det = a00 * a11 - a01**2
    b = (a00 * g1 - a01 * g0) / det
    c = (a11 * g0 - a01 * g1) / det
    rss = ((yw - c[:, None] * x0 - b[:, None] * x1) ** 2).sum(-1)
    return Fit(b, np.sqrt(rss / (n - 3) * a00 / det), phi, share, variance)


def _null_series(
    offsets: np.ndarray, phi: np.ndarray, share: np.ndarray, variance: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """One series per entry of the parameter arrays, with no change: a stationary AR(1) level on the calendar
    grid (taken at the logged days) plus independent daily scatter, as `difference_fit` models the errors."""
    offsets = offsets - offsets.min()
    shocks = rng.standard_normal((len(phi), int(offsets.max()) + 1))
    level = np.empty_like(shocks)
    level[:, 0] = shocks[:, 0]
    innovation = np.sqrt(1 - phi**2)
    for t in range(1, shocks.shape[1]):
        level[:, t] = phi * level[:, t - 1] + innovation * shocks[:, t]
    scatter = rng.standard_normal((len(phi), len(offsets)))
    return (np.sqrt(share * variance)[:, None] * level[:, offsets]) + np.sqrt((1 - share) * variance)[:, None] * scatter


def bootstrap_critical_value(
    fit: Callable[[np.ndarray], Fit],
    model: Fit,
    offsets: np.ndarray,
    *,
    level: float = LEVEL,
    draws: int = BOOTSTRAP_DRAWS,
    inner: int = 0,
    seed: int = BOOTSTRAP_SEED,
) -> float:
    """The critical value for |estimate / se| at `level`, by a parametric bootstrap of the fitted error model.

    `draws` no-change series are drawn from the model fitted to the real days (`model`'s phi, share, variance) on
    the same days and phases, each refitted exactly as the real one (memory and variance estimated afresh), and
    the critical value is the `level` quantile of their |estimate / se|: it allows for the memory being
    estimated from a few dozen days (noisy, biased low) where the t table assumes it known. With `inner` > 0,
    the bootstrap is itself calibrated (Beran's prepivoting, a double bootstrap): each outer draw's own model is
    bootstrapped `inner` times, which corrects for the model fitted to the real days being itself off (a
    memory estimated too short gives too small a critical value). The seed is fixed: the same days always give
    the same verdict."""
    rng = np.random.default_rng(seed)
    ones = np.ones(draws)
    outer = fit(_null_series(offsets, model.phi[0] * ones, model.share[0] * ones, model.variance[0] * ones, rng))
    t_outer = np.abs(outer.estimate / outer.se)
    if not inner:
        return float(np.quantile(t_outer, level))
    chunk = max(1, 4000 // inner)
    ranks = []
    for first in range(0, draws, chunk):
        part = slice(first, min(draws, first + chunk))
        phi, share, variance = (np.repeat(values[part], inner) for values in (outer.phi, outer.share, outer.variance))
        again = fit(_null_series(offsets, phi, share, variance, rng))
        t_inner = np.abs(again.estimate / again.se).reshape(-1, inner)
        ranks.append((t_inner < t_outer[part, None]).mean(axis=1))
    adjusted = float(np.quantile(np.concatenate(ranks), level))
    return float(np.quantile(t_outer, min(adjusted, 1.0)))


def calibrated_interval(
    offsets: np.ndarray,
    y: np.ndarray,
    treated: np.ndarray,
    *,
    level: float = LEVEL,
    inner: int = BOOTSTRAP_INNER,
    statistic: str = "difference",
) -> tuple[float, float, float]:
    """Estimate and interval of the comparison used (`difference_fit`), the critical value by
    `bootstrap_critical_value`. `offsets`: the rows' day numbers (any origin), in order. `statistic="glsar"`
    puts the same calibration on `ar1_fit` instead (kept for the evaluation)."""
    fit = (
        (lambda rows: ar1_fit(rows, treated))
        if statistic == "glsar"
        else (
            lambda rows: difference_fit(rows, treated, offsets, memory="moments" if statistic == "moments" else "ratio")
        )
    )
    model = fit(y)
    if not float(model.se[0]) > 0:
        # No scatter at all (every day of each phase the same value, e.g. nothing logged but zeros): the phases'
        # difference is known exactly, and a change of 0 is "no clear difference".
        estimate = float(model.estimate[0])
        return estimate, estimate, estimate
    crit = bootstrap_critical_value(fit, model, offsets, level=level, inner=inner)
    estimate, half = float(model.estimate[0]), crit * float(model.se[0])
    return estimate, estimate - half, estimate + half


def long_run_rho(resid: np.ndarray) -> float:
    """The AR(1) correlation whose long-run variance matches the residuals' own, read as ARMA(1, 1).

    A day's value is a slowly moving level plus that day's scatter: its autocorrelations fall as r1 * phi**(k-1),
    with phi (how long the level remembers) above r1. An AR(1) fitted by r1 alone assumes they fall as r1**k and
    underestimates how long good and bad stretches last, so its intervals are too narrow. Here phi = r2 / r1 (kept
    between r1 and 0.95), the long-run variance factor is 1 + 2 r1 / (1 - phi), and the AR(1) correlation with the
    same factor, (f - 1) / (f + 1), is what GLSAR is given. r1 and r2 are corrected for their small-sample bias
    (Kendall: + (1 + 3 r) / n)."""
    acf = sm.tsa.acf(resid, nlags=2, fft=False)
    rho, _, _ = _matched(np.array([acf[1]]), np.array([acf[2]]), len(resid))
    return float(rho[0])


def ar1_interval(
    y: np.ndarray, treated: np.ndarray, *, level: float = LEVEL, correct: bool = True, effective_df: bool = False
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
        if effective_df:
            # The t quantile on the days' effective number (n (1 - rho) / (1 + rho)), not on n: with strong
            # day-to-day memory 28 days hold the information of about ten, and the correlation itself is estimated.
            df = max(len(y) * (1 - rho) / (1 + rho) - 2, 1.0)
            crit = float(scipy_stats.t.ppf(1 - (1 - level) / 2, df))
            b, se = float(fit.params[1]), float(fit.bse[1])
            return b, b - crit * se, b + crit * se
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


@functools.lru_cache(maxsize=512)
def _calibrated_remembered(offsets: bytes, y: bytes, treated: bytes) -> tuple[float, float, float]:
    """calibrated_interval with the double bootstrap, remembered per process for the same days and values. Its
    seed is fixed, so the answer depends on the days alone; it costs a few tenths of a second (seconds for long
    plans), and the experiments page, the dashboard and the report each ask for every finished experiment again.
    A day saved inside an experiment changes `y`, hence the key."""
    return calibrated_interval(
        np.frombuffer(offsets, dtype=np.int64),
        np.frombuffer(y, dtype=np.float64),
        np.frombuffer(treated, dtype=bool),
        inner=DOUBLE_INNER,
    )


def compare(
    series: Mapping[dt.date, float | None],
    phases: Sequence[PhaseSpec],
    *,
    method: str = "calibrated",
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
    elif method == "ar1_eff":
        b, low, high = ar1_interval(y, treated, effective_df=True)
        name = METHOD_AR1 + ", t quantile on the effective number of days"
    elif method == "glsar_iterated":
        b, low, high = ar1_interval(y, treated, correct=False)
        name = "regression with AR(1) errors (statsmodels GLSAR, iterated), log scale"
    elif method == "ar1":
        b, low, high = ar1_interval(y, treated)
        name = METHOD_AR1
    elif method == "ar1_boot":
        offsets = np.array([(d - rows[0][0]).days for d, _, _ in rows])
        b, low, high = calibrated_interval(offsets, y, treated, statistic="glsar", inner=0)
        name = METHOD_AR1 + ", the critical value by a parametric bootstrap"
    elif method == "difference_boot":
        offsets = np.array([(d - rows[0][0]).days for d, _, _ in rows])
        b, low, high = calibrated_interval(offsets, y, treated, inner=0)
        name = METHOD_DIFFERENCE + ", the critical value by a parametric bootstrap"
    elif method in ("calibrated_moments", "moments_boot"):
        offsets = np.array([(d - rows[0][0]).days for d, _, _ in rows])
        inner = DOUBLE_INNER if method == "calibrated_moments" else 0
        b, low, high = calibrated_interval(offsets, y, treated, inner=inner, statistic="moments")
        name = METHOD_MOMENTS + (", the critical value by a calibrated parametric bootstrap" if inner else "")
    elif method == "difference_t":
        offsets = np.array([(d - rows[0][0]).days for d, _, _ in rows])
        fit = difference_fit(y, treated, offsets)
        crit = float(scipy_stats.t.ppf(1 - (1 - LEVEL) / 2, len(y) - 3))
        b = float(fit.estimate[0])
        low, high = b - crit * float(fit.se[0]), b + crit * float(fit.se[0])
        name = METHOD_DIFFERENCE + ", t table"
    else:
        offsets = np.array([(d - rows[0][0]).days for d, _, _ in rows])
        b, low, high = _calibrated_remembered(
            offsets.astype(np.int64).tobytes(), y.astype(np.float64).tobytes(), treated.astype(bool).tobytes()
        )
        name = METHOD_CALIBRATED
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
    """The result in one plain sentence, for the dashboard, the report and the command.

    The percentage is the change in the phases' typical level (the difference of their mean log(1 + value), read
    back as a share), not in their plain means (the phases table shows those, so the two can differ); the 95 %
    interval is the range of changes the logged days are compatible with, allowing for runs of good and bad days.
    The logged days counted are those compared: days inside a flare and the week after it are left out."""
    if result.verdict == NOT_ENOUGH:
        more = result.more_days
        return (
            f"Too few logged days to compare {outcome}: each side needs at least {MIN_PHASE_DAYS} logged days outside "
            f"flares (days inside a flare and the week after it are left out); the side with the fewest was {more} "
            f"day{'s' if more != 1 else ''} short."
        )
    if result.percent is None or result.low is None or result.high is None:
        return f"No result for {outcome}."
    low, high = sorted((result.low, result.high))
    interval = f"95 % interval {_pct(low)} to {_pct(high)}, the range of changes these days are compatible with"
    if result.verdict == NO_CLEAR:
        return (
            f"No clear difference in {outcome} between the phases: typical level {_pct(result.percent)} ({interval}), "
            "and that range includes no change."
        )
    direction = "lower" if result.verdict == LOWER else "higher"
    return (
        f"{outcome.capitalize()} was {direction} during the change: typical level {_pct(result.percent)} "
        f"({interval}). This says they went together in this period, not that the change caused it."
    )


def _pct(value: float) -> str:
    return f"{value:+.0f} %"


FLARE_WARNING: Final = (
    "A flare is under way. Flares fade by themselves, so anything started now would look as if it worked even if it "
    "did nothing. Waiting until the flare has ended and your usual level is back gives a fair comparison."
)
EXPERIMENTS_NOTE: Final = (
    "Each compares the days with the change against the person's own days without it: the percentage is the change "
    "in the typical level (difference of the mean log(1 + value)), the 95 % interval allows for runs of good and bad "
    "days, and days inside a flare and the week after it are left out of both sides. Plans longer than 28 days give "
    "a chance “lower” or “higher” more often (about 6 to 8 in 100 simulated 56-day plans). A difference shows what "
    "went together, not what caused it."
)  # under the experiments in the report, web (templates/reports/_report_body.html, the same words) and PDF

LONG_PLAN_CAUTION: Final = (
    "This plan ran longer than 28 days. Over longer plans the allowance this app makes for runs of good and bad "
    "days is less exact: in our simulations of 56-day plans, a change that did nothing was still called lower or "
    "higher about 6 to 8 times in 100, more often than the 5 in 100 the 95 % interval promises. Read this result "
    "with extra caution."
)


def long_plan(design: str, days: int) -> bool:
    """Whether a plan compares more calendar days than a 28 + 28 before-and-after plan (an alternating plan's
    `days` are all its blocks together): over such plans a change that does nothing is called lower or higher
    more often than 5 in 100 (docs/trends.md: 0.060 over 56 + 56 simulated days, 0.083 with no flares at all, so
    the error model's estimate, not the flares, is the cause), so a lower or higher result carries
    LONG_PLAN_CAUTION."""
    span = days if design == "abab" else 2 * days
    return span > 2 * SUGGESTED_DAYS


STARTED_IN_FLARE: Final = (
    "Started while a flare was under way or had just ended: flares fade by themselves, so the result may show a "
    "fall that would have happened anyway."
)
