"""Made-up twitch histories with known flares and remissions, for calibrating and testing the flare detector.

Plain Python and numpy; no database. `make eval-flares` (trends/evaluation.py) runs the detector on many seeds of
every category and prints how well it finds the labelled periods; tests/test_trends_flares_corpus.py runs a few
seeds of each with tolerances.

How a history is made (one value per calendar day):
- A usual level `base` (light twitchers 1-5, medium 6-25, heavy 30-80 burden points), times a multiplier that is
  1 on ordinary days, 1.5-4 in a flare and 0-0.2 in a remission (the labelled spans), optionally drifting slowly.
- Day-to-day variation that looks like real counts: the latent rate wanders from day to day (an AR(1) process on
  the log scale, so good and bad days come in runs), and the day's burden is drawn from a negative binomial around
  it (overdispersed: the variance grows with the square of the mean, not like tidy uniform noise).
- Then the days the person did not log are removed (unlogged days are unknown, never zero).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

import numpy as np
import numpy.typing as npt

START = date(2024, 1, 1)
MAX_BURDEN = 300  # the burden scale's top (10 intensity x 2 sides x 15 muscle groups)

# Day-to-day variation (see the module docstring). AR(1) on the log of the rate: a stationary sd of 0.2 (a good or
# bad spell of about +-20 %) with a day-to-day correlation of 0.5; negative binomial with dispersion 10 (variance =
# mean + mean^2 / 10: a heavy twitcher at 40 has a day-to-day sd of about 14).
AR_SD = 0.2
AR_PHI = 0.5
NB_DISPERSION = 10.0

Kind = Literal["flare", "remission"]
BASES = {"light": (1.0, 5.0), "medium": (6.0, 25.0), "heavy": (30.0, 80.0)}


@dataclass(frozen=True)
class Span:
    kind: Kind
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass
class History:
    category: str
    seed: int
    days: int  # calendar days from START
    series: dict[date, float]  # logged days only
    truth: list[Span] = field(default_factory=list)

    @property
    def years(self) -> float:
        return self.days / 365.25


@dataclass
class _Plan:
    """A history before noise: per calendar day the usual level and the multiplier, and which days are logged."""

    base: npt.NDArray[np.float64]
    mult: npt.NDArray[np.float64]
    logged: npt.NDArray[np.bool_]
    truth: list[Span] = field(default_factory=list)

    @classmethod
    def flat(cls, n: int, base: float) -> _Plan:
        return cls(np.full(n, base), np.ones(n), np.ones(n, dtype=bool))

    def period(self, kind: Kind, first: int, length: int, level: float) -> None:
        last = min(first + length, len(self.mult)) - 1
        self.mult[first : last + 1] = level
        self.truth.append(Span(kind, START + timedelta(days=first), START + timedelta(days=last)))


def _noisy(plan: _Plan, rng: np.random.Generator) -> dict[date, float]:
    n = len(plan.base)
    shocks = rng.normal(0.0, AR_SD * np.sqrt(1 - AR_PHI**2), n)
    latent = np.empty(n)
    latent[0] = rng.normal(0.0, AR_SD)
    for i in range(1, n):
        latent[i] = AR_PHI * latent[i - 1] + shocks[i]
    rate = plan.base * plan.mult * np.exp(latent)
    counts = np.zeros(n)
    positive = rate > 0
    # numpy's negative binomial: n successes, p = n / (n + mean) gives that mean and variance mean + mean^2 / n.
    counts[positive] = rng.negative_binomial(NB_DISPERSION, NB_DISPERSION / (NB_DISPERSION + rate[positive]))
    counts = np.minimum(counts, MAX_BURDEN)
    return {START + timedelta(days=i): float(counts[i]) for i in range(n) if plan.logged[i]}


def _base(rng: np.random.Generator, kind: str) -> float:
    low, high = BASES[kind]
    return float(rng.uniform(low, high))


def _mostly_daily(plan: _Plan, rng: np.random.Generator, missing: float = 0.1) -> None:
    """Most people miss a day now and then."""
    plan.logged &= rng.random(len(plan.logged)) >= missing


def _step_flare(kind: str, low: float, high: float, shortest: int = 5) -> Callable[[np.random.Generator], _Plan]:
    def make(rng: np.random.Generator) -> _Plan:
        lead, length = int(rng.integers(45, 90)), int(rng.integers(shortest, 31))
        plan = _Plan.flat(lead + length + 40, _base(rng, kind))
        plan.period("flare", lead, length, float(rng.uniform(low, high)))
        _mostly_daily(plan, rng)
        return plan

    return make


def _noisy_flare(rng: np.random.Generator) -> _Plan:
    """A flare whose level hovers around 1.6-2.5x, with 1-2 day dips back to the usual level inside it."""
    lead, length = int(rng.integers(45, 90)), int(rng.integers(12, 31))
    plan = _Plan.flat(lead + length + 40, _base(rng, str(rng.choice(["light", "medium", "heavy"]))))
    level = float(rng.uniform(1.6, 2.5)) * (1.5 if plan.base[0] < 6 else 1.0)
    plan.period("flare", lead, length, level)
    day = lead + int(rng.integers(3, 6))
    while day < lead + length - 4:
        dip = int(rng.integers(1, 3))
        plan.mult[day : day + dip] = 1.0
        day += dip + int(rng.integers(4, 8))
    _mostly_daily(plan, rng)
    return plan


def _sparse(every: int) -> Callable[[np.random.Generator], _Plan]:
    """Logging every second or third day (with a slip now and then), and a flare of 10-30 days."""

    def make(rng: np.random.Generator) -> _Plan:
        lead, length = int(rng.integers(60, 120)), int(rng.integers(10, 31))
        plan = _Plan.flat(lead + length + 60, _base(rng, str(rng.choice(["light", "medium", "heavy"]))))
        level = float(rng.uniform(2.0, 4.0)) if plan.base[0] < 6 else float(rng.uniform(1.8, 4.0))
        plan.period("flare", lead, length, level)
        offset = int(rng.integers(0, every))
        plan.logged = (np.arange(len(plan.base)) % every) == offset
        plan.logged &= rng.random(len(plan.base)) >= 0.05
        return plan

    return make


def _gaps(rng: np.random.Generator) -> _Plan:
    """Daily logging with two to four breaks of 3-14 days outside the flare."""
    lead, length = int(rng.integers(90, 150)), int(rng.integers(7, 31))
    plan = _Plan.flat(lead + length + 90, _base(rng, str(rng.choice(["light", "medium", "heavy"]))))
    level = float(rng.uniform(2.0, 4.0)) if plan.base[0] < 6 else float(rng.uniform(1.6, 4.0))
    plan.period("flare", lead, length, level)
    _mostly_daily(plan, rng, 0.05)
    for _ in range(int(rng.integers(2, 5))):
        gap = int(rng.integers(3, 15))
        first = int(rng.integers(10, len(plan.base) - gap))
        if first + gap < lead - 3 or first > lead + length + 3:
            plan.logged[first : first + gap] = False
    return plan


def _flat(kind: str, years: float = 2.0) -> Callable[[np.random.Generator], _Plan]:
    def make(rng: np.random.Generator) -> _Plan:
        plan = _Plan.flat(int(365.25 * years), _base(rng, kind))
        _mostly_daily(plan, rng)
        return plan

    return make


def _spikes(rng: np.random.Generator) -> _Plan:
    """A year with single-day spikes (4-10x) every few weeks: bad days, not flares."""
    plan = _Plan.flat(365, _base(rng, str(rng.choice(["light", "medium", "heavy"]))))
    for day in range(40, 360, int(rng.integers(20, 35))):
        plan.mult[day] = float(rng.uniform(4.0, 10.0))
    _mostly_daily(plan, rng)
    return plan


def _drift(rng: np.random.Generator) -> _Plan:
    """The usual level moves 2-3x up or down over 3-6 months: a new baseline, neither a flare nor a remission."""
    plan = _Plan.flat(400, _base(rng, str(rng.choice(["light", "medium", "heavy"]))))
    first, length = int(rng.integers(60, 120)), int(rng.integers(90, 181))
    factor = float(rng.uniform(2.0, 3.0))
    if plan.base[0] > 6 and rng.random() < 0.5:
        factor = 1 / factor
    ramp = np.ones(len(plan.base))
    ramp[first : first + length] = np.exp(np.linspace(0, np.log(factor), length))
    ramp[first + length :] = factor
    plan.base = plan.base * ramp
    _mostly_daily(plan, rng)
    return plan


def _remission(low: float, high: float, kinds: tuple[str, ...]) -> Callable[[np.random.Generator], _Plan]:
    def make(rng: np.random.Generator) -> _Plan:
        lead, length = int(rng.integers(45, 90)), int(rng.integers(10, 41))
        plan = _Plan.flat(lead + length + 40, _base(rng, str(rng.choice(list(kinds)))))
        plan.period("remission", lead, length, float(rng.uniform(low, high)))
        _mostly_daily(plan, rng)
        return plan

    return make


def _flare_at_end(rng: np.random.Generator) -> _Plan:
    """A flare (2-4x) that is still going on the last logged day."""
    lead, length = int(rng.integers(45, 90)), int(rng.integers(5, 21))
    plan = _Plan.flat(lead + length, _base(rng, str(rng.choice(["light", "medium", "heavy"]))))
    plan.period("flare", lead, length, float(rng.uniform(2.0, 4.0)))
    _mostly_daily(plan, rng)
    plan.logged[-1] = True
    return plan


def _short(rng: np.random.Generator) -> _Plan:
    """A new user: 10-16 logged days at their usual level, then a clear flare of 7-14 days (or nothing)."""
    lead = int(rng.integers(10, 17))
    plan = _Plan.flat(lead + 25, _base(rng, str(rng.choice(["light", "medium", "heavy"]))))
    if rng.random() < 0.7:
        plan.period("flare", lead, int(rng.integers(7, 15)), float(rng.uniform(2.5, 4.0)))
    return plan


# Every category: how its histories are made. `flat_*` are the false-alarm reference (no period at all).
CATEGORIES: dict[str, Callable[[np.random.Generator], _Plan]] = {
    "flat_light": _flat("light"),
    "flat_medium": _flat("medium"),
    "flat_heavy": _flat("heavy"),
    "flare_light": _step_flare("light", 2.0, 4.0, shortest=7),
    "flare_light_mild": _step_flare("light", 1.5, 2.0),
    "flare_medium": _step_flare("medium", 1.5, 4.0),
    "flare_heavy": _step_flare("heavy", 1.5, 4.0),
    "flare_noisy": _noisy_flare,
    "sparse_every_2nd": _sparse(2),
    "sparse_every_3rd": _sparse(3),
    "gaps": _gaps,
    "spikes": _spikes,
    "drift": _drift,
    "remission_zero": _remission(0.0, 0.0, ("light", "medium", "heavy")),
    "remission_low": _remission(0.1, 0.2, ("medium", "heavy")),
    "flare_at_end": _flare_at_end,
    "short": _short,
}


def history(category: str, seed: int) -> History:
    """One labelled history of `category`; the same seed always gives the same history."""
    return history_and_plan(category, seed)[0]


def history_and_plan(category: str, seed: int) -> tuple[History, _Plan]:
    """`history` and the plan it was drawn from (the true usual level and multiplier per calendar day, which only an
    oracle knows: trends/ceiling.py uses them for the upper bound of what any detector could reach)."""
    rng = np.random.default_rng([seed, sorted(CATEGORIES).index(category)])
    plan = CATEGORIES[category](rng)
    series = _noisy(plan, rng)
    truth = [s for s in plan.truth if any(s.start <= d <= s.end for d in series)]
    return History(category, seed, len(plan.base), series, truth), plan
