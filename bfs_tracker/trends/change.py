"""Did twitching in one place become more or less frequent between two periods? Plain Python: no database.

The question a neurologist reads into a "more" next to a muscle group is "is it spreading?", so the answer must be
one that chance alone rarely gives. Per muscle group (or any yes/no of a day), each period is summed up as "on how
many of its *logged* days was there twitching here": days not logged are unknown, never "no twitching", so a
person who logged little in one half is not read as having twitched less there.

The two shares are compared with Fisher's exact test (scipy), two-sided, at the strict level ALPHA. Days of
twitching come in runs (a flare, a fortnight of eyelid), which the test does not know: it treats days as
independent and, on real logs, says "more" on about one history in five where nothing changed (measured). So the
counts are first shrunk to the number of independent days they are worth: divided by the design effect
(1 + r) / (1 - r), where r is the day-to-day correlation of "twitching here" on consecutive logged days, measured
on the person's own days around each period's own share. `make eval-change` (trends/change_eval.py) measures how
often "more" or "less" is said on histories with no change and how often a real change is found, with and without
this, for several levels and minimums; docs/trends.md holds the figures that chose them.

Verdicts:
- "too_few_days": either side has fewer than MIN_LOGGED_DAYS logged days (a three-day-old account, a range with
  a long gap). Nothing else is said.
- "more" / "less": the share of logged days with twitching here is higher / lower in the second period, and
  Fisher's p < ALPHA. 0 -> 1 day is never "more": one day cannot reach the level.
- "no_clear_change": everything else, including two equal shares.

Other parts reuse `compare_days` (for example "since the last visit" against the same length of time before it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

from scipy.stats import fisher_exact

# Chosen with `make eval-change`: see docs/trends.md ("Change in a muscle group").
ALPHA: Final = 0.01
MIN_LOGGED_DAYS: Final = 14
# The day-to-day correlation is capped: above it, a few weeks of logs hold too little to tell anything apart anyway.
MAX_CORRELATION: Final = 0.9
# Fewer consecutive logged pairs than this and the correlation is not estimated (taken as MIN_CORRELATION).
MIN_PAIRS: Final = 10
MIN_CORRELATION: Final = 0.0

MORE: Final = "more"
LESS: Final = "less"
NO_CLEAR_CHANGE: Final = "no_clear_change"
TOO_FEW_DAYS: Final = "too_few_days"

Verdict = Literal["more", "less", "no_clear_change", "too_few_days"]

TEXTS: Final[dict[str, str]] = {
    MORE: "more",
    LESS: "less",
    NO_CLEAR_CHANGE: "no clear change",
    TOO_FEW_DAYS: "too few days",
}


@dataclass(frozen=True)
class Change:
    """The comparison of one yes/no of a day (twitching in a muscle group) between a first and a second period."""

    verdict: Verdict
    days_first: int  # logged days of the first period with twitching here
    logged_first: int  # logged days of the first period
    days_second: int
    logged_second: int
    p_value: float | None  # None when too few days to test
    correlation: float = 0.0  # the day-to-day correlation the counts were shrunk by

    @property
    def text(self) -> str:
        return TEXTS[self.verdict]

    @property
    def is_clear(self) -> bool:
        return self.verdict in (MORE, LESS)

    @property
    def share_first(self) -> float | None:
        return self.days_first / self.logged_first if self.logged_first else None

    @property
    def share_second(self) -> float | None:
        return self.days_second / self.logged_second if self.logged_second else None

    def as_dict(self) -> dict[str, object]:
        return {
            "verdict": self.verdict,
            "days_first": self.days_first,
            "logged_first": self.logged_first,
            "days_second": self.days_second,
            "logged_second": self.logged_second,
            "p_value": None if self.p_value is None else round(self.p_value, 4),
            "correlation": round(self.correlation, 2),
        }


def compare_days(
    *,
    days_first: int,
    logged_first: int,
    days_second: int,
    logged_second: int,
    correlation: float = 0.0,
    alpha: float = ALPHA,
    min_logged: int = MIN_LOGGED_DAYS,
) -> Change:
    """Compare "twitching here on `days_first` of `logged_first` logged days" with the same for the second period.

    `correlation` is the day-to-day correlation of the yes/no (see day_to_day_correlation); 0 treats days as
    independent. The minimum of logged days applies to the days as logged, before any shrinking.
    Raises ValueError for counts that cannot be (negative, or more days with twitching than logged days).
    """
    for days, logged in ((days_first, logged_first), (days_second, logged_second)):
        if days < 0 or logged < 0 or days > logged:
            raise ValueError(f"{days} days with twitching out of {logged} logged days is not possible")
    counts = {
        "days_first": days_first,
        "logged_first": logged_first,
        "days_second": days_second,
        "logged_second": logged_second,
    }
    r = min(max(correlation, MIN_CORRELATION), MAX_CORRELATION)
    if logged_first < min_logged or logged_second < min_logged:
        return Change(TOO_FEW_DAYS, p_value=None, correlation=r, **counts)
    shrink = (1 - r) / (1 + r)

    def worth(n: int) -> int:
        return round(n * shrink)

    table = [
        [worth(days_first), worth(logged_first) - worth(days_first)],
        [worth(days_second), worth(logged_second) - worth(days_second)],
    ]
    p_value = float(fisher_exact(table, alternative="two-sided").pvalue)
    verdict: Verdict = NO_CLEAR_CHANGE
    if p_value < alpha:
        # Compare the shares without division: a/b > c/d  <=>  a*d > c*b for positive b, d.
        verdict = MORE if days_second * logged_first > days_first * logged_second else LESS
    return Change(verdict, p_value=p_value, correlation=r, **counts)


def day_to_day_correlation(*periods: Sequence[bool | None]) -> float:
    """The lag-1 correlation of a yes/no over consecutive logged days (None: not logged), each period measured
    around its own share so that a change between periods is not mistaken for persistence. Pooled over the
    periods; MIN_CORRELATION when there are fewer than MIN_PAIRS pairs or no variation, at most MAX_CORRELATION."""
    cross = spread = 0.0
    pairs = 0
    for days in periods:
        logged = [d for d in days if d is not None]
        if not logged:
            continue
        share = sum(logged) / len(logged)
        for today, tomorrow in zip(days, days[1:], strict=False):
            if today is None or tomorrow is None:
                continue
            pairs += 1
            cross += (today - share) * (tomorrow - share)
            spread += (today - share) ** 2
    if pairs < MIN_PAIRS or spread == 0:
        return MIN_CORRELATION
    return min(max(cross / spread, MIN_CORRELATION), MAX_CORRELATION)


def compare_periods(
    first: Sequence[bool | None],
    second: Sequence[bool | None],
    *,
    alpha: float = ALPHA,
    min_logged: int = MIN_LOGGED_DAYS,
) -> Change:
    """Compare two periods given day by day: True (twitching here), False (logged, none here), None (not logged).

    The entry point for other parts of the app: the report's halves, "since the last visit" against the same
    length of time before it."""
    return compare_days(
        days_first=sum(1 for d in first if d),
        logged_first=sum(1 for d in first if d is not None),
        days_second=sum(1 for d in second if d),
        logged_second=sum(1 for d in second if d is not None),
        correlation=day_to_day_correlation(first, second),
        alpha=alpha,
        min_logged=min_logged,
    )


def describe_rule(alpha: float = ALPHA, min_logged: int = MIN_LOGGED_DAYS) -> str:
    """The rule in one sentence, for the report's small print."""
    return (
        f"Change compares the share of logged days with twitching in each group between the two periods "
        f"(Fisher's exact test, p < {alpha:g}, allowing for runs of similar days); it needs at least {min_logged} "
        f"logged days in each period, otherwise “too few days”."
    )
