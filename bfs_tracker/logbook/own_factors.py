"""Factors of the person's own (issue 13 item 2): yes/no or 0-10, asked on the day form, analysed in the insights with
the same honesty rules as the built-in ones, and carried in the JSON backup.

One set of rules for the settings form and the importer: a name that is not blank, at most NAME_MAX characters,
without control characters, unlike any built-in factor (its field name, label or title, case ignored) and not one
the person already has; a value of 0 or 1 (yes/no) or 0 to 10 (scale). Values are stored per day
(OwnFactorValue, deleted with the day); the insights read them under the record key `own:<id>`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction

from bfs_tracker.lib.forms import FocusFirstErrorMixin
from bfs_tracker.logbook import factors
from bfs_tracker.logbook.factors import Factor, Kind
from bfs_tracker.logbook.models import DailyLog, OwnFactor, OwnFactorValue, OwnKind
from bfs_tracker.logbook.validation import characters_problem

NAME_MAX = 40
# The most factors of their own one account keeps, archived ones included. A person tracks a handful; the cap keeps a
# hand-made or hostile import file from creating hundreds of thousands (each one a column of the CSV and a row of the
# insights' tests), and the day form short enough to fill in on a phone.
OWN_FACTORS_MAX = 50
TOO_MANY = (
    f"An account keeps at most {OWN_FACTORS_MAX} factors of its own, archived ones included. "
    "Rename one you no longer use instead of adding another."
)
HIGH = {OwnKind.YES_NO: 1, OwnKind.SCALE: 10}


def record_key(factor: OwnFactor) -> str:
    return f"own:{factor.pk}"


# Rules ------------------------------------------------------------------------------------------------------------


def reserved_names() -> set[str]:
    """Every way a built-in factor is named (field name, label, title, form label), lower case."""
    names: set[str] = set()
    for factor in factors.day_factors():
        texts = (factor.name, factor.name.replace("_", " "), factor.label, factor.insight_title, factor.form_label)
        for text in (*texts, factor.short):  # the short name the insights' sentences use ("ill") too
            if text:
                names.add(text.lower())
                names.add(text.split(" (")[0].lower())
    return names


def normal_name(name: str) -> str:
    return " ".join(name.split())


def name_problem(name: str, taken: Iterable[str] = ()) -> str | None:
    """Why this name cannot be a new own factor (None when it can). `taken`: the person's other factors' names."""
    name = normal_name(name)
    if not name:
        return "Give the factor a name, for example “cold exposure”."
    if len(name) > NAME_MAX:
        return f"Keep the name to {NAME_MAX} characters or fewer (it has {len(name)})."
    if problem := characters_problem(name):
        return problem
    if name.lower() in reserved_names():
        return f"“{name}” is already one of the built-in factors on the day form; pick another name."
    if name.lower() in {t.lower() for t in taken}:
        return f"You already have a factor called “{name}”."
    return None


def value_problem(kind: str, value: Any) -> str | None:
    """Why a day's value cannot be stored for a factor of this kind (None when it can; None as value is "not
    recorded" and always fine)."""
    if value is None:
        return None
    if kind not in HIGH:
        return f"“{str(kind)[:20]}” is not a kind of factor (yes_no or scale)."
    if isinstance(value, bool):
        value = int(value)
        if kind == OwnKind.YES_NO:
            return None
    if not isinstance(value, int) or not 0 <= value <= HIGH[OwnKind(kind)]:
        expected = "yes or no" if kind == OwnKind.YES_NO else "a whole number from 0 to 10"
        return f"“{str(value)[:20]}” is not {expected}."
    return None


# Reads ------------------------------------------------------------------------------------------------------------


def own_factors_for(user, *, archived: bool | None = False) -> list[OwnFactor]:
    """The person's factors by name; `archived` None: all of them. Read with raw() (the day page and every save
    ask, mostly to learn there are none, and the ORM spent several times the query building it); a test compares
    it with filter(user=user[, archived=archived]).order_by("name", "pk")."""
    columns = ", ".join(field.column for field in OwnFactor._meta.concrete_fields)
    # Table and column names come from the model, never from input; the values are query parameters.
    sql = f"SELECT {columns} FROM {OwnFactor._meta.db_table} WHERE user_id = %s"  # noqa: S608  # nosec B608
    params: list = [user.pk]
    if archived is not None:
        sql += " AND archived = %s"
        params.append(archived)
    return list(OwnFactor.objects.raw(sql + " ORDER BY name, id", params))


def values_of(log: DailyLog | None) -> dict[int, int]:
    """One day's own values by factor id (one query; none for a day not logged)."""
    if log is None:
        return {}
    return dict(OwnFactorValue.objects.filter(log=log).values_list("factor_id", "value"))


def own_records(user, start: dt.date, end: dt.date) -> tuple[list[OwnFactor], dict[dt.date, dict[str, Any]]]:
    """The person's factors that have a value in start..end, and each day's values under `own:<id>` (yes/no as
    bools, scales as numbers), for the insights. One query."""
    rows = (
        OwnFactorValue.objects.filter(log__user=user, log__date__range=(start, end))
        .select_related("factor")
        .values_list("log__date", "value", "factor_id", "factor__name", "factor__kind", "factor__archived")
    )
    found: dict[int, OwnFactor] = {}
    by_day: dict[dt.date, dict[str, Any]] = {}
    for day, value, pk, name, kind, archived in rows:
        factor = found.setdefault(pk, OwnFactor(pk=pk, user=user, name=name, kind=kind, archived=archived))
        by_day.setdefault(day, {})[record_key(factor)] = bool(value) if kind == OwnKind.YES_NO else value
    return sorted(found.values(), key=lambda f: f.name.lower()), by_day


def insight_factor(factor: OwnFactor) -> Factor:
    """An own factor as the insights take a factor: yes/no compared with and without (Mann-Whitney), a scale by
    rank correlation (Spearman), under the same multiple-comparison control and minimum days."""
    if factor.kind == OwnKind.YES_NO:
        return Factor(
            name=record_key(factor),
            label=f"“{factor.name}” (your own factor)",
            kind=Kind.YES_NO,
            title=f"“{factor.name}”",
            more=f"“{factor.name}”",
        )
    return Factor(
        name=record_key(factor),
        label=f"“{factor.name}” (your own factor)",
        kind=Kind.SCORE,
        title=f"“{factor.name}”",
        more=f"More “{factor.name}”",
        less=f"Less “{factor.name}”",
    )


def with_own(
    user, records: Mapping[dt.date, Mapping[str, Any]], start: dt.date, end: dt.date, *, archived_min_days: int = 0
) -> tuple[dict[dt.date, dict[str, Any]], list[Factor]]:
    """Day records with the person's own values added, and the own factors as insight factors (one query).

    A factor the person stopped asking (archived) with fewer than `archived_min_days` answers in the range is left
    out: no more answers will come, so "needs N more days" would never come true (the insights pass their minimum)."""
    own, by_day = own_records(user, start, end)
    merged = {day: {**record, **by_day.get(day, {})} for day, record in records.items()}
    answers = {record_key(f): sum(record_key(f) in values for values in by_day.values()) for f in own if f.archived}
    kept = [f for f in own if not f.archived or answers[record_key(f)] >= archived_min_days]
    return merged, [insight_factor(f) for f in kept]


# Writes -----------------------------------------------------------------------------------------------------------


def own_factor_create(*, user, name: str, kind: str) -> OwnFactor:
    taken = [f.name for f in own_factors_for(user, archived=None)]
    if problem := name_problem(name, taken):
        raise ValidationError({"name": problem})
    if len(taken) >= OWN_FACTORS_MAX:
        raise ValidationError({"name": TOO_MANY})
    if kind not in OwnKind.values:
        raise ValidationError({"kind": "Choose yes or no, or 0 to 10."})
    return OwnFactor.objects.create(user=user, name=normal_name(name), kind=kind)


def own_factor_rename(*, factor: OwnFactor, name: str) -> OwnFactor:
    """Give a factor a new name under the same rules as a new one (its own old name, in any case, is not a clash).
    Its values stay: they belong to the factor, not to the name. `updated_at` moves, so the dashboard and report
    caches (keyed by trends.selectors.log_span) show the new name at once."""
    taken = [f.name for f in own_factors_for(factor.user, archived=None) if f.pk != factor.pk]
    if problem := name_problem(name, taken):
        raise ValidationError({"name": problem})
    factor.name = normal_name(name)
    factor.save(update_fields=["name", "updated_at"])
    return factor


def own_factor_archive(*, factor: OwnFactor, archived: bool) -> OwnFactor:
    factor.archived = archived
    factor.save(update_fields=["archived", "updated_at"])
    return factor


def own_values_save(*, log: DailyLog, values: Mapping[int, int | None]) -> None:
    """A day's own values (factor id -> value, None: not recorded), replacing what the day had for those factors.
    Only the person's own factors are written; each value is checked first."""
    mine = {f.pk: f for f in OwnFactor.objects.filter(user_id=log.user_id, pk__in=list(values))}
    for pk, value in values.items():
        if pk in mine and (problem := value_problem(mine[pk].kind, value)):
            raise ValidationError({f"own_{pk}": problem})
    # Inside the day's transaction (days.services.day_save) a savepoint of its own would only add two queries: the
    # values are checked above, so nothing in here is expected to fail on its own.
    with transaction.atomic(savepoint=False):
        OwnFactorValue.objects.filter(log=log, factor_id__in=list(mine)).delete()
        OwnFactorValue.objects.bulk_create(
            OwnFactorValue(log=log, factor=mine[pk], value=int(value))
            for pk, value in values.items()
            if pk in mine and value is not None
        )


# The backup -------------------------------------------------------------------------------------------------------


def own_factors_backup(user) -> list[dict[str, Any]]:
    return [{"name": f.name, "kind": f.kind, "archived": f.archived} for f in own_factors_for(user, archived=None)]


def own_values_by_log(user, start: dt.date | None = None, end: dt.date | None = None) -> dict[int, dict[str, Any]]:
    """Every own value of the person (of the days start..end; None leaves that side open), by log id, as the backup
    and the CSV write it: {factor name: true/false or 0-10}. One query."""
    out: dict[int, dict[str, Any]] = {}
    rows = OwnFactorValue.objects.filter(log__user=user)
    if start is not None:
        rows = rows.filter(log__date__gte=start)
    if end is not None:
        rows = rows.filter(log__date__lte=end)
    values = rows.values_list("log_id", "factor__name", "factor__kind", "value")
    for log_id, name, kind, value in values.order_by("log_id", "factor__name"):
        out.setdefault(log_id, {})[name] = bool(value) if kind == OwnKind.YES_NO else value
    return out


def own_import_conflict(*, user, wanted: Mapping[str, tuple[str, bool]]) -> str | None:
    """Why the backup's own factors cannot join the account's (a name the account has with another kind); None
    when they can. Read before anything is written."""
    have = {f.name.lower(): f for f in own_factors_for(user, archived=None)}
    if len(have) + sum(name.lower() not in have for name in wanted) > OWN_FACTORS_MAX:
        return f"Own factors: {TOO_MANY} With the file's, this account would have more."
    for name, (kind, _) in wanted.items():
        stored = have.get(name.lower())
        if stored is not None and stored.kind != kind:
            return (
                f"Own factor “{name}”: your account has it as {stored.get_kind_display().lower()}, the file as {kind}."
            )
    return None


def own_import(
    *,
    user,
    wanted: Mapping[str, tuple[str, bool]],
    values: Mapping[dt.date, Mapping[str, Any]],
    dates,
    only_listed: bool = False,
) -> int:
    """An import: add the factors the account lacks, then the values of the days written (`dates`), replacing
    those days' own values (a day written with no answers in the file keeps none). `only_listed` (a CSV, whose
    columns may name only some factors): only the answers of the factors in `wanted` are replaced, the others'
    stay. Returns how many factors were added. A few queries, whatever the number of days; one when the file has
    no own factors."""
    added = 0
    by_name: dict[str, OwnFactor] = {}
    if wanted:
        have = {f.name.lower(): f for f in own_factors_for(user, archived=None)}
        new = [
            OwnFactor(user=user, name=name, kind=kind, archived=archived)
            for name, (kind, archived) in wanted.items()
            if name.lower() not in have
        ]
        OwnFactor.objects.bulk_create(new)
        added = len(new)
        by_name = {f.name.lower(): f for f in own_factors_for(user, archived=None)}
    written = list(dates)  # every day written takes the file's answers, none included
    if not written:
        return added
    cleared = OwnFactorValue.objects.filter(log__user=user, log__date__in=written)
    if only_listed:
        cleared = cleared.filter(factor__in=[by_name[name.lower()] for name in wanted])
    cleared.delete()  # one query
    answered = [d for d in written if values.get(d)]
    if not answered:
        return added
    logs = dict(DailyLog.objects.filter(user=user, date__in=answered).values_list("date", "pk"))
    OwnFactorValue.objects.bulk_create(
        OwnFactorValue(log_id=logs[day], factor=by_name[name.lower()], value=int(value))
        for day in answered
        for name, value in values[day].items()
        if value is not None
    )
    return added


# Forms ------------------------------------------------------------------------------------------------------------


class OwnFactorForm(FocusFirstErrorMixin, forms.Form):
    name = forms.CharField(label="Name", max_length=NAME_MAX * 2, help_text="For example “cold exposure” or “gym day”.")
    kind = forms.ChoiceField(
        label="Answered as", choices=OwnKind.choices, initial=OwnKind.YES_NO, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_name(self) -> str:
        name = normal_name(self.cleaned_data["name"])
        taken = [f.name for f in own_factors_for(self.user, archived=None)]
        if problem := name_problem(name, taken):
            raise ValidationError(problem)
        if len(taken) >= OWN_FACTORS_MAX:
            raise ValidationError(TOO_MANY)
        return name


class OwnFactorRenameForm(FocusFirstErrorMixin, forms.Form):
    """A new name for a factor; its kind stays (answers of one kind mean nothing as the other)."""

    name = forms.CharField(label="New name", max_length=NAME_MAX * 2)

    def __init__(self, *args: Any, factor: OwnFactor, **kwargs: Any) -> None:
        self.factor = factor
        kwargs.setdefault("initial", {"name": factor.name})
        super().__init__(*args, **kwargs)

    def clean_name(self) -> str:
        name = normal_name(self.cleaned_data["name"])
        others = [f.name for f in own_factors_for(self.factor.user, archived=None) if f.pk != self.factor.pk]
        if problem := name_problem(name, others):
            raise ValidationError(problem)
        return name
