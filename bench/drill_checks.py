"""The pure logic of the load and drill verdicts: what counts as lost, when the app was unavailable, what a restore
must contain, how exports are compared, and how the figures are printed. No database, no processes: tested in
tests/test_bench_drill_checks.py, used by bench/loadkit.py, bench/drill_failover.py and bench/drill_restore.py.

Keys are (username, date) pairs; values are the notes of a save, which the load generator makes unique for every
attempt, so a stored value says exactly which save it came from.
"""

import re
from collections import Counter
from dataclasses import dataclass

ABSENT = None  # the "value" of a day that is not in the database

# --- Zero loss after a restart or a failover ----------------------------------------------------------------


def zero_loss(acknowledged: dict, unknown: set, stored: dict) -> dict:
    """Compare what the load generator was told with what the database holds.

    acknowledged: key -> notes of the last save answered "saved"; unknown: keys with a save whose answer never came
    (or was a 5xx), which may or may not have been committed; stored: key -> notes in the database.
    Lost: an acknowledged key whose stored notes are not the last acknowledged ones (missing, or older), unless a
    later save of it has an unknown outcome. Unaccounted for: a stored key that was never acknowledged nor unknown.
    """
    lost = [key for key, notes in acknowledged.items() if stored.get(key) != notes and key not in unknown]
    extra = [key for key in stored if key not in acknowledged and key not in unknown]
    return {
        "logs_in_database": len(stored),
        "logs_acknowledged_as_saved": len(acknowledged),
        "saves_with_unknown_outcome": len(unknown),
        "lost_or_overwritten": len(lost),
        "stored_but_never_acknowledged": len(extra),
    }


def lost_saves(attempts: list, stored: dict) -> int:
    """Saves answered "saved" whose content is gone: for each day, every acknowledged save made after the one whose
    notes are stored (all of them when the day is missing). Stricter than zero_loss, which sets aside any day with
    a save of unknown outcome: a save that may or may not have committed cannot undo one acknowledged before it.
    """
    by_key: dict[tuple, list] = {}
    for attempt in attempts:
        by_key.setdefault(attempt.key, []).append(attempt)
    lost = 0
    for key, tries in by_key.items():
        tries.sort(key=lambda a: a.sent)
        value = stored.get(key, ABSENT)
        index = next((i for i in range(len(tries) - 1, -1, -1) if tries[i].notes == value), -1)
        lost += sum(a.outcome == "saved" for a in tries[index + 1 :])
    return lost


# --- Unavailability seen by the people ----------------------------------------------------------------------


def is_failure(status: int | None) -> bool:
    """No answer at all, or any 5xx."""
    return status is None or status >= 500


def outage(timeline: list[tuple[float, int | None]], fault_at: float) -> dict:
    """How long people could not use the app after a fault, and what they were answered meanwhile.

    timeline: (time the answer came, HTTP status or None when no answer came), any order. The outage runs from the
    fault to the first good answer after the last failed one: while app servers restart, requests wait unanswered,
    so the last failure is not yet the end. Every answer up to the last failure is counted by status ("none" for
    no answer). Nothing failed after the fault: no outage.
    """
    after = sorted((t, s) for t, s in timeline if t >= fault_at)
    failures = [t for t, s in after if is_failure(s)]
    if not failures:
        return {"unavailable_s": 0.0, "last_failure_s": None, "answers_during_outage": {}, "back_s": 0.0}
    last = failures[-1]
    during = Counter("none" if s is None else str(s) for t, s in after if t <= last)
    back = next((t for t, s in after if t > last and not is_failure(s)), None)
    return {
        "unavailable_s": round((back if back is not None else last) - fault_at, 2),
        "last_failure_s": round(last - fault_at, 2),
        "answers_during_outage": dict(sorted(during.items())),
        "back_s": None if back is None else round(back - fault_at, 2),
    }


def failures_outside(timeline: list[tuple[float, int | None]], start: float, end: float) -> Counter:
    """Failed answers (by status, "none" for no answer) outside the window [start, end]."""
    return Counter("none" if s is None else str(s) for t, s in timeline if is_failure(s) and not start <= t <= end)


# --- Point-in-time restore ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SaveAttempt:
    """One POST of the day form. Times are wall-clock seconds (time.time()), comparable with the database's clock.

    outcome: "saved" (the redirect that means saved), "refused" (an answer that says nothing was saved, e.g. the
    form again with errors, or the sign-in page), "unknown" (no answer, or a 5xx: it may have been committed).
    """

    key: tuple
    notes: str
    sent: float
    answered: float
    outcome: str


def point_in_time_check(attempts: list[SaveAttempt], stored: dict, before: float, after: float) -> dict:
    """Check a database restored to a target that lies between the wall-clock times `before` and `after`.

    Every save answered "saved" before `before` was committed before the target: the last of them (for each key)
    must be what is stored. Every save sent after `after` was committed after it: none may be stored. Saves that
    straddle the window, and saves with an unknown outcome sent before `after`, may be either. A key with neither
    must be absent.
    """
    by_key: dict[tuple, list[SaveAttempt]] = {}
    for attempt in attempts:
        by_key.setdefault(attempt.key, []).append(attempt)
    counts = Counter()
    for key, tries in by_key.items():
        tries.sort(key=lambda a: a.sent)
        confirmed = [a for a in tries if a.outcome == "saved" and a.answered < before]
        late = [a for a in tries if a.sent > after]
        last = max(confirmed, key=lambda a: a.answered) if confirmed else None
        # Either side: answered "saved" too close to the target, or no clear answer; only those after the last
        # confirmed save can still be what is stored (one person saves one day at a time).
        maybe = [
            a
            for a in tries
            if a.outcome != "refused"
            and a.sent <= after
            and a not in confirmed
            and (last is None or a.sent > last.sent)
        ]
        counts["saves_acknowledged_before_target"] += len(confirmed)
        counts["saves_sent_after_target"] += len(late)
        counts["saves_acknowledged_after_target"] += sum(a.outcome == "saved" for a in late)
        counts["saves_either_side"] += len(maybe)
        allowed = {last.notes if last else ABSENT}
        allowed |= {a.notes for a in maybe}
        value = stored.get(key, ABSENT)
        if value in allowed:
            counts["days_as_expected"] += 1
        elif value in {a.notes for a in late}:
            counts["days_from_after_target"] += 1
        else:
            counts["days_lost_or_wrong"] += 1
    unexpected = [key for key in stored if key not in by_key]
    counts["days_never_saved_but_stored"] = len(unexpected)
    keys = (
        "saves_acknowledged_before_target",
        "saves_sent_after_target",
        "saves_acknowledged_after_target",
        "saves_either_side",
        "days_as_expected",
        "days_lost_or_wrong",
        "days_from_after_target",
        "days_never_saved_but_stored",
    )
    return {k: counts[k] for k in keys}


# --- Exports compared byte for byte --------------------------------------------------------------------------

# The one value in each export that says when it was made rather than what it holds (bfs_tracker/reports/
# exporters.py backup_data "exported_at"; fhir.py fhir_bundle "timestamp"). CSV has none.
GENERATED_FIELD = {"json": b"exported_at", "fhir": b"timestamp"}
PLACEHOLDER = b"<generated>"


def normalise_generated(fmt: str, content: bytes) -> bytes:
    """The export with its generation time replaced by a placeholder, and nothing else touched.

    The field must occur exactly once (as a JSON string value), or this raises ValueError: a format change must
    fail the comparison loudly, never make it pass by replacing nothing or too much.
    """
    if fmt == "csv":
        return content
    name = GENERATED_FIELD[fmt]
    pattern = re.compile(rb'"' + name + rb'": "[^"]*"')
    replaced, count = pattern.subn(b'"' + name + b'": "' + PLACEHOLDER + b'"', content)
    if count != 1:
        raise ValueError(f"{fmt} export: expected one {name.decode()!r} value, found {count}")
    return replaced


# --- PostgreSQL's write-ahead log ----------------------------------------------------------------------------


def lsn(text: str) -> int:
    """A PostgreSQL LSN such as "0/3025AA0" as a byte position."""
    high, _, low = text.strip().partition("/")
    return (int(high, 16) << 32) + int(low, 16)


LSN_TEXT = re.compile(r"\b([0-9A-F]+/[0-9A-F]+)\b")
WAL_COMMIT = re.compile(r"desc: COMMIT ")


def wal_tail(waldump_output: str) -> dict:
    """From `pg_waldump -s <start>` of a dead primary's pg_wal: where its WAL ends, and the commits from start on.

    pg_waldump reads until the first record it cannot read, and says so on its error line ("invalid record length
    at 0/3025AA0", or "could not find a valid record after ..." when there was nothing after the start); the last
    position on that line is the end of what the primary wrote.
    """
    errors = [line for line in waldump_output.splitlines() if "error" in line.lower()]
    positions = LSN_TEXT.findall(errors[-1]) if errors else []
    return {
        "end_lsn": positions[-1] if positions else None,
        "commits": len(WAL_COMMIT.findall(waldump_output)),
    }


# --- The one line of figures ---------------------------------------------------------------------------------


def figures_line(name: str, verdict: str, figures: list[tuple[str, object]]) -> str:
    """One line for the end of a drill's output (and for docs/performance.md): name, verdict, then `key=value`s."""
    parts = [f"{key}={value}" for key, value in figures]
    return f"{name} {verdict.split(':')[0]}: " + " ".join(parts)


def parse_figures_line(line: str) -> dict:
    """The figures of a line made by figures_line, as strings by key (plus "drill" and "verdict")."""
    head, _, rest = line.partition(": ")
    name, _, verdict = head.partition(" ")
    figures = dict(part.split("=", 1) for part in rest.split())
    return {"drill": name, "verdict": verdict, **figures}
