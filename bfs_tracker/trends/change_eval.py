"""`make eval-change`: how often the report's "Change" column says "more" or "less" when nothing changed, and how
often it finds a change that is there. Labelled, made-up histories of one muscle group; no database.

A history is a yes/no per day ("twitching in this group today") made like real logs are:
- each person has their own usual share of days (light to heavy), and days come in runs: a two-state Markov
  chain whose day-to-day correlation is 0.3 to 0.85, so "a week of eyelid, then nothing" is common;
- flares: spells of 5 to 20 days with twitching on most days, placed at random, as often in either period;
- logging: every day, about two days in three, or about one day in three, plus gaps of up to two weeks;
- no-change histories keep the same process over the whole range; change histories switch the usual share at
  the split (a new group, spreading, fading).

Run: `python -m bfs_tracker.trends.change_eval` (or `make eval-change`). Prints one row per category: on no-change
histories the share wrongly called "more" or "less", on change histories the share found in the right direction,
and the share called "too few days", for a naive Fisher's test and the one used (allowing for runs of days), at a
few levels and minimums; the chosen one marked.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from bfs_tracker.trends.change import ALPHA, MIN_LOGGED_DAYS, compare_days, compare_periods


@dataclass(frozen=True)
class Case:
    category: str
    expected: str  # "none", "more" or "less"
    first: tuple[bool | None, ...]  # per day: twitching here, logged without, or None (not logged)
    second: tuple[bool | None, ...]


def _presence(rng: np.random.Generator, n: int, share: np.ndarray, rho: float) -> np.ndarray:
    """A Markov chain of twitching days whose usual share may vary by day, with day-to-day correlation rho."""
    out = np.zeros(n, dtype=bool)
    state = rng.random() < share[0]
    for i in range(n):
        p = float(share[i])
        stay_on, turn_on = p + rho * (1 - p), p * (1 - rho)
        state = rng.random() < (stay_on if state else turn_on)
        out[i] = state
    return out


def _flares(rng: np.random.Generator, n: int, share: np.ndarray) -> np.ndarray:
    """Raise the usual share to most days during 0-2 flares of 5-20 days anywhere in the range."""
    share = share.copy()
    for _ in range(int(rng.integers(0, 3))):
        length = int(rng.integers(5, 21))
        start = int(rng.integers(0, max(1, n - length)))
        share[start : start + length] = np.maximum(share[start : start + length], rng.uniform(0.6, 0.9))
    return share


def _logged(rng: np.random.Generator, n: int, rate: float) -> np.ndarray:
    logged = rng.random(n) < rate
    for _ in range(int(rng.integers(0, 3))):  # holidays, a bad spell of not logging
        length = int(rng.integers(3, 15))
        start = int(rng.integers(0, max(1, n - length)))
        logged[start : start + length] = False
    return logged


def _case(
    rng: np.random.Generator, category: str, expected: str, n: int, first: float, second: float, rate: float
) -> Case:
    split = n // 2
    share = np.full(n, first)
    share[split:] = second
    share = _flares(rng, n, share)
    rho = float(rng.uniform(0.3, 0.85))
    present = _presence(rng, n, share, rho)
    logged = _logged(rng, n, rate)
    days = tuple(bool(p) if seen else None for p, seen in zip(present, logged, strict=True))
    return Case(category, expected, first=days[:split], second=days[split:])


CATEGORIES: tuple[tuple[str, str, float, float], ...] = (
    # name, expected verdict, usual share before, after
    ("no change, rare group (5%)", "none", 0.05, 0.05),
    ("no change, light (20%)", "none", 0.2, 0.2),
    ("no change, half the days", "none", 0.5, 0.5),
    ("no change, most days (85%)", "none", 0.85, 0.85),
    ("new group (0% -> 40%)", "more", 0.0, 0.4),
    ("spreading (10% -> 50%)", "more", 0.1, 0.5),
    ("doubling (25% -> 50%)", "more", 0.25, 0.5),
    ("fading (60% -> 15%)", "less", 0.6, 0.15),
)
LOGGING = (("every day", 0.97), ("2 days in 3", 0.67), ("1 day in 3", 0.35))


def cases(seed: int = 7, per_cell: int = 300, days: int = 90) -> Iterator[Case]:
    """The labelled corpus: every category under every logging habit, `per_cell` histories of `days` days each."""
    rng = np.random.default_rng(seed)
    for name, expected, first, second in CATEGORIES:
        for habit, rate in LOGGING:
            for _ in range(per_cell):
                yield _case(rng, f"{name}, logs {habit}", expected, days, first, second, rate)


# (allow for runs of similar days, alpha, minimum logged days a side); the first row is a naive Fisher's test.
SETTINGS: tuple[tuple[bool, float, int], ...] = (
    (False, 0.05, 7),
    (False, 0.01, 14),
    (False, 0.001, 14),
    (True, 0.05, 14),
    (True, ALPHA, MIN_LOGGED_DAYS),
    (True, 0.01, 21),
)
CHOSEN = (True, ALPHA, MIN_LOGGED_DAYS)


def _verdict(case: Case, runs: bool, alpha: float, min_logged: int) -> str:
    if runs:
        return compare_periods(case.first, case.second, alpha=alpha, min_logged=min_logged).verdict
    return compare_days(
        days_first=sum(1 for d in case.first if d),
        logged_first=sum(1 for d in case.first if d is not None),
        days_second=sum(1 for d in case.second if d),
        logged_second=sum(1 for d in case.second if d is not None),
        alpha=alpha,
        min_logged=min_logged,
    ).verdict


def evaluate(corpus: list[Case]) -> dict[tuple[bool, float, int], dict[str, dict[str, int]]]:
    """For each setting of SETTINGS and category: how many histories were called more, less, too few days, and
    how many got the verdict their label expects ("no_clear_change" counts as right for "none")."""
    results: dict[tuple[bool, float, int], dict[str, dict[str, int]]] = {}
    for setting in SETTINGS:
        by_category: dict[str, dict[str, int]] = {}
        for case in corpus:
            row = by_category.setdefault(case.category, {"n": 0, "more": 0, "less": 0, "too_few_days": 0, "ok": 0})
            verdict = _verdict(case, *setting)
            row["n"] += 1
            if verdict in row:
                row[verdict] += 1
            row["ok"] += verdict == case.expected
        results[setting] = by_category
    return results


def summary(
    corpus: list[Case], results: dict[tuple[bool, float, int], dict[str, dict[str, int]]]
) -> dict[tuple[bool, float, int], dict[str, float]]:
    """Per setting: the false 'more'/'less' rate on no-change histories, the share of changes found, the share of
    changes called in the wrong direction."""
    expected = {c.category: c.expected for c in corpus}
    out = {}
    for setting, rows in results.items():
        none = [r for c, r in rows.items() if expected[c] == "none"]
        change = {c: r for c, r in rows.items() if expected[c] != "none"}
        n_change = sum(r["n"] for r in change.values())
        out[setting] = {
            "false": sum(r["more"] + r["less"] for r in none) / sum(r["n"] for r in none),
            "found": sum(r["ok"] for r in change.values()) / n_change,
            "wrong_way": sum(r["less"] if expected[c] == "more" else r["more"] for c, r in change.items()) / n_change,
        }
    return out


def _name(setting: tuple[bool, float, int]) -> str:
    runs, alpha, min_logged = setting
    return f"{'runs' if runs else 'naive'} p<{alpha:g} min {min_logged}"


def main() -> None:
    parser = argparse.ArgumentParser(description="False 'more'/'less' and power of the Change column.")
    parser.add_argument("--per-cell", type=int, default=300)
    parser.add_argument("--days", type=int, default=90, help="length of the range; it is split in two halves")
    args = parser.parse_args()
    corpus = list(cases(per_cell=args.per_cell, days=args.days))
    expected = {c.category: c.expected for c in corpus}
    results = evaluate(corpus)
    print(f"{args.days}-day ranges split in halves, {args.per_cell} histories per row, one muscle group each.")
    print("No-change rows: share wrongly called 'more' or 'less'. Change rows: share found in the right direction.")
    print("'naive': Fisher on raw day counts; 'runs': counts shrunk for day-to-day correlation. * = chosen.\n")
    print(f"{'category':<50}" + "".join(f"{_name(s) + (' *' if s == CHOSEN else ''):>23}" for s in SETTINGS))
    for category in dict.fromkeys(c.category for c in corpus):
        cells = []
        for setting in SETTINGS:
            row = results[setting][category]
            value = (row["more"] + row["less"]) / row["n"] if expected[category] == "none" else row["ok"] / row["n"]
            cells.append(f"{value:.3f} (few {row['too_few_days'] / row['n']:.2f})")
        print(f"{category:<50}" + "".join(f"{c:>23}" for c in cells))
    print("\nOverall:")
    for setting, figures in summary(corpus, results).items():
        mark = "  (chosen)" if setting == CHOSEN else ""
        print(
            f"  {_name(setting):<22} false 'more'/'less' {figures['false']:.3f}, changes found {figures['found']:.3f}, "
            f"wrong direction {figures['wrong_way']:.3f}{mark}"
        )


if __name__ == "__main__":
    main()
