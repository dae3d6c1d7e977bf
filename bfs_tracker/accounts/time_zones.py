"""The user's own calendar: what "today" means depends on where they are."""

import datetime as dt
import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.utils import timezone


@cache
def available_time_zones() -> list[str]:
    return sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})


def validate_time_zone(name: str) -> None:
    if name not in set(available_time_zones()):
        raise ValidationError(f"“{name}” is not a time zone we know. Pick one from the list, e.g. Europe/London.")


def local_today(time_zone: str, now: dt.datetime | None = None) -> dt.date:
    """The calendar date at this instant in the given zone (a user in UTC+13 is a day ahead of one in UTC−10)."""
    now = now or timezone.now()
    return now.astimezone(zoneinfo.ZoneInfo(time_zone)).date()
