"""Planned self-experiments in the database: the checks and writes (plan, edit, stop, delete, import) and the one
read that gives each experiment with its phases, progress, result and warnings (the dashboard, the report, the
backup and `manage.py experiments` all use `experiments_with_results`). The maths is in trends/experiments.py, the
flare check in trends/planning.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from bfs_tracker.logbook import factors
from bfs_tracker.logbook.factors import Role
from bfs_tracker.logbook.selectors import burden_series, day_records_with_lead_in
from bfs_tracker.logbook.validation import characters_problem
from bfs_tracker.trends.experiments import (
    HIGHER,
    LONG_PLAN_CAUTION,
    LOWER,
    MAX_DAYS,
    MIN_BLOCK_DAYS,
    MIN_PHASE_DAYS,
    STARTED_IN_FLARE,
    WITH,
    Comparison,
    PhaseSpec,
    compare,
    long_plan,
    plan_phases,
    sentence,
)
from bfs_tracker.trends.flares import FlareParams
from bfs_tracker.trends.models import Design, Experiment
from bfs_tracker.trends.planning import FlareCheck, flare_days, plan_baseline

# The flare detector reads this many days before an experiment's first phase. It needs months, not weeks: its
# spread comes from 168 ordinary days, and a lead-in that starts inside a remission would take the remission's
# near-zero days for the person's usual level and see their return to it as a flare lasting months (a demo history
# lost both phases of its experiment that way with 90 days).
HISTORY_DAYS = 365

OVERLAP = "Another experiment on {outcome} runs from {start:%-d %b %Y} to {end:%-d %b %Y}: two changes at once on one outcome cannot be told apart. Pick dates after it, or another outcome."  # noqa: E501
FINISHED_DATES = "This experiment has finished, so its dates can no longer change (its result rests on them)."
STOP_BEFORE_START = "The stop date is before the start date."
BACKUP_FIELDS = ("change", "design", "outcome", "start", "days", "baseline_start", "warning", "stopped_on")


def outcome_choices() -> list[tuple[str, str]]:
    """Twitch burden, or one other symptom of the factor table (0–10)."""
    return [("burden", "Twitch burden"), *((f.name, f.label) for f in factors.of_role(Role.SYMPTOM))]


def outcome_label(outcome: str) -> str:
    return dict(outcome_choices()).get(outcome, outcome)


# Phases -----------------------------------------------------------------------------------------------------------


def planned_end(experiment: Experiment) -> dt.date:
    return experiment.start + dt.timedelta(days=experiment.days - 1)


def end_of(experiment: Experiment) -> dt.date:
    """The last day of the experiment: the planned end, or the day it was stopped."""
    end = planned_end(experiment)
    return min(end, experiment.stopped_on) if experiment.stopped_on else end


def first_day(experiment: Experiment) -> dt.date:
    return experiment.baseline_start or experiment.start


def phases_of(experiment: Experiment) -> list[PhaseSpec]:
    phases = plan_phases(experiment.design, experiment.start, experiment.days)  # type: ignore[arg-type]
    if experiment.design == "ab" and experiment.baseline_start:
        phases[0] = PhaseSpec(phases[0].label, phases[0].kind, experiment.baseline_start, phases[0].end)
    end = end_of(experiment)
    return [PhaseSpec(p.label, p.kind, p.start, min(p.end, end)) for p in phases if p.start <= end]


# Reads ------------------------------------------------------------------------------------------------------------


@dataclass
class ExperimentView:
    experiment: Experiment
    status: str  # "planned", "running" or "finished"
    end: dt.date
    outcome_label: str
    result: Comparison  # for a running experiment: the phases so far (no verdict is given before the end)
    warnings: list[str] = field(default_factory=list)

    @property
    def days_done(self) -> int:
        return sum(p.logged_days for p in self.result.phases if p.kind == WITH)

    @property
    def sentence(self) -> str:
        return sentence(self.result, self.outcome_label.lower())

    def as_dict(self) -> dict[str, Any]:
        e = self.experiment
        data = self.result.as_dict()
        if self.status != "finished":
            data.update(estimate=None, interval=None, verdict=None, verdict_words=None)
        return {
            "id": e.pk,
            "plan": {
                "change": e.change,
                "remedy": e.remedy.name if e.remedy else None,
                "design": e.design,
                "outcome": e.outcome,
                "outcome_label": self.outcome_label,
                "start": e.start.isoformat(),
                "days": e.days,
                "end": self.end.isoformat(),
                "baseline_start": e.baseline_start.isoformat() if e.baseline_start else None,
                "stopped_on": e.stopped_on.isoformat() if e.stopped_on else None,
            },
            "status": self.status,
            **data,
            "sentence": self.sentence if self.status == "finished" else None,
            "warnings": list(self.warnings),
        }


def _view(
    experiment: Experiment, records: dict[dt.date, dict], burdens: dict[dt.date, float], today: dt.date
) -> ExperimentView:
    end = end_of(experiment)
    status = "planned" if experiment.start > today else "running" if end >= today else "finished"
    series = {d: r.get(experiment.outcome) for d, r in records.items() if d <= end}
    warnings = [STARTED_IN_FLARE + " " + experiment.warning] if experiment.warning else []
    in_flare = flare_days({d: b for d, b in burdens.items() if d <= end})
    phases = phases_of(experiment)
    left_out = sum(1 for d in in_flare if d in series and any(p.contains(d) for p in phases))
    if left_out and status == "finished":
        warnings.append(
            f"{left_out} logged day{'s' if left_out != 1 else ''} inside a flare (or the week after it) "
            "were left out of both sides: a flare in one phase would decide the result whatever the change did."
        )
    result = compare(series, phases, warnings=warnings, exclude=in_flare)
    if status == "finished" and result.verdict in (LOWER, HIGHER) and long_plan(experiment.design, experiment.days):
        warnings.append(LONG_PLAN_CAUTION)
        result.warnings.append(LONG_PLAN_CAUTION)
    return ExperimentView(experiment, status, end, outcome_label(experiment.outcome), result, warnings)


def experiments_with_results(
    user, today: dt.date, *, start: dt.date | None = None, end: dt.date | None = None
) -> list[ExperimentView]:
    """Every experiment of the person (or those touching start..end), newest first, each with its phases and,
    once finished, its result. Two queries however many experiments: the experiments, then the days of the span
    they cover with the HISTORY_DAYS before it (their burden alone, for the flare detector)."""
    rows = list(Experiment.objects.filter(user=user).select_related("remedy").order_by("-start", "pk"))
    if start is not None:
        rows = [e for e in rows if end_of(e) >= start]
    if end is not None:
        rows = [e for e in rows if first_day(e) <= end]
    if not rows:
        return []
    first, last = min(first_day(e) for e in rows), max(end_of(e) for e in rows)
    records, burdens = day_records_with_lead_in(user, first - dt.timedelta(days=HISTORY_DAYS), first, last)
    return [_view(e, records, burdens, today) for e in rows]


def experiments_for_backup(*, user) -> list[dict[str, Any]]:
    out = []
    for e in Experiment.objects.filter(user=user).select_related("remedy").order_by("start", "pk"):
        item: dict[str, Any] = {}
        for name in BACKUP_FIELDS:
            value = getattr(e, name)
            item[name] = value.isoformat() if isinstance(value, dt.date) else value
        item["remedy"] = {"name": e.remedy.name, "start": e.remedy.start.isoformat()} if e.remedy is not None else None
        out.append(item)
    return out


# Checks -----------------------------------------------------------------------------------------------------------


def plan_problems(
    user, values: dict[str, Any], *, instance: Experiment | None = None, check_overlap: bool = True
) -> dict[str, str]:
    """What is wrong with a plan (field -> message): length, design, outcome, and overlap with another experiment on
    the same outcome. Empty when it can be stored."""
    problems: dict[str, str] = {}
    days, design, outcome, start = values["days"], values["design"], values["outcome"], values["start"]
    if not MIN_PHASE_DAYS <= days <= MAX_DAYS:
        problems["days"] = f"An experiment runs at least {MIN_PHASE_DAYS} days (28 suggested) and at most {MAX_DAYS}."
    elif design == "abab" and days < 4 * MIN_BLOCK_DAYS:
        problems["days"] = (
            f"An alternating plan has four blocks of at least {MIN_BLOCK_DAYS} days: {4 * MIN_BLOCK_DAYS} days or more."
        )
    if outcome not in dict(outcome_choices()):
        problems["outcome"] = "Pick twitch burden or one of the listed symptoms."
    stopped = values.get("stopped_on")
    if stopped is not None and stopped < start:
        problems["stopped_on"] = STOP_BEFORE_START
    if problems or not check_overlap:
        return problems
    probe = Experiment(
        user=user,
        design=design,
        start=start,
        days=days,
        baseline_start=values.get("baseline_start"),
        stopped_on=stopped,
    )
    others = Experiment.objects.filter(user=user, outcome=outcome)
    if instance is not None and instance.pk:
        others = others.exclude(pk=instance.pk)
    for other in others:
        if probe.start <= end_of(other) and other.start <= end_of(probe):
            problems["start"] = OVERLAP.format(
                outcome=outcome_label(outcome).lower(), start=other.start, end=end_of(other)
            )
            break
    return problems


def _probe(values: dict[str, Any]) -> Experiment:
    return Experiment(**{k: values.get(k) for k in ("design", "start", "days", "baseline_start", "stopped_on")})


def _overlap_message(outcome: str, other: Experiment) -> str:
    return OVERLAP.format(outcome=outcome_label(outcome).lower(), start=other.start, end=end_of(other))


def experiment_problems(values: dict[str, Any]) -> dict[str, str]:
    """An imported experiment's values against the planning rules (length, design, outcome, stop after start) and
    the model's own field checks (lengths, ranges). Overlap is experiments_overlap's job."""
    problems: dict[str, str] = {}
    if values["design"] not in Design.values:
        problems["design"] = f"“{values['design'][:40]}” is not one of {', '.join(Design.values)}."
        return problems
    problems.update(plan_problems(None, values, check_overlap=False))
    fields = {k: values[k] for k in BACKUP_FIELDS}
    try:
        Experiment(**fields).clean_fields(exclude=["user", "remedy"])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            problems.setdefault(name, " ".join(messages))
    for name in ("change", "warning"):
        if problem := characters_problem(values[name]):
            problems.setdefault(name, problem)
    if not values["change"]:
        problems.setdefault("change", "Say what changes.")
    return problems


def experiments_overlap(values: dict[str, Any], others: list[dict[str, Any]]) -> dict[str, str]:
    """{"start": message} when the experiment shares its outcome and any day with one of `others` (values of
    experiments not yet stored, such as the earlier entries of the same backup)."""
    probe = _probe(values)
    for other_values in others:
        if other_values["outcome"] != values["outcome"]:
            continue
        other = _probe(other_values)
        if probe.start <= end_of(other) and other.start <= end_of(probe):
            return {"start": _overlap_message(values["outcome"], other)}
    return {}


def experiments_stored_overlap(*, user, rows: list[dict[str, Any]]) -> tuple[int, str] | None:
    """(index, message) of the first of `rows` that overlaps a stored experiment on the same outcome, leaving out
    rows the account already holds (same start and outcome: an import skips those). None when all can be added."""
    stored = list(Experiment.objects.filter(user=user))
    have = {(e.start, e.outcome) for e in stored}
    for i, values in enumerate(rows):
        if (values["start"], values["outcome"]) in have:
            continue
        probe = _probe(values)
        for other in stored:
            if other.outcome == values["outcome"] and probe.start <= end_of(other) and other.start <= end_of(probe):
                return i, _overlap_message(values["outcome"], other)
    return None


def check_flares(user, *, start: dt.date, days: int, design: str, params: FlareParams | None = None):
    """(baseline start, FlareCheck) for a plan starting on `start`, from the days logged before it."""
    series = burden_series(user, end=start - dt.timedelta(days=1))
    first, check = plan_baseline(series, start, days, params)
    if design == "abab":
        return None, check if check.flare is not None and check.fair_from is None else FlareCheck(False)
    return first, check


# Writes ------------------------------------------------------------------------------------------------------------


def _raise(problems: dict[str, str]) -> None:
    if problems:
        raise ValidationError(problems)


def experiment_plan(
    *, user, change: str, design: str, outcome: str, start: dt.date, days: int, remedy=None, go_ahead: bool = False
) -> tuple[Experiment | None, FlareCheck]:
    """Plan an experiment. If a flare makes the start unfair and `go_ahead` is False, nothing is saved and the
    check is returned for the person to decide; with `go_ahead` the plan is saved and carries the warning."""
    baseline, check = check_flares(user, start=start, days=days, design=design)
    values = {"design": design, "outcome": outcome, "start": start, "days": days, "baseline_start": baseline}
    _raise(plan_problems(user, values))
    if check.warn and not go_ahead:
        return None, check
    experiment = Experiment(
        user=user,
        change=change,
        remedy=remedy,
        design=design,
        outcome=outcome,
        start=start,
        days=days,
        baseline_start=baseline,
        warning=check.text if check.warn else "",
    )
    experiment.full_clean()
    experiment.save()
    return experiment, check


def is_finished(experiment: Experiment, today: dt.date) -> bool:
    return end_of(experiment) < today


def experiment_edit(*, experiment: Experiment, today: dt.date, change: str, **dates: Any) -> Experiment:
    """Change the words of any experiment; the dates only while it has not finished (its result rests on them)."""
    changed = {k: v for k, v in dates.items() if v is not None and getattr(experiment, k) != v}
    if changed and is_finished(experiment, today):
        raise ValidationError({next(iter(changed)): FINISHED_DATES})
    experiment.change = change
    if changed:
        values = {
            "design": experiment.design,
            "outcome": experiment.outcome,
            "start": experiment.start,
            "days": experiment.days,
            **changed,
        }
        baseline, _ = check_flares(experiment.user, start=values["start"], days=values["days"], design=values["design"])
        values["baseline_start"] = baseline
        _raise(plan_problems(experiment.user, values, instance=experiment))
        for name, value in values.items():
            setattr(experiment, name, value)
    experiment.full_clean()
    experiment.save()
    return experiment


def experiment_stop(*, experiment: Experiment, on: dt.date, today: dt.date) -> Experiment:
    if is_finished(experiment, today):
        raise ValidationError({"stopped_on": FINISHED_DATES})
    if on < experiment.start:
        raise ValidationError({"stopped_on": STOP_BEFORE_START})
    experiment.stopped_on = on
    experiment.save(update_fields=["stopped_on", "updated_at"])
    return experiment


def experiments_add_missing(*, user, rows: list[dict[str, Any]], remedies: dict) -> int:
    """An import: add experiments the account lacks (same start and outcome), with their stored baseline and
    warning, so a restored backup gives the same verdicts. `remedies` maps (name, start) to the person's rows; a
    link to a remedy the person does not have is left empty (the experiment keeps its own words). One bulk insert."""
    have = set(Experiment.objects.filter(user=user).values_list("start", "outcome"))
    new = []
    for row in rows:
        if (row["start"], row["outcome"]) in have:
            continue
        have.add((row["start"], row["outcome"]))
        link = row.get("remedy")
        remedy = remedies.get((link["name"], link["start"])) if link else None
        new.append(Experiment(user=user, remedy=remedy, **{k: row[k] for k in BACKUP_FIELDS}))
    Experiment.objects.bulk_create(new)
    return len(new)
