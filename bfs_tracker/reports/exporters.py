"""Raw data out: an exporter yields rows (CSV) or plain dicts (JSON backup); renderers turn them into files.

The CSV columns and their headers are defined once here (CSV_COLUMNS) and read back by reports.importers, so the
export and the import cannot drift apart. Formats are documented in docs/data-formats.md.
"""

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from bfs_tracker.logbook.models import DailyLog, ReliefMethod
from bfs_tracker.logbook.services import LOG_FIELDS
from bfs_tracker.logbook.taxonomy import RED_FLAG_SIGNS, SYMPTOMS, Exertion, MuscleGroup, Side
from bfs_tracker.reports import sources

FORMAT_VERSION = 1
RELIEF_SEPARATOR = ";"


@dataclass(frozen=True)
class Column:
    key: str  # a DailyLog field, "date", "burden", "reliefs" or "twitch:<group>:<side>"
    header: str
    kind: str  # date, int, int_or_blank, decimal, decimal_or_blank, bool, exertion, text, reliefs, twitch, derived


def _twitch_columns() -> list[Column]:
    return [
        Column(f"twitch:{group}:{side}", f"twitch_{group}_{side} (intensity 1-10)", "twitch")
        for group in MuscleGroup.values
        for side in Side.values
    ]


CSV_COLUMNS: list[Column] = [
    Column("date", "date (YYYY-MM-DD)", "date"),
    Column("burden", "twitch_burden (0-300, derived)", "derived"),
    *_twitch_columns(),
    Column("stress", "stress (0-10)", "int_or_blank"),
    Column("anxiety", "anxiety (0-10)", "int_or_blank"),
    Column("sleep_hours", "sleep_hours (0-24, half hours)", "decimal_or_blank"),
    Column("sleep_quality", "sleep_quality (1-5)", "int_or_blank"),
    Column("caffeine_mg", "caffeine_mg", "int"),
    Column("alcohol_units", "alcohol_units", "decimal"),
    Column("nicotine", "nicotine (yes/no)", "bool"),
    Column("exertion", f"exertion ({'/'.join(Exertion.values)})", "exertion"),
    Column("exertion_minutes", "exertion_minutes", "int"),
    Column("illness", "illness (yes/no)", "bool"),
    *[Column(name, f"{name} (0-10)", "int") for name, _ in SYMPTOMS],
    *[Column(name, f"{name} (yes/no)", "bool") for name, _ in RED_FLAG_SIGNS],
    Column("weakness_location", "weakness_location (text)", "text"),
    Column("reliefs", f"tried (names separated by {RELIEF_SEPARATOR})", "reliefs"),
    Column("notes", "notes (text)", "text"),
]
CSV_HEADER = [c.header for c in CSV_COLUMNS]

# A spreadsheet runs a cell starting with one of these as a formula; "'" is escaped too so import can undo it.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def escape_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    if text.startswith(_FORMULA_STARTS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def unescape_cell(text: str) -> str:
    return text[1:] if text.startswith("'") else text


def _logs(user, start: dt.date | None, end: dt.date | None):
    logs = DailyLog.objects.for_user(user).order_by("date").prefetch_related("twitches", "reliefs")
    if start:
        logs = logs.filter(date__gte=start)
    if end:
        logs = logs.filter(date__lte=end)
    return logs


def _cell(log: DailyLog, column: Column, twitches: dict[str, int]):
    if column.kind == "twitch":
        return twitches.get(column.key)
    if column.key == "date":
        return log.date.isoformat()
    if column.key == "reliefs":
        return f"{RELIEF_SEPARATOR} ".join(sorted(r.name for r in log.reliefs.all()))
    return getattr(log, column.key)


def csv_rows(user, start: dt.date | None = None, end: dt.date | None = None) -> Iterator[list]:
    """The header, then one row per logged day (unlogged days have no row: they are unknown, not zero)."""
    yield CSV_HEADER
    for log in _logs(user, start, end).iterator(chunk_size=500):
        twitches = {f"twitch:{t.muscle_group}:{t.side}": t.intensity for t in log.twitches.all()}
        yield [_cell(log, column, twitches) for column in CSV_COLUMNS]


def render_csv(rows: Iterable[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([escape_cell(v) for v in row])
    return out.getvalue()


def _number(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def log_dict(log: DailyLog) -> dict:
    data: dict = {"date": log.date.isoformat()}
    for name in LOG_FIELDS:
        value = getattr(log, name)
        data[name] = _number(value) if isinstance(value, Decimal) else value
    data["twitches"] = [
        {"muscle_group": t.muscle_group, "side": t.side, "intensity": t.intensity} for t in log.twitches.all()
    ]
    data["reliefs"] = sorted(r.name for r in log.reliefs.all())
    data["burden"] = log.burden
    return data


def backup_data(user) -> dict:
    """Everything the person entered, in one JSON-ready dict (docs/data-formats.md, "JSON backup")."""
    return {
        "format_version": FORMAT_VERSION,
        "app": "BFS Tracker",
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "account": {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "time_zone": user.time_zone,
            "date_of_birth": user.date_of_birth.isoformat() if user.date_of_birth else None,
        },
        "settings": sources.backup_settings(user),
        "reliefs": [
            {"name": r.name, "archived": r.archived} for r in ReliefMethod.objects.filter(user=user).order_by("name")
        ],
        "logs": [log_dict(log) for log in _logs(user, None, None)],
        "alerts": sources.backup_alerts(user),
        "function_checks": sources.backup_function_checks(user),
    }
