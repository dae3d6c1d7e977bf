"""What has not changed: a few factual lines for the dashboard and the doctor's report. Plain Python, no database.

A person with BFS is told "it's benign" and then counts twitches; a neurologist wants to know what has stayed the
same. Both are served by facts with their dates, never by reassurance: "No red-flag sign reported since 25 Jul
2026" is a fact the person's own log supports; "nothing to worry about" is not, and never appears here.

The callers read the inputs (logged days, red-flag days, function checks, remissions) and pass them in as plain
values; every line states the date or count it rests on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Final

RED_FLAGS: Final = "red_flags"
FUNCTION_CHECK: Final = "function_check"
DAYS_LOGGED: Final = "days_logged"
LONGEST_REMISSION: Final = "longest_remission"


@dataclass(frozen=True)
class Fact:
    key: str  # RED_FLAGS, FUNCTION_CHECK, DAYS_LOGGED or LONGEST_REMISSION
    text: str
    since: dt.date | None = None  # the date the line is about, when it has one


@dataclass(frozen=True)
class Remission:
    start: dt.date
    end: dt.date
    days: int


def _d(day: dt.date) -> str:
    return day.isoformat()


def _red_flags(first_logged: dt.date, last_logged: dt.date, red_flag_days: Sequence[dt.date]) -> Fact:
    if not red_flag_days:
        return Fact(RED_FLAGS, f"No red-flag sign reported since logging began on {_d(first_logged)}.", first_logged)
    last = max(red_flag_days)
    if last >= last_logged:
        return Fact(RED_FLAGS, f"A red-flag sign was reported on {_d(last)}, the last logged day.", last)
    count = len(set(red_flag_days))
    days = "day" if count == 1 else "days"
    return Fact(
        RED_FLAGS,
        f"No red-flag sign reported since {_d(last)} ({count} {days} with one since logging began).",
        last,
    )


def _function_check(checks: Sequence[tuple[dt.date, Hashable]]) -> Fact:
    if not checks:
        return Fact(FUNCTION_CHECK, "No function check recorded.")
    ordered = sorted(checks, key=lambda c: c[0])
    latest_day, latest = ordered[-1]
    if len(ordered) == 1:
        return Fact(FUNCTION_CHECK, f"One function check so far, on {_d(latest_day)}.", latest_day)
    since = latest_day
    same = 1
    for day, answers in reversed(ordered[:-1]):
        if answers != latest:
            break
        since, same = day, same + 1
    if same == 1:
        return Fact(
            FUNCTION_CHECK,
            f"Function check answers at the latest check, {_d(latest_day)}, differ from the check before.",
            latest_day,
        )
    return Fact(
        FUNCTION_CHECK,
        f"Function check answers unchanged since {_d(since)} ({same} checks, the latest on {_d(latest_day)}).",
        since,
    )


def what_has_not_changed(
    *,
    first_logged: dt.date | None,
    last_logged: dt.date | None,
    days_logged: int,
    red_flag_days: Sequence[dt.date],
    function_checks: Sequence[tuple[dt.date, Hashable]],
    longest_remission: Remission | None,
) -> list[Fact]:
    """The lines, in a fixed order: red-flag signs, function check, days logged, longest remission.

    `first_logged`, `last_logged`, `days_logged`: the logged days up to the day the lines are "as of";
    `red_flag_days`: those with any red-flag sign; `function_checks`: (date taken, answers in any comparable form);
    `longest_remission`: over the same history. Nothing logged: one line saying so."""
    if first_logged is None or last_logged is None or not days_logged:
        return [Fact(DAYS_LOGGED, "No days logged yet.")]
    first, last, count = first_logged, last_logged, days_logged
    span = (last - first).days + 1
    facts = [
        _red_flags(first, last, red_flag_days),
        _function_check(function_checks),
        Fact(DAYS_LOGGED, f"{count} of {span} days logged from {_d(first)} to {_d(last)}.", first),
    ]
    if longest_remission is None:
        facts.append(Fact(LONGEST_REMISSION, "No remission detected so far."))
    else:
        r = longest_remission
        facts.append(
            Fact(LONGEST_REMISSION, f"Longest remission: {_d(r.start)} to {_d(r.end)} ({r.days} days).", r.start)
        )
    return facts


def no_twitching_text(days_logged: int) -> str:
    """What "where it twitched" says for a range without twitching in any muscle group (the dashboard and the
    report): no twitching on its logged days, or no logged day at all, when where it twitched is not known (an
    unlogged day is unknown, never "no twitching")."""
    if not days_logged:
        return "No days logged in this range, so where it twitched is not known."
    return f"No twitching on any of the {days_logged} logged day{'' if days_logged == 1 else 's'} in this range."
