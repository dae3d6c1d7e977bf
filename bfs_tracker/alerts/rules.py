"""Red-flag rules: which reported signs raise an alert, how serious each is, and what the alert says.

Clinical basis (see shared/domain/bfs.md): weakness is not a symptom of BFS, and the signs below are the ones a
neurologist wants to hear about promptly (NICE NG42; MND Association red-flag tool). Twitching itself, however
strong, widespread, new or flaring, is what BFS *is*, so no rule here ever looks at twitch entries or burden.

Everything here is plain data and pure functions over `DayReport`s, so the rules are tested without a database.
The service layer (alerts/services.py) turns `Finding`s into stored alerts.
"""

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from bfs_tracker.logbook.taxonomy import RED_FLAG_SIGNS

URGENT = "urgent"
SEE_DOCTOR = "see_doctor"
SEVERITY_LABELS: dict[str, str] = {
    URGENT: "Urgent: contact a doctor today",
    SEE_DOCTOR: "See your GP or a neurologist",
}

PERSISTENT_WEAKNESS = "persistent_weakness"
FUNCTION_CHECK_WORSE = "function_check_worse"

# Persistence: weakness on this many days within this many consecutive days is "persistent" ...
PERSISTENT_DAYS = 3
PERSISTENT_WINDOW_DAYS = 14
# ... and so is weakness in the same place on two days no more than this far apart.
SAME_PLACE_DAYS = 2
SAME_PLACE_WINDOW_DAYS = 90

NOT_A_DIAGNOSIS = (
    "BFS Tracker only records what you tell it. It cannot examine you and it does not diagnose anything: "
    "this message is a prompt to talk to a doctor, not a verdict."
)


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    title: str
    reported: str  # what was reported
    why: str  # why it matters
    todo: str  # what to do

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return (self.reported, self.why, self.todo, NOT_A_DIAGNOSIS)


_SEE_GP = (
    "Please book an appointment with your GP or a neurologist and tell them what you noticed and when. "
    "The alerts page and the report for your doctor list the dates and your own words."
)
_TODAY = "Please contact your GP today (or a neurologist, if you already see one). "

RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in [
        Rule(
            id="weakness",
            severity=SEE_DOCTOR,
            title="You reported weakness",
            reported="You noted weakness on this day.",
            why=(
                "Weakness is not a symptom of BFS. Twitching on its own is common, and in studies that followed "
                "people with benign twitching for years, none went on to develop motor neuron disease (Blexrud "
                "and colleagues, Annals of Neurology 1993; Mattiuzzi and Lippi, Neurological Sciences 2024). A "
                "feeling of weakness is also common in BFS, but what a doctor looks for is weakness that can be "
                "measured, or that stays or grows (Turner and Talbot, Practical Neurology 2013). Only an "
                "examination can tell the two apart."
            ),
            todo=_SEE_GP,
        ),
        Rule(
            id="muscle_wasting",
            severity=SEE_DOCTOR,
            title="You reported visible muscle wasting",
            reported="You noted that a muscle looked thinner or wasted on this day.",
            why=(
                "A muscle that looks smaller than before, especially on one side only, is not part of BFS. It is "
                "one of the signs neurologists ask to hear about promptly (NICE guideline NG42)."
            ),
            todo=_SEE_GP,
        ),
        Rule(
            id="swallowing_trouble",
            severity=URGENT,
            title="You reported trouble swallowing",
            reported="You noted trouble swallowing, or choking on drinks or food, on this day.",
            why=(
                "Trouble swallowing is not a symptom of BFS, and it can make eating and drinking unsafe. It is one "
                "of the signs neurologists ask to hear about promptly (NICE guideline NG42; MND Association "
                "red-flag tool)."
            ),
            todo=(
                _TODAY + "If you are choking, or cannot swallow your own saliva, call emergency services now "
                "(999 in the UK, 112 in Europe, 911 in North America)."
            ),
        ),
        Rule(
            id="slurred_speech",
            severity=SEE_DOCTOR,
            title="You reported slurred speech",
            reported="You noted slurred or unclear speech on this day.",
            why=(
                "Slurred speech is not part of BFS. It is one of the signs neurologists ask to hear about "
                "promptly (NICE guideline NG42)."
            ),
            todo=(
                _SEE_GP + " If slurred speech came on suddenly, together with a drooping face or a weak arm, call "
                "emergency services now: that can be a stroke."
            ),
        ),
        Rule(
            id="breathing_trouble",
            severity=URGENT,
            title="You reported trouble breathing",
            reported="You noted trouble breathing on this day.",
            why=(
                "Breathlessness when you are active, or when you lie flat, is not a symptom of BFS. It is one of "
                "the signs neurologists ask to hear about promptly (NICE guideline NG42; MND Association red-flag "
                "tool)."
            ),
            todo=(
                _TODAY + "If your breathing is severely difficult, or you cannot get enough air, call emergency "
                "services now (999 in the UK, 112 in Europe, 911 in North America)."
            ),
        ),
        Rule(
            id="falls",
            severity=SEE_DOCTOR,
            title="You reported tripping or falls",
            reported="You noted tripping, catching your foot or falling on this day.",
            why=(
                "Tripping or falling, or a foot that drops or slaps when you walk, is not a symptom of BFS. It is "
                "one of the signs neurologists ask to hear about promptly (NICE guideline NG42)."
            ),
            todo=_SEE_GP,
        ),
        Rule(
            id="dropping_things",
            severity=SEE_DOCTOR,
            title="You reported dropping things",
            reported="You noted dropping things, or clumsy hands, on this day.",
            why=(
                "Dropping things, or losing dexterity with buttons, keys or writing, is not a symptom of BFS. It is "
                "one of the signs neurologists ask to hear about promptly (NICE guideline NG42)."
            ),
            todo=_SEE_GP,
        ),
        Rule(
            id=PERSISTENT_WEAKNESS,
            severity=SEE_DOCTOR,
            title="Weakness that keeps coming back",
            reported=(
                f"You have reported weakness on {PERSISTENT_DAYS} or more days within {PERSISTENT_WINDOW_DAYS} "
                "days, or in the same place on more than one day."
            ),
            why=(
                "Weakness that stays or grows is one of the signs neurologists ask to hear about promptly (NICE "
                "guideline NG42). A passing feeling of weakness is common in BFS; weakness that keeps returning, "
                "or stays in one place, is what a doctor should examine."
            ),
            todo=(
                "Please see your GP or a neurologist soon and show them these dates. If you already have an "
                "appointment, bring the report from this app."
            ),
        ),
        Rule(
            id=FUNCTION_CHECK_WORSE,
            severity=SEE_DOCTOR,
            title="Everyday tasks harder on two checks in a row",
            reported=(
                "On two function checks in a row, you said some everyday tasks are harder than before the "
                "twitching started."
            ),
            why=(
                "Changes in what your muscles can do, not the twitching, are what doctors look for. The same answer "
                "on two checks a week or more apart is less likely to be a single bad day."
            ),
            todo=(
                "Please see your GP or a neurologist and show them the function-check table on the alerts page or "
                "in the report for your doctor."
            ),
        ),
    ]
}

SIGN_RULE_IDS: tuple[str, ...] = tuple(name for name, _label in RED_FLAG_SIGNS)
# Rules that come from the daily log (as opposed to the function check).
LOG_RULE_IDS: tuple[str, ...] = (*SIGN_RULE_IDS, PERSISTENT_WEAKNESS)
RULE_CHOICES: list[tuple[str, str]] = [(rule.id, rule.title) for rule in RULES.values()]


@dataclass(frozen=True)
class DayReport:
    """What one logged day reported, as far as the rules care: the red-flag signs and the person's own words."""

    date: dt.date
    signs: frozenset[str] = frozenset()
    weakness_location: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Finding:
    rule_id: str
    date: dt.date
    details: str  # the person's own words, shown beside the rule's text

    @property
    def rule(self) -> Rule:
        return RULES[self.rule_id]


def normalise_place(text: str) -> str:
    """'  My LEFT hand. ' and 'left hand' are the same place; anything cleverer would guess."""
    text = re.sub(r"[^\w\s]", " ", text.lower())
    words = text.split()
    while words and words[0] in {"my", "the", "in", "on"}:
        words = words[1:]
    return " ".join(words)


def _day_words(day: DayReport, *, with_place: bool) -> str:
    parts = []
    if with_place and day.weakness_location.strip():
        parts.append(f"Where: {day.weakness_location.strip()}")
    if day.notes.strip():
        parts.append(f"Notes: {day.notes.strip()}")
    return "\n".join(parts)


def _is_persistent(day: DayReport, others: list[DayReport]) -> bool:
    dates = sorted({d.date for d in others} | {day.date})
    window = dt.timedelta(days=PERSISTENT_WINDOW_DAYS - 1)
    for start in dates:
        if start <= day.date <= start + window:
            if sum(1 for d in dates if start <= d <= start + window) >= PERSISTENT_DAYS:
                return True
    place = normalise_place(day.weakness_location)
    if place:
        limit = dt.timedelta(days=SAME_PLACE_WINDOW_DAYS)
        same = [d for d in others if normalise_place(d.weakness_location) == place and abs(d.date - day.date) <= limit]
        if len(same) + 1 >= SAME_PLACE_DAYS:
            return True
    return False


def _persistence_words(day: DayReport, others: list[DayReport]) -> str:
    lines = []
    for d in sorted([day, *others], key=lambda d: d.date):
        place = d.weakness_location.strip()
        when = f"{d.date.day} {d.date:%b %Y}"
        lines.append(f"{when}: {place}" if place else when)
    return "Weakness reported on:\n" + "\n".join(lines)


def evaluate(day: DayReport, recent_days: Iterable[DayReport]) -> list[Finding]:
    """The alerts a day calls for: one per red-flag sign, plus persistent weakness when the pattern is there.

    `recent_days` are the person's other logged days (any order; days outside the persistence windows and the
    day itself are ignored). Twitching is not an input, so it can never raise an alert.
    """
    findings = [
        Finding(sign, day.date, _day_words(day, with_place=sign == "weakness"))
        for sign in SIGN_RULE_IDS
        if sign in day.signs
    ]
    if "weakness" in day.signs:
        horizon = dt.timedelta(days=max(PERSISTENT_WINDOW_DAYS, SAME_PLACE_WINDOW_DAYS))
        others = [
            d for d in recent_days if d.date != day.date and "weakness" in d.signs and abs(d.date - day.date) <= horizon
        ]
        if _is_persistent(day, others):
            window = dt.timedelta(days=PERSISTENT_WINDOW_DAYS - 1)
            place = normalise_place(day.weakness_location)
            shown = [
                d
                for d in others
                if abs(d.date - day.date) <= window or (place and normalise_place(d.weakness_location) == place)
            ]
            findings.append(Finding(PERSISTENT_WEAKNESS, day.date, _persistence_words(day, shown)))
    return findings
