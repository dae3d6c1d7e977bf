"""What a day may hold: the one set of rules the day form and the importers both apply.

The form parses what a browser sends and the importers parse CSV cells and JSON values, each in its own way, but
what is then acceptable is decided here, once, so an import can never store a day the form would refuse:

- `value_problems`: each value fits its factor (range, step, choices: the validators of the factor table) and
  text can be stored (length, no NUL, no unpaired surrogate). `daily_log_save` applies this too, as the last guard
  for any caller.
- `day_problems`: the above, plus the rules across fields: weakness needs where it was noticed.
- `twitch_problems`: known muscle group and side, intensity 1–10, each group and side once, and a group not listed
  for "both sides" and for one side on the same day.
- `relief_name_normal` / `relief_name_problem`: the name of something tried, as the list's form stores it.
- `date_problems`: no day before FIRST_DAY, none after the person's own today (the day page's URL converter and
  view keep to the same bounds, so a day that can be imported can be opened, and no other can).

Each returns a list of `Problem`s (empty when all is well) naming the field, so each caller puts the message where
its user looks: next to a form field, or after "Row 12, stress (0-10):" in an import.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from django.core.exceptions import ValidationError

from bfs_tracker.logbook import factors
from bfs_tracker.logbook.factors import WHOLE_NUMBERS, Kind
from bfs_tracker.logbook.taxonomy import MuscleGroup, Side

# The earliest day the log keeps. Nobody tracks twitching from before it, and a bound well inside the calendar's
# range means date arithmetic (the day before, the 90-day window of the persistent-weakness rule) can never overflow.
FIRST_DAY = dt.date(1900, 1, 1)
# The last day any page can show: the calendar of its month still has a next month to point at.
LAST_DAY = dt.date(dt.MAXYEAR - 1, 12, 31)

# Free-text fields of a day and their longest length (the model's limits).
TEXT_FIELDS: dict[str, int] = {"weakness_location": 200, "notes": 5000}
WEAKNESS_PLACE = "Say where you noticed the weakness, for example “left hand, gripping”. Your doctor will ask."


class TwitchLike(Protocol):
    @property
    def muscle_group(self) -> str: ...

    @property
    def side(self) -> str: ...

    @property
    def intensity(self) -> Any: ...


@dataclass(frozen=True)
class Problem:
    field: str  # a factor or text field, "date", or for a twitch: "muscle_group", "side" or "intensity"
    message: str
    twitch: int | None = None  # the position of the twitch entry it is about


# Characters no one types: C0 controls but tab, line feed and carriage return; DEL; C1 controls. NUL cannot be
# stored by PostgreSQL at all; the others are what a broken export or a binary file pasted as text leaves behind.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def characters_problem(value: str) -> str | None:
    """Why text cannot be stored as it is (None when it can): NUL, other control characters, unpaired surrogates."""
    if "\x00" in value:
        return "Text cannot contain NUL characters."
    control = _CONTROL.search(value)
    if control:
        return (
            f"Text cannot contain control characters (U+{ord(control.group()):04X} at character {control.start() + 1})."
        )
    if _SURROGATE.search(value):
        return "Text contains a broken character (an unpaired surrogate); save it again as UTF-8."
    return None


def _text_problem(name: str, value: Any) -> str | None:
    if not isinstance(value, str):
        return "This is text; it cannot be a number or yes/no."
    problem = characters_problem(value)
    if problem:
        return problem
    limit = TEXT_FIELDS[name]
    if len(value) > limit:
        return f"Ensure this value has at most {limit} characters (it has {len(value)})."
    return None


# What a person calls something they try: the form's field and the importers' names obey the same rules.
RELIEF_NAME_LENGTH = 80


def relief_name_normal(name: str) -> str:
    """A name as it is stored: runs of spaces (and tabs, line breaks) become one space, none at either end.
    "Magnesium " and " Magnesium" are the same entry; telling "magnesium" from "Magnesium" is the callers' job
    (names are compared case-insensitively against the person's list)."""
    return " ".join(name.split())


def relief_name_problem(name: str) -> str | None:
    """Why a name, once normal, cannot be stored (None when it can)."""
    problem = characters_problem(name)
    if problem:
        return problem
    name = relief_name_normal(name)
    if not name:
        return "Enter a name."
    if len(name) > RELIEF_NAME_LENGTH:
        return f"A name has at most {RELIEF_NAME_LENGTH} characters (it has {len(name)})."
    return None


def _as_number(factor: factors.Factor, value: Any) -> int | Decimal | None:
    """The value as the number its column stores (as Django's own to_python would), or None if it is not one."""
    if isinstance(value, bool):
        return None
    if factor.kind in WHOLE_NUMBERS:
        if isinstance(value, int):
            return value
        if isinstance(value, float | Decimal) and value == int(value):
            return int(value)
        return None
    if isinstance(value, float):
        value = Decimal(str(value))
    elif isinstance(value, int):
        value = Decimal(value)
    return value if isinstance(value, Decimal) and value.is_finite() else None


def _type_problem(factor: factors.Factor, value: Any) -> str | None:
    if factor.kind == Kind.YES_NO:
        return None if isinstance(value, bool) else "This is yes or no."
    if factor.kind == Kind.LEVEL:
        allowed = _choices(factor)
        return None if value in allowed else f"Choose one of {', '.join(allowed)}, not “{value}”."
    return None


def _choices(factor: factors.Factor) -> list[str]:
    return list(factor.choices.values) if factor.choices is not None else []


def value_problems(fields: Mapping[str, Any]) -> list[Problem]:
    """Each value fits its field: the factor table's validators, or the text limits. Unknown names are problems."""
    problems = []
    known = {f.name: f for f in factors.day_factors()}
    for name, value in fields.items():
        if name in TEXT_FIELDS:
            message = _text_problem(name, value)
            if message:
                problems.append(Problem(name, message))
            continue
        factor = known.get(name)
        if factor is None:
            problems.append(Problem(name, "Not a field of a day."))
            continue
        if value is None:
            if not factor.optional:
                problems.append(Problem(name, "This field cannot be empty."))
            continue
        message = _type_problem(factor, value)
        if message:
            problems.append(Problem(name, message))
            continue
        if factor.numeric and factor.kind != Kind.LEVEL:
            value = _as_number(factor, value)
            if value is None:
                problems.append(
                    Problem(name, "This is a number." if factor.kind == Kind.AMOUNT else "This is a whole number.")
                )
                continue
        messages = []
        for validator in factor.value_validators():
            try:
                validator(value)
            except ValidationError as error:
                messages.extend(error.messages)
        if messages:
            problems.append(Problem(name, " ".join(messages)))
    return problems


def day_problems(fields: Mapping[str, Any]) -> list[Problem]:
    """`value_problems` plus the rules across fields. Fields not given are taken as their blank value."""
    problems = value_problems(fields)
    if fields.get("weakness") and not (fields.get("weakness_location") or "").strip():
        problems.append(Problem("weakness_location", WEAKNESS_PLACE))
    return problems


def _side_words(side: str) -> str:
    return "both sides" if side == Side.BOTH else f"the {Side(side).label.lower()} side"


_GROUPS = frozenset(MuscleGroup.values)  # sets, once: each Choices.values builds a new list
_SIDES = frozenset(Side.values)


def twitch_problems(twitches: Sequence[TwitchLike]) -> list[Problem]:
    """Entries that cannot be stored, or that contradict an earlier entry of the same day."""
    problems = []
    seen: set[tuple[str, str]] = set()
    for index, twitch in enumerate(twitches):
        group, side, intensity = twitch.muscle_group, twitch.side, twitch.intensity
        if group not in _GROUPS:
            problems.append(Problem("muscle_group", f"“{group}” is not a muscle group.", index))
            continue
        if side not in _SIDES:
            problems.append(Problem("side", f"“{side}” is not a side (left, right or both).", index))
            continue
        if isinstance(intensity, bool) or not isinstance(intensity, int) or not 1 <= intensity <= 10:
            problems.append(
                Problem("intensity", f"Twitch intensity is a whole number from 1 to 10, not {intensity!r}.", index)
            )
            continue
        name = MuscleGroup(group).label
        if (group, side) in seen:
            message = f"{name} on {_side_words(side)} is already listed. Keep only one."
            problems.append(Problem("muscle_group", message, index))
            continue
        one_and_both = (
            (group, Side.BOTH) in seen
            if side != Side.BOTH
            else any((group, s) in seen for s in (Side.LEFT, Side.RIGHT))
        )
        if one_and_both:
            message = (
                f"{name} is listed for both sides and for one side. Keep one “Both sides”, or separate left and right."
            )
            problems.append(Problem("muscle_group", message, index))
            continue
        seen.add((group, side))
    return problems


def date_problems(day: dt.date, today: dt.date | None) -> list[Problem]:
    """A day the log can hold: from FIRST_DAY to the person's own `today` (None: to LAST_DAY, for callers that do
    not know whose day it is)."""
    if day < FIRST_DAY:
        message = f"{day.isoformat()} is before {FIRST_DAY.year}; BFS Tracker keeps days from {FIRST_DAY} on."
        return [Problem("date", message)]
    if today is not None and day > today:
        return [Problem("date", f"{day.isoformat()} has not happened yet in your time zone (today is {today}).")]
    if day > LAST_DAY:
        return [Problem("date", f"{day.isoformat()} is after the last day BFS Tracker can show ({LAST_DAY}).")]
    return []


def as_validation_error(problems: Sequence[Problem]) -> ValidationError:
    """Problems as one ValidationError keyed by field (twitch problems under "twitches")."""
    by_field: dict[str, list[str]] = {}
    for problem in problems:
        key = "twitches" if problem.twitch is not None else problem.field
        by_field.setdefault(key, []).append(problem.message)
    return ValidationError(by_field)
