"""`make eval-insights`: how often "what goes with worse days" (trends/insights.py) calls a link that is not there,
and how often it finds one that is. Labelled, made-up day records in the shape `trigger_insights` takes; no
database.

A history is a run of days, each a record {"burden": ..., "stress": ..., ...} with the record key of every factor
of `insight_factors()`, made like real logs are:
- burden: negative-binomial counts (dispersion 5: overdispersed) around a person's own level (5-40), times
  exp(latent), where the latent level is an AR(1) process on the log scale (sd 0.4; memory phi 0 to 0.8 by
  category, so good and bad days come in spells), plus the odd spike day (2 %, times 2-4);
- factors, each with its own memory (the same phi as the burden's in a category, so both run in spells):
  stress and anxiety 0-10 around a personal mean (blank on some days: they are optional), sleep hours in half
  hours around 6.5-7.5, sleep quality 1-5, caffeine mg from a weekly habit (weekdays more than weekends; some
  people none at all), alcohol units mostly at weekends, exertion level 0-3 (more at weekends), illness yes/no in
  episodes of 2-7 days a few times a year. Factors are drawn independently of each other;
- logging: nearly every day, or (gaps categories) about half the days with breaks of up to two weeks and the
  optional factors often blank. Unlogged days are absent; a factor not recorded on a logged day is None;
- drift (one category): over the months the burden's level and every factor's mean move slowly, each in its own
  random direction (independently of each other), as a life can change over a year;
- a true link: the factor (standardised to the person's own mean and spread; yes/no as 0/1, so exp(beta) is the
  ratio of burden when ill) adds `beta` times itself to the latent log level the same day (lag 0) or the next day
  (lag 1). `beta` is chosen per category.

Truth per (factor, lag), and how claims are scored:
- a factor with no effect at any lag: any "goes with" claim on it, at either lag, is a false claim;
- the (factor, lag) the effect was put at: a true link; a claim in its direction is found, in the other direction
  a wrong-direction claim;
- the other lag of a factor with an effect ("echo"): because the factor runs in spells, a same-day effect also
  truly goes with the next day's twitching (and a next-day effect with the same day's). Such a claim in the
  effect's direction is counted as correct (it is a true association, not chance) but is not required: it is left
  out of recall. In the other direction it is a wrong-direction claim.

Printed per category and method: histories with at least one false claim (the false alarm a person would see),
false claims per (factor, lag) tested without a link, recall of the true links (right direction), precision of
the claims (share right: a link or an echo in the right direction), wrong-direction claims, and the mean rank
correlation of the true links (how strong the categories' "weak" and "moderate" really are).

Run: `python -m bfs_tracker.trends.insights_eval` (or `make eval-insights`); `--histories 200 --methods
independent,effective_days,hac` (method names; "effective_days@0.35" for another lag share). Everything is seeded:
the same command prints the same table.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np

from bfs_tracker.trends import insights
from bfs_tracker.trends.insights import METHOD, Insight, insight_factors, trigger_insights

START = date(2025, 1, 1)
LATENT_SD = 0.4
NB_DISPERSION = 5.0
LINKED = ("goes_with_higher", "goes_with_lower")


@dataclass(frozen=True)
class Category:
    name: str
    phi: float  # day-to-day memory of the burden's latent level and of every factor
    days: tuple[int, int] = (84, 180)  # history length, drawn uniformly
    effects: tuple[tuple[str, int, float], ...] = ()  # (record key, lag, beta on the latent log level)
    sparse: bool = False  # about half the days logged, with breaks; optional factors often blank
    drift: bool = False
    independent_days: bool = False  # no memory at all: no weekly habit, no illness episodes


WEAK, MODERATE = 0.15, 0.3

CATEGORIES: tuple[Category, ...] = (
    Category("no link, independent days", 0.0, independent_days=True),
    Category("no link, spells (AR 0.5)", 0.5),
    Category("no link, long spells (AR 0.8)", 0.8),
    Category("no link, gaps and sparse logging (AR 0.5)", 0.5, sparse=True),
    Category("no link, slow drift in both (AR 0.5)", 0.5, days=(180, 365), drift=True),
    Category("no link, short history 20-60 d (AR 0.5)", 0.5, days=(20, 60)),
    Category("stress same day, weak (AR 0.5)", 0.5, effects=(("stress", 0, WEAK),)),
    Category("stress same day, moderate (AR 0.5)", 0.5, effects=(("stress", 0, MODERATE),)),
    Category(
        "stress + less sleep same day, moderate (AR 0.5)",
        0.5,
        effects=(("stress", 0, MODERATE), ("sleep_hours", 0, -MODERATE)),
    ),
    Category("stress same day, moderate (AR 0.8)", 0.8, effects=(("stress", 0, MODERATE),)),
    Category("alcohol next day, moderate (AR 0.5)", 0.5, effects=(("alcohol_units", 1, MODERATE),)),
    Category("less sleep next day, moderate (AR 0.5)", 0.5, effects=(("sleep_hours", 1, -MODERATE),)),
    Category("illness same day, 1.5x (AR 0.5)", 0.5, effects=(("illness", 0, float(np.log(1.5))),)),
    Category("stress same day, moderate, short 20-60 d", 0.5, days=(20, 60), effects=(("stress", 0, MODERATE),)),
)


@dataclass
class History:
    category: str
    days: dict[date, dict[str, Any]]
    effects: dict[tuple[str, int], float] = field(default_factory=dict)  # (key, lag) -> beta


def _ar(rng: np.random.Generator, n: int, phi: float) -> np.ndarray:
    """A stationary AR(1) series with unit variance."""
    out = np.empty(n)
    out[0] = rng.normal()
    shocks = rng.normal(0.0, np.sqrt(1 - phi**2), n)
    for i in range(1, n):
        out[i] = phi * out[i - 1] + shocks[i]
    return out


def _drift(rng: np.random.Generator, n: int, size: float, on: bool) -> np.ndarray:
    """A slow straight drift over the history, in a random direction, `size` from start to end (0 when off)."""
    if not on:
        return np.zeros(n)
    return float(rng.choice([-1.0, 1.0])) * size * (np.linspace(-0.5, 0.5, n))


def _episodes(rng: np.random.Generator, n: int, rate_per_year: float, shortest: int, longest: int) -> np.ndarray:
    out = np.zeros(n, dtype=bool)
    for _ in range(int(rng.poisson(rate_per_year * n / 365))):
        start, length = int(rng.integers(0, n)), int(rng.integers(shortest, longest + 1))
        out[start : start + length] = True
    return out


def _factors(rng: np.random.Generator, cat: Category, n: int, weekday: np.ndarray) -> dict[str, np.ndarray]:
    """Every factor per calendar day (NaN: not recorded), each with its own memory and habits."""
    phi, drift = cat.phi, cat.drift
    weekly = 0.0 if cat.independent_days else 1.0
    weekend = (weekday >= 5).astype(float) * weekly

    def score(mean: float, sd: float, low: float, high: float, step: float) -> np.ndarray:
        z = _ar(rng, n, phi) + _drift(rng, n, 1.5, drift)
        return np.clip(np.round((mean + sd * z) / step) * step, low, high)

    out = {
        "stress": score(float(rng.uniform(2.5, 6)), float(rng.uniform(1.2, 2.5)), 0, 10, 1),
        "anxiety": score(float(rng.uniform(2, 6)), float(rng.uniform(1.2, 2.5)), 0, 10, 1),
        "sleep_hours": score(float(rng.uniform(6.3, 7.7)), float(rng.uniform(0.6, 1.2)), 3, 11, 0.5),
        "sleep_quality": score(float(rng.uniform(2.5, 4)), float(rng.uniform(0.6, 1.0)), 1, 5, 1),
    }
    # Caffeine: a weekday habit (0, 1, 2 or 3 cups of ~95 mg), fewer at weekends, varying in spells.
    cups = float(rng.choice([0, 1, 2, 3], p=[0.15, 0.3, 0.35, 0.2]))
    if cups == 0:
        out["caffeine_mg"] = np.zeros(n)
    else:
        z = _ar(rng, n, phi) + _drift(rng, n, 1.5, drift)
        amount = np.clip(np.round(cups + 0.8 * z - 0.8 * weekend), 0, 8) * 95
        out["caffeine_mg"] = np.round(amount / 5) * 5
    # Alcohol: mostly at weekends; some people never drink.
    drinker = rng.random() < 0.75
    z = _ar(rng, n, phi) + _drift(rng, n, 1.5, drift)
    chance = 1 / (1 + np.exp(-(-2.2 + 2.0 * weekend + 0.8 * z)))
    units = np.where(rng.random(n) < chance, np.round(rng.uniform(1, 6, n) * 2) / 2, 0.0)
    out["alcohol_units"] = units if drinker else np.zeros(n)
    # Exertion level 0-3: more at weekends for some, in spells.
    z = _ar(rng, n, phi) + _drift(rng, n, 1.5, drift) + float(rng.uniform(-0.5, 0.5)) * weekend * 2
    out["exertion_level"] = np.digitize(z, [-0.3, 0.6, 1.4]).astype(float)
    # Illness: episodes of 2-7 days, about 4 a year (single days, no memory, for independent days).
    if cat.independent_days:
        out["illness"] = (rng.random(n) < 0.06).astype(float)
    else:
        out["illness"] = _episodes(rng, n, 4.0, 2, 7).astype(float)
    return out


def _standardised(values: np.ndarray) -> np.ndarray:
    sd = float(np.std(values))
    return np.zeros_like(values) if sd == 0 else (values - float(np.mean(values))) / sd


def history(rng: np.random.Generator, cat: Category) -> History:
    n = int(rng.integers(cat.days[0], cat.days[1] + 1))
    weekday = (np.arange(n) + START.weekday()) % 7
    factors = _factors(rng, cat, n, weekday)
    latent = LATENT_SD * (_ar(rng, n, cat.phi) + _drift(rng, n, 1.5, cat.drift))
    effects: dict[tuple[str, int], float] = {}
    for key, lag, beta in cat.effects:
        # A number factor on its own scale (standardised); a yes/no factor as 0/1, so exp(beta) is the ratio.
        push = beta * (factors[key] if key == "illness" else _standardised(factors[key]))
        latent[lag:] += push[: n - lag]
        effects[(key, lag)] = beta
    level = float(np.exp(rng.uniform(np.log(5), np.log(40))))
    rate = level * np.exp(latent)
    rate *= np.where(rng.random(n) < 0.02, rng.uniform(2, 4, n), 1.0)  # the odd spike day
    burden = rng.negative_binomial(NB_DISPERSION, NB_DISPERSION / (NB_DISPERSION + rate)).astype(float)
    burden = np.minimum(burden, 300)
    # Logging: which days exist, and which optional factors were left blank.
    if cat.sparse:
        logged = rng.random(n) < 0.6
        for _ in range(int(rng.integers(1, 4))):
            start, length = int(rng.integers(0, n)), int(rng.integers(3, 15))
            logged[start : start + length] = False
        blank = 0.35
    else:
        logged = rng.random(n) >= 0.05
        blank = 0.1
    days: dict[date, dict[str, Any]] = {}
    keys = [f.record_key for f in insight_factors()]
    for i in np.flatnonzero(logged):
        record: dict[str, Any] = {"burden": float(burden[i])}
        for key in keys:
            value = factors[key][i] if key in factors else np.nan
            optional = key in ("stress", "anxiety", "sleep_hours", "sleep_quality")
            if np.isnan(value) or (optional and rng.random() < blank):
                record[key] = None
            elif key == "illness":
                record[key] = bool(value)
            else:
                record[key] = float(value)
        days[START + timedelta(days=int(i))] = record
    return History(cat.name, days, effects)


def corpus(histories: int = 200, seed: int = 20261126) -> Iterator[History]:
    """`histories` per category, in category order; each category from its own seeded stream."""
    for index, cat in enumerate(CATEGORIES):
        rng = np.random.default_rng([seed, index])
        for _ in range(histories):
            yield history(rng, cat)


@dataclass
class Score:
    histories: int = 0
    with_false: int = 0  # histories with at least one false claim
    null_tested: int = 0  # (factor, lag) without a link where something was tested
    false_claims: int = 0
    true_links: int = 0
    found: int = 0
    claims: int = 0
    right_claims: int = 0
    wrong_way: int = 0
    true_rho: list[float] = field(default_factory=list)

    def add(self, hist: History, found: Sequence[Insight]) -> None:
        self.histories += 1
        linked_factors = {key: beta for (key, _), beta in hist.effects.items()}
        any_false = False
        for insight in found:
            claim = insight.verdict in LINKED
            sign = 1 if insight.verdict == "goes_with_higher" else -1
            beta = hist.effects.get((insight.factor, insight.lag))
            if insight.factor not in linked_factors:
                if insight.verdict != "not_enough_data":
                    self.null_tested += 1
                if claim:
                    self.false_claims += 1
                    any_false = True
            elif beta is not None:
                self.true_links += 1
                if insight.rho is not None:
                    self.true_rho.append(float(np.sign(beta)) * insight.rho)
                if claim and sign == np.sign(beta):
                    self.found += 1
            if claim:
                self.claims += 1
                direction = linked_factors.get(insight.factor)
                if direction is not None and sign == np.sign(direction):
                    self.right_claims += 1
                elif direction is not None:
                    self.wrong_way += 1
        self.with_false += any_false


def _share(a: int, b: int) -> str:
    return "   -" if b == 0 else f"{a / b:.3f}"


def run(days: dict[date, dict[str, Any]], variant: str) -> list[Insight]:
    """The insights by a method name, optionally with the effective days' lag share: "effective_days@0.35"."""
    method, _, share = variant.partition("@")
    kept = insights.MAX_LAG_SHARE
    try:
        if share:
            insights.MAX_LAG_SHARE = float(share)
        return trigger_insights(days, method=method)  # type: ignore[arg-type]
    finally:
        insights.MAX_LAG_SHARE = kept


def evaluate(histories: int, methods: Sequence[str], seed: int) -> dict[str, dict[str, Score]]:
    results: dict[str, dict[str, Score]] = {m: {c.name: Score() for c in CATEGORIES} for m in methods}
    for hist in corpus(histories, seed):
        for method in methods:
            results[method][hist.category].add(hist, run(hist.days, method))
    return results


def print_table(results: dict[str, dict[str, Score]]) -> None:
    header = (
        f"{'category':<50}{'method':<16}{'hist.false':>11}{'false/test':>11}{'recall':>8}{'precision':>10}"
        f"{'wrong dir':>10}{'claims':>7}{'true rho':>9}"
    )
    print(header)
    for cat in CATEGORIES:
        for method, by_cat in results.items():
            s = by_cat[cat.name]
            rho = f"{np.mean(s.true_rho):.2f}" if s.true_rho else "-"
            print(
                f"{cat.name:<50}{method:<16}{_share(s.with_false, s.histories):>11}"
                f"{_share(s.false_claims, s.null_tested):>11}{_share(s.found, s.true_links):>8}"
                f"{_share(s.right_claims, s.claims):>10}{s.wrong_way:>10}{s.claims:>7}{rho:>9}"
            )
    print("\nOverall (every category):")
    for method, by_cat in results.items():
        scores = list(by_cat.values())
        null = [by_cat[c.name] for c in CATEGORIES if not c.effects]
        linked = [by_cat[c.name] for c in CATEGORIES if c.effects]
        total = Score()
        for s in scores:
            for name in ("claims", "right_claims", "wrong_way", "found", "true_links"):
                setattr(total, name, getattr(total, name) + getattr(s, name))
        print(
            f"  {method:<16} no-link histories with a false claim "
            f"{_share(sum(s.with_false for s in null), sum(s.histories for s in null))}, "
            f"linked histories with a false claim "
            f"{_share(sum(s.with_false for s in linked), sum(s.histories for s in linked))}, "
            f"recall {_share(total.found, total.true_links)}, precision {_share(total.right_claims, total.claims)}, "
            f"wrong direction {total.wrong_way}"
        )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="False links and links found by the trigger insights.")
    parser.add_argument("--histories", type=int, default=200, help="histories per category")
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--methods", default="independent,effective_days,hac", help=f"in use: {METHOD}")
    args = parser.parse_args(argv)
    methods = [m for m in args.methods.split(",") if m]
    began = time.monotonic()
    results = evaluate(args.histories, methods, args.seed)
    print(
        f"{args.histories} histories per category (seed {args.seed}); per (factor, lag) tested, Benjamini-Hochberg "
        f"5 % over all, |rho| >= 0.2, method in use: {METHOD}.\n"
        "hist.false: share of histories with at least one false 'goes with'; false/test: false claims per "
        "(factor, lag) tested without a link;\nrecall: true links found in the right direction; precision: share of "
        "claims that are a link or its echo in the right direction.\n"
    )
    print_table(results)
    print(f"\n({time.monotonic() - began:.0f} s)")


if __name__ == "__main__":
    main()
