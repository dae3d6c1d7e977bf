"""What any detector could reach on the labelled corpus: an oracle's ceiling (`manage.py eval_flares --ceiling`).

The oracle knows what no detector can: for every history, the true usual level of every calendar day (drifts, spikes
and remissions included: everything the generator does that is not a flare) and where the true flares are. It judges
a window of calendar days by one number, z: the sum over the window's logged days of log(1 + burden) (or, with scale
"count", of the burden itself) minus its expected value at the usual level, divided by the sd of that sum at the
usual level (the generator's day-to-day correlation included). Expectations and sds are the generator's own
(trends/synthetic.py: the log-normal AR(1) latent rate and the negative binomial on top), computed from its model
(the covariance of two days to first order in the latent rate), not estimated from the data.

A true flare is found at threshold t when some window of 5-30 days (shorter if the flare is) with at least
MIN_LOGGED logged days that shares a day with it has z >= t (the evaluation's matching rule: a reported period
matches a true one when they share a day). A false flare is a window of the same lengths with no flare day and z >=
t; overlapping ones count once (disjoint windows, taken greedily from the highest z). Sweeping t gives, per category
and overall, the best recall at precision >= 0.95 (precision as trends/evaluation.py defines it: found true flares
over all periods reported) and at <= 1 false flare per 5 years of the flat histories.

It is an upper bound for detectors that judge a span by its level (on either scale): a real detector must estimate
the usual level from the days before and does not know where a flare starts or ends. It is not a proof that no
statistic at all could do better; the two scales, one weighing high days down and one weighing them linearly, give
the same overall ceiling (docs/trends.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import numpy.typing as npt
from scipy import stats

from bfs_tracker.trends import synthetic
from bfs_tracker.trends.synthetic import _Plan

Array = npt.NDArray[np.float64]

LENGTHS = range(5, 31)  # window lengths in calendar days, as the flares (5-30 days)
MIN_LOGGED = 2  # a window needs this many logged days to be judged
FLOOR = 2.0  # false windows below this z are not collected (every threshold that matters is far above it)
TARGET_PRECISION = 0.95
TARGET_RECALL = 0.95
TARGET_FALSE_PER_5Y = 1.0
FLAT = ("flat_light", "flat_medium", "flat_heavy")
THINNED = {2: "2nd", 3: "3rd"}  # the flat histories logged every 2nd / 3rd day as well (false flares only)


# The scale a day's burden X is judged on: log(1 + X) (the detector's), or the count itself (what a Poisson or
# negative binomial likelihood ratio weighs linearly), to check that the ceiling does not hinge on the log scale.
SCALES: dict[str, Callable[[Array], Array]] = {"log": np.log1p, "count": lambda k: k.astype(float)}


@cache
def _moments(scale: str) -> tuple[Array, Array, Array, Array]:
    """For a grid of usual levels: E[f(X)], Var[f(X)] and the part of that variance due to the latent rate (which is
    what correlates from day to day), for one day of the generator at that level; f is the scale."""
    grid = np.geomspace(1e-3, 2000.0, 500)
    nodes, weights = np.polynomial.hermite_e.hermegauss(40)
    weights = weights / weights.sum()
    rates = grid[:, None] * np.exp(synthetic.AR_SD * nodes)[None, :]  # level x latent node
    k = np.arange(synthetic.MAX_BURDEN + 1, dtype=float)
    r = synthetic.NB_DISPERSION
    pmf = stats.nbinom.pmf(k[None, None, :], r, (r / (r + rates))[:, :, None])
    pmf[:, :, -1] += 1.0 - pmf.sum(axis=2)  # the scale's top takes the tail
    f = SCALES[scale](k)
    given = (pmf * f).sum(axis=2)  # E[f(X) | latent]
    given2 = (pmf * f**2).sum(axis=2)
    mean = given @ weights
    var = given2 @ weights - mean**2
    latent_var = (given**2) @ weights - mean**2
    return np.log(grid), mean, var, latent_var


def day_moments(level: Array, scale: str = "log") -> tuple[Array, Array, Array]:
    """Mean, variance and latent variance of f(burden) per day at these usual levels (0 for a level of 0)."""
    log_grid, mean, var, latent = _moments(scale)
    x = np.log(np.maximum(level, 1e-3))
    zero = level <= 0

    def at(y: Array) -> Array:
        return np.where(zero, 0.0, np.interp(x, log_grid, y))

    return at(mean), at(var), np.maximum(at(latent), 0.0)


def window_z(
    values: Array, logged: npt.NDArray[np.bool_], level: Array, lengths: range, scale: str = "log"
) -> dict[int, Array]:
    """z of every window of each length (index = first day); -inf where the window cannot be judged."""
    mean, var, latent = day_moments(level, scale)
    resid = np.where(logged, SCALES[scale](np.where(logged, values, 0.0)) - mean, 0.0)
    var = np.where(logged, var, 0.0)
    root = np.where(logged, np.sqrt(latent), 0.0)
    cum = [np.concatenate([[0.0], np.cumsum(a)]) for a in (resid, var, logged.astype(float))]
    # Covariance of two logged days d apart: sqrt(latent_i latent_j) * phi^d (the latent AR(1) carried through).
    pairs = {
        d: np.concatenate([[0.0], np.cumsum(root[:-d] * root[d:] * synthetic.AR_PHI**d)])
        for d in range(1, max(lengths))
        if d < len(values)
    }
    out: dict[int, Array] = {}
    for length in lengths:
        starts = np.arange(len(values) - length + 1)
        if not len(starts):
            continue
        total, spread, count = (c[starts + length] - c[starts] for c in cum)
        for d in range(1, length):
            spread = spread + 2 * (pairs[d][starts + length - d] - pairs[d][starts])
        ok = (count >= MIN_LOGGED) & (spread > 1e-9)
        out[length] = np.where(ok, total / np.sqrt(np.where(ok, spread, 1.0)), -np.inf)
    return out


def history_z(
    values: Array, logged: npt.NDArray[np.bool_], level: Array, flares: list[tuple[int, int]], scale: str = "log"
) -> tuple[list[float], list[float]]:
    """Per true flare (first, last day index) the best z of the windows sharing a day with it; and the z of disjoint
    flare-free windows >= FLOOR, highest first."""
    n = len(values)
    shortest = min([LENGTHS.start] + [b - a + 1 for a, b in flares])
    z = window_z(values, logged, level, range(shortest, LENGTHS.stop), scale)
    in_flare = np.zeros(n, dtype=bool)
    for a, b in flares:
        in_flare[a : b + 1] = True
    flare_cum = np.concatenate([[0], np.cumsum(in_flare)])
    found = []
    for a, b in flares:
        best = -np.inf
        for length, zs in z.items():  # every window sharing a day with the flare (the evaluation's matching rule)
            best = max(best, float(zs[max(0, a - length + 1) : b + 1].max(initial=-np.inf)))
        found.append(best)
    windows = []
    for length in LENGTHS:
        if length not in z:
            continue
        starts = np.arange(len(z[length]))
        clean = flare_cum[starts + length] == flare_cum[starts]
        keep = clean & (z[length] >= FLOOR)
        windows += [(float(v), int(s), length) for v, s in zip(z[length][keep], starts[keep], strict=True)]
    taken = np.zeros(n, dtype=bool)
    false = []
    for value, s, length in sorted(windows, reverse=True):
        if not taken[s : s + length].any():
            taken[s : s + length] = True
            false.append(value)
    return found, false


@dataclass
class Category:
    histories: int = 0
    years: float = 0.0
    flare_z: list[float] = field(default_factory=list)
    false_z: list[float] = field(default_factory=list)

    def found(self, t: float) -> int:
        return int(np.sum(np.asarray(self.flare_z) >= t))

    def false(self, t: float) -> int:
        return int(np.sum(np.asarray(self.false_z) >= t))


def _oracle_inputs(h: synthetic.History, plan: _Plan) -> tuple[Array, npt.NDArray[np.bool_], Array]:
    base, mult = plan.base, plan.mult
    values = np.zeros(h.days)
    logged = np.zeros(h.days, dtype=bool)
    for day, value in h.series.items():
        i = (day - synthetic.START).days
        values[i], logged[i] = value, True
    usual = mult.copy()
    for s in h.truth:
        if s.kind == "flare":
            usual[(s.start - synthetic.START).days : (s.end - synthetic.START).days + 1] = 1.0
    return values, logged, base * usual


def collect(seeds: range, scale: str = "log") -> dict[str, Category]:
    """Every category's oracle statistics over the seeds (plus the flat ones thinned to every 2nd / 3rd day)."""
    out: dict[str, Category] = {}
    for category in synthetic.CATEGORIES:
        for seed in seeds:
            h, plan = synthetic.history_and_plan(category, seed)
            values, logged, level = _oracle_inputs(h, plan)
            flares = [
                ((s.start - synthetic.START).days, (s.end - synthetic.START).days) for s in h.truth if s.kind == "flare"
            ]
            variants = [(category, logged)]
            if category in FLAT:
                for k, nth in THINNED.items():
                    variants.append((f"{category}, every {nth} day", logged & (np.arange(h.days) % k == seed % k)))
            for name, mask in variants:
                found, false = history_z(values, mask, level, flares, scale)
                c = out.setdefault(name, Category())
                c.histories += 1
                c.years += h.years
                c.flare_z += found
                c.false_z += false
    return out


def _in_evaluation(name: str) -> bool:
    return name in synthetic.CATEGORIES


def thresholds(cats: dict[str, Category]) -> dict[str, float]:
    """The oracle's thresholds: best overall recall at precision >= 0.95; the lowest with <= 1 false flare per 5 flat
    years; best overall recall with both; and the highest that still finds >= 0.95 of the true flares (the price of
    the recall goal), when there is one above FLOOR."""
    scored = [c for name, c in cats.items() if _in_evaluation(name)]
    flat = [cats[name] for name in FLAT]
    flat_years = sum(c.years for c in flat)
    candidates = np.unique(np.concatenate([np.asarray(c.flare_z + c.false_z) for c in scored] + [[np.inf]]))
    candidates = candidates[candidates >= FLOOR]
    true_total = sum(len(c.flare_z) for c in scored)
    best: dict[str, tuple[float, float]] = {}
    for t in candidates:
        found = sum(c.found(t) for c in scored)
        reported = found + sum(c.false(t) for c in scored)
        precise = reported == 0 or found / reported >= TARGET_PRECISION
        rare = sum(c.false(t) for c in flat) / flat_years * 5 <= TARGET_FALSE_PER_5Y
        recall = found / true_total
        if recall >= TARGET_RECALL:
            best["R>=0.95"] = (0.0, float(t))  # ascending: the last one kept is the highest
        for key, ok in (("P>=0.95", precise), ("<=1 per 5 flat years", rare), ("both", precise and rare)):
            if ok and (key not in best or recall > best[key][0]):  # ascending: the lowest of equal recalls
                best[key] = (recall, float(t))
    order = ("P>=0.95", "<=1 per 5 flat years", "both", "R>=0.95")
    return {key: best[key][1] for key in order if key in best}


def _r(c: Category, t: float) -> str:
    return f"{c.found(t) / len(c.flare_z):.2f}" if c.flare_z else "—"


def own_best(c: Category) -> float | None:
    """Best recall in this category alone at its own precision >= 0.95 (any threshold)."""
    if not c.flare_z:
        return None
    best = 0.0
    for t in np.unique(np.asarray(c.flare_z + c.false_z + [np.inf])):
        found, false = c.found(t), c.false(t)
        if found + false == 0 or found / (found + false) >= TARGET_PRECISION:
            best = max(best, found / len(c.flare_z))
    return best


def table(cats: dict[str, Category]) -> str:
    ts = thresholds(cats)
    keys = list(ts)
    head = (
        "| category | histories | true flares | median z | R, own P≥0.95 | "
        + " | ".join(f"R / false per 5 y @ {k} (z≥{ts[k]:.2f})" for k in keys)
        + " |\n|"
        + "---|" * (5 + len(keys))
        + "\n"
    )
    rows = []
    for name, c in cats.items():
        median = f"{np.median(c.flare_z):.1f}" if c.flare_z else "—"
        own = own_best(c)
        cells = [f"{_r(c, ts[k])} / {c.false(ts[k]) / c.years * 5:.2f}" for k in keys]
        rows.append(
            f"| {name} | {c.histories} | {len(c.flare_z)} | {median} | {'—' if own is None else f'{own:.2f}'} | "
            + " | ".join(cells)
            + " |"
        )
    overall = Category()
    for name, c in cats.items():
        if _in_evaluation(name):
            overall.histories += c.histories
            overall.years += c.years
            overall.flare_z += c.flare_z
            overall.false_z += c.false_z
    cells = []
    for k in keys:
        found, false = overall.found(ts[k]), overall.false(ts[k])
        cells.append(f"{_r(overall, ts[k])} (P {found / max(1, found + false):.3f}) / {false / overall.years * 5:.2f}")
    rows.append(
        f"| **overall** (the evaluation's 17 categories) | {overall.histories} | {len(overall.flare_z)} | "
        f"{np.median(overall.flare_z):.1f} | {own_best(overall):.2f} | " + " | ".join(cells) + " |"
    )
    return head + "\n".join(rows) + "\n"
