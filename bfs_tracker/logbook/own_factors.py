"""A person's own factors: yes/no or 0–10 things they log about a day ("cold exposure", "gym day"), beside the
built-in factor table (logbook/factors.py). Rules, reads, writes and the forms, in one module (the screens are in
logbook/own_factor_views.py, the models OwnFactor and OwnFactorValue in logbook/models.py).

Why beside the table and not in it: the table is the same for everyone and gives DailyLog its columns; own factors
differ per person, so their values are rows (OwnFactorValue, one per day and factor; no row is "not recorded").
Where they meet the rest of the app they become `Factor` entries of the table's own dataclass (`as_factor`), so
the day form draws them with the built-in widgets and the insights test them exactly as the built-in ones, under
the same honesty rules and in the same multiple-comparison control.

The rules (one set for the form, the importer and the save service):
- a name is stored with runs of whitespace as one space, none at either end, at most NAME_LENGTH characters, no
  control characters; two names are the same when they are equal ignoring case (`name_key`); a name may not be a
  built-in factor's (its field name, label or the words the insights use for it), nor another own factor's;
- a kind is yes/no or 0–10 (OwnKind), fixed once the factor is made (values of one kind mean nothing in another);
- a value is True/False for yes/no (stored 1/0), a whole number 0–10 for 0–10, or None (not recorded).
Archived factors leave the day form, keep their values (a day saved without them keeps theirs), stay in the backup,
and enter the insights where they have enough days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from bfs_tracker.lib.forms import FocusFirstErrorMixin
from bfs_tracker.logbook import factors
from bfs_tracker.logbook.factors import Factor, Kind
from bfs_tracker.logbook.forms import factor_form_field
from bfs_tracker.logbook.models import DailyLog, OwnFactor, OwnFactorValue, OwnKind
from bfs_tracker.logbook.validation import characters_problem

NAME_LENGTH = 60
FIELD_PREFIX = "own_"  # the day form's field of factor 12 is "own_12", and so is its key in trends' day records
KINDS = {OwnKind.YES_NO: Kind.YES_NO, OwnKind.SCORE: Kind.SCORE}
# How the backup writes a kind, and reads it back.
BACKUP_KINDS = {OwnKind.YES_NO: "yes/no", OwnKind.SCORE: "0-10"}

BUILT_IN_NAME = "“{name}” is already one of the app’s own factors ({label}), so it is on your day form already."
NAME_TAKEN = "You already have a factor called “{name}”. Pick another name."
NAME_TAKEN_ARCHIVED = "You already have a factor called “{name}”, archived. Unarchive it instead of adding it again."


# --- Rules ------------------------------------------------------------------------------------------------------


def name_normal(name: str) -> str:
    """A name as it is stored: runs of whitespace become one space, none at either end."""
    return " ".join(name.split())


def name_key(name: str) -> str:
    """What two names share when they are the same factor: "Gym day", "gym  DAY " and "gym day" are one."""
    return name_normal(name).casefold()


def _built_in_names() -> dict[str, str]:
    """Every way the app names a built-in factor, by name_key, with the label to show: the field name ("sleep_hours"
    and "sleep hours"), the label ("Sleep (hours)"), the form's label, and the insights' title and short name."""
    names: dict[str, str] = {}
    for factor in factors.day_factors():
        for word in (
            factor.name,
            factor.name.replace("_", " "),
            factor.label,
            factor.form_label,
            factor.insight_title,
            factor.sentence_name,
        ):
            if word:
                names.setdefault(name_key(word), factor.form_label or factor.label)
    return names


def name_problem(name: str) -> str | None:
    """Why a name cannot be stored, whoever else has it (None when it can): empty, too long, control characters,
    or a built-in factor's name."""
    problem = characters_problem(name)
    if problem:
        return problem
    normal = name_normal(name)
    if not normal:
        return "Enter a name."
    if len(normal) > NAME_LENGTH:
        return f"A name has at most {NAME_LENGTH} characters (it has {len(normal)})."
    built_in = _built_in_names().get(name_key(normal))
    if built_in is not None:
        return BUILT_IN_NAME.format(name=normal, label=built_in)
    return None


def clash_problem(name: str, others: Iterable[OwnFactor]) -> str | None:
    """The message when one of `others` (the person's other own factors) has the same name, else None."""
    key = name_key(name)
    for other in others:
        if name_key(other.name) == key:
            return (NAME_TAKEN_ARCHIVED if other.archived else NAME_TAKEN).format(name=other.name)
    return None


def value_problem(kind: str, value: Any) -> str | None:
    """Why a value cannot be stored for a factor of this kind (None when it can; None itself is "not recorded")."""
    if value is None:
        return None
    if kind == OwnKind.YES_NO:
        return None if isinstance(value, bool) else "This is yes or no."
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        return "This is a whole number from 0 to 10."
    return None


def stored(kind: str, value: bool | int) -> int:
    return int(value)


def read(kind: str, value: int) -> bool | int:
    """A stored value as the app reads it: True/False for yes/no, the number for 0–10."""
    return bool(value) if kind == OwnKind.YES_NO else value


def field_name(factor: OwnFactor) -> str:
    return f"{FIELD_PREFIX}{factor.pk}"


def as_factor(factor: OwnFactor) -> Factor:
    """The own factor as an entry of the factor table's kind: what the day form's widgets and the insights read.
    Optional (blank is "not recorded"), no side named as aggravating, the person's own words in every sentence."""
    name = factor.name
    if factor.kind == OwnKind.YES_NO:
        return Factor(
            field_name(factor),
            name,
            Kind.YES_NO,
            default=False,
            more=f"“{name}”",
            title=name,
            short=name,
        )
    return Factor(
        field_name(factor),
        name,
        Kind.SCORE,
        optional=True,
        help_text="0 none, 10 most; – if you did not note it.",
        more=f"More “{name}”",
        less=f"Less “{name}”",
        title=name,
        short=name,
        unit="/10",
    )


# --- Reads ------------------------------------------------------------------------------------------------------


def own_factors_of(user) -> list[OwnFactor]:
    """Every own factor of the person, active and archived, in the order they were added (one query)."""
    return list(OwnFactor.objects.filter(user=user).order_by("pk"))


def own_factors_for_list(*, user) -> QuerySet[OwnFactor]:
    """The person's factors, active first, each with `days_used` (one query however long the history)."""
    return OwnFactor.objects.filter(user=user).annotate(days_used=Count("values")).order_by("archived", "pk")


def own_factors_for_day(*, user, day: dt.date) -> list[OwnFactor]:
    """The factors the day form shows for a date, each with `day_value` (the stored value, or None), in one query:
    every active factor, and an archived one only if that day holds a value for it (so editing the day keeps it)."""
    value = OwnFactorValue.objects.filter(factor=OuterRef("pk"), log__user=user, log__date=day).values("value")[:1]
    rows = (
        OwnFactor.objects.filter(user=user)
        .annotate(day_value=Subquery(value))
        .filter(Q(archived=False) | Q(day_value__isnull=False))
        .order_by("pk")
    )
    out: list[OwnFactor] = []
    for factor in rows:
        if factor.day_value is not None:
            factor.day_value = read(factor.kind, factor.day_value)
        out.append(factor)
    return out


def own_values_between(user, start: dt.date | None, end: dt.date | None) -> dict[dt.date, dict[int, bool | int]]:
    """{date: {factor id: value}} of every recorded own value in [start, end] (None: open), in one query."""
    rows = OwnFactorValue.objects.filter(log__user=user)
    if start is not None:
        rows = rows.filter(log__date__gte=start)
    if end is not None:
        rows = rows.filter(log__date__lte=end)
    out: dict[dt.date, dict[int, bool | int]] = {}
    for day, factor_id, kind, value in rows.values_list("log__date", "factor_id", "factor__kind", "value"):
        out.setdefault(day, {})[factor_id] = read(kind, value)
    return out


@dataclass(frozen=True)
class OwnForInsights:
    """What the insights need of a person's own factors over a range: the factors as table entries (archived ones
    in `archived`, by record key) and each day's values under those keys."""

    factors: list[Factor]
    archived: frozenset[str]
    values: dict[dt.date, dict[str, bool | int]]

    def add_to(self, records: Mapping[dt.date, dict[str, Any]]) -> dict[dt.date, dict[str, Any]]:
        """Day records (logbook.selectors.day_record) with each own factor's value, None where not recorded."""
        keys = [f.record_key for f in self.factors]
        out = {}
        for day, record in records.items():
            values = self.values.get(day, {})
            out[day] = {**record, **{key: values.get(key) for key in keys}}
        return out


def own_for_insights(user, start: dt.date, end: dt.date) -> OwnForInsights:
    """Own factors and their values in [start, end]: one query, and a second only when the person has any."""
    own = own_factors_of(user)
    if not own:
        return OwnForInsights([], frozenset(), {})
    kinds = {f.pk: f for f in own}
    by_day = own_values_between(user, start, end)
    values = {day: {field_name(kinds[pk]): v for pk, v in row.items()} for day, row in by_day.items()}
    return OwnForInsights([as_factor(f) for f in own], frozenset(field_name(f) for f in own if f.archived), values)


# --- Writes -----------------------------------------------------------------------------------------------------


def _save(factor: OwnFactor, *, update_fields: list[str] | None = None) -> OwnFactor:
    # The form checks names first; the constraint still catches two tabs adding the same name at once.
    try:
        with transaction.atomic():
            factor.save(update_fields=update_fields)
    except IntegrityError as exc:
        raise ValidationError({"name": NAME_TAKEN.format(name=factor.name)}, code="name_taken") from exc
    return factor


def _checked_name(*, user, name: str, exclude_pk: int | None = None) -> str:
    problem = name_problem(name)
    if problem:
        raise ValidationError({"name": problem}, code="invalid")
    normal = name_normal(name)
    others = OwnFactor.objects.filter(user=user).exclude(pk=exclude_pk) if exclude_pk else own_factors_of(user)
    clash = clash_problem(normal, others)
    if clash:
        raise ValidationError({"name": clash}, code="name_taken")
    return normal


def own_factor_create(*, user, name: str, kind: str) -> OwnFactor:
    """Add a factor; ValidationError (by field) for a bad name or kind, and then nothing is stored."""
    if kind not in OwnKind.values:
        raise ValidationError({"kind": "Choose yes/no or 0 to 10."}, code="invalid")
    return _save(OwnFactor(user=user, name=_checked_name(user=user, name=name), kind=kind))


def own_factor_rename(*, factor: OwnFactor, name: str) -> OwnFactor:
    normal = _checked_name(user=factor.user, name=name, exclude_pk=factor.pk)
    old, factor.name = factor.name, normal
    try:
        return _save(factor, update_fields=["name", "updated_at"])
    except ValidationError:
        factor.name = old
        raise


def own_factor_set_archived(*, factor: OwnFactor, archived: bool) -> OwnFactor:
    factor.archived = archived
    factor.save(update_fields=["archived", "updated_at"])
    return factor


def own_values_check(*, user, values: Mapping[OwnFactor, Any]) -> None:
    """ValueError for another person's factor; ValidationError (by the day form's field name) for any value its
    factor's kind cannot hold. Called before the day's transaction opens, so a refusal leaves it usable."""
    if any(f.user_id != user.pk for f in values):
        raise ValueError("An own factor of another person.")
    problems = {}
    for factor, value in values.items():
        problem = value_problem(factor.kind, value)
        if problem:
            problems[field_name(factor)] = problem
    if problems:
        raise ValidationError(problems)


def own_values_save(*, user, log: DailyLog, values: Mapping[OwnFactor, Any]) -> None:
    """Replace the day's values of these factors (None: not recorded); other factors' values (archived ones not on
    the form) stay. Called by days.services.day_save inside the day's transaction; two queries, none when empty."""
    if not values:
        return
    own_values_check(user=user, values=values)
    OwnFactorValue.objects.filter(log=log, factor__in=[f.pk for f in values]).delete()
    OwnFactorValue.objects.bulk_create(
        OwnFactorValue(log=log, factor=f, value=stored(f.kind, v)) for f, v in values.items() if v is not None
    )


# --- Backup -----------------------------------------------------------------------------------------------------


def own_factors_for_backup(factors_: Sequence[OwnFactor]) -> list[dict]:
    return [{"name": f.name, "kind": BACKUP_KINDS[OwnKind(f.kind)], "archived": f.archived} for f in factors_]


def own_backup_values(user) -> tuple[list[dict], dict[dt.date, dict[str, bool | int]]]:
    """The backup's "own_factors" list and, by date, each day's {name: value} (two queries, one if none)."""
    own = own_factors_of(user)
    if not own:
        return [], {}
    names = {f.pk: f.name for f in own}
    by_day = own_values_between(user, None, None)
    return own_factors_for_backup(own), {
        day: {names[pk]: v for pk, v in sorted(row.items(), key=lambda item: names[item[0]])}
        for day, row in by_day.items()
    }


def kind_from_backup(text: Any) -> str | None:
    for kind, word in BACKUP_KINDS.items():
        if text == word:
            return kind.value
    return None


def own_factors_import(
    *, user, wanted: Sequence[dict], values: Mapping[dt.date, Mapping[str, Any]], dates: Sequence[dt.date]
) -> int:
    """Write a checked import (reports/importers.py): every factor in `wanted` ({name, kind, archived}) is matched to
    the person's factor of the same name (name_key) or created, and the values of the days written (`dates`) replace
    what those days held for the factors the file names. ValueError when a name is the person's factor of another
    kind (the caller's transaction then rolls everything back). Returns how many factors were added."""
    if not wanted:  # no own factors in the file (a CSV, an older backup): no query at all
        return 0
    mine = {name_key(f.name): f for f in own_factors_of(user)}
    new = []
    for item in wanted:
        key = name_key(item["name"])
        existing = mine.get(key)
        if existing is not None:
            if existing.kind != item["kind"]:
                raise ValueError(
                    f"Your factor “{existing.name}” is {existing.get_kind_display().lower()}; the file has it as "
                    f"{OwnKind(item['kind']).label.lower()}. Rename one of them first."
                )
            continue
        factor = OwnFactor(user=user, name=name_normal(item["name"]), kind=item["kind"], archived=item["archived"])
        new.append(factor)
        mine[key] = factor
    OwnFactor.objects.bulk_create(new)
    if new and any(f.pk is None for f in new):  # backends that do not return ids from a bulk insert
        mine = {name_key(f.name): f for f in own_factors_of(user)}
    written = set(dates)
    listed = [mine[name_key(item["name"])] for item in wanted]
    day_values = {day: row for day, row in values.items() if day in written}
    if not day_values or not listed:
        return len(new)
    log_ids = dict(DailyLog.objects.filter(user=user, date__in=list(day_values)).values_list("date", "pk"))
    OwnFactorValue.objects.filter(log_id__in=list(log_ids.values()), factor__in=listed).delete()
    OwnFactorValue.objects.bulk_create(
        (
            OwnFactorValue(log_id=log_ids[day], factor=mine[name_key(name)], value=stored(mine[name_key(name)].kind, v))
            for day, row in day_values.items()
            for name, v in row.items()
            if v is not None
        ),
        batch_size=500,
    )
    return len(new)


# --- Forms ------------------------------------------------------------------------------------------------------


class OwnFactorForm(FocusFirstErrorMixin, forms.Form):
    """Add a factor (name and kind) or rename one (name only: the kind of a factor with values is fixed)."""

    name = forms.CharField(
        label="Name",
        max_length=NAME_LENGTH * 2,  # a longer name gets the rule's own message, after whitespace is normalised
        help_text="For example “cold exposure”, “gym day” or “long screen day”.",
    )
    kind = forms.ChoiceField(
        label="What you note each day",
        choices=[(OwnKind.YES_NO, "Yes or no"), (OwnKind.SCORE, "0 to 10")],
        initial=OwnKind.YES_NO,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, user, factor: OwnFactor | None = None, **kwargs):
        self.user = user
        self.factor = factor
        if factor is not None:
            kwargs.setdefault("initial", {"name": factor.name})
        super().__init__(*args, **kwargs)
        if factor is not None:
            del self.fields["kind"]
        else:
            self.fields["name"].label = "Add a factor of your own"

    def save(self) -> OwnFactor | None:
        """Create or rename; a refused name or kind becomes an error by its field (None), nothing stored."""
        try:
            if self.factor is None:
                return own_factor_create(user=self.user, name=self.cleaned_data["name"], kind=self.cleaned_data["kind"])
            return own_factor_rename(factor=self.factor, name=self.cleaned_data["name"])
        except ValidationError as exc:
            self.add_error(None, exc)
            return None


def own_form_fields(form: forms.BaseForm, own: Sequence[OwnFactor]) -> list[str]:
    """Add the day form's field of each own factor (the built-in widgets: a checkbox for yes/no, the one-tap 0–10
    segments for scores), with the day's stored value as initial; returns the field names in order."""
    names = []
    for factor in own:
        name = field_name(factor)
        form.fields[name] = factor_form_field(as_factor(factor))
        value = getattr(factor, "day_value", None)
        if value is not None:
            form.initial[name] = value
        elif factor.kind == OwnKind.YES_NO:
            form.initial[name] = False
        names.append(name)
    return names


def own_values_of(form: forms.BaseForm, own: Sequence[OwnFactor]) -> dict[OwnFactor, Any]:
    """After is_valid(): each shown factor's value (None for a blank 0–10)."""
    return {factor: form.cleaned_data.get(field_name(factor)) for factor in own}
