"""The month calendar: which days to show, and how dark to shade each logged day.

Shading bands are defined here and only here (the CSS classes burden-0 … burden-5 and the legend follow them).
Edges are chosen on the burden scale from logbook.burden (sum of intensity × sides, 0–300): a quiet day with a
twitch or two stays light; only widespread, strong twitching reaches the darkest band.
"""

import calendar as _calendar
import datetime as dt
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from html import escape  # what django.utils.html.escape does, without its lazy-string wrapper

from django.utils.safestring import SafeString, mark_safe

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


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# The month table's header cells and the key's burden lines: the same on every month, written once (they were two
# template loops on every calendar page).
WEEKDAY_CELLS = mark_safe(  # noqa: S308  # nosec B308 B703: constants
    "".join(f'<th scope="col"><abbr title="{name}">{name[:3]}</abbr></th>' for name in WEEKDAYS)
)
LEGEND_ITEMS = mark_safe(  # noqa: S308  # nosec B308 B703: constants, the labels escaped
    "".join(
        f'<li><span class="swatch burden-{index}" aria-hidden="true"></span> Burden {escape(band_label(index))}</li>'
        for index in range(len(BURDEN_BANDS))
    )
)

_PAD = mark_safe('<td class="cal-pad"></td>')  # noqa: S308  # nosec B308 B703: a constant
_CURRENT = mark_safe(' aria-current="date"')  # noqa: S308  # nosec B308 B703: a constant
_FLAG = mark_safe('<span class="cal-flag" aria-hidden="true">!</span>')  # noqa: S308  # nosec B308 B703: a constant


def cell_html(
    cell: CalendarDay | None, day_url: str, flare_days: Set[dt.date], red_flag_days: Set[dt.date]
) -> SafeString:
    """One cell of the month table, the markup the template used to write. Written here rather than with template
    tags: a month is 35-42 cells, and the template's per-cell tags (a URL reversed, dates formatted, a dozen
    conditions) were most of the calendar page's time (docs/performance.md). `day_url` is the day page's URL with
    the date written as DATE; a flare day and a red-flag day are marked in colour and in words."""
    return mark_safe(_cell(cell, escape(day_url), flare_days, red_flag_days))  # noqa: S308  # nosec B308 B703


def _cell(cell: CalendarDay | None, day_url: str, flare_days: Set[dt.date], red_flag_days: Set[dt.date]) -> str:
    """cell_html's text, `day_url` already escaped. Plain f-strings: everything else written is a number, an ISO
    date, an English month name or a constant, so nothing needs escaping (format_html's escaping of each piece was
    most of the table's time); the words are escaped anyway, in case a month name ever carries a character that
    must be."""
    if cell is None:
        return _PAD
    date = cell.date
    in_flare = date in flare_days
    band = cell.band
    classes = "cal-day " + (f"burden-{band}" if band is not None else "not-logged")
    if cell.is_today:
        classes += " is-today"
    if cell.is_future:
        classes += " is-future"
    if in_flare:
        classes += " is-flare"
    if cell.is_future:
        words = escape(f"{date.day} {date:%B}")
        inner = (
            f'<span class="cal-static"><span class="cal-date" aria-hidden="true">{date.day}</span>'
            f'<span class="visually-hidden">{words}: not yet</span></span>'
        )
    else:
        iso = date.isoformat()
        red_flag = date in red_flag_days
        words = cell.screen_reader_text
        if in_flare:
            words += ", in a flare"
        if red_flag:
            words += ", a sign to tell a doctor about"
        if cell.is_today:
            words += " (today)"
        burden = f'<span class="cal-burden" aria-hidden="true">{cell.burden}</span>' if cell.burden is not None else ""
        inner = (
            f'<a href="{day_url.replace("DATE", iso)}" data-date="{iso}"{_CURRENT if cell.is_today else ""}>'
            f'<span class="cal-date" aria-hidden="true">{date.day}</span>{burden}{_FLAG if red_flag else ""}'
            f'<span class="visually-hidden">{escape(words)}</span></a>'
        )
    return f'<td class="{classes}">{inner}</td>'


def rows_html(
    weeks: Sequence[Sequence[CalendarDay | None]], day_url: str, flare_days: Set[dt.date], red_flag_days: Set[dt.date]
) -> SafeString:
    """The month table's body rows (cell_html for each day)."""
    url = escape(day_url)
    return mark_safe(  # noqa: S308  # nosec B308 B703: the URL and the words escaped, the rest numbers and constants
        "\n".join(
            "<tr>" + "".join(_cell(cell, url, flare_days, red_flag_days) for cell in week) + "</tr>" for week in weeks
        )
    )
