""" "Since the last visit": what changed between the time since a visit and the same length of time before it.

Plain Python on plain data (no database), so it is tested directly; reports/assembly.py gathers the days. A
neurologist reads "more" as "worse", so every "more" or "less" here comes from the honest change test of
trends/change.py (a share of logged days, Fisher's exact test with runs of similar days allowed for, a minimum of
logged days on each side); otherwise the line says "no clear change" or "too few days", with the figures.

- Mean burden: both means are shown; the verdict compares the share of logged days above the median of the two
  periods together (a sign test in the change test's terms), because daily burden is skewed and comes in runs.
- Flare days: the share of logged days inside a detected flare.
- Muscle groups: groups with twitching since the visit and on no day of the time before are listed as new (a fact,
  with the days); that one appeared is not a test result, and the text says only what was logged. With fewer than
  the change test's minimum of logged days before the visit nothing is called new (the line says too few days).
- Red-flag signs: the share of logged days with any red-flag sign, and the signs since the visit with their dates.
- Function checks: the tasks found harder on the checks of each period, as facts (a few checks are not a sample).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from statistics import mean, median

from bfs_tracker.trends.change import MIN_LOGGED_DAYS, Change, compare_periods


@dataclass(frozen=True)
class DayFacts:
    """One logged day, as this comparison reads it."""

    burden: float
    in_flare: bool
    groups: frozenset[str]  # muscle groups with twitching that day
    red_flags: tuple[str, ...] = ()  # labels of the red-flag signs reported that day


@dataclass(frozen=True)
class Line:
    label: str
    before: str  # the figure for the same length of time before the visit
    since: str  # the figure since the visit
    change: Change

    @property
    def verdict(self) -> str:
        return self.change.text


@dataclass(frozen=True)
class SinceVisit:
    visit: dt.date
    end: dt.date
    before_start: dt.date
    days: int  # calendar days in each period
    logged_before: int
    logged_since: int
    lines: list[Line]
    new_groups: list[tuple[str, int]]  # (label, days with twitching there since the visit)
    red_flags_since: list[tuple[dt.date, str]]
    checks_before: list[tuple[dt.date, str]] = field(default_factory=list)
    checks_since: list[tuple[dt.date, str]] = field(default_factory=list)

    @property
    def new_groups_text(self) -> str:
        """The line on page 1. A group is "new" only against enough logged days before the visit (the change
        test's minimum): with none or a few, every group logged since would read as new, so it says so instead."""
        if self.logged_before < MIN_LOGGED_DAYS:
            return (
                f"New muscle groups: too few days logged before the visit to tell ({self.logged_before} logged, "
                f"{MIN_LOGGED_DAYS} needed)."
            )
        groups = ", ".join(f"{label} ({n} day{'' if n == 1 else 's'})" for label, n in self.new_groups)
        return f"New muscle groups (none on any day before): {groups or 'none'}."


def _days(start: dt.date, n: int) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range(n)]


def _share(flags: Sequence[bool | None]) -> str:
    logged = [f for f in flags if f is not None]
    return f"{sum(1 for f in logged if f)} of {len(logged)} logged days" if logged else "no days logged"


def since_last_visit(
    *,
    visit: dt.date,
    end: dt.date,
    days: Mapping[dt.date, DayFacts],
    group_labels: Mapping[str, str],
    checks: Sequence[tuple[dt.date, str]] = (),
) -> SinceVisit | None:
    """The comparison of visit..end (the visit's day included) with the same number of days just before the visit.
    None when the visit is not before `end` (nothing has happened since it yet)."""
    if visit >= end:
        return None
    n = (end - visit).days + 1
    before_start = visit - dt.timedelta(days=n)
    before_days, since_days = _days(before_start, n), _days(visit, n)
    before = [days.get(d) for d in before_days]
    since = [days.get(d) for d in since_days]

    burdens = [f.burden for f in before + since if f is not None]
    middle = median(burdens) if burdens else 0.0

    def flags(period: list[DayFacts | None], test: Callable[[DayFacts], object]) -> list[bool | None]:
        return [None if f is None else bool(test(f)) for f in period]

    def mean_text(period: list[DayFacts | None]) -> str:
        values = [f.burden for f in period if f is not None]
        return f"{mean(values):.1f} ({len(values)} logged days)" if values else "no days logged"

    lines = []
    high_before, high_since = flags(before, lambda f: f.burden > middle), flags(since, lambda f: f.burden > middle)
    lines.append(
        Line("Mean daily burden", mean_text(before), mean_text(since), compare_periods(high_before, high_since))
    )
    flare_before, flare_since = flags(before, lambda f: f.in_flare), flags(since, lambda f: f.in_flare)
    lines.append(
        Line("Days in a flare", _share(flare_before), _share(flare_since), compare_periods(flare_before, flare_since))
    )
    red_before, red_since = flags(before, lambda f: f.red_flags), flags(since, lambda f: f.red_flags)
    lines.append(
        Line("Days with a red-flag sign", _share(red_before), _share(red_since), compare_periods(red_before, red_since))
    )

    groups_before = set().union(*(f.groups for f in before if f is not None))
    since_counts: dict[str, int] = {}
    for f in since:
        for group in f.groups if f is not None else ():
            since_counts[group] = since_counts.get(group, 0) + 1
    new_groups = sorted(
        ((group_labels.get(g, g), count) for g, count in since_counts.items() if g not in groups_before),
        key=lambda item: (-item[1], item[0]),
    )
    red_flags_since = [(d, label) for d, f in zip(since_days, since, strict=True) if f for label in f.red_flags]
    return SinceVisit(
        visit=visit,
        end=end,
        before_start=before_start,
        days=n,
        logged_before=sum(1 for f in before if f is not None),
        logged_since=sum(1 for f in since if f is not None),
        lines=lines,
        new_groups=new_groups,
        red_flags_since=red_flags_since,
        checks_before=[c for c in checks if before_start <= c[0] < visit],
        checks_since=[c for c in checks if visit <= c[0] <= end],
    )
