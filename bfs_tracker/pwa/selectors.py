"""Reads for the body heat map: on how many days each muscle group twitched, per side, over a date range."""

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count

from bfs_tracker.logbook.models import DailyLog, TwitchEntry
from bfs_tracker.logbook.taxonomy import MuscleGroup, Side

LEVELS = 5


@dataclass(frozen=True)
class HeatRow:
    group: str
    label: str
    left_days: int
    right_days: int
    both_days: int  # days logged as "both sides" (counted in left and right above too)


@dataclass(frozen=True)
class BodyHeat:
    days_logged: int
    rows: list[HeatRow]  # groups that twitched at all, most days first
    regions: dict[str, tuple[int, str]]  # "calf:left" -> (shade 0-5, words), for the body_map template tag


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def body_heat(*, user, start: dt.date, end: dt.date) -> BodyHeat:
    """Two queries: the days logged in the range, and twitch days grouped by muscle group and side."""
    days_logged = DailyLog.objects.filter(user=user, date__range=(start, end)).count()
    counts = (
        TwitchEntry.objects.filter(log__user=user, log__date__range=(start, end))
        .values("muscle_group", "side")
        .annotate(days=Count("log", distinct=True))
    )
    return heat_from_counts(counts, days_logged)


def heat_from_counts(counts: Iterable[dict], days_logged: int) -> BodyHeat:
    """Shade the map from rows of {muscle_group, side, days} (e.g. the dashboard's group ranking): no query.

    A day counts once per group and side; "both sides" counts for left and right.
    """
    by_side: dict[str, dict[str, int]] = {}
    for item in counts:
        by_side.setdefault(item["muscle_group"], {})[item["side"]] = item["days"]

    rows = []
    for group, sides in by_side.items():
        both = sides.get(Side.BOTH, 0)
        # A day with a one-sided entry and a "both" entry for the same group would count twice here; it is rare,
        # so the sum is capped at the days logged rather than paying for a query per group.
        left = min(sides.get(Side.LEFT, 0) + both, days_logged)
        right = min(sides.get(Side.RIGHT, 0) + both, days_logged)
        rows.append(HeatRow(group, MuscleGroup(group).label, left, right, both))
    rows.sort(key=lambda r: (-(r.left_days + r.right_days), r.label))

    most = max([max(r.left_days, r.right_days) for r in rows], default=0)

    def shade(days: int) -> tuple[int, str]:
        return max(1, math.ceil(LEVELS * days / most)), f"twitched on {_days(days)}"

    regions: dict[str, tuple[int, str]] = {}
    for row in rows:
        for side, days in ((Side.LEFT, row.left_days), (Side.RIGHT, row.right_days)):
            if days:
                regions[f"{row.group}:{side}"] = shade(days)
        if max(row.left_days, row.right_days):
            regions[f"{row.group}:{Side.BOTH}"] = shade(max(row.left_days, row.right_days))
    return BodyHeat(days_logged=days_logged, rows=rows, regions=regions)
