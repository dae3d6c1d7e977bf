"""Data in: a CSV export or a JSON backup, validated whole before a single row is written.

parse_csv / parse_json turn a file into an ImportPlan or raise ImportError_ naming the row and the field that are
wrong. Each cell is read by its factor's kind (logbook/factors.py), and each day is then checked by the same rules
as the day form (logbook/validation.py: ranges, weakness needs a place, each muscle group and side once and not on
one side and "both" together, no day after today), so an import can never store what the form would refuse.
import_apply (in services) writes a plan in one transaction.
"""

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from bfs_tracker.alerts.records import function_check_parse
from bfs_tracker.logbook import factors
from bfs_tracker.logbook.factors import WHOLE_NUMBERS, Factor, Kind
from bfs_tracker.logbook.reliefs import relief_name_problem
from bfs_tracker.logbook.services import Twitch, log_fields
from bfs_tracker.logbook.validation import TEXT_FIELDS, Problem, date_problems, day_problems, twitch_problems
from bfs_tracker.reports.exporters import FORMAT_VERSION, RELIEF_SEPARATOR, csv_columns, unescape_cell
from bfs_tracker.timeline.backup import event_problems, event_read

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_DAYS = 20_000  # about 55 years of days: a file with more is not a backup of one person


class ImportError_(Exception):  # noqa: N801 (the builtin ImportError means something else)
    """A file that cannot be imported; the message says where and what, in words for the person importing."""


@dataclass(frozen=True)
class ParsedDay:
    date: dt.date
    fields: dict
    twitches: list[Twitch]
    reliefs: list[str]


@dataclass
class ImportPlan:
    days: list[ParsedDay] = field(default_factory=list)
    reliefs: dict[str, bool] = field(default_factory=dict)  # name -> archived
    function_checks: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)  # the medical timeline (timeline.backup), checked


_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0", ""}
_EXPECTED = {
    Kind.SCORE: "a whole number",
    Kind.COUNT: "a whole number",
    Kind.AMOUNT: "a number",
    Kind.YES_NO: "yes or no",
    Kind.LEVEL: "one of the listed words",
}


def _bad(raw, header: str, where: str, expected: str) -> ImportError_:
    return ImportError_(f"{where}, {header}: “{raw}” is not {expected}.")


def _factor_value(raw, factor: Factor, header: str, where: str):
    """One cell (CSV text or JSON value) as the factor's Python value; blank is the factor's blank value."""
    text = raw.strip() if isinstance(raw, str) else raw
    if text in ("", None):
        return factor.blank_value()
    expected = _EXPECTED[factor.kind] + (" or blank" if factor.optional else "")
    try:
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
    except (ValueError, InvalidOperation, TypeError):
        raise _bad(raw, header, where, expected) from None


def _text_value(raw, header: str, where: str) -> str:
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise _bad(raw, header, where, "text")
    return raw


def _intensity(raw, header: str, where: str) -> int | None:
    text = raw.strip() if isinstance(raw, str) else raw
    if text in ("", None):
        return None
    try:
        if isinstance(text, bool) or (isinstance(text, float) and not text.is_integer()):
            raise ValueError
        return int(text)
    except (ValueError, TypeError):
        raise _bad(raw, header, where, "a whole number from 1 to 10, or blank") from None


def _check_day(day: ParsedDay, where: str, label_of, today: dt.date | None) -> None:
    """The day form's rules (logbook/validation.py); the first problem becomes the message, with its field.

    `label_of(problem)` names the problem's field as the file does (a CSV header or a JSON key)."""
    problems: list[Problem] = []
    if today is not None:
        problems += date_problems(day.date, today)
    problems += day_problems(day.fields) + twitch_problems(day.twitches)
    if problems:
        first = problems[0]
        raise ImportError_(f"{where}, {label_of(first, day)}: {first.message}")


def _check_relief_name(name: str, where: str) -> None:
    problem = relief_name_problem(name)
    if problem:
        raise ImportError_(f"{where}, tried: “{name[:40]}” {problem}")


def _parse_date(raw, where: str, header: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(raw).strip())
    except ValueError:
        raise ImportError_(f"{where}, {header}: “{raw}” is not a date like 2026-03-31.") from None


def _add_day(plan: ImportPlan, seen: dict[dt.date, str], day: ParsedDay, where: str, label_of, today) -> None:
    if day.date in seen:
        raise ImportError_(f"{where}: the date {day.date.isoformat()} is already on {seen[day.date]}.")
    seen[day.date] = where
    _check_day(day, where, label_of, today)
    for name in day.reliefs:
        _check_relief_name(name, where)
        plan.reliefs.setdefault(name, False)
    plan.days.append(day)
    if len(plan.days) > MAX_DAYS:
        raise ImportError_(f"The file holds more than {MAX_DAYS} days; split it up.")


def decode(data: bytes) -> str:
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportError_(f"The file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportError_("The file is not UTF-8 text. Export it again as CSV (UTF-8) or JSON.") from None


def _csv_label(headers: dict[str, str]):
    def label_of(problem: Problem, day: ParsedDay) -> str:
        if problem.twitch is not None:
            twitch = day.twitches[problem.twitch]
            return headers.get(f"twitch:{twitch.muscle_group}:{twitch.side}", "twitches")
        return headers.get(problem.field, problem.field)

    return label_of


def parse_csv(text: str, *, today: dt.date | None = None) -> ImportPlan:
    """A CSV export as a plan; with `today`, a day after it is refused (as the day form refuses it)."""
    all_columns = csv_columns()
    by_header = {c.header: c for c in all_columns}
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header:
        raise ImportError_("The file is empty.")
    header = [h.strip() for h in header]
    unknown = [h for h in header if h not in by_header]
    if unknown:
        raise ImportError_(
            f"Row 1 (header): unknown column “{unknown[0][:60]}”. The header must use the column names of a "
            "BFS Tracker CSV export, e.g. “date (YYYY-MM-DD)” and “stress (0-10)”."
        )
    if len(set(header)) != len(header):
        duplicate = next(h for h in header if header.count(h) > 1)
        raise ImportError_(f"Row 1 (header): the column “{duplicate}” appears twice.")
    if all_columns[0].header not in header:
        raise ImportError_(f"Row 1 (header): the column “{all_columns[0].header}” is missing.")
    columns = [by_header[h] for h in header]
    label_of = _csv_label({c.key: c.header for c in all_columns})
    plan = ImportPlan()
    seen: dict[dt.date, str] = {}
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        where = f"Row {number}"
        if len(cells) != len(columns):
            raise ImportError_(f"{where}: {len(cells)} cells, but the header has {len(columns)} columns.")
        fields: dict = {}
        twitches: list[Twitch] = []
        reliefs: list[str] = []
        day = None
        for column, raw in zip(columns, cells, strict=True):
            if column.kind == "date":
                day = _parse_date(raw, where, column.header)
            elif column.kind == "derived":
                continue
            elif column.kind == "reliefs":
                names = unescape_cell(raw)
                reliefs = [n.strip() for n in names.split(RELIEF_SEPARATOR) if n.strip()]
            elif column.kind == "text":
                fields[column.key] = unescape_cell(raw)
            elif column.kind == "twitch":
                value = _intensity(raw, column.header, where)
                if value is not None:
                    _, group, side = column.key.split(":")
                    twitches.append(Twitch(group, side, value))
            else:
                fields[column.key] = _factor_value(raw, factors.by_name(column.key), column.header, where)
        assert day is not None  # noqa: S101  # nosec B101 (the header was checked to have the date column)
        _add_day(plan, seen, ParsedDay(day, fields, twitches, reliefs), where, label_of, today)
    return plan


def _json_twitches(raw, where: str) -> list[Twitch]:
    if not isinstance(raw, list):
        raise ImportError_(f"{where}, twitches: expected a list.")
    twitches = []
    for item in raw:
        if not isinstance(item, dict) or set(item) != {"muscle_group", "side", "intensity"}:
            raise ImportError_(f"{where}, twitches: each entry needs muscle_group, side and intensity.")
        group, side = item["muscle_group"], item["side"]
        header = f"twitches {group} {side} intensity"
        value = _intensity(item["intensity"], header, where)
        if value is None:
            raise ImportError_(f"{where}, {header}: missing.")
        twitches.append(Twitch(str(group), str(side), value))
    return twitches


def _json_label(problem: Problem, day: ParsedDay) -> str:
    if problem.twitch is not None:
        twitch = day.twitches[problem.twitch]
        return f"twitches {twitch.muscle_group} {twitch.side}"
    return problem.field


def parse_json(text: str, *, today: dt.date | None = None) -> ImportPlan:
    """A JSON backup as a plan; with `today`, a day after it is refused (as the day form refuses it)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportError_(f"The file is not valid JSON (line {error.lineno}: {error.msg}).") from None
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
    logs = data.get("logs", [])
    reliefs = data.get("reliefs", [])
    if not isinstance(logs, list) or not isinstance(reliefs, list):
        raise ImportError_("“logs” and “reliefs” must be lists.")
    plan = ImportPlan()
    for i, item in enumerate(reliefs, start=1):
        where = f"Relief {i}"
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise ImportError_(f"{where}: needs a name.")
        _check_relief_name(item["name"], where)
        plan.reliefs[item["name"]] = bool(item.get("archived", False))
    names = log_fields()
    known_keys = {"date", "twitches", "reliefs", "burden", *names}
    seen: dict[dt.date, str] = {}
    for i, item in enumerate(logs, start=1):
        where = f"Day {i} in logs"
        if not isinstance(item, dict) or "date" not in item:
            raise ImportError_(f"{where}: needs a date.")
        where = f"Day {i} in logs ({str(item['date'])[:10]})"
        unknown = set(item) - known_keys
        if unknown:
            raise ImportError_(f"{where}: unknown field “{sorted(unknown)[0]}”.")
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
        _add_day(plan, seen, ParsedDay(day, fields, twitches, tried), where, _json_label, today)
    checks = data.get("function_checks", [])
    if not isinstance(checks, list):
        raise ImportError_("“function_checks” must be a list.")
    taken: set = set()
    for i, item in enumerate(checks, start=1):
        try:
            check = function_check_parse(item, f"Function check {i}")
        except ValueError as error:
            raise ImportError_(str(error)) from None
        if check:
            if check["taken_on"] in taken:
                raise ImportError_(f"Function check {i}: the date {check['taken_on'].isoformat()} appears twice.")
            taken.add(check["taken_on"])
            plan.function_checks.append(check)
    _read_events(data, plan, today)
    return plan


def _read_events(data: dict, plan: ImportPlan, today: dt.date | None) -> None:
    """The medical timeline: each event read (timeline.backup.event_read), then checked with the form's rules."""
    events = data.get("timeline", [])
    if not isinstance(events, list):
        raise ImportError_("“timeline” must be a list.")
    for i, item in enumerate(events, start=1):
        where = f"Timeline event {i}"
        try:
            fields = event_read(item, where)
        except ValueError as error:
            raise ImportError_(str(error)) from None
        problems = event_problems(fields, today)
        if problems:
            key, message = problems[0]
            raise ImportError_(f"{where} ({fields['date'].isoformat()}), {key}: {message}")
        plan.events.append(fields)


def parse_file(name: str, data: bytes, *, today: dt.date | None = None) -> ImportPlan:
    """A file as a plan; the person's `today` refuses days after it, as the day form does."""
    text = decode(data)
    stripped = text.lstrip()
    if name.lower().endswith(".json") or stripped.startswith("{"):
        return parse_json(text, today=today)
    return parse_csv(text, today=today)
