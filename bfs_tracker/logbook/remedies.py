"""Remedies and medication with doses and dates: reads, writes and forms (screens in logbook/views.py, the model
`Remedy` in logbook/models.py).

A remedy is taken regularly from a start date to an optional stop date at one dose. Changing the dose ends the row
the day before and starts a new row with the same name, so the rows of one name laid end to end are its history:
`remedies_in_range` turns them back into courses with their start, dose changes and stop, the one public read for
the dashboard, the report, the timeline and experiments. One-off things (a cold compress, a massage) stay in the
daily "what I tried" list (logbook/reliefs.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from bfs_tracker.lib.forms import FocusFirstErrorMixin
from bfs_tracker.logbook.models import Frequency, Remedy
from bfs_tracker.logbook.validation import characters_problem

STOP_BEFORE_START = "The stop date is before the start date."
DOSE_NOT_NUMBER = "Enter the dose as a number, for example 300 or 0.5."
UNITS = ("mg", "g", "mcg", "ml", "IU", "tablet", "capsule", "drops", "minutes")
BACKUP_FIELDS = ("name", "dose", "unit", "frequency", "start", "stop", "notes")
MARKER_WORDS = {"start": "Start", "dose_change": "Dose", "stop": "Stop"}


# Reads ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RemedyEvent:
    """A date something changed: "start", "dose_change" or "stop"."""

    date: dt.date
    kind: str
    text: str
    name: str = ""

    @property
    def short(self) -> str:
        """The few words a chart marker carries ("Start Magnesium"); the text has the dose."""
        name = self.name if len(self.name) <= 14 else self.name[:13] + "…"
        return f"{MARKER_WORDS.get(self.kind, self.kind)} {name}".strip()

    def as_dict(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "kind": self.kind, "text": self.text, "short": self.short}


@dataclass(frozen=True)
class DoseSpell:
    start: dt.date
    stop: dt.date | None
    dose_text: str
    remedy_id: int


@dataclass
class RemedyCourse:
    """One remedy taken without a break: its doses in order, and the dates something changed."""

    name: str
    start: dt.date
    stop: dt.date | None  # None: still taking it
    spells: list[DoseSpell] = field(default_factory=list)
    events: list[RemedyEvent] = field(default_factory=list)

    @property
    def dose_text(self) -> str:
        """The latest dose."""
        return self.spells[-1].dose_text if self.spells else ""

    def active_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.stop is None or day <= self.stop)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "start": self.start.isoformat(),
            "stop": self.stop.isoformat() if self.stop else None,
            "dose": self.dose_text,
            "doses": [
                {"start": s.start.isoformat(), "stop": s.stop.isoformat() if s.stop else None, "dose": s.dose_text}
                for s in self.spells
            ],
            "events": [e.as_dict() for e in self.events],
        }


def courses_from(rows: list[Remedy]) -> list[RemedyCourse]:
    """Rows of one person as courses: rows of the same name where one starts the day after the other stops are one
    course with a dose change. In order of start date, then name."""
    courses: list[RemedyCourse] = []
    open_by_name: dict[str, RemedyCourse] = {}
    for row in sorted(rows, key=lambda r: (r.start, r.name.lower(), r.pk or 0)):
        key = row.name.lower()
        spell = DoseSpell(row.start, row.stop, row.dose_text, row.pk)
        course = open_by_name.get(key)
        if course is not None and course.stop is not None and course.stop + dt.timedelta(days=1) == row.start:
            course.events.pop()  # the "stop" of the previous dose was a change, not a stop
            course.spells.append(spell)
            course.stop = row.stop
            course.events.append(
                RemedyEvent(row.start, "dose_change", f"{row.name}: dose changed to {row.dose_text}", row.name)
            )
        else:
            course = RemedyCourse(row.name, row.start, row.stop, [spell])
            course.events.append(RemedyEvent(row.start, "start", f"Started {row.name}, {row.dose_text}", row.name))
            courses.append(course)
            open_by_name[key] = course
        if row.stop is not None:
            course.events.append(RemedyEvent(row.stop, "stop", f"Stopped {row.name}", row.name))
    return courses


def remedies_in_range(user, start: dt.date | None = None, end: dt.date | None = None) -> list[RemedyCourse]:
    """Courses of remedies that were taken on at least one day of start..end (None: open on that side), with every
    start, dose change and stop (events outside the range included; filter by date to show only those inside).
    One query. The dashboard's bands, the report's list and the timeline's markers all read this."""
    rows = list(Remedy.objects.filter(user=user))
    return [
        c
        for c in courses_from(rows)
        if (end is None or c.start <= end) and (start is None or c.stop is None or c.stop >= start)
    ]


def remedy_events_between(courses: list[RemedyCourse], start: dt.date, end: dt.date) -> list[RemedyEvent]:
    """Every start, dose change and stop of these courses dated start..end, in date order: the burden charts'
    medication markers (dashboard, report page and PDF). No query."""
    found = [e for c in courses for e in c.events if start <= e.date <= end]
    return sorted(found, key=lambda e: (e.date, e.name.lower(), e.kind))


def remedies_rows_between(user, start: dt.date | None, end: dt.date | None) -> list[Remedy]:
    """The stored rows (one per dose) taken on at least one day of start..end, by start date. One query."""
    rows = Remedy.objects.filter(user=user)
    if end is not None:
        rows = rows.filter(start__lte=end)
    if start is not None:
        rows = rows.filter(Q(stop__isnull=True) | Q(stop__gte=start))
    return list(rows.order_by("start", "name", "pk"))


def remedies_for_list(*, user) -> tuple[list[Remedy], list[Remedy]]:
    """The person's remedies for the settings screen: (current, stopped), newest first."""
    today_rows = list(Remedy.objects.filter(user=user).order_by("-start", "name", "-pk"))
    current = [r for r in today_rows if r.stop is None or r.stop >= user.today()]
    stopped = [r for r in today_rows if r not in current]
    return current, stopped


def remedy_experiments(*, remedy: Remedy) -> list[str]:
    """What the experiments that started this remedy say they change (trends' Experiment.remedy points here, so
    the relation is read by name, without importing trends)."""
    related = getattr(remedy, "experiments", None)
    return [] if related is None else [e.change for e in related.all()]


def remedies_for_backup(*, user) -> list[dict[str, Any]]:
    return [remedy_dict(r) for r in Remedy.objects.filter(user=user).order_by("start", "name", "pk")]


def remedy_dict(remedy: Remedy) -> dict[str, Any]:
    dose = remedy.dose
    number: int | float | None = None
    if dose is not None:
        number = int(dose) if dose == dose.to_integral_value() else float(dose.normalize())
    return {
        "name": remedy.name,
        "dose": number,
        "unit": remedy.unit,
        "frequency": remedy.frequency,
        "start": remedy.start.isoformat(),
        "stop": remedy.stop.isoformat() if remedy.stop else None,
        "notes": remedy.notes,
    }


# Checks shared by the form and the importer ------------------------------------------------------------------


def parse_dose(raw: Any) -> Decimal | None:
    """A dose from a form or a file: a positive number, or None for blank. Raises ValueError otherwise."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise ValueError(DOSE_NOT_NUMBER)
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError(DOSE_NOT_NUMBER) from None
    if not value.is_finite():
        raise ValueError(DOSE_NOT_NUMBER)
    return value


def remedy_problems(values: dict[str, Any]) -> dict[str, str]:
    """What is wrong with a remedy's values (field -> message); empty when it can be stored. The model's own
    validators (name length, dose range and digits, frequency) plus stop >= start."""
    problems: dict[str, str] = {}
    frequency = values.get("frequency", Frequency.DAILY)
    if frequency not in Frequency.values:
        problems["frequency"] = f"“{str(frequency)[:40]}” is not one of {', '.join(Frequency.values)}."
    remedy = Remedy(**{k: v for k, v in values.items() if k in BACKUP_FIELDS})
    try:
        remedy.clean_fields(exclude=["user"])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            problems.setdefault(name, " ".join(messages))
    start, stop = values.get("start"), values.get("stop")
    if isinstance(start, dt.date) and isinstance(stop, dt.date) and stop < start:
        problems.setdefault("stop", STOP_BEFORE_START)
    for name in ("name", "unit", "notes"):
        text = values.get(name)
        if isinstance(text, str) and (problem := characters_problem(text)):
            problems.setdefault(name, problem)
    return problems


# Writes ---------------------------------------------------------------------------------------------------------


def remedy_create(*, user, **values: Any) -> Remedy:
    remedy = Remedy(user=user, **values)
    remedy.full_clean()
    remedy.save()
    return remedy


def remedy_update(*, remedy: Remedy, **values: Any) -> Remedy:
    for name, value in values.items():
        setattr(remedy, name, value)
    remedy.full_clean()
    remedy.save()
    return remedy


def remedy_stop(*, remedy: Remedy, on: dt.date) -> Remedy:
    if on < remedy.start:
        raise ValidationError({"stop": STOP_BEFORE_START})
    remedy.stop = on
    remedy.save(update_fields=["stop", "updated_at"])
    return remedy


def remedy_change_dose(*, remedy: Remedy, dose: Decimal, on: dt.date) -> Remedy:
    """From `on`, take `dose` instead: the current row stops the day before and a new row starts on `on` (with the
    old row's stop date, if any). Returns the new row. Both or neither are saved."""
    if on <= remedy.start:
        raise ValidationError({"on": "A new dose starts after the remedy's start date; to correct it, edit it."})
    if remedy.stop is not None and on > remedy.stop:
        raise ValidationError({"on": "That date is after the remedy's stop date."})
    with transaction.atomic():
        successor = Remedy(
            user=remedy.user,
            name=remedy.name,
            dose=dose,
            unit=remedy.unit,
            frequency=remedy.frequency,
            start=on,
            stop=remedy.stop,
            notes=remedy.notes,
        )
        successor.full_clean()
        remedy.stop = on - dt.timedelta(days=1)
        remedy.save(update_fields=["stop", "updated_at"])
        successor.save()
    return successor


def remedy_delete(*, remedy: Remedy) -> None:
    """Delete the row. An experiment that named it keeps its own record (its words and dates; trends/models.py)."""
    remedy.delete()


def remedies_replace(*, user, rows: list[dict[str, Any]]) -> int:
    """An import: the person's remedies become exactly `rows` (checked values). Returns how many."""
    Remedy.objects.filter(user=user).delete()
    Remedy.objects.bulk_create([Remedy(user=user, **row) for row in rows])
    return len(rows)


def remedies_add_missing(*, user, rows: list[dict[str, Any]]) -> int:
    """An import that keeps what is there: add rows not already stored (same name, start and dose)."""
    have = set(Remedy.objects.filter(user=user).values_list("name", "start", "dose"))
    new = [row for row in rows if (row["name"], row["start"], row["dose"]) not in have]
    Remedy.objects.bulk_create([Remedy(user=user, **row) for row in new])
    return len(new)


def remedy_links(*, user) -> dict[tuple[str, dt.date], Remedy]:
    """The person's rows by (name, start): how a backup's experiment names the remedy it started."""
    return {(r.name, r.start): r for r in Remedy.objects.filter(user=user)}


# Forms ----------------------------------------------------------------------------------------------------------


class DoseField(forms.CharField):
    """A dose typed as text, so "three" gets a clear message instead of the browser's own."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        try:
            return parse_dose(value)
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from None


class RemedyForm(FocusFirstErrorMixin, forms.ModelForm):
    dose = DoseField(label="Dose", required=True, help_text="A number, for example 300.")

    class Meta:
        model = Remedy
        fields = ("name", "dose", "unit", "frequency", "start", "stop", "notes")
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "stop": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "unit": forms.TextInput(attrs={"list": "remedy-units", "autocomplete": "off"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "name": "For example “Magnesium glycinate” or “Propranolol”.",
            "unit": "mg, g, mcg, ml, IU, tablet ...",
            "stop": "Leave blank while you are still taking it.",
        }

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and not self.is_bound:
            self.initial.setdefault("start", user.today())
        if self.instance.pk is not None and self.instance.dose is None:
            self.fields["dose"].required = False  # carried over without a dose; it may stay unknown

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise ValidationError("Enter a name.", code="required")
        return name

    def clean(self) -> dict[str, Any]:
        """The importer's rules too (remedy_problems): stop not before start, text without control characters."""
        cleaned = super().clean() or {}
        for name, message in remedy_problems({**cleaned, "dose": None}).items():
            if name in cleaned and name not in self.errors:
                self.add_error(name, message)
        return cleaned

    def save(self, commit: bool = True) -> Remedy:
        self.instance.user = self.user
        return super().save(commit=commit)


class StopForm(FocusFirstErrorMixin, forms.Form):
    stop = forms.DateField(label="Last day taken", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, remedy: Remedy, **kwargs: Any) -> None:
        self.remedy = remedy
        super().__init__(*args, **kwargs)

    def clean_stop(self) -> dt.date:
        stop = self.cleaned_data["stop"]
        if stop < self.remedy.start:
            raise ValidationError(STOP_BEFORE_START)
        return stop


class DoseChangeForm(FocusFirstErrorMixin, forms.Form):
    dose = DoseField(label="New dose", help_text="A number, in the same unit.")
    on = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, remedy: Remedy, **kwargs: Any) -> None:
        self.remedy = remedy
        super().__init__(*args, **kwargs)

    def clean_dose(self) -> Decimal:
        dose = self.cleaned_data["dose"]
        problems = remedy_problems({"name": self.remedy.name, "dose": dose, "start": self.remedy.start})
        if "dose" in problems:
            raise ValidationError(problems["dose"])
        return dose

    def clean_on(self) -> dt.date:
        on = self.cleaned_data["on"]
        if on <= self.remedy.start:
            raise ValidationError("A new dose starts after the start date. To correct the start dose, edit it.")
        if self.remedy.stop is not None and on > self.remedy.stop:
            raise ValidationError("That date is after the stop date.")
        return on


__all__ = ["Frequency", "Remedy"]
