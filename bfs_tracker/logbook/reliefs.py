"""A person's own list of "what I tried": reads, writes and the form that names an entry (the screens are in
logbook/views.py, the model in logbook/models.py).

Archived entries stay on the days that used them but leave the daily form. An entry that was ever ticked on a day
cannot be deleted (that would rewrite past days); it can be archived instead.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet

from bfs_tracker.lib.forms import FocusFirstErrorMixin
from bfs_tracker.logbook.models import ReliefMethod
from bfs_tracker.logbook.taxonomy import DEFAULT_RELIEF_METHODS
from bfs_tracker.logbook.validation import RELIEF_NAME_LENGTH, relief_name_normal, relief_name_problem

NAME_TAKEN = "“{name}” is already on your list. Pick another name."
NAME_TAKEN_ARCHIVED = "“{name}” is already on your list, archived. Unarchive it instead of adding it again."


class ReliefInUse(Exception):
    """Deleting an entry that past days refer to."""

    def __init__(self, days: int):
        self.days = days
        super().__init__(f"Used on {days} day(s)")


def relief_methods_seed(*, user) -> None:
    """Give a new account the common list of things people try; they can edit it afterwards."""
    ReliefMethod.objects.bulk_create(
        [ReliefMethod(user=user, name=name) for name in DEFAULT_RELIEF_METHODS], ignore_conflicts=True
    )


def relief_name_key(name: str) -> str:
    """What two names must share to be the same entry: "Magnesium", "magnesium" and " Magnesium " are one."""
    return relief_name_normal(name).casefold()


def relief_methods_add_missing(*, user, wanted: dict[str, bool]) -> tuple[dict[str, ReliefMethod], int]:
    """Make sure the person's list has every name in `wanted` (name -> archived, used for the new ones only).

    Names are matched as the list's form matches them (relief_name_key): a name already on the list, in any case
    or spacing, is that entry; a new one is stored in its normal form (validation.relief_name_normal), in one
    query however many. Returns the whole list by relief_name_key and how many were added (imports use it)."""
    reliefs = {relief_name_key(r.name): r for r in ReliefMethod.objects.filter(user=user)}
    new: dict[str, ReliefMethod] = {}
    for name, archived in wanted.items():
        key = relief_name_key(name)
        if key not in reliefs and key not in new:
            new[key] = ReliefMethod(user=user, name=relief_name_normal(name), archived=archived)
    ReliefMethod.objects.bulk_create(new.values())
    created = {r.name: r for r in ReliefMethod.objects.filter(user=user, name__in=[r.name for r in new.values()])}
    for key, relief in new.items():
        reliefs[key] = created[relief.name]
    return reliefs, len(new)


def relief_methods_for_backup(*, user) -> list[dict]:
    return [{"name": r.name, "archived": r.archived} for r in ReliefMethod.objects.filter(user=user).order_by("name")]


def reliefs_for_list(*, user) -> QuerySet[ReliefMethod]:
    """The user's entries, active first, each with `days_used` (one query however long the list)."""
    return ReliefMethod.objects.filter(user=user).annotate(days_used=Count("logs")).order_by("archived", "name", "pk")


def relief_days_used(*, relief: ReliefMethod) -> int:
    return relief.logs.count()


def _name_clash(*, user, name: str, exclude_pk: int | None = None) -> ReliefMethod | None:
    clash = ReliefMethod.objects.filter(user=user, name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    return clash.first()


def _save(relief: ReliefMethod, *, update_fields: list[str] | None = None) -> ReliefMethod:
    # The form checks names first; the constraint still catches two tabs adding the same name at once.
    try:
        with transaction.atomic():
            relief.save(update_fields=update_fields)
    except IntegrityError as exc:
        raise ValidationError({"name": NAME_TAKEN.format(name=relief.name)}, code="name_taken") from exc
    return relief


def relief_method_create(*, user, name: str) -> ReliefMethod:
    return _save(ReliefMethod(user=user, name=name))


def relief_method_rename(*, relief: ReliefMethod, name: str) -> ReliefMethod:
    old_name, relief.name = relief.name, name
    try:
        return _save(relief, update_fields=["name"])
    except ValidationError:
        relief.name = old_name
        raise


def relief_method_set_archived(*, relief: ReliefMethod, archived: bool) -> ReliefMethod:
    relief.archived = archived
    relief.save(update_fields=["archived"])
    return relief


def relief_method_delete(*, relief: ReliefMethod) -> None:
    """Delete an entry no day refers to; raise ReliefInUse otherwise."""
    with transaction.atomic():
        # Lock the row so a day saved meanwhile cannot pick it up between the check and the delete.
        locked = ReliefMethod.objects.select_for_update().get(pk=relief.pk)
        days = relief_days_used(relief=locked)
        if days:
            raise ReliefInUse(days)
        locked.delete()


class ReliefForm(FocusFirstErrorMixin, forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=RELIEF_NAME_LENGTH,
        help_text="For example “Magnesium”, “Stretching” or “Less coffee”.",
    )

    def __init__(self, *args, user, relief: ReliefMethod | None = None, **kwargs):
        self.user = user
        self.relief = relief
        if relief is not None:
            kwargs.setdefault("initial", {"name": relief.name})
        super().__init__(*args, **kwargs)
        if relief is None:
            self.fields["name"].label = "Add something you try"

    def clean_name(self) -> str:
        problem = relief_name_problem(self.cleaned_data["name"])  # the importers' rule too
        if problem:
            raise ValidationError(problem, code="invalid")
        name = relief_name_normal(self.cleaned_data["name"])
        clash = _name_clash(user=self.user, name=name, exclude_pk=self.relief.pk if self.relief else None)
        if clash is not None:
            message = NAME_TAKEN_ARCHIVED if clash.archived else NAME_TAKEN
            raise ValidationError(message.format(name=clash.name), code="name_taken")
        return name

    def save(self) -> ReliefMethod | None:
        """Create or rename; a clash that slipped past clean_name becomes an error on the name field (None)."""
        name = self.cleaned_data["name"]
        try:
            if self.relief is None:
                return relief_method_create(user=self.user, name=name)
            return relief_method_rename(relief=self.relief, name=name)
        except ValidationError as exc:
            self.add_error(None, exc)
            return None
