"""URL converters for the log's dates and months: a value the app cannot show is a 404 before any view runs.

A converter's `to_python` raising ValueError makes Django try the next pattern and, failing all, answer 404. So a
malformed date (2026-02-30), a day before FIRST_DAY (0001-01-01), a year past 9999 or a number too large to be a
year (99999999999999999999) never reaches a view's date arithmetic. Days and months after the person's own today
are refused by the views (only they know whose today it is). `register()` runs once, from the project's urls.py.
"""

import datetime as dt

from django.urls import register_converter

from bfs_tracker.logbook.validation import FIRST_DAY, LAST_DAY


class IsoDateConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> dt.date:
        day = dt.date.fromisoformat(value)  # ValueError (e.g. 2026-02-30) makes Django answer 404
        if not FIRST_DAY <= day <= LAST_DAY:
            raise ValueError(f"{value} is outside the days the log keeps")
        return day

    def to_url(self, value: dt.date | str) -> str:
        return value if isinstance(value, str) else value.isoformat()


class YearConverter:
    regex = r"[0-9]+"

    def to_python(self, value: str) -> int:
        if len(value) > 4 or not FIRST_DAY.year <= int(value) <= LAST_DAY.year:
            raise ValueError(f"{value[:10]} is not a year the log keeps")
        return int(value)

    def to_url(self, value: int | str) -> str:
        return str(value)


class MonthConverter:
    regex = r"[0-9]+"

    def to_python(self, value: str) -> int:
        if len(value) > 2 or not 1 <= int(value) <= 12:
            raise ValueError(f"{value[:10]} is not a month")
        return int(value)

    def to_url(self, value: int | str) -> str:
        return str(value)


def register() -> None:
    register_converter(IsoDateConverter, "isodate")
    register_converter(YearConverter, "year")
    register_converter(MonthConverter, "month")
