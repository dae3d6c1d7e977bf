"""Raw data out: an exporter yields rows (CSV) or plain dicts (JSON backup); renderers turn them into files.

The CSV columns and their headers are defined once here (csv_columns(), from the factor table; own_header() for the
person's own factors; REMEDY_COLUMNS for the remedies CSV) and read back by reports.importers, so the export and the
import cannot drift apart. Formats are documented in docs/data-formats.md.
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
from bfs_tracker.logbook.models import DailyLog, Frequency, OwnKind, Remedy
from bfs_tracker.logbook.own_factors import own_factors_backup, own_factors_for, own_values_by_log
from bfs_tracker.logbook.reliefs import relief_methods_for_backup
from bfs_tracker.logbook.remedies import remedies_for_backup, remedies_rows_between
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
    """The fixed columns of the day CSV; a person's own factors add one column each after them (own_header)."""
    return [c.header for c in csv_columns()]


# A person's own factors (logbook/own_factors.py) in the day CSV: one column each, after the fixed ones, named
# "own: <name> (yes/no)" or "own: <name> (0-10)", with ", archived" inside the brackets for one no longer asked.
OWN_PREFIX = "own:"
OWN_SCALES = {OwnKind.YES_NO: "yes/no", OwnKind.SCALE: "0-10"}
OWN_ARCHIVED = ", archived"


def own_header(name: str, kind: str, archived: bool = False) -> str:
    return f"{OWN_PREFIX} {name} ({OWN_SCALES[OwnKind(kind)]}{OWN_ARCHIVED if archived else ''})"


def own_header_parse(header: str) -> tuple[str, str, bool] | None:
    """(name, kind, archived) of an own factor's column header (own_header undone, the name as written); None when
    the header does not start with "own:". Raises ValueError for an "own:" header without a scale at its end."""
    if not header.startswith(OWN_PREFIX):
        return None
    for kind, scale in OWN_SCALES.items():
        for archived in (False, True):
            ending = f" ({scale}{OWN_ARCHIVED if archived else ''})"
            if header.endswith(ending):
                return header[len(OWN_PREFIX) : -len(ending)].strip(), kind, archived
    raise ValueError(header)


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
    """The header, then one row per logged day (unlogged days have no row: they are unknown, not zero). The
    person's own factors, archived ones too, follow the fixed columns, by name; a blank is a day not answered.
    Without own factors the file is exactly as before they existed."""
    columns = csv_columns()
    own = own_factors_for(user, archived=None)
    yield csv_header() + [own_header(f.name, f.kind, f.archived) for f in own]
    answers = own_values_by_log(user, start, end) if own else {}
    for log in logs_between(user, start, end).iterator(chunk_size=500):
        twitches = {f"twitch:{t.muscle_group}:{t.side}": t.intensity for t in log.twitches.all()}
        day_own = answers.get(log.pk, {})
        yield [_cell(log, column, twitches) for column in columns] + [day_own.get(f.name) for f in own]


# The remedies CSV: one row per stored remedy row, that is per dose (a dose change is two rows of one name, the
# second starting the day after the first stops), the fields of the JSON backup's "remedies" (remedies.BACKUP_FIELDS)
# in its order. Import reads a header by the word before its bracket, so the hints may grow without breaking files.
REMEDY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "remedy (name)"),
    ("dose", "dose (number)"),
    ("unit", "unit (text)"),
    ("frequency", f"frequency ({'/'.join(Frequency.values)})"),
    ("start", "start (YYYY-MM-DD)"),
    ("stop", "stop (YYYY-MM-DD, blank = still taking)"),
    ("notes", "notes (text)"),
)


def _remedy_cell(remedy: Remedy, key: str):
    value = getattr(remedy, key)
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"  # 300, 0.5: the number as typed, without the column's trailing zeros
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def remedy_csv_rows(user, start: dt.date | None = None, end: dt.date | None = None) -> Iterator[list]:
    """The header, then one row per dose taken on at least one day of start..end (None: open on that side), by
    start date then name. One query."""
    yield [header for _, header in REMEDY_COLUMNS]
    for remedy in remedies_rows_between(user, start, end):
        yield [_remedy_cell(remedy, key) for key, _ in REMEDY_COLUMNS]


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


def log_dict(log: DailyLog, own: dict | None = None) -> dict:
    """One day as the backup writes it; `own`: its answers to the person's own factors (by name), written under
    "own" only when there are some, so a backup without own factors reads as before."""
    data: dict = {"date": log.date.isoformat()}
    for name in log_fields():
        value = getattr(log, name)
        data[name] = _number(value) if isinstance(value, Decimal) else value
    data["twitches"] = [
        {"muscle_group": t.muscle_group, "side": t.side, "intensity": t.intensity} for t in log.twitches.all()
    ]
    data["reliefs"] = sorted(r.name for r in log.reliefs.all())
    data["burden"] = log.burden
    if own:
        data["own"] = own
    return data


def backup_data(user) -> dict:
    """Everything the person entered, in one JSON-ready dict (docs/data-formats.md, "JSON backup")."""
    own = own_values_by_log(user)
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
        "own_factors": own_factors_backup(user),
        "logs": [log_dict(log, own.get(log.pk)) for log in logs_between(user)],
        "alerts": alerts_backup(user),
        "function_checks": function_checks_backup(user),
        "timeline": events_backup(user),
    }
