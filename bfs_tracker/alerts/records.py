"""What other apps read of the alerts app: the doctor's report and the JSON backup (reports) come here instead of
reading alerts' models, so alerts may change its tables without breaking them. (Restoring a backup's function
checks is a write: alerts.services.function_checks_import.)

Reads are scoped to one user; nothing here raises or changes an alert.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from bfs_tracker.alerts.function_check import ITEM_SHORT_LABELS, ITEMS, SCALE_LABELS
from bfs_tracker.alerts.models import Alert, FunctionCheck
from bfs_tracker.alerts.rules import RULES, URGENT
from bfs_tracker.alerts.selectors import alert_settings_for, function_checks_for_range

# Signs and rules whose alert says "contact a doctor today" (domain rule 3: breathing or swallowing trouble).
URGENT_RULE_IDS: frozenset[str] = frozenset(rule.id for rule in RULES.values() if rule.severity == URGENT)


@dataclass(frozen=True)
class FunctionCheckResult:
    taken_on: dt.date
    result: str  # which everyday tasks were harder than before the twitching, in words
    answers: tuple[tuple[str, int], ...] = ()  # (item, 0..3) in the order of ITEMS, to compare checks


def function_check_results(user, start: dt.date, end: dt.date) -> list[FunctionCheckResult]:
    """One line per function check in [start, end], oldest first: the tasks found harder, or that none were."""
    results = []
    for check in function_checks_for_range(user, start, end):
        harder = [
            f"{ITEM_SHORT_LABELS[name]}: {SCALE_LABELS[value].lower()}"
            for name, value in check.answers.items()
            if value
        ]
        text = "; ".join(harder) if harder else f"No change in any of the {len(ITEMS)} everyday tasks"
        results.append(FunctionCheckResult(check.taken_on, text, tuple(check.answers.items())))
    return results


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def alert_settings_backup(user) -> dict:
    return {"email_on_alert": alert_settings_for(user).email_on_alert}


def alerts_backup(user) -> list[dict]:
    """Every alert of the person (open, read or withdrawn), for the JSON backup."""
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


def function_checks_backup(user) -> list[dict]:
    return [
        {"taken_on": c.taken_on.isoformat(), **c.answers}
        for c in FunctionCheck.objects.filter(user=user).order_by("taken_on")
    ]


def function_check_parse(item, where: str) -> dict:
    """A function check from a JSON backup, validated by the model; raises ValueError with a message."""
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
