"""Data in: a CSV export or a JSON backup, validated whole before a single row is written.

parse_csv / parse_json turn a file into an ImportPlan or raise ImportError_ naming the row and the field that are
wrong. Each day is checked with the logbook models' own field validators (the same rules as the daily form), so an
import can never store what the form would refuse. import_apply (in services) writes a plan in one transaction.
"""

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from bfs_tracker.logbook.models import DailyLog, ReliefMethod, TwitchEntry
from bfs_tracker.logbook.services import LOG_FIELDS, Twitch
from bfs_tracker.logbook.taxonomy import MuscleGroup, Side
from bfs_tracker.reports import sources
from bfs_tracker.reports.exporters import CSV_COLUMNS, FORMAT_VERSION, RELIEF_SEPARATOR, Column, unescape_cell

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


_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0", ""}
_COLUMNS_BY_HEADER = {c.header: c for c in CSV_COLUMNS}
_COLUMNS_BY_KEY = {c.key: c for c in CSV_COLUMNS}
_LOG_DEFAULTS = {name: DailyLog._meta.get_field(name).get_default() for name in LOG_FIELDS}


def _convert(raw, column: Column, where: str):
    """One cell (CSV text or JSON value) to the model's Python value, or a message naming where it is."""
    kind = column.kind
    text = raw.strip() if isinstance(raw, str) else raw
    try:
        if kind in ("int", "int_or_blank", "twitch"):
            if text in ("", None):
                return None if kind != "int" else _LOG_DEFAULTS.get(column.key, 0)
            if isinstance(text, bool) or (isinstance(text, float) and not text.is_integer()):
                raise ValueError
            return int(text)
        if kind in ("decimal", "decimal_or_blank"):
            if text in ("", None):
                return None if kind == "decimal_or_blank" else _LOG_DEFAULTS[column.key]
            if isinstance(text, bool):
                raise ValueError
            return Decimal(str(text))
        if kind == "bool":
            if isinstance(text, bool):
                return text
            if text is None:
                return False
            if str(text).lower() in _YES:
                return True
            if str(text).lower() in _NO:
                return False
            raise ValueError
        if kind == "exertion":
            return text or _LOG_DEFAULTS["exertion"]
        if kind == "text":
            if text is None:
                return ""
            if not isinstance(raw, str):
                raise ValueError
            return raw
    except (ValueError, InvalidOperation, TypeError):
        expected = {
            "int": "a whole number",
            "int_or_blank": "a whole number or blank",
            "twitch": "a whole number from 1 to 10, or blank",
            "decimal": "a number",
            "decimal_or_blank": "a number or blank",
            "bool": "yes or no",
            "text": "text",
        }[kind]
        raise ImportError_(f"{where}, {column.header}: “{raw}” is not {expected}.") from None
    raise AssertionError(kind)


def _check_day(day: ParsedDay, where: str, headers: dict[str, str]) -> None:
    """Validate with the models' own validators; the first problem becomes the error message."""
    log = DailyLog(date=day.date, **day.fields)
    try:
        log.clean_fields(exclude=["user", "burden", "reliefs"])
    except ValidationError as error:
        name, messages = next(iter(error.message_dict.items()))
        raise ImportError_(f"{where}, {headers.get(name, name)}: {' '.join(messages)}") from None
    for t in day.twitches:
        entry = TwitchEntry(muscle_group=t.muscle_group, side=t.side, intensity=t.intensity)
        try:
            entry.clean_fields(exclude=["log"])
        except ValidationError as error:
            name, messages = next(iter(error.message_dict.items()))
            label = headers.get(f"twitch:{t.muscle_group}:{t.side}", f"twitch {t.muscle_group} {t.side} {name}")
            raise ImportError_(f"{where}, {label}: {' '.join(messages)}") from None


def _check_relief_name(name: str, where: str) -> None:
    try:
        ReliefMethod(name=name).clean_fields(exclude=["user"])
    except ValidationError as error:
        raise ImportError_(f"{where}, tried: “{name[:40]}” {' '.join(error.messages)}") from None


def _parse_date(raw, where: str, header: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(raw).strip())
    except ValueError:
        raise ImportError_(f"{where}, {header}: “{raw}” is not a date like 2026-03-31.") from None


def _add_day(plan: ImportPlan, seen: dict[dt.date, str], day: ParsedDay, where: str, headers: dict) -> None:
    if day.date in seen:
        raise ImportError_(f"{where}: the date {day.date.isoformat()} is already on {seen[day.date]}.")
    seen[day.date] = where
    _check_day(day, where, headers)
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


def parse_csv(text: str) -> ImportPlan:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header:
        raise ImportError_("The file is empty.")
    header = [h.strip() for h in header]
    unknown = [h for h in header if h not in _COLUMNS_BY_HEADER]
    if unknown:
        raise ImportError_(
            f"Row 1 (header): unknown column “{unknown[0][:60]}”. The header must use the column names of a "
            "BFS Tracker CSV export, e.g. “date (YYYY-MM-DD)” and “stress (0-10)”."
        )
    if len(set(header)) != len(header):
        duplicate = next(h for h in header if header.count(h) > 1)
        raise ImportError_(f"Row 1 (header): the column “{duplicate}” appears twice.")
    if CSV_COLUMNS[0].header not in header:
        raise ImportError_(f"Row 1 (header): the column “{CSV_COLUMNS[0].header}” is missing.")
    columns = [_COLUMNS_BY_HEADER[h] for h in header]
    headers = {c.key: c.header for c in CSV_COLUMNS}
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
                value = _convert(raw, column, where)
                if value is not None:
                    _, group, side = column.key.split(":")
                    twitches.append(Twitch(group, side, value))
            else:
                fields[column.key] = _convert(raw, column, where)
        _add_day(plan, seen, ParsedDay(day, fields, twitches, reliefs), where, headers)
    return plan


def _json_twitches(raw, where: str) -> list[Twitch]:
    if not isinstance(raw, list):
        raise ImportError_(f"{where}, twitches: expected a list.")
    twitches = []
    pairs = set()
    for item in raw:
        if not isinstance(item, dict) or set(item) != {"muscle_group", "side", "intensity"}:
            raise ImportError_(f"{where}, twitches: each entry needs muscle_group, side and intensity.")
        group, side, intensity = item["muscle_group"], item["side"], item["intensity"]
        if group not in MuscleGroup.values:
            raise ImportError_(f"{where}, twitches: “{group}” is not a muscle group.")
        if side not in Side.values:
            raise ImportError_(f"{where}, twitches: “{side}” is not a side (left, right or both).")
        if (group, side) in pairs:
            raise ImportError_(f"{where}, twitches: {group} {side} appears twice.")
        pairs.add((group, side))
        column = Column(f"twitch:{group}:{side}", f"twitches {group} {side} intensity", "twitch")
        value = _convert(intensity, column, where)
        if value is None:
            raise ImportError_(f"{where}, {column.header}: missing.")
        twitches.append(Twitch(group, side, value))
    return twitches


_JSON_LOG_KEYS = {"date", "twitches", "reliefs", "burden", *LOG_FIELDS}


def parse_json(text: str) -> ImportPlan:
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
    headers = {name: name for name in LOG_FIELDS}
    seen: dict[dt.date, str] = {}
    for i, item in enumerate(logs, start=1):
        where = f"Day {i} in logs"
        if not isinstance(item, dict) or "date" not in item:
            raise ImportError_(f"{where}: needs a date.")
        where = f"Day {i} in logs ({str(item['date'])[:10]})"
        unknown = set(item) - _JSON_LOG_KEYS
        if unknown:
            raise ImportError_(f"{where}: unknown field “{sorted(unknown)[0]}”.")
        day = _parse_date(item["date"], where, "date")
        fields = {}
        for name in LOG_FIELDS:
            if name in item:
                column = _COLUMNS_BY_KEY[name]
                fields[name] = _convert(item[name], Column(name, name, column.kind), where)
        names = item.get("reliefs", [])
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ImportError_(f"{where}, reliefs: expected a list of names.")
        twitches = _json_twitches(item.get("twitches", []), where)
        _add_day(plan, seen, ParsedDay(day, fields, twitches, names), where, headers)
    checks = data.get("function_checks", [])
    if not isinstance(checks, list):
        raise ImportError_("“function_checks” must be a list.")
    taken: set = set()
    for i, item in enumerate(checks, start=1):
        try:
            check = sources.function_check_parse(item, f"Function check {i}")
        except ValueError as error:
            raise ImportError_(str(error)) from None
        if check:
            if check["taken_on"] in taken:
                raise ImportError_(f"Function check {i}: the date {check['taken_on'].isoformat()} appears twice.")
            taken.add(check["taken_on"])
            plan.function_checks.append(check)
    return plan


def parse_file(name: str, data: bytes) -> ImportPlan:
    text = decode(data)
    stripped = text.lstrip()
    if name.lower().endswith(".json") or stripped.startswith("{"):
        return parse_json(text)
    return parse_csv(text)
