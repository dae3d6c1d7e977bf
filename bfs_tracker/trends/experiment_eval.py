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

Two generators (`--world`): "harsh" (the default, the one the figures were first measured on: latent memory phi
0.75, spread 0.45) and "ar05" (a second, equally faithful reading of "day-to-day correlation around 0.5": phi
0.6, spread 0.55, whose observed correlations fall about as an AR(1) at 0.5 does: 0.47, 0.31, 0.19 at lags 1-3,
where the harsh one's stay at 0.54, 0.46, 0.36). `power_bound` is the analytic ceiling for each. "harsh_noflares"
is the harsh one with no flares at all, to tell what the flares cause. "model" draws log(1 + burden) exactly from
the comparison's own error model (every day logged, no flares, the flare handling not applied): whether the
method is calibrated on the very model it assumes.

Everything is seeded: the same command prints the same table.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats as scipy_stats

from bfs_tracker.trends.experiments import (
    HIGHER,
    LOWER,
    NOT_ENOUGH,
    SUGGESTED_DAYS,
    WITH,
    _null_series,
    compare,
    plan_phases,
)
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
    # "model": no counts, no flares, every day logged: log(1 + burden) is drawn exactly from the comparison's own
    # error model (`experiments._null_series`: an AR(1) level with memory phi holding `model_share` of the
    # variance `model_variance`, plus each day's scatter), and the app's flare handling is not applied.
    model: bool = False
    model_share: float = 0.61
    model_variance: float = 0.33


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
    (start, peak, end) day numbers. From day `effect_from` on, the expected burden is multiplied by `effect`
    (in a "model" world, 1 + burden is)."""
    if world.model:
        level = math.exp(rng.uniform(math.log(world.level[0]), math.log(world.level[1])))
        one = np.ones(1)
        errors = _null_series(
            np.arange(days), world.phi * one, world.model_share * one, world.model_variance * one, rng
        )[0]
        logs = math.log1p(level) + errors
        if effect_from is not None:
            logs[effect_from:] += math.log(effect)
        return {ORIGIN + dt.timedelta(days=t): float(np.expm1(logs[t])) for t in range(days)}, []
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
    series: dict[dt.date, float], start: int, days: int, method: str | Sequence[str], *, respect_flares: bool
) -> tuple[str | list[str], dt.date]:
    """The verdict the app would give for an A-B experiment started on day `start` (one per method when given
    several: the same phases and left-out days, called by each)."""
    start_date = ORIGIN + dt.timedelta(days=start)
    before = {d: v for d, v in series.items() if d < start_date}
    base_from = baseline_start(before, start_date, days) if respect_flares else start_date - dt.timedelta(days=days)
    phases = plan_phases("ab", start_date, days)
    phases[0] = phases[0].__class__(phases[0].label, phases[0].kind, base_from, phases[0].end)
    end = start_date + dt.timedelta(days=days - 1)
    exclude = flare_days({d: v for d, v in series.items() if d <= end}) if EXCLUDE_FLARES and respect_flares else set()
    if isinstance(method, str):
        return compare(series, phases, method=method, exclude=exclude).verdict, start_date
    return [compare(series, phases, method=m, exclude=exclude).verdict for m in method], start_date


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
    return run_scenario_methods(
        name, runs, seed, world, [method], effect=effect, at_peak=at_peak, wait=wait, days=days
    )[method]


def run_scenario_methods(
    name: str,
    runs: int,
    seed: int,
    world: World,
    methods: Sequence[str],
    *,
    effect: float = 1.0,
    at_peak: bool = False,
    wait: bool = True,
    days: int = SUGGESTED_DAYS,
) -> dict[str, Tally]:
    """`runs` experiments of one scenario, each called by every method: the methods see the very same
    experiments (the seed fixes them; no method draws from the generator's random numbers), so the columns of
    the table differ only by the method, and the histories are drawn once."""
    rng = np.random.default_rng(seed)
    tallies = {m: Tally() for m in methods}
    history = 400
    while tallies[methods[0]].runs < runs:
        if at_peak:
            flare_at = int(rng.integers(150, 220))
            series, flares = simulate(rng, history, world, forced_flare_at=flare_at)
            start = next(p for s, p, _ in flares if s == flare_at)
        else:
            series, flares = simulate(rng, history, world)
            start = int(rng.integers(120, 260))
        if wait and not world.model:
            found = _wait_until_clear(series, start, days, 340)
            if found is None:
                continue
            start = found
        if effect != 1.0:
            series, _ = _with_effect(series, start, effect, world, rng)
        verdicts, _ = _called(series, start, days, list(methods), respect_flares=wait and not world.model)
        for m, verdict in zip(methods, verdicts, strict=True):
            tallies[m].add(verdict)
    return tallies


def _with_effect(series: dict[dt.date, float], start: int, effect: float, world: World, rng: np.random.Generator):
    """Thin each count from `start` on to `effect` of itself (binomial thinning keeps them whole counts); in a
    "model" world, multiply 1 + burden by `effect` (a shift of log(effect) on the scale the errors are drawn on)."""
    start_date = ORIGIN + dt.timedelta(days=start)
    if world.model:
        return {
            d: (float(np.expm1(np.log1p(v) + math.log(effect))) if d >= start_date else v) for d, v in series.items()
        }, None
    out = {d: (float(rng.binomial(int(v), effect)) if d >= start_date else v) for d, v in series.items()}
    return out, None


def lag1_correlation(world: World, seed: int = 7) -> float:
    return lag_correlation(world, 1, seed)


def lag_correlation(world: World, lag: int, seed: int = 7) -> float:
    """Median over 50 simulated years of the correlation of daily burden between days `lag` apart."""
    rng = np.random.default_rng(seed)
    values = []
    step = dt.timedelta(days=lag)
    for _ in range(50):
        series, _ = simulate(rng, 365, world)
        pairs = [(series[a], series[a + step]) for a in sorted(series) if a + step in series]
        x, y = np.array(pairs).T
        values.append(float(np.corrcoef(x, y)[0, 1]))
    return float(np.median(values))


def power_bound(world: World, days: int, effect: float = 0.7, level: float = 0.95) -> dict[str, float]:
    """The analytic ceiling on power for an A-B experiment of `days` + `days` days on `world`, with no flares, no
    unlogged or left-out days and the error variance known (a z-test on the difference of the two phases' mean
    log(1 + burden)): every real method does worse.

    On the log scale a day is the latent level (AR(1), memory phi, variance spread**2) plus the count's own
    scatter, whose variance is (mu + mu**2 / size) / (1 + mu)**2 by the delta method, averaged over the usual
    levels (log-uniform). The variance of the difference of the two means is a' S a with S the days' covariance
    and a = +1/days during, -1/days before. "Effective days" is the number of independent days with the same
    variance per day that would give one phase's mean the same variance."""
    mus = np.exp(np.linspace(math.log(world.level[0]), math.log(world.level[1]), 201))
    scatter = float(np.mean((mus + mus**2 / world.dispersion) / (1 + mus) ** 2))
    delta = float(np.mean(np.log1p(effect * mus) - np.log1p(mus)))
    lags = np.abs(np.subtract.outer(np.arange(2 * days), np.arange(2 * days)))
    cov = world.latent_sd**2 * world.phi**lags + scatter * (lags == 0)
    a = np.r_[-np.ones(days), np.ones(days)] / days
    sd = math.sqrt(float(a @ cov @ a))
    one_side = float(np.ones(days) @ cov[:days, :days] @ np.ones(days)) / days**2
    per_day = world.latent_sd**2 + scatter
    z = float(scipy_stats.norm.ppf(1 - (1 - level) / 2))
    independent_sd = math.sqrt(2 * per_day / days)
    return {
        "effect_log": delta,
        "sd": sd,
        "effective_days": per_day / one_side,
        "power": float(scipy_stats.norm.cdf(abs(delta) / sd - z)),
        "power_independent": float(scipy_stats.norm.cdf(abs(delta) / independent_sd - z)),
    }


SCENARIOS: Sequence[tuple[str, dict]] = (
    ("True 30 % reduction, 28 + 28 days: called lower (goal >= 0.80)", {"effect": 0.7}),
    ("True 30 % reduction, 56 + 56 days: called lower", {"effect": 0.7, "days": 56}),
    ("True 50 % reduction, 28 + 28 days: called lower", {"effect": 0.5}),
    ("No effect, 28 + 28 days: called lower or higher (goal <= 0.05)", {}),
    ("No effect, started at a flare's peak, warning ignored: lower or higher", {"at_peak": True, "wait": False}),
    ("No effect, at a flare's peak, waiting as advised: lower or higher (goal <= 0.05)", {"at_peak": True}),
    ("No effect, 56 + 56 days: called lower or higher", {"days": 56}),  # last: the others keep their seeds
)


WORLDS: dict[str, World] = {
    "harsh": World(),
    "ar05": World(phi=0.6, latent_sd=0.55),
    # The harsh generator with no flares at all: whether a figure is the flares' doing.
    "harsh_noflares": World(flare_rate=0.0),
    # The comparison's own error model, about the harsh generator's on the log scale: is it calibrated there?
    "model": World(model=True, phi=0.75, flare_rate=0.0, missing=0.0),
}


def evaluate(
    runs: int = 400,
    methods: Sequence[str] = ("calibrated", "difference_boot", "ar1_boot", "ar1", "glsar_iterated"),
    seed: int = 13,
    out: Callable[[str], None] = print,
    world: World | None = None,
    only: Sequence[int] | None = None,
) -> dict[str, list[float]]:
    """The table; `only`: the numbers (1 to 7, in the order of SCENARIOS) of the scenarios to run (each keeps its
    seed, seed + its number - 1, so a restricted run prints the same figures as the full one for those rows)."""
    world = world or World()
    lags = ", ".join(f"{lag_correlation(world, k):.2f}" for k in (1, 2, 3, 7))
    out(
        f"Simulated histories (phi {world.phi}, spread {world.latent_sd}): correlation of daily burden at lags "
        f"1, 2, 3, 7 days: {lags} (medians)."
    )
    for days in () if world.model else (SUGGESTED_DAYS, 2 * SUGGESTED_DAYS):
        bound = power_bound(world, days)
        out(
            f"Analytic ceiling, {days} + {days} days (no flares, every day logged, variance known): sd of the "
            f"difference {bound['sd']:.3f} on the log scale for a true change of {bound['effect_log']:.3f}; "
            f"{bound['effective_days']:.1f} effective days per phase; power {bound['power']:.2f} "
            f"(independent days with the same spread: {bound['power_independent']:.2f})."
        )
    out(f"{runs} experiments per scenario and method; seed {seed}.")
    out("")
    header = "| Scenario | " + " | ".join(methods) + " |"
    out(header)
    out("|---|" + "---|" * len(methods))
    table: dict[str, list[float]] = {}
    not_enough: dict[str, float] = {}
    for i, (name, options) in enumerate(SCENARIOS):
        if only and i + 1 not in only:
            continue
        if world.model and "at_peak" in options:
            out(f"| {name} | " + " | ".join("n/a (no flares)" for _ in methods) + " |")
            continue
        cells = []
        tallies = run_scenario_methods(name, runs, seed + i, world, methods, **options)
        for method in methods:
            tally = tallies[method]
            n = tally.lower if "effect" in options else tally.lower + tally.higher
            cells.append(tally.share(n))
            not_enough[name] = tally.share(tally.not_enough)  # the same for every method (decided before it)
        table[name] = cells
        out(f"| {name} | " + " | ".join(f"{c:.3f}" for c in cells) + " |")
    out("")
    out("Share of the same experiments with 'not enough logged days' (counted above as neither lower nor higher):")
    for name, share in not_enough.items():
        out(f"- {name.split(':')[0]}: {share:.3f}")
    return table


def _difference(series: dict[dt.date, float], start: int, days: int) -> float | None:
    """The plain statistic behind every method: mean log(1 + burden) during minus in the baseline, with the app's
    baseline and flare handling; None when a side has fewer than 14 logged days."""
    start_date = ORIGIN + dt.timedelta(days=start)
    before = {d: v for d, v in series.items() if d < start_date}
    phases = plan_phases("ab", start_date, days)
    phases[0] = phases[0].__class__(
        phases[0].label, phases[0].kind, baseline_start(before, start_date, days), phases[0].end
    )
    end = start_date + dt.timedelta(days=days - 1)
    excluded = flare_days({d: v for d, v in series.items() if d <= end})
    kept = {d: v for d, v in series.items() if d not in excluded}
    sides = [[v for p in phases if (p.kind == WITH) == on for d, v in kept.items() if p.contains(d)] for on in (0, 1)]
    if min(len(side) for side in sides) < 14:
        return None
    return float(np.mean(np.log1p(sides[1])) - np.mean(np.log1p(sides[0])))


def _differences(effect: float, runs: int, seed: int, world: World, days: int) -> list[float | None]:
    rng = np.random.default_rng(seed)
    out: list[float | None] = []
    while len(out) < runs:
        series, _ = simulate(rng, 400, world)
        start = _wait_until_clear(series, int(rng.integers(120, 260)), days, 340)
        if start is None:
            continue
        if effect != 1.0:
            series, _ = _with_effect(series, start, effect, world, rng)
        out.append(_difference(series, start, days))
    return out


def oracle(
    runs: int = 400, seed: int = 101, out: Callable[[str], None] = print, world: World | None = None
) -> dict[int, float]:
    """The best power any test of the right size could have here: thresholds set at the 2.5th and 97.5th
    percentiles of the statistic in no-effect experiments (exactly 5 % false alarms, known only to a simulation),
    then the share of true 30 % reductions below the lower one. If this is far below 0.8, no method can meet the
    goal on these histories; the gap to it is what a better method could still gain."""
    world = world or World()
    found: dict[int, float] = {}
    for days in (SUGGESTED_DAYS, 2 * SUGGESTED_DAYS):
        null = [v for v in _differences(1.0, runs, seed, world, days) if v is not None]
        low = float(np.percentile(null, 2.5))
        effect = _differences(0.7, runs, seed + 1, world, days)
        found[days] = sum(1 for v in effect if v is not None and v < low) / len(effect)
        out(
            f"Oracle, {days} + {days} days: no-effect spread (sd) {np.std(null):.3f} on the log scale; "
            f"a test with exactly 5 % false alarms calls a true 30 % reduction lower in {found[days]:.3f}."
        )
    return found


METHOD_NAMES = {
    "calibrated": "difference of means, SE from the fitted errors, double (calibrated) parametric bootstrap (used)",
    "difference_boot": "difference of means, SE from the fitted errors, single parametric bootstrap",
    "difference_t": "difference of means, SE from the fitted errors, t table",
    "ar1_boot": "AR(1) errors, long-run matched (GLSAR), single parametric bootstrap",
    "ar1": "AR(1) errors, long-run matched (GLSAR), t table (used until 26 Nov 2026)",
    "ar1_eff": "AR(1) errors, long-run matched, t on the effective number of days",
    "glsar_iterated": "GLSAR AR(1), iterated",
    "bootstrap": "moving-block bootstrap",
    "arma": "ARMA(1,1) errors (SARIMAX)",
    "calibrated_moments": "difference of means, SE from the errors fitted to the residuals' expected "
    "autocorrelations for the design, double (calibrated) parametric bootstrap (tried 26 Nov 2026, not used)",
    "moments_boot": "the same, single parametric bootstrap",
}


def main(argv: Sequence[str] | None = None) -> None:
    import argparse  # noqa: PLC0415 (only when run as a command)

    parser = argparse.ArgumentParser(description="Simulate experiments and print how often each verdict is right.")
    parser.add_argument("--runs", type=int, default=400, help="experiments per scenario and method")
    parser.add_argument("--methods", default="calibrated,difference_boot,ar1_boot,ar1,glsar_iterated")
    parser.add_argument("--world", choices=sorted(WORLDS), default="harsh", help="which generator (see the module doc)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--oracle", action="store_true", help="also the power of a test of exactly the right size")
    parser.add_argument(
        "--scenarios", default="", help="comma-separated numbers (1-7) of the table's rows to run; default all"
    )
    options = parser.parse_args(argv)
    only = [int(n) for n in options.scenarios.split(",") if n.strip()] or None
    methods = options.methods.split(",")
    print("Methods: " + "; ".join(f"{m} = {METHOD_NAMES.get(m, m)}" for m in methods))
    evaluate(options.runs, methods, options.seed, world=WORLDS[options.world], only=only)
    if options.oracle:
        print("")
        oracle(options.runs, world=WORLDS[options.world])


if __name__ == "__main__":
    main()
