"""The periodic function check: a short record, for the doctor, of everyday tasks compared with before.

It is deliberately weekly at most (see shared/domain/bfs.md, rule 6): health anxiety is the main burden of BFS, and
a check that can be repeated until it "feels right" would feed it. The items are everyday tasks a neurologist asks
about; the wording is our own.
"""

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping

from bfs_tracker.alerts.rules import FUNCTION_CHECK_WORSE, Finding

MIN_DAYS_BETWEEN_CHECKS = 7

# (field name, what we ask). Field names are stored; never rename one, only add.
ITEMS: list[tuple[str, str]] = [
    ("speech", "Speaking clearly, so others understand you first time"),
    ("swallowing", "Swallowing food and drinks without coughing or choking"),
    ("handwriting", "Writing by hand"),
    ("buttons_utensils", "Doing up buttons, and using a knife and fork"),
    ("dressing", "Getting dressed"),
    ("walking", "Walking, without tripping or catching your feet"),
    ("stairs", "Climbing stairs"),
    ("breathing_active", "Breathing when you are active"),
    ("breathing_lying_flat", "Breathing when you lie flat"),
]
ITEM_LABELS: dict[str, str] = dict(ITEMS)
# Short names for tables and alert details, where the full question would not fit a phone screen.
ITEM_SHORT_LABELS: dict[str, str] = {
    "speech": "Speech",
    "swallowing": "Swallowing",
    "handwriting": "Handwriting",
    "buttons_utensils": "Buttons, knife and fork",
    "dressing": "Dressing",
    "walking": "Walking",
    "stairs": "Stairs",
    "breathing_active": "Breathing when active",
    "breathing_lying_flat": "Breathing lying flat",
}

NO_CHANGE = 0
# Compared with how you were before the twitching started.
SCALE: list[tuple[int, str]] = [
    (NO_CHANGE, "No change"),
    (1, "A little harder"),
    (2, "Much harder"),
    (3, "I can't do this now"),
]
SCALE_LABELS: dict[int, str] = dict(SCALE)


def next_check_date(last_taken_on: dt.date | None) -> dt.date | None:
    """The first date a new check may be recorded, or None when there is no earlier check."""
    if last_taken_on is None:
        return None
    return last_taken_on + dt.timedelta(days=MIN_DAYS_BETWEEN_CHECKS)


def is_due(last_taken_on: dt.date | None, today: dt.date) -> bool:
    nxt = next_check_date(last_taken_on)
    return nxt is None or today >= nxt


def harder_items(answers: Mapping[str, int]) -> set[str]:
    return {name for name, _ in ITEMS if answers.get(name, NO_CHANGE) > NO_CHANGE}


def evaluate_checks(
    latest: Mapping[str, int], previous: Mapping[str, int] | None, taken_on: dt.date, previous_on: dt.date | None
) -> list[Finding]:
    """An alert when the same task was harder than before on this check (`taken_on`) and the one before it."""
    if previous is None or previous_on is None:
        return []
    both = harder_items(latest) & harder_items(previous)
    if not both:
        return []
    lines = [f"{ITEM_SHORT_LABELS[name]}: {SCALE_LABELS[latest[name]].lower()}" for name, _ in ITEMS if name in both]
    when = f"{_short_date(previous_on)} and {_short_date(taken_on)}"
    details = f"Harder on both checks ({when}):\n" + "\n".join(lines)
    return [Finding(FUNCTION_CHECK_WORSE, taken_on, details, (previous_on, taken_on))]


def _short_date(date: dt.date) -> str:
    return f"{date.day} {date:%b %Y}"


def function_check_findings(checks: Iterable[tuple[dt.date, Mapping[str, int]]]) -> list[Finding]:
    """The two-in-a-row alerts a whole history of checks calls for, oldest first: each check is compared with the
    check before it in date order, whatever order the checks were recorded or imported in."""
    ordered = sorted(checks, key=lambda check: check[0])
    findings: list[Finding] = []
    for (previous_on, previous), (taken_on, latest) in itertools.pairwise(ordered):
        findings += evaluate_checks(latest, previous, taken_on, previous_on)
    return findings
