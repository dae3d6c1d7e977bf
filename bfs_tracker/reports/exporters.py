"""Raw data out: an exporter yields rows (CSV) or plain dicts (JSON backup); renderers turn them into files.

The CSV columns and their headers are defined once here (csv_columns(), from the factor table) and read back by
reports.importers, so the export and the import cannot drift apart. Formats are documented in docs/data-formats.md.
"""

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from bfs_tracker.alerts.records import alert_settings_backup, alerts_backup, function_checks_backup
from bfs_tracker.logbook import factors
from bfs_tracker.logbook.models import DailyLog
from bfs_tracker.logbook.reliefs import relief_methods_for_backup
from bfs_tracker.logbook.remedies import remedies_for_backup
from bfs_tracker.logbook.selectors import logs_between
from bfs_tracker.logbook.services import log_fields
from bfs_tracker.logbook.taxonomy import MuscleGroup, Side
from bfs_tracker.timeline.backup import events_backup
from bfs_tracker.trends.experiment_store import experiments_for_backup
from bfs_tracker.trends.selectors import flare_params_for

FORMAT_VERSION = 1
RELIEF_SEPARATOR = ";"
_RELIEF_ESCAPE = "\\"


def reliefs_cell(names: Iterable[str]) -> str:
    """Names for the CSV "tried" cell: "; " between them, and a ";" or "\\" inside a name written "\\;" or
    "\\\\", so a name with ";" comes back whole (reliefs_split)."""
    escaped = (n.replace(_RELIEF_ESCAPE, _RELIEF_ESCAPE * 2).replace(RELIEF_SEPARATOR, "\\;") for n in names)
    return f"{RELIEF_SEPARATOR} ".join(escaped)


def reliefs_split(cell: str) -> list[str]:
    """The names of a "tried" cell (reliefs_cell undone), each stripped, blanks dropped. A backslash before
    anything but ";" or "\\" is kept as written, so files exported before names were escaped read as they did."""
    names, current, i = [], [], 0
    while i < len(cell):
        ch = cell[i]
        if ch == _RELIEF_ESCAPE and i + 1 < len(cell) and cell[i + 1] in (RELIEF_SEPARATOR, _RELIEF_ESCAPE):
            current.append(cell[i + 1])
            i += 2
            continue
        if ch == RELIEF_SEPARATOR:
            names.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    names.append("".join(current))
    return [n.strip() for n in names if n.strip()]


@dataclass(frozen=True)
class Column:
    key: str  # a DailyLog field, "date", "burden", "reliefs" or "twitch:<group>:<side>"
    header: str
    kind: str  # date, derived, twitch, factor (a factor of the table), text, reliefs


def _twitch_columns() -> list[Column]:
    return [
        Column(f"twitch:{group}:{side}", f"twitch_{group}_{side} (intensity 1-10)", "twitch")
        for group in MuscleGroup.values
        for side in Side.values
    ]


def csv_columns() -> list[Column]:
    """The CSV's columns in order: date, burden, one per muscle group and side, one per factor of the table
    (logbook/factors.py, whose entries name their headers), then the text and what was tried."""
    return [
        Column("date", "date (YYYY-MM-DD)", "date"),
        Column("burden", "twitch_burden (0-300, derived)", "derived"),
        *_twitch_columns(),
        *[Column(f.name, f.header, "factor") for f in factors.day_factors()],
        Column("weakness_location", "weakness_location (text)", "text"),
        Column("reliefs", f"tried (names separated by {RELIEF_SEPARATOR})", "reliefs"),
        Column("notes", "notes (text)", "text"),
    ]


def csv_header() -> list[str]:
    return [c.header for c in csv_columns()]


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


def _cell(log: DailyLog, column: Column, twitches: dict[str, int]):
    if column.kind == "twitch":
        return twitches.get(column.key)
    if column.key == "date":
        return log.date.isoformat()
    if column.key == "reliefs":
        return reliefs_cell(sorted(r.name for r in log.reliefs.all()))
    return getattr(log, column.key)


def csv_rows(user, start: dt.date | None = None, end: dt.date | None = None) -> Iterator[list]:
    """The header, then one row per logged day (unlogged days have no row: they are unknown, not zero)."""
    columns = csv_columns()
    yield csv_header()
    for log in logs_between(user, start, end).iterator(chunk_size=500):
        twitches = {f"twitch:{t.muscle_group}:{t.side}": t.intensity for t in log.twitches.all()}
        yield [_cell(log, column, twitches) for column in columns]


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
    for name in log_fields():
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
        "settings": {"flares": flare_params_for(user).as_dict(), "alerts": alert_settings_backup(user)},
        "reliefs": relief_methods_for_backup(user=user),
        "remedies": remedies_for_backup(user=user),
        "experiments": experiments_for_backup(user=user),
        "logs": [log_dict(log) for log in logs_between(user)],
        "alerts": alerts_backup(user),
        "function_checks": function_checks_backup(user),
        "timeline": events_backup(user),
    }
