"""The timeline in the JSON backup: each event as a plain dict, read back with the same rules the form applies.

The reports app's exporter and importer call these (docs/data-formats.md, "timeline"); a backup restored into an
empty account gives back exactly the events it was made from. Values are written as text ("0.82"), so a decimal
comes back exactly as the lab printed it.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

from bfs_tracker.timeline import rules
from bfs_tracker.timeline.models import Event

# The keys of one event in the backup, in order. A new key: add it here, to the model, and to data-formats.md.
KEYS = (
    "date",
    "kind",
    "clinician",
    "title",
    "emg_result",
    "lab_test",
    "value",
    "unit",
    "reference_range",
    "questions",
    "notes",
)
TEXT_KEYS = ("kind", "clinician", "title", "emg_result", "lab_test", "unit", "reference_range", "questions", "notes")


def event_dict(event: Event) -> dict[str, Any]:
    data: dict[str, Any] = {key: getattr(event, key) for key in TEXT_KEYS}
    data["date"] = event.date.isoformat()
    data["value"] = None if event.value is None else f"{event.value.normalize():f}"
    return {key: data[key] for key in KEYS}


def events_backup(user) -> list[dict[str, Any]]:
    return [event_dict(e) for e in Event.objects.for_user(user).order_by("date", "pk")]


def event_read(item: object, where: str) -> dict[str, Any]:
    """One event of a backup as model fields, its shape and types checked; raises ValueError with a message that
    names the place and the key. The rules of the form are event_problems' job (the check stage)."""
    if not isinstance(item, dict) or "date" not in item or "kind" not in item:
        raise ValueError(f"{where}: needs a date and a kind.")
    unknown = set(item) - set(KEYS)
    if unknown:
        raise ValueError(f"{where}: unknown key “{sorted(unknown)[0]}”.")
    try:
        date = dt.date.fromisoformat(str(item["date"]))
    except ValueError:
        raise ValueError(f"{where}, date: “{str(item['date'])[:40]}” is not a date like 2026-03-31.") from None
    fields: dict[str, Any] = {"date": date}
    for key in TEXT_KEYS:
        value = item.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise ValueError(f"{where}, {key}: expected text.")
        fields[key] = value
    raw = item.get("value")
    if raw is None or raw == "":
        fields["value"] = None
    elif isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise ValueError(f"{where}, value: expected a number.")
    else:
        try:
            fields["value"] = Decimal(str(raw))
        except InvalidOperation:
            raise ValueError(f"{where}, value: “{str(raw)[:40]}” is not a number.") from None
        if not fields["value"].is_finite():
            raise ValueError(f"{where}, value: “{str(raw)[:40]}” is not a number.")
    return fields


def event_problems(fields: dict[str, Any], today: dt.date | None) -> list[tuple[str, str]]:
    """What the form would refuse in these fields, as (key, message): the kind's rules, then the model's own field
    checks (choices, lengths, ranges). `today` None skips only "not in the future"."""
    kind = fields["kind"]
    if kind not in rules.KIND_LABELS:
        return [("kind", f"“{kind[:40]}” is not a kind of event ({', '.join(rules.KIND_LABELS)}).")]
    problems: list[tuple[str, str]] = []
    if today is not None and (problem := rules.date_problem(kind, fields["date"], today)):
        problems.append(("date", problem))
    elif fields["date"] < rules.EARLIEST:
        problems.append(("date", "Choose a date after 1900."))
    if kind == rules.BLOOD:
        if problem := rules.value_problem(fields["value"]):
            problems.append(("value", problem))
        if problem := rules.unit_problem(fields["lab_test"], fields["unit"]):
            problems.append(("unit", problem))
        if fields["lab_test"] == rules.OTHER_TEST and not fields["title"]:
            problems.append(("title", "Name the test, as the lab printed it."))
    elif kind in (rules.IMAGING, rules.DIAGNOSIS) and not fields["title"]:
        problems.append(("title", "This field is required."))
    elif kind == rules.VISIT and not fields["clinician"]:
        problems.append(("clinician", "This field is required."))
    elif kind == rules.EMG and not fields["emg_result"]:
        problems.append(("emg_result", "This field is required."))
    try:
        Event(**fields).clean_fields(exclude=["user"])
    except ValidationError as error:
        problems += [(key, " ".join(messages)) for key, messages in error.message_dict.items()]
    return problems
