"""`make eval-experiments`: does the experiment comparison (trends/experiments.py) tell the truth on realistic data?

A generator of labelled histories: twitch burden as negative-binomial counts around a person's own level, a
latent day-to-day level with AR(1) memory (observed lag-1 correlation about 0.5), flares (a rise over a few days,
a peak two to four times the usual level, a slow fade over two to five weeks), and about one day in ten not
logged. On it, many experiments are simulated and called by `compare` exactly as the app calls them, in four
scenarios:

- "true 30 % reduction": the change lowers the expected burden by 30 % from its first day, 28 + 28 days, started
  whenever the person likes, but waiting when the app warns of a flare (as it advises);
- "no effect": the same with a change that does nothing: every "lower" or "higher" is a false alarm;
- "no effect, started at a flare's peak": the person starts on the worst day of a flare, ignoring the warning
  (regression to the mean makes "lower" likely for any method that ignores flares);
- "no effect, at a flare's peak, waiting as advised": the same person, but starting when the warning stops.

Everything is seeded: the same command prints the same table.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from bfs_tracker.trends.experiments import HIGHER, LOWER, NOT_ENOUGH, SUGGESTED_DAYS, compare, plan_phases
from bfs_tracker.trends.planning import baseline_start, flare_check, flare_days

EXCLUDE_FLARES = True

ORIGIN = dt.date(2025, 1, 1)


@dataclass(frozen=True)
class World:
    """How realistic histories are drawn."""

    level: tuple[float, float] = (8.0, 40.0)  # a person's usual burden, drawn log-uniformly
    phi: float = 0.75  # the latent level's day-to-day memory
    latent_sd: float = 0.45  # its spread on the log scale
    dispersion: float = 12.0  # negative binomial size: smaller is more overdispersed
    flare_rate: float = 1 / 120  # flares start on about one day in 120
    flare_peak: tuple[float, float] = (2.0, 4.0)
    flare_days: tuple[int, int] = (14, 35)
    missing: float = 0.1


def simulate(
    rng: np.random.Generator,
    days: int,
    world: World,
    *,
    effect_from: int | None = None,
    effect: float = 1.0,
    forced_flare_at: int | None = None,
) -> tuple[dict[dt.date, float], list[tuple[int, int, int]]]:
    """A history of `days` days from ORIGIN: {date: burden} (unlogged days absent) and the true flares as
    (start, peak, end) day numbers. From day `effect_from` on, the expected burden is multiplied by `effect`."""
    level = math.exp(rng.uniform(math.log(world.level[0]), math.log(world.level[1])))
    z = np.empty(days)
    z[0] = rng.normal(0, world.latent_sd)
    innovation = world.latent_sd * math.sqrt(1 - world.phi**2)
    for t in range(1, days):
        z[t] = world.phi * z[t - 1] + rng.normal(0, innovation)
    flare = np.zeros(days)
    flares = []
    starts = [t for t in range(days) if rng.random() < world.flare_rate]
    if forced_flare_at is not None:
        starts = [s for s in starts if abs(s - forced_flare_at) > 60] + [forced_flare_at]
    for s in sorted(starts):
        length = int(rng.integers(world.flare_days[0], world.flare_days[1] + 1))
        rise = max(2, length // 5)
        peak = math.log(rng.uniform(*world.flare_peak))
        for t in range(s, min(days, s + length)):
            k = t - s
            shape = k / rise if k < rise else 1 - (k - rise) / (length - rise)
            flare[t] = max(flare[t], peak * shape)
        flares.append((s, s + rise, s + length - 1))
    mean = level * np.exp(z + flare - world.latent_sd**2 / 2)
    if effect_from is not None:
        mean[effect_from:] *= effect
    counts = rng.negative_binomial(world.dispersion, world.dispersion / (world.dispersion + mean))
    logged = rng.random(days) >= world.missing
    series = {ORIGIN + dt.timedelta(days=t): float(counts[t]) for t in range(days) if logged[t]}
    return series, flares


def _called(
    series: dict[dt.date, float], start: int, days: int, method: str, *, respect_flares: bool
) -> tuple[str, dt.date]:
    """The verdict the app would give for an A-B experiment started on day `start`."""
    start_date = ORIGIN + dt.timedelta(days=start)
    before = {d: v for d, v in series.items() if d < start_date}
    base_from = baseline_start(before, start_date, days) if respect_flares else start_date - dt.timedelta(days=days)
    phases = plan_phases("ab", start_date, days)
    phases[0] = phases[0].__class__(phases[0].label, phases[0].kind, base_from, phases[0].end)
    end = start_date + dt.timedelta(days=days - 1)
    exclude = flare_days({d: v for d, v in series.items() if d <= end}) if EXCLUDE_FLARES else set()
    return compare(series, phases, method=method, exclude=exclude).verdict, start_date


def _wait_until_clear(series: dict[dt.date, float], start: int, days: int, limit: int) -> int | None:
    """The first day from `start` on when the app no longer warns (what a person waiting as advised does)."""
    for t in range(start, limit):
        day = ORIGIN + dt.timedelta(days=t)
        before = {d: v for d, v in series.items() if d < day}
        if not flare_check(before, day, days).warn:
            return t
    return None


@dataclass
class Tally:
    lower: int = 0
    higher: int = 0
    not_enough: int = 0
    runs: int = 0

    def add(self, verdict: str) -> None:
        self.runs += 1
        self.lower += verdict == LOWER
        self.higher += verdict == HIGHER
        self.not_enough += verdict == NOT_ENOUGH

    def share(self, n: int) -> float:
        decided = self.runs
        return n / decided if decided else float("nan")


def run_scenario(
    name: str,
    runs: int,
    seed: int,
    world: World,
    method: str,
    *,
    effect: float = 1.0,
    at_peak: bool = False,
    wait: bool = True,
    days: int = SUGGESTED_DAYS,
) -> Tally:
    rng = np.random.default_rng(seed)
    tally = Tally()
    history = 400
    while tally.runs < runs:
        if at_peak:
            flare_at = int(rng.integers(150, 220))
            series, flares = simulate(rng, history, world, forced_flare_at=flare_at)
            start = next(p for s, p, _ in flares if s == flare_at)
        else:
            series, flares = simulate(rng, history, world)
            start = int(rng.integers(120, 260))
        if wait:
            found = _wait_until_clear(series, start, days, 340)
            if found is None:
                continue
            start = found
        if effect != 1.0:
            series, _ = _with_effect(series, start, effect, world, rng)
        verdict, _ = _called(series, start, days, method, respect_flares=wait)
        tally.add(verdict)
    return tally


def _with_effect(series: dict[dt.date, float], start: int, effect: float, world: World, rng: np.random.Generator):
    """Thin each count from `start` on to `effect` of itself (binomial thinning keeps them whole counts)."""
    start_date = ORIGIN + dt.timedelta(days=start)
    out = {d: (float(rng.binomial(int(v), effect)) if d >= start_date else v) for d, v in series.items()}
    return out, None


def lag1_correlation(world: World, seed: int = 7) -> float:
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(50):
        series, _ = simulate(rng, 365, world)
        days = sorted(series)
        pairs = [(series[a], series[b]) for a, b in zip(days, days[1:], strict=False) if (b - a).days == 1]
        x, y = np.array(pairs).T
        values.append(float(np.corrcoef(x, y)[0, 1]))
    return float(np.median(values))


SCENARIOS: Sequence[tuple[str, dict]] = (
    ("True 30 % reduction, 28 + 28 days: called lower (goal >= 0.80)", {"effect": 0.7}),
    ("True 30 % reduction, 56 + 56 days: called lower", {"effect": 0.7, "days": 56}),
    ("True 50 % reduction, 28 + 28 days: called lower", {"effect": 0.5}),
    ("No effect, 28 + 28 days: called lower or higher (goal <= 0.05)", {}),
    ("No effect, started at a flare's peak, warning ignored: lower or higher", {"at_peak": True, "wait": False}),
    ("No effect, at a flare's peak, waiting as advised: lower or higher (goal <= 0.05)", {"at_peak": True}),
)


def evaluate(
    runs: int = 400,
    methods: Sequence[str] = ("ar1", "glsar_iterated", "bootstrap"),
    seed: int = 13,
    out: Callable[[str], None] = print,
) -> dict[str, list[float]]:
    world = World()
    out(f"Simulated histories: lag-1 correlation of daily burden {lag1_correlation(world):.2f} (median).")
    out(f"{runs} experiments per scenario and method; seed {seed}.")
    out("")
    header = "| Scenario | " + " | ".join(methods) + " |"
    out(header)
    out("|---|" + "---|" * len(methods))
    table: dict[str, list[float]] = {}
    for i, (name, options) in enumerate(SCENARIOS):
        cells = []
        for method in methods:
            tally = run_scenario(name, runs, seed + i, world, method, **options)
            n = tally.lower if "effect" in options else tally.lower + tally.higher
            cells.append(tally.share(n))
        table[name] = cells
        out(f"| {name} | " + " | ".join(f"{c:.3f}" for c in cells) + " |")
    return table


METHOD_NAMES = {
    "ar1": "AR(1) errors, long-run matched (used)",
    "glsar_iterated": "GLSAR AR(1), iterated",
    "bootstrap": "moving-block bootstrap",
    "arma": "ARMA(1,1) errors (SARIMAX)",
}


def main(argv: Sequence[str] | None = None) -> None:
    import argparse  # noqa: PLC0415 (only when run as a command)

    parser = argparse.ArgumentParser(description="Simulate experiments and print how often each verdict is right.")
    parser.add_argument("--runs", type=int, default=400, help="experiments per scenario and method")
    parser.add_argument("--methods", default="ar1,glsar_iterated,bootstrap")
    parser.add_argument("--seed", type=int, default=13)
    options = parser.parse_args(argv)
    methods = options.methods.split(",")
    print("Methods: " + "; ".join(f"{m} = {METHOD_NAMES.get(m, m)}" for m in methods))
    evaluate(options.runs, methods, options.seed)


if __name__ == "__main__":
    main()
