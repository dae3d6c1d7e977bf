"""Twitch burden: the one number that says how much a day twitched.

Definition: the sum, over the day's twitch entries, of intensity (1–10) times the number of sides it covered
("both sides" counts as two). A day with no twitching has burden 0; the largest possible is
15 groups × 2 sides × 10 = 300.

Why this shape: it grows with both how strong and how widespread the twitching was, it is additive (so a chart of
burden by muscle group stacks to the day's total) and a person can check it by hand. It is computed here and only
here; DailyLog.burden stores the result so that charts and reports aggregate it in the database.
"""

from collections.abc import Iterable

from bfs_tracker.logbook.taxonomy import MuscleGroup, Side

SIDE_COUNT: dict[str, int] = {Side.LEFT: 1, Side.RIGHT: 1, Side.BOTH: 2}
MAX_INTENSITY = 10
MAX_BURDEN = len(MuscleGroup) * 2 * MAX_INTENSITY


def entry_burden(side: str, intensity: int) -> int:
    return SIDE_COUNT[side] * intensity


def twitch_burden(entries: Iterable[tuple[str, int]]) -> int:
    """Burden of a day from its (side, intensity) pairs."""
    return sum(entry_burden(side, intensity) for side, intensity in entries)
