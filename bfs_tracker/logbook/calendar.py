"""The month calendar: which days to show, and how dark to shade each logged day.

Shading bands are defined here and only here (the CSS classes burden-0 … burden-5 and the legend follow them).
Edges are chosen on the burden scale from logbook.burden (sum of intensity × sides, 0–300): a quiet day with a
twitch or two stays light; only widespread, strong twitching reaches the darkest band.
"""

import calendar as _calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

# (lowest burden, highest burden or None for "and above") for bands 0..5.
BURDEN_BANDS: tuple[tuple[int, int | None], ...] = (
    (0, 0),
    (1, 10),
    (11, 25),
    (26, 50),
    (51, 100),
    (101, None),
)


def burden_band(burden: int) -> int:
    for index, (low, high) in enumerate(BURDEN_BANDS):
        if burden >= low and (high is None or burden <= high):
            return index
    raise ValueError(f"Burden cannot be negative: {burden}")


def band_label(index: int) -> str:
    low, high = BURDEN_BANDS[index]
    if high is None:
        return f"over {low - 1}"
    return str(low) if low == high else f"{low}–{high}"


@dataclass(frozen=True)
class CalendarDay:
    date: dt.date
    burden: int | None  # None: not logged
    is_today: bool
    is_future: bool

    @property
    def band(self) -> int | None:
        return None if self.burden is None else burden_band(self.burden)

    @property
    def screen_reader_text(self) -> str:
        when = f"{self.date.day} {self.date:%B}"
        if self.burden is None:
            return f"{when}: not logged"
        return f"{when}: burden {self.burden}"


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    """First and last date of a month; ValueError when the month does not exist."""
    first = dt.date(year, month, 1)
    return first, first.replace(day=_calendar.monthrange(year, month)[1])


def month_weeks(
    year: int, month: int, burdens: Mapping[dt.date, int], today: dt.date
) -> list[list[CalendarDay | None]]:
    """Weeks of the month, Monday first; None pads the days that belong to the neighbouring months."""
    weeks = []
    for week in _calendar.Calendar(firstweekday=_calendar.MONDAY).monthdatescalendar(year, month):
        weeks.append(
            [
                CalendarDay(date=d, burden=burdens.get(d), is_today=d == today, is_future=d > today)
                if d.month == month
                else None
                for d in week
            ]
        )
    return weeks


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1
