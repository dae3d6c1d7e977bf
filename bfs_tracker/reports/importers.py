"""Data in: a CSV export or a JSON backup, read and checked whole before a single row is written.

An import runs in three stages, each its own function, so a new section of the backup (a helper's remedies, medical
events) adds one reader and, if it has rules, one check, without touching the others:

1. **Read** (`read_csv`, `read_json`): the file's shape and each value's type. A cell that is not a number where a
   number belongs, a date that is not YYYY-MM-DD, JSON nested deeper than a backup ever is, more than MAX_DAYS
   days: refused here, naming the row and the field. The result is an ImportPlan whose every item remembers where
   in the file it came from (`where`, and for a day how the file names each field).
2. **Check** (`plan_check`): the rules a person's data obeys wherever it comes from, the day form's own rules
   (logbook/validation.py): ranges, weakness needs a place, each muscle group and side once and not "both" beside
   one side, no control characters or broken characters in text, names of things tried as the list's form takes
   them, no day before validation.FIRST_DAY or after the person's own today (function checks too).
3. **Write** (`reports.services.import_apply`): the checked plan in one transaction, in bulk.

`parse_csv`, `parse_json` and `parse_file` run stages 1 and 2; any problem raises ImportError_ with a message for
the person importing ("Row 12, stress (0-10): ...") and nothing has been written.
"""

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from bfs_tracker.alerts.records import function_check_parse
from bfs_tracker.logbook import factors
from bfs_tracker.logbook.factors import WHOLE_NUMBERS, Factor, Kind
from bfs_tracker.logbook.models import OwnKind
from bfs_tracker.logbook.own_factors import OWN_FACTORS_MAX, TOO_MANY
from bfs_tracker.logbook.own_factors import name_problem as own_name_problem
from bfs_tracker.logbook.own_factors import normal_name as own_normal_name
from bfs_tracker.logbook.own_factors import value_problem as own_value_problem
from bfs_tracker.logbook.remedies import BACKUP_FIELDS as REMEDY_FIELDS
from bfs_tracker.logbook.remedies import parse_dose, remedy_problems
from bfs_tracker.logbook.services import Twitch, log_fields
from bfs_tracker.logbook.validation import (
    TEXT_FIELDS,
    Problem,
    characters_problem,
    date_problems,
    day_problems,
    relief_name_normal,
    relief_name_problem,
    twitch_problems,
)
from bfs_tracker.reports.exporters import (
    FORMAT_VERSION,
    REMEDY_COLUMNS,
    Column,
    csv_columns,
    own_header_parse,
    reliefs_split,
    unescape_cell,
)
from bfs_tracker.timeline.backup import event_problems, event_read
from bfs_tracker.trends.experiment_store import BACKUP_FIELDS as EXPERIMENT_FIELDS
from bfs_tracker.trends.experiment_store import experiment_problems, experiments_overlap

MAX_IMPORT_BYTES = 5 * 1024 * 1024
# Days in one file: ten years and a bit. A longer history imports in parts (the export page takes a date range).
# It bounds the time and memory one import takes (docs/performance.md has the figures).
MAX_DAYS = 3_700
TOO_MANY_DAYS = (
    f"The file holds more than {MAX_DAYS:,} days (about ten years); one import takes at most that many. "
    "Export a shorter date range, or split the file, and import each part."
)


class ImportError_(Exception):  # noqa: N801 (the builtin ImportError means something else)
    """A file that cannot be imported; the message says where and what, in words for the person importing."""


def _field_name(problem: Problem, day: "ParsedDay") -> str:
    return problem.field


@dataclass(frozen=True)
class ParsedDay:
    date: dt.date
    fields: dict
    twitches: list[Twitch]
    reliefs: list[str]
    where: str = ""  # "Row 12", "Day 3 in logs (2026-03-01)"
    # How the file names a problem's field (a CSV header, a JSON key).
    label: Callable[[Problem, "ParsedDay"], str] = field(default=_field_name, compare=False, repr=False)
    own: dict = field(default_factory=dict)  # answers to the person's own factors: name -> bool / 0-10 / None


@dataclass
class ImportPlan:
    days: list[ParsedDay] = field(default_factory=list)
    reliefs: dict[str, bool] = field(default_factory=dict)  # name -> archived (the backup's list)
    relief_places: dict[str, str] = field(default_factory=dict)  # name -> where in the file it was listed
    function_checks: list[dict] = field(default_factory=list)
    function_check_places: list[str] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)  # the medical timeline (timeline.backup)
    event_places: list[str] = field(default_factory=list)
    own_factors: dict[str, tuple[str, bool]] = field(default_factory=dict)  # name -> (kind, archived)
    own_factor_places: dict[str, str] = field(default_factory=dict)
    remedies: list[dict] = field(default_factory=list)  # Remedy values (logbook/remedies.py)
    remedy_places: list[str] = field(default_factory=list)
    remedy_labels: dict[str, str] = field(default_factory=dict)  # field -> how the file names it (a CSV header)
    experiments: list[dict] = field(default_factory=list)  # Experiment values (trends/experiment_store.py)
    experiment_places: list[str] = field(default_factory=list)
    # A backup (JSON) holds each day whole, own factors' answers included, so a day it replaces loses answers the
    # file does not have; a CSV holds the answers of the own factors it has columns for (none in a file made before
    # they existed), so a day it replaces keeps the answers of the others.
    whole_days: bool = False


# --- 1. Read ---------------------------------------------------------------------------------------------------

_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0", ""}
_EXPECTED = {
    Kind.SCORE: "a whole number",
    Kind.COUNT: "a whole number",
    Kind.AMOUNT: "a number",
    Kind.YES_NO: "yes or no",
    Kind.LEVEL: "one of the listed words",
}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LONGEST_NUMBER = 30  # characters: longer is no value of a day (and int() of thousands of digits is slow)


def _shown(raw) -> str:
    """A value as a message quotes it: short, and without characters that would garble the message."""
    text = str(raw)
    text = text if len(text) <= 40 else text[:40] + "…"
    return text.encode("unicode_escape").decode("ascii") if characters_problem(text) else text


def _bad(raw, header: str, where: str, expected: str) -> ImportError_:
    return ImportError_(f"{where}, {header}: “{_shown(raw)}” is not {expected}.")


def _factor_value(raw, factor: Factor, header: str, where: str):
    """One cell (CSV text or JSON value) as the factor's Python value; blank is the factor's blank value."""
    text = raw.strip() if isinstance(raw, str) else raw
    if text in ("", None):
        return factor.blank_value()
    expected = _EXPECTED[factor.kind] + (" or blank" if factor.optional else "")
    try:
        if isinstance(text, str) and len(text) > _LONGEST_NUMBER and factor.kind != Kind.LEVEL:
            raise ValueError
        if factor.kind in WHOLE_NUMBERS:
            if isinstance(text, bool) or (isinstance(text, float) and not text.is_integer()):
                raise ValueError
            return int(text)
        if factor.kind == Kind.AMOUNT:
            if isinstance(text, bool):
                raise ValueError
            return Decimal(str(text))
        if factor.kind == Kind.YES_NO:
            if isinstance(text, bool):
                return text
            if str(text).lower() in _YES:
                return True
            if str(text).lower() in _NO:
                return False
            raise ValueError
        if not isinstance(text, str):
            raise ValueError
        return text
    except (ValueError, InvalidOperation, TypeError, OverflowError):
        raise _bad(raw, header, where, expected) from None


def _text_value(raw, header: str, where: str) -> str:
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise _bad(raw, header, where, "text")
    return raw.strip()  # as the day form's text fields strip


def _intensity(raw, header: str, where: str) -> int | None:
    text = raw.strip() if isinstance(raw, str) else raw
    if text in ("", None):
        return None
    try:
        if isinstance(text, bool) or (isinstance(text, float) and not text.is_integer()):
            raise ValueError
        if isinstance(text, str) and len(text) > _LONGEST_NUMBER:
            raise ValueError
        return int(text)
    except (ValueError, TypeError, OverflowError):
        raise _bad(raw, header, where, "a whole number from 1 to 10, or blank") from None


def _parse_date(raw, where: str, header: str) -> dt.date:
    text = raw.strip() if isinstance(raw, str) else None
    try:
        if text is None or not _ISO_DATE.fullmatch(text):
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ImportError_(f"{where}, {header}: “{_shown(raw)}” is not a date like 2026-03-31.") from None


def _add_day(plan: ImportPlan, seen: dict[dt.date, str], day: ParsedDay) -> None:
    if day.date in seen:
        raise ImportError_(f"{day.where}: the date {day.date.isoformat()} is already on {seen[day.date]}.")
    seen[day.date] = day.where
    plan.days.append(day)
    if len(plan.days) > MAX_DAYS:
        raise ImportError_(TOO_MANY_DAYS)


def decode(data: bytes) -> str:
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportError_(f"The file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportError_("The file is not UTF-8 text. Export it again as CSV (UTF-8) or JSON.") from None


def _csv_label(headers: dict[str, str]) -> Callable[[Problem, ParsedDay], str]:
    def label_of(problem: Problem, day: ParsedDay) -> str:
        if problem.twitch is not None:
            twitch = day.twitches[problem.twitch]
            return headers.get(f"twitch:{twitch.muscle_group}:{twitch.side}", "twitches")
        return headers.get(problem.field, problem.field)

    return label_of


def _csv_rows(text: str):
    """The CSV's rows, numbered from 1; a row the csv module cannot read is an ImportError_ naming it."""
    reader = csv.reader(io.StringIO(text, newline=""))
    number = 0
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ImportError_(f"Row {number}: this is not readable as CSV ({error}).") from None
        yield number, cells


_OWN_CELL_EXPECTED = {OwnKind.YES_NO: "yes, no or blank", OwnKind.SCALE: "a whole number from 0 to 10, or blank"}


def _own_cell(raw: str, kind: str, header: str, where: str) -> bool | int | None:
    """One own factor's cell: blank is not answered; yes/no as the day CSV writes it; 0-10 for a scale. The rules
    are the day form's (own_factors.value_problem)."""
    text = raw.strip().lower()
    if not text:
        return None
    value: bool | int
    if kind == OwnKind.YES_NO:
        if text not in _YES and text not in _NO:
            raise _bad(raw, header, where, _OWN_CELL_EXPECTED[OwnKind(kind)])
        value = text in _YES
    else:
        if len(text) > _LONGEST_NUMBER or not re.fullmatch(r"[+-]?\d+", text):
            raise _bad(raw, header, where, _OWN_CELL_EXPECTED[OwnKind(kind)])
        value = int(text)
    if problem := own_value_problem(kind, value):
        raise ImportError_(f"{where}, {header}: {problem}")
    return value


def _own_columns(header: list[str], plan: ImportPlan) -> dict[str, tuple[str, str]]:
    """The own factors' columns of a day CSV's header, listed in the plan (name -> kind, archived; where: the
    column); returns header -> (name, kind). plan_check applies the settings form's rules to the names."""
    found: dict[str, tuple[str, str]] = {}
    seen: dict[str, str] = {}
    for text in header:
        try:
            parsed = own_header_parse(text)
        except ValueError:
            raise ImportError_(
                f"Row 1 (header), column “{_shown(text)}”: a column of your own factor ends with its scale, "
                "“(yes/no)” or “(0-10)”, e.g. “own: cold exposure (yes/no)”."
            ) from None
        if parsed is None:
            continue
        name, kind, archived = parsed
        name = own_normal_name(name)
        if name.lower() in seen:
            raise ImportError_(
                f"Row 1 (header), column “{_shown(text)}”: the own factor “{_shown(name)}” already has the column "
                f"“{_shown(seen[name.lower()])}” (names are compared ignoring upper and lower case)."
            )
        seen[name.lower()] = text
        found[text] = (name, kind)
        plan.own_factors[name] = (kind, archived)
        plan.own_factor_places[name] = f"Row 1 (header), column “{_shown(text)}”"
    return found


def read_csv(text: str) -> ImportPlan:
    """Stage 1 for a CSV export: its header says which (the remedies CSV has a “remedy” column), then every cell
    is read by its column's kind."""
    rows = _csv_rows(text)
    first = next(rows, None)
    if not first or not first[1]:
        raise ImportError_("The file is empty.")
    header = [h.strip() for h in first[1]]
    if any(_remedy_key(h) == "name" for h in header):
        return _read_remedies_csv(header, rows)
    return _read_days_csv(header, rows)


def _read_days_csv(header: list[str], rows) -> ImportPlan:
    """The day CSV: one row per day, its fixed columns (csv_columns) and one per own factor."""
    all_columns = csv_columns()
    by_header = {c.header: c for c in all_columns}
    plan = ImportPlan()
    own_columns = _own_columns(header, plan)
    unknown = [h for h in header if h not in by_header and h not in own_columns]
    if unknown:
        raise ImportError_(
            f"Row 1 (header): unknown column “{_shown(unknown[0])}”. The header must use the column names of a "
            "BFS Tracker CSV export, e.g. “date (YYYY-MM-DD)” and “stress (0-10)”."
        )
    if len(set(header)) != len(header):
        duplicate = next(h for h in header if header.count(h) > 1)
        raise ImportError_(f"Row 1 (header): the column “{_shown(duplicate)}” appears twice.")
    if all_columns[0].header not in header:
        raise ImportError_(f"Row 1 (header): the column “{all_columns[0].header}” is missing.")
    columns = [by_header.get(h) or Column(f"own:{own_columns[h][0]}", h, "own") for h in header]
    label_of = _csv_label({c.key: c.header for c in all_columns})
    seen: dict[dt.date, str] = {}
    for number, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        where = f"Row {number}"
        if len(cells) != len(columns):
            raise ImportError_(f"{where}: {len(cells)} cells, but the header has {len(columns)} columns.")
        fields: dict = {}
        twitches: list[Twitch] = []
        reliefs: list[str] = []
        own: dict[str, Any] = {}
        day = None
        for column, raw in zip(columns, cells, strict=True):
            if column.kind == "date":
                day = _parse_date(raw, where, column.header)
            elif column.kind == "derived":
                continue
            elif column.kind == "reliefs":
                reliefs = reliefs_split(unescape_cell(raw))
            elif column.kind == "text":
                fields[column.key] = unescape_cell(raw).strip()  # as the day form's text fields strip
            elif column.kind == "twitch":
                value = _intensity(raw, column.header, where)
                if value is not None:
                    _, group, side = column.key.split(":")
                    twitches.append(Twitch(group, side, value))
            elif column.kind == "own":
                name, kind = own_columns[column.header]
                answer = _own_cell(raw, kind, column.header, where)
                if answer is not None:
                    own[name] = answer
            else:
                fields[column.key] = _factor_value(raw, factors.by_name(column.key), column.header, where)
        assert day is not None  # noqa: S101  # nosec B101 (the header was checked to have the date column)
        _add_day(plan, seen, ParsedDay(day, fields, twitches, reliefs, where, label_of, own))
    return plan


_REMEDY_KEYS = {header.split(" (")[0]: key for key, header in REMEDY_COLUMNS}  # "remedy" -> "name", ...
_REMEDY_REQUIRED = ("name", "start")


def _remedy_key(header: str) -> str | None:
    """The remedy field a remedies CSV column holds, read from the word before its bracket (“stop (YYYY-MM-DD,
    ...)” -> "stop"), case ignored; None for any other column."""
    return _REMEDY_KEYS.get(header.split("(")[0].strip().lower())


def _read_remedies_csv(header: list[str], rows) -> ImportPlan:
    """The remedies CSV (exporters.remedy_csv_rows): one row per dose, read as the backup's "remedies" are
    (_remedy_values), each problem named by its row and column."""
    keys: list[str] = []
    for text in header:
        key = _remedy_key(text)
        if key is None:
            raise ImportError_(
                f"Row 1 (header): unknown column “{_shown(text)}” in a remedies CSV. Its columns are "
                + ", ".join(f"“{h}”" for _, h in REMEDY_COLUMNS)
                + "."
            )
        if key in keys:
            raise ImportError_(f"Row 1 (header): the column “{_shown(text)}” appears twice.")
        keys.append(key)
    labels = dict(zip(keys, header, strict=True))
    for key in _REMEDY_REQUIRED:
        if key not in labels:
            missing = dict(REMEDY_COLUMNS)[key]
            raise ImportError_(f"Row 1 (header): a remedies CSV needs the column “{missing}”.")
    plan = ImportPlan(remedy_labels=labels)
    for number, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        where = f"Row {number}"
        if len(cells) != len(keys):
            raise ImportError_(f"{where}: {len(cells)} cells, but the header has {len(keys)} columns.")
        item = {key: unescape_cell(raw) for key, raw in zip(keys, cells, strict=True)}
        for key in _REMEDY_REQUIRED:
            if not item[key].strip():
                raise ImportError_(
                    f"{where}, {labels[key]}: a remedy needs its {'name' if key == 'name' else 'start date'}."
                )
        for key in ("frequency", "stop"):
            if key in item and not item[key].strip():
                del item[key]  # blank: once a day, still taking (as in a backup without them)
        if "frequency" in item:
            item["frequency"] = item["frequency"].strip()
        plan.remedies.append(_remedy_values(item, where, labels))
        plan.remedy_places.append(where)
        if len(plan.remedies) > MAX_DAYS:
            raise ImportError_(
                f"The file holds more than {MAX_DAYS:,} remedy rows; one import takes at most that many. Split "
                "the file and import each part."
            )
    return plan


def _json_twitches(raw, where: str) -> list[Twitch]:
    if not isinstance(raw, list):
        raise ImportError_(f"{where}, twitches: expected a list.")
    twitches = []
    for item in raw:
        if not isinstance(item, dict) or set(item) != {"muscle_group", "side", "intensity"}:
            raise ImportError_(f"{where}, twitches: each entry needs muscle_group, side and intensity.")
        group, side = item["muscle_group"], item["side"]
        if not isinstance(group, str) or not isinstance(side, str):
            raise ImportError_(f"{where}, twitches: muscle_group and side are words, like “calf” and “left”.")
        header = f"twitches {_shown(group)} {_shown(side)} intensity"
        value = _intensity(item["intensity"], header, where)
        if value is None:
            raise ImportError_(f"{where}, {header}: missing.")
        twitches.append(Twitch(group, side, value))
    return twitches


def _json_label(problem: Problem, day: ParsedDay) -> str:
    if problem.twitch is not None:
        twitch = day.twitches[problem.twitch]
        return f"twitches {_shown(twitch.muscle_group)} {_shown(twitch.side)}"
    return problem.field


def _json_load(text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportError_(f"The file is not valid JSON (line {error.lineno}: {error.msg}).") from None
    except RecursionError:
        raise ImportError_("The file is not a BFS Tracker backup: its JSON is nested far deeper than one.") from None
    except ValueError as error:  # e.g. a number of thousands of digits
        raise ImportError_(f"The file is not valid JSON ({_shown(error)}).") from None


def _read_reliefs(data: dict, plan: ImportPlan) -> None:
    reliefs = data.get("reliefs", [])
    if not isinstance(reliefs, list):
        raise ImportError_("“reliefs” must be a list.")
    for i, item in enumerate(reliefs, start=1):
        where = f"Relief {i}"
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise ImportError_(f"{where}: needs a name.")
        plan.reliefs.setdefault(item["name"], bool(item.get("archived", False)))
        plan.relief_places.setdefault(item["name"], where)


def _read_own_factors(data: dict, plan: ImportPlan) -> None:
    """The person's own factors (name, kind, archived); plan_check applies the settings form's rules."""
    own = data.get("own_factors", [])
    if not isinstance(own, list):
        raise ImportError_("“own_factors” must be a list.")
    for i, item in enumerate(own, start=1):
        where = f"Own factor {i}"
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise ImportError_(f"{where}: needs a name.")
        unknown = set(item) - {"name", "kind", "archived"}
        if unknown:
            raise ImportError_(f"{where}: unknown field “{_shown(sorted(unknown)[0])}”.")
        kind, archived = item.get("kind", "yes_no"), item.get("archived", False)
        if not isinstance(kind, str):
            raise _bad(kind, "kind", where, "yes_no or scale")
        if not isinstance(archived, bool):
            raise _bad(archived, "archived", where, "true or false")
        if item["name"] in plan.own_factors:
            raise ImportError_(f"{where}, name: “{_shown(item['name'])}” is listed twice.")
        plan.own_factors[item["name"]] = (kind, archived)
        plan.own_factor_places[item["name"]] = where


def _read_logs(data: dict, plan: ImportPlan) -> None:
    logs = data.get("logs", [])
    if not isinstance(logs, list):
        raise ImportError_("“logs” must be a list.")
    if len(logs) > MAX_DAYS:
        raise ImportError_(TOO_MANY_DAYS)
    names = log_fields()
    known_keys = {"date", "twitches", "reliefs", "burden", "own", *names}
    seen: dict[dt.date, str] = {}
    for i, item in enumerate(logs, start=1):
        where = f"Day {i} in logs"
        if not isinstance(item, dict) or "date" not in item:
            raise ImportError_(f"{where}: needs a date.")
        where = f"Day {i} in logs ({_shown(item['date'])[:10]})"
        unknown = set(item) - known_keys
        if unknown:
            raise ImportError_(f"{where}: unknown field “{_shown(sorted(unknown)[0])}”.")
        day = _parse_date(item["date"], where, "date")
        fields = {}
        for name in names:
            if name not in item:
                continue
            if name in TEXT_FIELDS:
                fields[name] = _text_value(item[name], name, where)
            else:
                fields[name] = _factor_value(item[name], factors.by_name(name), name, where)
        tried = item.get("reliefs", [])
        if not isinstance(tried, list) or not all(isinstance(n, str) for n in tried):
            raise ImportError_(f"{where}, reliefs: expected a list of names.")
        twitches = _json_twitches(item.get("twitches", []), where)
        own = item.get("own", {})
        if not isinstance(own, dict) or not all(isinstance(n, str) for n in own):
            raise ImportError_(f"{where}, own: expected your own factors' answers by name.")
        for name, value in own.items():
            if value is not None and (isinstance(value, float) or not isinstance(value, int)):
                raise _bad(value, f"own “{_shown(name)}”", where, "yes, no or a whole number from 0 to 10")
        _add_day(plan, seen, ParsedDay(day, fields, twitches, tried, where, _json_label, dict(own)))


def _read_function_checks(data: dict, plan: ImportPlan) -> None:
    checks = data.get("function_checks", [])
    if not isinstance(checks, list):
        raise ImportError_("“function_checks” must be a list.")
    taken: set = set()
    for i, item in enumerate(checks, start=1):
        where = f"Function check {i}"
        if isinstance(item, dict) and "taken_on" in item:
            _parse_date(item["taken_on"], where, "taken_on")
        try:
            check = function_check_parse(item, where)
        except ValueError as error:
            raise ImportError_(str(error)) from None
        if check:
            if check["taken_on"] in taken:
                raise ImportError_(f"{where}: the date {check['taken_on'].isoformat()} appears twice.")
            taken.add(check["taken_on"])
            plan.function_checks.append(check)
            plan.function_check_places.append(where)


def _read_events(data: dict, plan: ImportPlan) -> None:
    """The medical timeline: each event read (timeline.backup.event_read); plan_check applies the form's rules."""
    events = data.get("timeline", [])
    if not isinstance(events, list):
        raise ImportError_("“timeline” must be a list.")
    for i, item in enumerate(events, start=1):
        where = f"Timeline event {i}"
        try:
            fields = event_read(item, where)
        except ValueError as error:
            raise ImportError_(str(error)) from None
        plan.events.append(fields)
        plan.event_places.append(where)


def _date_or_none(item: dict, key: str, where: str, label: str | None = None) -> dt.date | None:
    raw = item.get(key)
    return None if raw in (None, "") else _parse_date(raw, where, label or key)


def _remedy_values(item: dict, where: str, labels: dict[str, str] | None = None) -> dict:
    """One remedy of a backup or a remedies CSV as Remedy values: each value's type (a dose that is a number, dates
    like 2026-03-31); `labels`: how the file names each field in a message (a CSV's headers; default the key)."""
    labels = labels or {}

    def label(key: str) -> str:
        return labels.get(key, key)

    try:
        dose = parse_dose(item.get("dose"))
    except ValueError as error:
        raise ImportError_(f"{where}, {label('dose')}: “{_shown(item.get('dose'))}”: {error}") from None
    frequency = item.get("frequency", "daily")
    if not isinstance(frequency, str):
        raise _bad(frequency, label("frequency"), where, "one of the listed words")
    return {
        "name": " ".join(item["name"].split()),  # as the remedy form stores a name
        "dose": dose,
        "unit": _text_value(item.get("unit"), label("unit"), where),
        "frequency": frequency,
        "start": _parse_date(item["start"], where, label("start")),
        "stop": _date_or_none(item, "stop", where, label("stop")),
        "notes": _text_value(item.get("notes"), label("notes"), where),
    }


def _read_remedies(data: dict, plan: ImportPlan) -> None:
    """Remedies and medication with doses and dates: each entry's shape and types; plan_check applies the remedy
    form's rules (logbook.remedies.remedy_problems)."""
    remedies = data.get("remedies", [])
    if not isinstance(remedies, list):
        raise ImportError_("“remedies” must be a list.")
    for i, item in enumerate(remedies, start=1):
        where = f"Remedy {i}"
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or "start" not in item:
            raise ImportError_(f"{where}: needs a name and a start date.")
        unknown = set(item) - set(REMEDY_FIELDS)
        if unknown:
            raise ImportError_(f"{where}: unknown field “{_shown(sorted(unknown)[0])}”.")
        plan.remedies.append(_remedy_values(item, where))
        plan.remedy_places.append(where)


def _read_experiments(data: dict, plan: ImportPlan) -> None:
    """Planned self-experiments with the baseline and warning fixed when they were planned (so a restored backup
    gives the same verdicts); plan_check applies the planning rules (trends.experiment_store.experiment_problems)."""
    experiments = data.get("experiments", [])
    if not isinstance(experiments, list):
        raise ImportError_("“experiments” must be a list.")
    for i, item in enumerate(experiments, start=1):
        where = f"Experiment {i}"
        if not isinstance(item, dict) or not isinstance(item.get("change"), str) or "start" not in item:
            raise ImportError_(f"{where}: needs what changes and a start date.")
        unknown = set(item) - {*EXPERIMENT_FIELDS, "remedy"}
        if unknown:
            raise ImportError_(f"{where}: unknown field “{_shown(sorted(unknown)[0])}”.")
        days = item.get("days")
        if not isinstance(days, int) or isinstance(days, bool):
            raise _bad(days, "days", where, "a whole number")
        for key in ("design", "outcome"):
            if not isinstance(item.get(key, ""), str):
                raise _bad(item[key], key, where, "one of the listed words")
        values = {
            "change": item["change"].strip(),
            "design": item.get("design", "ab"),
            "outcome": item.get("outcome", "burden"),
            "start": _parse_date(item["start"], where, "start"),
            "days": days,
            "baseline_start": _date_or_none(item, "baseline_start", where),
            "warning": _text_value(item.get("warning"), "warning", where),
            "stopped_on": _date_or_none(item, "stopped_on", where),
            "remedy": None,
        }
        link = item.get("remedy")
        if link is not None:
            if not isinstance(link, dict) or not isinstance(link.get("name"), str) or "start" not in link:
                raise ImportError_(f"{where}, remedy: expected the remedy's name and start date.")
            values["remedy"] = {"name": link["name"], "start": _parse_date(link["start"], where, "remedy start")}
        plan.experiments.append(values)
        plan.experiment_places.append(where)


# The sections of a backup, read in this order. A new section: a reader here, its items in ImportPlan, its rules
# in plan_check, its write in services.import_apply.
JSON_SECTIONS: tuple[Callable[[dict, ImportPlan], None], ...] = (
    _read_reliefs,
    _read_own_factors,
    _read_logs,
    _read_function_checks,
    _read_events,
    _read_remedies,
    _read_experiments,
)


def read_json(text: str) -> ImportPlan:
    """Stage 1 for a JSON backup: its version, then each section."""
    data = _json_load(text)
    if not isinstance(data, dict) or "format_version" not in data:
        raise ImportError_("This is not a BFS Tracker backup: it has no format_version.")
    version = data["format_version"]
    if not isinstance(version, int) or isinstance(version, bool):
        raise ImportError_("format_version must be a whole number.")
    if version > FORMAT_VERSION:
        raise ImportError_(
            f"This backup is in format {version}, made by a newer BFS Tracker; this one reads format "
            f"{FORMAT_VERSION} and older. Update BFS Tracker, or export the data again from where it came."
        )
    plan = ImportPlan(whole_days=True)
    for read_section in JSON_SECTIONS:
        read_section(data, plan)
    return plan


# --- 2. Check --------------------------------------------------------------------------------------------------


def _check_relief_name(name: str, where: str) -> str:
    """The name as it will be stored (relief_name_normal), or ImportError_ if the list's form would refuse it."""
    problem = relief_name_problem(name)
    if problem:
        raise ImportError_(f"{where}, tried: “{_shown(name)}”: {problem}")
    return relief_name_normal(name)


def plan_check(plan: ImportPlan, today: dt.date | None) -> ImportPlan:
    """Stage 2: every item against the rules the forms apply; returns the plan with names in their stored form.

    `today` is the person's own today (User.today()); None skips only the "not after today" rule (for callers
    that import no one's data, such as tests of the format)."""
    reliefs: dict[str, bool] = {}
    for name, archived in plan.reliefs.items():
        reliefs.setdefault(_check_relief_name(name, plan.relief_places.get(name, "Reliefs")), archived)
    own_factors: dict[str, tuple[str, bool]] = {}
    own_by_lower: dict[str, str] = {}
    if len(plan.own_factors) > OWN_FACTORS_MAX:  # before checking thousands of names one by one
        raise ImportError_(f"Own factors: the file has {len(plan.own_factors)}. {TOO_MANY}")
    for name, (kind, archived) in plan.own_factors.items():
        where = plan.own_factor_places.get(name, "Own factors")
        # The settings form's rules, given only the one earlier name this one could clash with (the same answer as
        # all of them, without a pass over all of them per name: a file of thousands stays linear).
        earlier = own_by_lower.get(own_normal_name(name).lower())
        if problem := own_name_problem(name, [earlier] if earlier else ()):
            raise ImportError_(f"{where}, name: {problem}")
        if kind not in OwnKind.values:
            raise ImportError_(f"{where}, kind: “{_shown(kind)}” is not yes_no or scale.")
        own_factors[own_normal_name(name)] = (kind, archived)
        own_by_lower[own_normal_name(name).lower()] = own_normal_name(name)
    days = []
    for day in plan.days:
        problems = date_problems(day.date, today) + day_problems(day.fields) + twitch_problems(day.twitches)
        if problems:
            first = problems[0]
            raise ImportError_(f"{day.where}, {day.label(first, day)}: {first.message}")
        own: dict[str, Any] = {}
        for name, value in day.own.items():
            listed = own_by_lower.get(own_normal_name(name).lower())
            if listed is None:
                raise ImportError_(f"{day.where}, own “{_shown(name)}”: not one of the own factors listed in the file.")
            if problem := own_value_problem(own_factors[listed][0], value):
                raise ImportError_(f"{day.where}, own “{_shown(name)}”: {problem}")
            own[listed] = value
        names = [_check_relief_name(name, day.where) for name in day.reliefs]
        for name in names:
            reliefs.setdefault(name, False)
        days.append(replace(day, reliefs=names, own=own))
    for check, where in zip(plan.function_checks, plan.function_check_places, strict=True):
        problems = date_problems(check["taken_on"], today)
        if problems:
            raise ImportError_(f"{where}, taken_on: {problems[0].message}")
    for fields, where in zip(plan.events, plan.event_places, strict=True):
        event_problems_found = event_problems(fields, today)
        if event_problems_found:
            key, message = event_problems_found[0]
            raise ImportError_(f"{where} ({fields['date'].isoformat()}), {key}: {message}")
    for values, where in zip(plan.remedies, plan.remedy_places, strict=True):
        remedy_found = remedy_problems(values)
        if remedy_found:
            key, message = next(iter(remedy_found.items()))
            raise ImportError_(f"{where}, {plan.remedy_labels.get(key, key)}: {message}")
    for i, (values, where) in enumerate(zip(plan.experiments, plan.experiment_places, strict=True)):
        experiment_found = experiment_problems(values) or experiments_overlap(values, plan.experiments[:i])
        if experiment_found:
            key, message = next(iter(experiment_found.items()))
            raise ImportError_(f"{where}, {key}: {message}")
    return replace(plan, days=days, reliefs=reliefs, relief_places={}, own_factors=own_factors, own_factor_places={})


def parse_csv(text: str, *, today: dt.date | None = None) -> ImportPlan:
    """A CSV export as a checked plan; with `today`, a day after it is refused (as the day form refuses it)."""
    return plan_check(read_csv(text), today)


def parse_json(text: str, *, today: dt.date | None = None) -> ImportPlan:
    """A JSON backup as a checked plan; with `today`, a day after it is refused (as the day form refuses it)."""
    return plan_check(read_json(text), today)


def parse_file(name: str, data: bytes, *, today: dt.date | None = None) -> ImportPlan:
    """A file as a checked plan; the person's `today` refuses days after it, as the day form does."""
    text = decode(data)
    stripped = text.lstrip()
    if name.lower().endswith(".json") or stripped.startswith("{"):
        return parse_json(text, today=today)
    return parse_csv(text, today=today)
