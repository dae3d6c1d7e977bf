"""Red-flag rules: which reported signs raise an alert, how serious each is, and what the alert says.

Clinical basis (see shared/domain/bfs.md): weakness you can measure, or that stays or grows, is not part of BFS, and
the signs below are the ones a neurologist wants to hear about promptly (NICE NG42; MND Association red-flag tool).
Twitching itself, however strong, widespread, new or flaring, is what BFS *is*, so no rule here ever looks at twitch
entries or burden.

Alerts inform and direct; they never reassure (domain rule 9). Natural-history facts (follow-up studies and the
like) live on the About BFS page, which a person opens on purpose, never in an alert's text.

Everything here is plain data and pure functions over `DayReport`s, so the rules are tested without a database.
The service layer (alerts/services.py) turns `Finding`s into stored alerts.
"""

import datetime as dt
import re
from bisect import bisect_left
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
# One persistent-weakness alert covers this many days from the day the rule was first met: the longest window the
# rule looks at, so one episode is one alert, and weakness still coming back after it is raised again.
PERSISTENT_PERIOD_DAYS = SAME_PLACE_WINDOW_DAYS

# The one sentence on weakness and BFS, used by both weakness rules so they can never contradict each other.
WEAKNESS_IN_PLAIN_WORDS = (
    "Weakness you can measure, or that stays or grows, is not part of BFS; a passing feeling of weakness can be. "
    "Only an examination can tell them apart, which is why a doctor should hear about it."
)

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
    note: str = ""  # how an alert over several days behaves, when it needs saying

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(p for p in (self.reported, self.why, self.todo, self.note) if p) + (NOT_A_DIAGNOSIS,)


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
                f"{WEAKNESS_IN_PLAIN_WORDS} Weakness that stays or grows is one of the signs neurologists ask to "
                "hear about promptly (NICE guideline NG42; Turner and Talbot, Practical Neurology 2013)."
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
                f"You reported weakness on {PERSISTENT_DAYS} or more days within {PERSISTENT_WINDOW_DAYS} days, or "
                f"in the same place on {SAME_PLACE_DAYS} days no more than {SAME_PLACE_WINDOW_DAYS} days apart. "
                "The days are listed with this alert."
            ),
            why=(
                f"{WEAKNESS_IN_PLAIN_WORDS} Weakness that keeps returning, or stays in one place, is one of the "
                "signs neurologists ask to hear about promptly (NICE guideline NG42)."
            ),
            todo=(
                "Please see your GP or a neurologist soon and show them these dates. If you already have an "
                "appointment, bring the report from this app."
            ),
            note=(
                "This alert is dated on the first day the pattern was met. Days in the next "
                f"{PERSISTENT_PERIOD_DAYS} days that meet it again are added to its list rather than raising a new "
                "alert; if the pattern is met again after that, a new alert is raised. If you change or delete a day "
                "so that the pattern is no longer met, this alert is withdrawn, and it stays in your history."
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
            note=(
                "This alert is dated on the later of the two checks. If a check is replaced (for example from a "
                "backup) so that no task was harder on both, the alert is withdrawn, and it stays in your history."
            ),
        ),
    ]
}

SIGN_RULE_IDS: tuple[str, ...] = tuple(name for name, _label in RED_FLAG_SIGNS)
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
    """An alert the data calls for. `evidence` lists the days a rule over several days rests on (empty for a sign
    on one day): the service matches stored alerts to findings by it, so an alert whose days change stays the same
    alert."""

    rule_id: str
    date: dt.date
    details: str  # the person's own words, or the days the rule rests on, shown beside the rule's text
    evidence: tuple[dt.date, ...] = ()

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


def sign_findings(day: DayReport) -> list[Finding]:
    """One alert per red-flag sign the day reports. Twitching is not an input, so it can never raise an alert."""
    return [
        Finding(sign, day.date, _day_words(day, with_place=sign == "weakness"))
        for sign in SIGN_RULE_IDS
        if sign in day.signs
    ]


def _met_on(weak: list[DayReport]) -> list[tuple[dt.date, set[dt.date]]]:
    """Walking the weak days in date order: each day on which the persistence rule is met, with the days it rests on.

    Only days up to and including a day count for it, so "met on" means what it would have meant had every day been
    logged on its own date, whatever order they were actually saved in.
    """
    dates = [d.date for d in weak]
    places: dict[str, list[dt.date]] = {}
    met = []
    for i, day in enumerate(weak):
        evidence: set[dt.date] = set()
        first = bisect_left(dates, day.date - dt.timedelta(days=PERSISTENT_WINDOW_DAYS - 1), hi=i)
        if i + 1 - first >= PERSISTENT_DAYS:
            evidence.update(dates[first : i + 1])
        place = normalise_place(day.weakness_location)
        if place:
            earlier = places.setdefault(place, [])
            same = earlier[bisect_left(earlier, day.date - dt.timedelta(days=SAME_PLACE_WINDOW_DAYS)) :]
            if len(same) + 1 >= SAME_PLACE_DAYS:
                evidence.update(same)
                evidence.add(day.date)
            earlier.append(day.date)
        if evidence:
            met.append((day.date, evidence))
    return met


def _persistence_words(days: list[DayReport]) -> str:
    lines = []
    for d in days:
        place = d.weakness_location.strip()
        when = f"{d.date.day} {d.date:%b %Y}"
        lines.append(f"{when}: {place}" if place else when)
    return "Weakness reported on:\n" + "\n".join(lines)


def persistent_weakness(days: Iterable[DayReport]) -> list[Finding]:
    """The persistent-weakness alerts a whole history calls for, oldest first. Pure: the same days, in any order,
    give the same findings.

    Each alert is dated on the first day (in date order) on which the rule is met, and covers
    PERSISTENT_PERIOD_DAYS from there: every day on which the rule is met again within that period adds its days to
    the same alert's evidence instead of raising a new one. The first day the rule is met after the period starts
    the next alert, so separate episodes (March, then September) are separate alerts, and weakness that goes on for
    months is raised again every period. Because the number of such periods can only grow when days are added, back-
    filling days never has to withdraw an alert; only removing weakness from a day can.
    """
    by_date = {d.date: d for d in days if "weakness" in d.signs}
    weak = [by_date[date] for date in sorted(by_date)]
    period = dt.timedelta(days=PERSISTENT_PERIOD_DAYS)
    groups: list[tuple[dt.date, set[dt.date]]] = []
    for date, evidence in _met_on(weak):
        if groups and date < groups[-1][0] + period:
            groups[-1][1].update(evidence)
        else:
            groups.append((date, set(evidence)))
    findings = []
    for date, evidence in groups:
        listed = sorted(evidence)
        words = _persistence_words([by_date[d] for d in listed])
        findings.append(Finding(PERSISTENT_WEAKNESS, date, words, tuple(listed)))
    return findings
