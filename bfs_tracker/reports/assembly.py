"""What a doctor reads: one ReportData for a user and a date range, rendered as PDF, print view and share view.

Everything here is plain data (dataclasses of dates, numbers and strings) so the three renderers never touch the
database and stay in step. Other apps' sections come through their public selectors: the days from
logbook.selectors (read once for the range), flares and remissions from trends.selectors.periods_in_range and
insights from trends.insights, alerts and function checks from alerts.selectors and alerts.records.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from statistics import mean
from typing import Any

import numpy as np

from bfs_tracker.alerts.records import URGENT_RULE_IDS, function_check_results
from bfs_tracker.alerts.selectors import alerts_for_range
from bfs_tracker.logbook import factors
from bfs_tracker.logbook.factors import Role
from bfs_tracker.logbook.models import DailyLog
from bfs_tracker.logbook.own_factors import with_own
from bfs_tracker.logbook.remedies import RemedyCourse, RemedyEvent, remedies_in_range, remedy_events_between
from bfs_tracker.logbook.selectors import burden_series, logs_between, record_of, red_flag_days
from bfs_tracker.logbook.taxonomy import MuscleGroup, Side
from bfs_tracker.timeline.selectors import Marker, VisitPlan, last_visit_by, markers_between, tests_until
from bfs_tracker.trends.change import Change, compare_periods
from bfs_tracker.trends.experiment_store import ExperimentView, experiments_with_results
from bfs_tracker.trends.flares import State
from bfs_tracker.trends.insights import MIN_PAIRS, Insight, insight_factors, trigger_insights
from bfs_tracker.trends.remedy_timing import DuringFlare, started_during_flares
from bfs_tracker.trends.selectors import periods_in_range
from bfs_tracker.trends.series import rolling_mean
from bfs_tracker.trends.since_visit import DayFacts, SinceVisit, since_last_visit
from bfs_tracker.trends.stability import Fact, Remission, no_twitching_text, what_has_not_changed

DEFAULT_RANGE_DAYS = 90
# Notes as the report shows them (PDF, print view, shared report): at most this many characters and lines, then a
# visible mark; the CSV export holds every word. (The PDF also counts lines as they wrap on the page.)
NOTE_MAX_CHARS = 600
NOTE_MAX_LINES = 60
NOTE_CUT = "… continued in the CSV export (full text there)"
# A "with vs without" comparison needs at least this many logged days on each side before it is shown.
MIN_DAYS_EACH_SIDE = 7

GROUP_LABELS = dict(MuscleGroup.choices)
SIDE_LABELS = dict(Side.choices)
FUNCTION_CHECK_TITLE = "Everyday tasks compared with before the twitching"
# The factors page 1 averages for the doctor, in their words: (factor of the table, label, unit).
REPORT_FACTORS = (
    ("sleep_hours", "Sleep", "hours a night"),
    ("stress", "Stress", "(0–10)"),
    ("anxiety", "Anxiety", "(0–10)"),
    ("caffeine_mg", "Caffeine", "mg a day"),
)


def _too_long(text: str) -> bool:
    return len(text) > NOTE_MAX_CHARS or text.count("\n") >= NOTE_MAX_LINES


def _shown(text: str) -> str:
    if not _too_long(text):
        return text
    return "\n".join(text[:NOTE_MAX_CHARS].splitlines()[: NOTE_MAX_LINES - 1]).rstrip()


@dataclass(frozen=True)
class RedFlagEvent:
    date: dt.date
    sign: str  # a red-flag factor's name (logbook/factors.py), or an alert rule id (e.g. persistent_weakness)
    label: str
    words: str  # what the person wrote: where the weakness was, and their notes for the day
    urgent: bool
    status: str | None = None  # the alert's status: "open", "acknowledged", "withdrawn"; None: no alert on record
    acknowledged_at: dt.datetime | None = None

    @property
    def words_cut(self) -> bool:
        return _too_long(self.words)

    @property
    def words_shown(self) -> str:
        return _shown(self.words)

    @property
    def acknowledged(self) -> bool | None:
        return {"acknowledged": True, "open": False}.get(self.status or "")

    @property
    def status_text(self) -> str:
        if self.status == "acknowledged":
            return f"yes, {self.acknowledged_at.date().isoformat()}" if self.acknowledged_at else "yes"
        return {"open": "NOT YET", "withdrawn": "withdrawn (removed from the day)"}.get(self.status or "", "—")


@dataclass(frozen=True)
class FunctionCheckRow:
    date: dt.date
    title: str
    result: str


@dataclass(frozen=True)
class FunctionCheckRun:
    """Consecutive function checks with the same result, shown as one row."""

    first: dt.date
    last: dt.date
    count: int
    result: str


@dataclass(frozen=True)
class PeriodRow:
    kind: str  # "flare" or "remission"
    start: dt.date
    end: dt.date
    days: int
    peak: float
    mean: float
    before: str = ""  # flares: what stood out in the days before, against the person's usual days

    @property
    def label(self) -> str:
        return self.kind.capitalize()


@dataclass(frozen=True)
class InsightRow:
    text: str
    days: str  # the day counts it rests on, in words; empty when the text already says them

    def __post_init__(self):
        if self.days and self.days in self.text:
            object.__setattr__(self, "days", "")


@dataclass(frozen=True)
class GroupRow:
    group: str
    label: str
    days: int  # days with any twitching here in the whole range
    mean_intensity: float
    sides: str  # e.g. "left 12, right 3, both 20"
    compared: Change  # share of logged days with twitching here, first half against second (trends.change)

    @property
    def days_first(self) -> int:
        return self.compared.days_first

    @property
    def days_second(self) -> int:
        return self.compared.days_second

    @property
    def change(self) -> str:
        return self.compared.text


@dataclass(frozen=True)
class SideRow:
    side: str
    label: str
    days_first: int
    days_second: int


@dataclass(frozen=True)
class AverageRow:
    label: str
    average: float | None
    days: int  # days it was recorded
    unit: str = ""
    days_present: int | None = None  # for symptoms: days with a score above 0


@dataclass(frozen=True)
class ReliefRow:
    name: str
    days: int
    first: dt.date
    last: dt.date
    burden_with: float | None  # mean burden on days it was tried (None when too few days to compare)
    burden_without: float | None
    days_without: int


@dataclass(frozen=True)
class DayRow:
    date: dt.date
    burden: int
    twitches: str
    stress: int | None
    sleep_hours: float | None
    caffeine_mg: int
    symptoms: str
    red_flags: str
    reliefs: str
    notes: str

    @property
    def notes_cut(self) -> bool:
        return _too_long(self.notes)

    @property
    def notes_shown(self) -> str:
        """The notes as the report prints them: whole, or cut (then NOTE_CUT follows)."""
        return _shown(self.notes)


@dataclass
class ReportData:
    patient_name: str
    date_of_birth: dt.date | None
    start: dt.date
    end: dt.date
    generated_on: dt.date
    days_in_range: int
    days_logged: int
    red_flags: list[RedFlagEvent] = field(default_factory=list)
    function_checks: list[FunctionCheckRow] = field(default_factory=list)
    burden_series: list[tuple[dt.date, int | None]] = field(default_factory=list)  # None: not logged
    periods: list[PeriodRow] = field(default_factory=list)
    groups: list[GroupRow] = field(default_factory=list)
    sides: list[SideRow] = field(default_factory=list)
    half_split: dt.date | None = None  # first day of the second half
    logged_first: int = 0  # logged days in the first half
    logged_second: int = 0
    symptoms: list[AverageRow] = field(default_factory=list)
    factors: list[AverageRow] = field(default_factory=list)
    insights: list[InsightRow] = field(default_factory=list)
    reliefs: list[ReliefRow] = field(default_factory=list)
    remedies: list[RemedyCourse] = field(default_factory=list)  # remedies and medication taken in the range
    remedy_events: list[RemedyEvent] = field(default_factory=list)  # their starts, dose changes, stops: chart marks
    # Their starts and dose changes inside a flare (of the whole history), said under the list (clinical rule 10).
    remedies_during_flares: list[DuringFlare] = field(default_factory=list)
    experiments: list[ExperimentView] = field(default_factory=list)  # planned self-experiments touching the range
    days: list[DayRow] = field(default_factory=list)
    mean_burden: float | None = None
    events: list[Marker] = field(default_factory=list)  # the medical timeline in the range: chart markers
    # Tests, imaging and diagnoses up to the range's end, newest first.
    tests: list[Marker] = field(default_factory=list)
    since_visit: SinceVisit | None = None  # since the last visit up to the range's end, against the time before it
    visit_questions: list[str] = field(default_factory=list)  # the person's own questions for the coming visit
    upcoming_visit: dt.date | None = None
    average7: list[float | None] = field(default_factory=list)  # 7-day average of logged days, one per day of range
    red_flag_days: list[dt.date] = field(default_factory=list)  # days in the range with any red-flag sign
    # "What has not changed" as of the range's end, over the whole history up to it (trends.stability).
    stability: list[Fact] = field(default_factory=list)
    # The current state in the words the dashboard uses (trends.flares.State.text), as of the last logged day.
    state_text: str = ""
    # Before a baseline exists nothing is detected: why no flare or remission is listed (State.periods_pending).
    periods_pending: str = ""

    @property
    def no_twitching_text(self) -> str:
        """What to say when no muscle group has a row: no twitching on the logged days, or no logged day at all
        (then where it twitched is unknown, not "none")."""
        return no_twitching_text(self.days_logged)

    @property
    def flares(self) -> list[PeriodRow]:
        return [p for p in self.periods if p.kind == "flare"]

    @property
    def remissions(self) -> list[PeriodRow]:
        return [p for p in self.periods if p.kind == "remission"]

    def logged_runs(self) -> list[list[tuple[dt.date, int]]]:
        """The burden series cut at unlogged days, one run per stretch of logged days, so every chart of it shows an
        unlogged day as a gap, never as zero."""
        runs: list[list[tuple[dt.date, int]]] = []
        previous_logged = False
        for day, burden in self.burden_series:
            if burden is None:
                previous_logged = False
                continue
            if not previous_logged:
                runs.append([])
            runs[-1].append((day, burden))
            previous_logged = True
        return runs

    @property
    def function_check_runs(self) -> list[FunctionCheckRun]:
        """The range's function checks, consecutive checks with the same result as one row: a year of weekly
        checks stays a few lines on page 1."""
        runs: list[FunctionCheckRun] = []
        for check in self.function_checks:
            if runs and runs[-1].result == check.result:
                last = runs[-1]
                runs[-1] = FunctionCheckRun(last.first, check.date, last.count + 1, last.result)
            else:
                runs.append(FunctionCheckRun(check.date, check.date, 1, check.result))
        return runs

    @property
    def days_by_month(self) -> list[tuple[dt.date, list["DayRow"]]]:
        """The logged days grouped by month: (first day of the month, its days)."""
        months: list[tuple[dt.date, list[DayRow]]] = []
        for day in self.days:
            first = day.date.replace(day=1)
            if not months or months[-1][0] != first:
                months.append((first, []))
            months[-1][1].append(day)
        return months

    @property
    def noted_days(self) -> list["DayRow"]:
        return [d for d in self.days if d.notes.strip()]

    @property
    def unacknowledged_count(self) -> int:
        return sum(1 for e in self.red_flags if e.acknowledged is False)


def report_range(start: dt.date, end: dt.date, today: dt.date) -> tuple[dt.date, dt.date]:
    """The range a report covers: start..end, but not past the person's today. Days that have not happened yet,
    counted in the range, would read as days not logged ("14 of 51 days logged"), and the second half of a range
    reaching far ahead would be empty; a share link made with a later end grows into it day by day."""
    if start <= today < end:
        return start, today
    return start, end


def default_range(today: dt.date) -> tuple[dt.date, dt.date]:
    return today - dt.timedelta(days=DEFAULT_RANGE_DAYS - 1), today


def _words(log: DailyLog, sign: str) -> str:
    parts = []
    if sign == "weakness" and log.weakness_location:
        parts.append(log.weakness_location)
    if log.notes:
        parts.append(log.notes)
    return " — ".join(parts)


def _red_flags(logs: list[DailyLog], alerts: list) -> list[RedFlagEvent]:
    """Every red-flag sign on a logged day, with its alert's status; then alerts with no such day (persistent
    weakness, a worse function check, or a sign since removed from its day: alerts stay in the history)."""
    by_key = {(a.date, a.rule_id): a for a in alerts}
    signs = factors.of_role(Role.RED_FLAG)
    labels = {f.name: f.label for f in signs}
    events = []
    for log in logs:
        for sign in signs:
            if getattr(log, sign.name):
                alert = by_key.pop((log.date, sign.name), None)
                events.append(
                    RedFlagEvent(
                        date=log.date,
                        sign=sign.name,
                        label=sign.label,
                        words=_words(log, sign.name),
                        urgent=alert.is_urgent if alert else sign.name in URGENT_RULE_IDS,
                        status=alert.status if alert else None,
                        acknowledged_at=alert.acknowledged_at if alert else None,
                    )
                )
    for alert in by_key.values():
        events.append(
            RedFlagEvent(
                date=alert.date,
                sign=alert.rule_id,
                label=labels.get(alert.rule_id, alert.title),
                words=alert.details,
                urgent=alert.is_urgent,
                status=alert.status,
                acknowledged_at=alert.acknowledged_at,
            )
        )
    return sorted(events, key=lambda e: (e.date, not e.urgent, e.sign))


def _twitch_text(log: DailyLog) -> str:
    return ", ".join(
        f"{GROUP_LABELS[t.muscle_group]} {SIDE_LABELS[t.side].lower() if t.side != Side.BOTH else 'both'} {t.intensity}"
        for t in log.twitches.all()
    )


def _groups(logs: list[DailyLog], days_in_range: list[dt.date], split: dt.date) -> tuple[list[GroupRow], list[SideRow]]:
    """Every muscle group with twitching in the range (none is left out), most days first, each with the honest
    change between the halves: shares of logged days, compared by trends.change."""
    days: dict[str, set] = defaultdict(set)
    first: dict[str, set] = defaultdict(set)
    second: dict[str, set] = defaultdict(set)
    intensities: dict[str, list[int]] = defaultdict(list)
    side_counts: dict[str, Counter] = defaultdict(Counter)
    side_first: Counter = Counter()
    side_second: Counter = Counter()
    for log in logs:
        for t in log.twitches.all():
            days[t.muscle_group].add(log.date)
            (first if log.date < split else second)[t.muscle_group].add(log.date)
            intensities[t.muscle_group].append(t.intensity)
            side_counts[t.muscle_group][t.side] += 1
            (side_first if log.date < split else side_second)[t.side] += 1
    logged = {log.date for log in logs}
    first_days = [d for d in days_in_range if d < split]
    second_days = [d for d in days_in_range if d >= split]

    def presence(group: str, dates: list[dt.date]) -> list[bool | None]:
        return [(d in days[group]) if d in logged else None for d in dates]

    groups = [
        GroupRow(
            group=g,
            label=GROUP_LABELS[g],
            days=len(days[g]),
            mean_intensity=round(mean(intensities[g]), 1),
            sides=", ".join(f"{SIDE_LABELS[s].lower()} {side_counts[g][s]}" for s in Side.values if side_counts[g][s]),
            compared=compare_periods(presence(g, first_days), presence(g, second_days)),
        )
        for g in days
    ]
    groups.sort(key=lambda r: (-r.days, -r.mean_intensity, r.label))
    sides = [SideRow(s, SIDE_LABELS[s], side_first[s], side_second[s]) for s in Side.values]
    return groups, sides


def _average(values: list) -> float | None:
    return round(float(mean(values)), 1) if values else None


def _reliefs(logs: list[DailyLog]) -> list[ReliefRow]:
    dates: dict[str, list[dt.date]] = defaultdict(list)
    for log in logs:
        for r in log.reliefs.all():
            dates[r.name].append(log.date)
    rows = []
    for name, used in dates.items():
        used_set = set(used)
        with_ = [log.burden for log in logs if log.date in used_set]
        without = [log.burden for log in logs if log.date not in used_set]
        enough = len(with_) >= MIN_DAYS_EACH_SIDE and len(without) >= MIN_DAYS_EACH_SIDE
        rows.append(
            ReliefRow(
                name=name,
                days=len(used_set),
                first=min(used_set),
                last=max(used_set),
                burden_with=_average(with_) if enough else None,
                burden_without=_average(without) if enough else None,
                days_without=len(without),
            )
        )
    rows.sort(key=lambda r: (r.first, r.name))
    return rows


def _day_row(log: DailyLog, record: dict[str, Any]) -> DayRow:
    return DayRow(
        date=log.date,
        burden=log.burden,
        twitches=_twitch_text(log),
        stress=record["stress"],
        sleep_hours=record["sleep_hours"],
        caffeine_mg=record["caffeine_mg"],
        symptoms=", ".join(
            f"{f.label.split(' (')[0]} {getattr(log, f.name)}"
            for f in factors.of_role(Role.SYMPTOM)
            if getattr(log, f.name)
        ),
        red_flags=", ".join(f.label for f in factors.of_role(Role.RED_FLAG) if getattr(log, f.name)),
        reliefs=", ".join(r.name for r in log.reliefs.all()),
        notes=log.notes,
    )


def _insight_days(insight: Insight) -> str:
    if insight.n_with is not None:
        return f"{insight.n_with} days with, {insight.n_without} without"
    return f"{insight.n_pairs} days"


def _insights(found: list[Insight]) -> list[InsightRow]:
    """What went with more or less twitching in the range, each with the day counts it rests on. Factors with no
    clear link, or too few days, are summed up in one line each rather than dropped, so the absence is visible."""
    linked = ("goes_with_higher", "goes_with_lower")
    rows = [InsightRow(i.text, _insight_days(i)) for i in found if i.verdict in linked and i.lag == 0]
    next_day = [i for i in found if i.verdict in linked and i.lag == 1]
    if next_day:
        names = ", ".join(f"{i.label.lower()} ({_insight_days(i)})" for i in next_day)
        rows.append(InsightRow(f"Also with the next day's twitching: {names}.", ""))
    unclear = [i for i in found if i.verdict == "no_clear_link" and i.lag == 0]
    if unclear:
        names = ", ".join(f"{i.label.lower()} ({_insight_days(i)})" for i in unclear)
        rows.append(InsightRow(f"No clear link on the same day: {names}.", ""))
    short = [i.label.lower() for i in found if i.verdict == "not_enough_data" and i.lag == 0]
    if short:
        rows.append(InsightRow(f"Too few days to say anything yet: {', '.join(short)}.", ""))
    return rows


def _since_visit(user, end: dt.date, history: list) -> SinceVisit | None:
    """ "Since the last visit" as of `end`: the days from the time before the visit to `end`, read in one go."""
    visit = last_visit_by(user, end)
    if visit is None or visit.date >= end:
        return None
    before_start = visit.date - dt.timedelta(days=(end - visit.date).days + 1)
    flares = [p for p in history if p.kind == "flare"]
    signs = factors.of_role(Role.RED_FLAG)
    days = {
        log.date: DayFacts(
            burden=float(log.burden),
            in_flare=any(p.contains(log.date) for p in flares),
            groups=frozenset(t.muscle_group for t in log.twitches.all()),
            red_flags=tuple(f.label for f in signs if getattr(log, f.name)),
        )
        for log in logs_between(user, before_start, end)
    }
    checks = [(r.taken_on, r.result) for r in function_check_results(user, before_start, end)]
    return since_last_visit(visit=visit.date, end=end, days=days, group_labels=GROUP_LABELS, checks=checks)


def _stability(user, end: dt.date, history: list, checks: list) -> list[Fact]:
    """The factual lines of trends.stability as of `end`: two queries (logged dates, red-flag days)."""
    remissions = [p for p in history if p.kind == "remission" and p.end <= end]
    longest = max(remissions, key=lambda p: (p.days, p.start), default=None)
    logged = list(burden_series(user, None, end))
    return what_has_not_changed(
        first_logged=logged[0] if logged else None,
        last_logged=logged[-1] if logged else None,
        days_logged=len(logged),
        red_flag_days=[row["date"] for row in red_flag_days(user=user, start=dt.date.min, end=end)],
        function_checks=[(c.taken_on, c.answers) for c in checks],
        longest_remission=Remission(longest.start, longest.end, longest.days) if longest else None,
    )


def _with_own(user, records: dict, start: dt.date, end: dt.date) -> tuple[dict, list]:
    """The day records with the person's own factors' values, and every factor to analyse (one query)."""
    merged, own = with_own(user, records, start, end, archived_min_days=MIN_PAIRS)
    return merged, [*insight_factors(), *own]


def build_report(user, start: dt.date, end: dt.date, *, visit: VisitPlan | None = None) -> ReportData:
    """The report for start..end. With `visit` (the "prepare for my visit" view), page 1 carries the person's own
    questions for the coming visit."""
    if start > end:
        raise ValueError("start must not be after end")
    today = user.today()
    start, end = report_range(start, end, today)
    # The range is read once; statistics use its records, and flare context reads only the days before it.
    logs = list(logs_between(user, start, end))
    records = {log.date: record_of(log) for log in logs}
    found = periods_in_range(user, start, end, records=records)
    by_date = {log.date: log for log in logs}
    days_in_range = (end - start).days + 1
    days = [start + dt.timedelta(days=i) for i in range(days_in_range)]
    series = [(d, by_date[d].burden if d in by_date else None) for d in days]
    split = start + dt.timedelta(days=days_in_range // 2)
    groups, sides = _groups(logs, days, split)
    checks = function_check_results(user, dt.date.min, end)  # the whole history to `end`, for "unchanged since"
    daily = np.array([np.nan if b is None else float(b) for _, b in series], dtype=float)
    remedies = remedies_in_range(user, start, end)

    symptoms = [
        AverageRow(
            label=f.label,
            average=_average([getattr(log, f.name) for log in logs]),
            days=len(logs),
            days_present=sum(1 for log in logs if getattr(log, f.name)),
            unit="0–10",
        )
        for f in factors.of_role(Role.SYMPTOM)
    ]
    averages = []
    for name, label, unit in REPORT_FACTORS:
        values = [r[name] for r in records.values() if r[name] is not None]
        averages.append(AverageRow(label, _average(values), len(values), unit))

    return ReportData(
        patient_name=user.get_full_name() or user.username,
        date_of_birth=user.date_of_birth,
        start=start,
        end=end,
        generated_on=today,
        days_in_range=days_in_range,
        days_logged=len(logs),
        red_flags=_red_flags(logs, list(alerts_for_range(user, start, end))),
        function_checks=[
            FunctionCheckRow(r.taken_on, FUNCTION_CHECK_TITLE, r.result) for r in checks if r.taken_on >= start
        ],
        burden_series=series,
        periods=[
            PeriodRow(p.kind, p.start, p.end, p.days, round(p.peak, 1), round(p.mean, 1), "; ".join(item.unusual))
            for item in found.items
            for p in [item.period]
        ],
        groups=groups,
        sides=sides,
        half_split=split,
        logged_first=sum(1 for log in logs if log.date < split),
        logged_second=sum(1 for log in logs if log.date >= split),
        symptoms=symptoms,
        factors=averages,
        insights=_insights(trigger_insights(*_with_own(user, records, start, end))),
        reliefs=_reliefs(logs),
        remedies=remedies,
        remedy_events=remedy_events_between(remedies, start, end),
        remedies_during_flares=started_during_flares(remedies, found.history),
        experiments=experiments_with_results(user, today, start=start, end=end),
        days=[_day_row(log, records[log.date]) for log in logs],
        mean_burden=_average([log.burden for log in logs]),
        events=markers_between(user, start, end, today=today),
        tests=tests_until(user, end),
        since_visit=_since_visit(user, end, found.history),
        visit_questions=visit.questions if visit else [],
        upcoming_visit=visit.upcoming.date if visit and visit.upcoming else None,
        average7=[None if np.isnan(v) else round(float(v), 1) for v in rolling_mean(daily)],
        red_flag_days=[log.date for log in logs if records[log.date]["red_flag"]],
        stability=_stability(user, end, found.history, checks),
        state_text=_state_text(found.state),
        periods_pending=found.state.periods_pending,
    )


def _state_text(state: State) -> str:
    if state.as_of is None:
        return state.text
    return f"{state.text}, as of the last logged day {state.as_of.isoformat()}"
