"""The report's sections that other apps own: flares and insights (trends), alerts and function checks (alerts).

Each function answers with an empty result while its app is not installed, so the report works on its own and
picks a section up the moment the app lands. This is the only module in reports that imports from those apps.
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.apps import apps

# Breathing or swallowing trouble is urgent (domain rule 3); the report marks these events.
URGENT_SIGNS = frozenset({"breathing_trouble", "swallowing_trouble"})


def user_zone(user) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(user.time_zone)


def periods(user, start: dt.date, end: dt.date) -> list:
    """Flare and remission periods that overlap the range, found over the whole history exactly as the dashboard
    finds them (a flare needs the baseline of the weeks before it), with the person's own thresholds."""
    if not apps.is_installed("bfs_tracker.trends"):
        return []
    from bfs_tracker.reports.assembly import PeriodRow
    from bfs_tracker.trends import selectors
    from bfs_tracker.trends.flares import FLARE, detect_periods, unusual_before, unusual_days_from

    found = detect_periods(selectors.burden_series(user), selectors.flare_params_for(user))
    in_range = [p for p in found if p.end >= start and p.start <= end]
    flares = [p for p in found if p.kind == FLARE]
    shown_flares = [p for p in in_range if p.kind == FLARE]
    records = selectors.day_records(user, unusual_days_from(shown_flares), end) if shown_flares else {}
    rows = []
    for p in in_range:
        before = ""
        if p.kind == FLARE:
            others = [f for f in flares if f != p]
            before = "; ".join(u.text for u in unusual_before(p, records, exclude=others))
        rows.append(PeriodRow(p.kind, p.start, p.end, p.days, round(p.peak, 1), round(p.mean, 1), before))
    return rows


def _insight_days(insight) -> str:
    if insight.n_with is not None:
        return f"{insight.n_with} days with, {insight.n_without} without"
    return f"{insight.n_pairs} days"


def insights(user, start: dt.date, end: dt.date) -> list:
    """What went with more or less twitching in the range, each with the day counts it rests on. Factors with no
    clear link, or too few days, are summed up in one line each rather than dropped, so the absence is visible."""
    if not apps.is_installed("bfs_tracker.trends"):
        return []
    from bfs_tracker.reports.assembly import InsightRow
    from bfs_tracker.trends import selectors
    from bfs_tracker.trends.insights import trigger_insights

    found = trigger_insights(selectors.day_records(user, start, end))
    linked = ("goes_with_higher", "goes_with_lower")
    rows = [InsightRow(i.text, _insight_days(i)) for i in found if i.verdict in linked and i.lag == 0]
    next_day = [i for i in found if i.verdict in linked and i.lag == 1]
    if next_day:
        names = ", ".join(f"{i.label.lower()} ({_insight_days(i)})" for i in next_day)
        rows.append(InsightRow(f"Also with the next day's twitching: {names}.", ""))
    unclear = [i for i in found if i.verdict == "no_clear_link" and i.lag == 0]
    if unclear:
        names = ", ".join(f"{i.label.lower()} ({_insight_days(i)})" for i in unclear)
        rows.append(InsightRow(f"No clear link on the same day: {names}.", ""))
    short = [i.label.lower() for i in found if i.verdict == "not_enough_data" and i.lag == 0]
    if short:
        rows.append(InsightRow(f"Too few days to say anything yet: {', '.join(short)}.", ""))
    return rows


@dataclass(frozen=True)
class AlertRecord:
    date: dt.date
    rule_id: str
    title: str
    details: str
    urgent: bool
    status: str  # "open", "acknowledged" or "withdrawn"
    acknowledged_at: dt.datetime | None


def alert_records(user, start: dt.date, end: dt.date) -> list[AlertRecord]:
    """Every alert dated in the range (open, read or withdrawn), oldest first. Empty without the alerts app."""
    if not apps.is_installed("bfs_tracker.alerts"):
        return []
    from bfs_tracker.alerts.selectors import alerts_for_range

    return [
        AlertRecord(a.date, a.rule_id, a.title, a.details, a.is_urgent, a.status, a.acknowledged_at)
        for a in alerts_for_range(user, start, end)
    ]


def function_checks(user, start: dt.date, end: dt.date) -> list:
    """One row per function check: which everyday tasks the person found harder than before the twitching."""
    if not apps.is_installed("bfs_tracker.alerts"):
        return []
    from bfs_tracker.alerts.function_check import ITEM_SHORT_LABELS, ITEMS, SCALE_LABELS
    from bfs_tracker.alerts.selectors import function_checks_for_range
    from bfs_tracker.reports.assembly import FunctionCheckRow

    rows = []
    for check in function_checks_for_range(user, start, end):
        harder = [
            f"{ITEM_SHORT_LABELS[name]}: {SCALE_LABELS[value].lower()}"
            for name, value in check.answers.items()
            if value
        ]
        result = "; ".join(harder) if harder else f"No change in any of the {len(ITEMS)} everyday tasks"
        rows.append(FunctionCheckRow(check.taken_on, "Everyday tasks compared with before the twitching", result))
    return rows


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def backup_settings(user) -> dict:
    """Flare and alert settings for the JSON backup, keyed by app (only apps that are installed)."""
    settings: dict = {}
    if apps.is_installed("bfs_tracker.trends"):
        from bfs_tracker.trends.selectors import flare_params_for

        settings["flares"] = flare_params_for(user).as_dict()
    if apps.is_installed("bfs_tracker.alerts"):
        from bfs_tracker.alerts.selectors import alert_settings_for

        settings["alerts"] = {"email_on_alert": alert_settings_for(user).email_on_alert}
    return settings


def backup_alerts(user) -> list[dict]:
    if not apps.is_installed("bfs_tracker.alerts"):
        return []
    from bfs_tracker.alerts.models import Alert

    return [
        {
            "date": a.date.isoformat(),
            "rule_id": a.rule_id,
            "severity": a.severity,
            "title": a.title,
            "details": a.details,
            "status": a.status,
            "created_at": _iso(a.created_at),
            "acknowledged_at": _iso(a.acknowledged_at),
            "withdrawn_at": _iso(a.withdrawn_at),
        }
        for a in Alert.objects.filter(user=user).order_by("date", "rule_id")
    ]


def backup_function_checks(user) -> list[dict]:
    if not apps.is_installed("bfs_tracker.alerts"):
        return []
    from bfs_tracker.alerts.models import FunctionCheck

    return [
        {"taken_on": c.taken_on.isoformat(), **c.answers}
        for c in FunctionCheck.objects.filter(user=user).order_by("taken_on")
    ]


def function_check_parse(item, where: str) -> dict:
    """A function check from a JSON backup, validated by the model; raises ValueError with a message."""
    if not apps.is_installed("bfs_tracker.alerts"):
        return {}
    from django.core.exceptions import ValidationError

    from bfs_tracker.alerts.function_check import ITEMS
    from bfs_tracker.alerts.models import FunctionCheck

    names = {name for name, _ in ITEMS}
    if not isinstance(item, dict) or set(item) != {"taken_on", *names}:
        raise ValueError(f"{where}: needs taken_on and an answer for each of {', '.join(sorted(names))}.")
    try:
        taken_on = dt.date.fromisoformat(str(item["taken_on"]))
    except ValueError:
        raise ValueError(f"{where}, taken_on: “{item['taken_on']}” is not a date like 2026-03-31.") from None
    answers = {name: item[name] for name in names}
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in answers.values()):
        raise ValueError(f"{where}: each answer is a whole number from 0 to 3.")
    check = FunctionCheck(taken_on=taken_on, **answers)
    try:
        check.clean_fields(exclude=["user"])
    except ValidationError as error:
        name, messages = next(iter(error.message_dict.items()))
        raise ValueError(f"{where}, {name}: {' '.join(messages)}") from None
    return {"taken_on": taken_on, **answers}


def function_checks_write(user, checks: list[dict], *, replace: bool) -> int:
    """Write parsed function checks (inside the caller's transaction); returns how many were written. The alerts
    app writes them, so its two-in-a-row alerts follow the imported checks."""
    if not checks or not apps.is_installed("bfs_tracker.alerts"):
        return 0
    from bfs_tracker.alerts.services import function_checks_import

    return function_checks_import(user=user, checks=checks, replace=replace)
