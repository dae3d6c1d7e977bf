"""The day form: one field per entry of the factor table, the text fields, what was tried, and a formset of twitch
rows. Fields and widgets come from the table (logbook/factors.py); what is acceptable comes from the rules the
importers share (logbook/validation.py). The view hands the cleaned data to the save service; nothing here writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms.models import ModelChoiceIterator

from bfs_tracker.lib.form_html import (
    CheckboxInput,
    FieldGroup,
    NumberInput,
    PythonRender,
    Select,
    Textarea,
    TextInput,
    attrs_html,
    esc,
    input_html,
    share_html,
)
from bfs_tracker.logbook import factors
from bfs_tracker.logbook.factors import Factor, Kind
from bfs_tracker.logbook.models import DailyLog, OwnFactor, OwnKind, ReliefMethod
from bfs_tracker.logbook.services import Twitch, log_fields
from bfs_tracker.logbook.taxonomy import MuscleGroup, Side
from bfs_tracker.logbook.validation import TEXT_FIELDS, day_problems, twitch_problems

# Enough rows for every muscle group on both sides, one row per side.
MAX_TWITCH_ROWS = len(MuscleGroup) * 2
EXTRA_TWITCH_ROWS = 3
# Scores with at most this many steps (0–10, 1–5) are one-tap segments; longer ones stay number boxes.
SEGMENTS_UP_TO = 10
TWITCH_PREFIX = "twitches"


class ChipRadioSelect(PythonRender, forms.RadioSelect):
    """Radio buttons drawn as a row of large chips (easy to tap on a phone)."""

    template_name = "includes/widgets/chips.html"

    def html(self, widget: dict[str, Any]) -> str:
        options = "".join(
            f'<label class="chip-choice" for="{esc(option["attrs"].get("id", ""))}"><input type="radio" '
            f'name="{esc(option["name"])}" value="{esc(str(option["value"]))}"{attrs_html(option["attrs"])}> '
            f"<span>{esc(option['label'])}</span></label>"
            for _, group, _ in widget["optgroups"]
            for option in group
        )
        return f'<div{_id_attr(widget)} class="chip-choices">{options}</div>'


def _id_attr(widget: dict[str, Any]) -> str:
    id_ = widget["attrs"].get("id")
    return f' id="{esc(id_)}"' if id_ else ""


# The day form's own widgets are written in Python (bfs_tracker/lib/form_html.py), the markup of their templates,
# which stay the reference (tests/test_form_html.py compares the two): templates cost most of the page's time.


class Segments(PythonRender, forms.Widget):
    """A score as one row of joined one-tap buttons (radio inputs underneath, so it works without JavaScript and
    reads as a radio group). `choices`: (value, text) pairs; a value of "" is "not recorded"."""

    template_name = "includes/widgets/segments.html"
    use_fieldset = True

    def __init__(self, choices: Sequence[tuple[str, str]], attrs: dict | None = None):
        super().__init__(attrs)
        self.choices = list(choices)

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        current = "" if value is None else str(value)
        context["widget"]["invalid"] = context["widget"]["attrs"].get("aria-invalid")
        context["widget"]["options"] = [
            {"value": v, "text": text, "checked": v == current, "index": i} for i, (v, text) in enumerate(self.choices)
        ]
        return context

    def html(self, widget: dict[str, Any]) -> str:
        id_ = esc(widget["attrs"].get("id") or "")
        name = esc(widget["name"])
        invalid = ' aria-invalid="true"' if widget["invalid"] else ""
        parts = []
        for option in widget["options"]:
            value, index = option["value"], option["index"]
            checked = " checked" if option["checked"] else ""
            hidden = "" if value else ' aria-hidden="true"'
            words = "" if value else '<span class="visually-hidden">Not recorded</span>'
            parts.append(
                f'<label class="segment" for="{id_}_{index}"><input type="radio" name="{name}" value="{esc(value)}" '
                f'id="{id_}_{index}"{checked}{invalid}><span{hidden}>{esc(option["text"])}</span>{words}</label>'
            )
        return f'<div{_id_attr(widget)} class="segments">{"".join(parts)}</div>'


def plain_number(value: Any) -> Any:
    """A stored decimal as a person writes it: 7 rather than 7.0, 6.5 rather than 6.50."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


class Stepper(PythonRender, forms.NumberInput):
    """An amount with − and + buttons of one step each (static/js/day-form.js shows them); the number box stays for
    anyone who would rather type. `data-start` is where the first tap from blank lands."""

    template_name = "includes/widgets/stepper.html"

    def format_value(self, value: Any) -> str | None:
        return super().format_value(plain_number(value))

    def html(self, widget: dict[str, Any]) -> str:
        return (
            '<div class="stepper" data-stepper><button type="button" class="step-button" data-step-by="-1" '
            f'aria-label="Less" hidden>−</button>{input_html(widget)}<button type="button" class="step-button" '
            'data-step-by="1" aria-label="More" hidden>+</button></div>'
        )


class CheckList(PythonRender, forms.CheckboxSelectMultiple):
    """Checkboxes as a list of full-width rows."""

    template_name = "includes/widgets/check_list.html"

    def html(self, widget: dict[str, Any]) -> str:
        options = "".join(
            # The input's newline is the included django/forms/widgets/input.html's own last one.
            f'<label class="check" for="{esc(option["attrs"].get("id", ""))}">{input_html(option)}\n '
            f"<span>{esc(option['label'])}</span></label>"
            for _, group, _ in widget["optgroups"]
            for option in group
        )
        return f'<div{_id_attr(widget)} class="check-list">{options}</div>'


def factor_form_field(factor: Factor) -> forms.Field:
    """The form field of a factor: its label, help, widget and the same validators as its model field.

    Every one is optional: a blank field means "not recorded" or the factor's default (DailyLogForm.clean)."""
    common: dict[str, Any] = {
        "label": factor.form_label or factor.label,
        "required": False,
        "help_text": factor.help_text,
    }
    if not factor.optional:
        common["initial"] = factor.default  # shown chosen (0, "None"), as saving the blank field would store it
    if factor.kind == Kind.YES_NO:
        return forms.BooleanField(widget=CheckboxInput, **common)
    if factor.kind == Kind.LEVEL:
        choices = factor.choices.choices if factor.choices is not None else []
        return forms.ChoiceField(choices=choices, widget=ChipRadioSelect, **common)
    attrs = {"min": factor.low, "max": factor.high, "step": str(factor.step)}
    if factor.kind == Kind.SCORE and int(factor.high) - int(factor.low) <= SEGMENTS_UP_TO:
        values = [str(v) for v in range(int(factor.low), int(factor.high) + 1)]
        choices = [("", "–")] if factor.optional else []
        segments = Segments([*choices, *((v, v) for v in values)])
        return forms.IntegerField(validators=factor.range_validators(), widget=segments, **common)
    if factor.kind == Kind.AMOUNT:
        start = factor.start if factor.start is not None else (factor.default if not factor.optional else factor.low)
        stepper = Stepper(attrs={**attrs, "inputmode": "decimal", "data-start": plain_number(Decimal(str(start)))})
        return forms.DecimalField(
            max_digits=factor.max_digits,
            decimal_places=factor.decimal_places,
            validators=factor.range_validators(),
            widget=stepper,
            **common,
        )
    widget = NumberInput(attrs={**attrs, "inputmode": "numeric"})
    return forms.IntegerField(validators=factor.range_validators(), widget=widget, **common)


def own_form_field(factor: OwnFactor) -> forms.Field:
    """The day form's field for one of the person's own factors: one-tap segments, blank is "not recorded"."""
    if factor.kind == OwnKind.YES_NO:
        choices = [("", "–"), ("0", "No"), ("1", "Yes")]
    else:
        choices = [("", "–"), *((str(v), str(v)) for v in range(11))]
    return forms.TypedChoiceField(
        label=factor.name,
        choices=choices,
        coerce=int,
        empty_value=None,
        required=False,
        widget=Segments(choices),
    )


def log_initial(log: DailyLog | None) -> dict:
    """A stored day as the form's initial values (an empty dict for a day not logged yet)."""
    if log is None:
        return {}
    initial = {name: getattr(log, name) for name in log_fields()}
    initial["reliefs"] = [r.pk for r in log.reliefs.all()]
    return initial


def _build_table_fields(factor_list: Sequence[Factor]) -> tuple[dict[str, forms.Field], forms.Field]:
    """The day form's fields that depend on nothing but the factor table: one per factor (with the weakness's
    location after it), in table order, and the notes."""
    fields: dict[str, forms.Field] = {}
    for factor in factor_list:
        fields[factor.name] = share_html(factor_form_field(factor))
        if factor.name == "weakness":
            fields["weakness_location"] = share_html(
                forms.CharField(
                    label="Where you noticed the weakness",
                    max_length=TEXT_FIELDS["weakness_location"],
                    required=False,
                    widget=TextInput,
                )
            )
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=TEXT_FIELDS["notes"],
        widget=Textarea(attrs={"rows": 4, "dir": "auto"}),
    )
    return fields, share_html(notes)


# The whole table's fields, built once per process and shared by every DailyLogForm (about a third of building the
# form: some thirty fields with their widgets, validators and choices). Nothing changes a field or widget after it
# is built (a bound field copies the widget's attributes before adding its own id or aria-*), so sharing them reads
# as building them anew; the things tried (their queryset is the person's) and own factors are built per form.
# Kept with the table they were built from: a table replaced (a test adding an entry) builds them again.
_shared_table: tuple[tuple[Factor, ...], tuple[dict[str, forms.Field], forms.Field]] | None = None


def _table_fields(factor_list: tuple[Factor, ...]) -> tuple[dict[str, forms.Field], forms.Field]:
    global _shared_table  # noqa: PLW0603  # one per process, read far more often than (re)built
    if factor_list is not factors.day_factors():  # a custom list: built for this form alone
        return _build_table_fields(factor_list)
    shared = _shared_table
    if shared is None or shared[0] is not factor_list:
        shared = _shared_table = (factor_list, _build_table_fields(factor_list))
    return shared[1]


class OfferedChoiceIterator(ModelChoiceIterator):
    """The choices of a ReliefChoiceField from its `offered` list when it has one (the day page shown: the rows
    were read by hand, logbook.selectors.reliefs_offered), else from its queryset as Django reads them."""

    def __iter__(self):
        offered = getattr(self.field, "offered", None)
        if offered is None:
            yield from super().__iter__()
            return
        for relief in offered:
            yield self.choice(relief)

    def __len__(self) -> int:
        offered = getattr(self.field, "offered", None)
        return super().__len__() if offered is None else len(offered)

    def __bool__(self) -> bool:
        offered = getattr(self.field, "offered", None)
        return super().__bool__() if offered is None else bool(offered)


class ReliefChoiceField(forms.ModelMultipleChoiceField):
    iterator = OfferedChoiceIterator
    offered: list[ReliefMethod] | None = None  # a page shown: the rows to offer, already read

    def clean(self, value: Any) -> Any:
        """Nothing ticked is an empty list, not Django's `queryset.none()`, whose building and reading cost most of
        a millisecond on every save for a value known to be empty; anything ticked is checked as before."""
        if not self.required and not self.prepare_value(value):
            return []
        return super().clean(value)

    def label_from_instance(self, obj: ReliefMethod) -> str:
        return f"{obj.name} (no longer on your list)" if obj.archived else obj.name


class DailyLogForm(forms.Form):
    """The day's own fields. `factors` defaults to the whole table; after is_valid(), `log_fields()` is what
    logbook.services.daily_log_save takes and `cleaned_data["reliefs"]` what was tried."""

    bound_field_class = FieldGroup  # fields written in Python (lib/form_html.py)

    def __init__(
        self,
        data=None,
        *,
        initial: dict | None = None,
        reliefs_queryset=None,
        reliefs_offered: list[ReliefMethod] | None = None,
        factor_list: Sequence[Factor] | None = None,
        own_factors: Sequence[OwnFactor] = (),
    ):
        super().__init__(data, initial=initial)
        self.factors = tuple(factor_list if factor_list is not None else factors.day_factors())
        self.own_factors = tuple(own_factors)
        for own in self.own_factors:
            self.fields[f"own_{own.pk}"] = own_form_field(own)
        table_fields, notes = _table_fields(self.factors)
        self.fields.update(table_fields)
        self.fields["reliefs"] = ReliefChoiceField(
            queryset=reliefs_queryset if reliefs_queryset is not None else ReliefMethod.objects.none(),
            required=False,
            widget=CheckList,
            label="What I tried",
        )
        if reliefs_offered is not None:  # a form to show, not to check: its choices, read already
            self.fields["reliefs"].offered = reliefs_offered  # type: ignore[attr-defined]
        self.fields["notes"] = notes

    def fields_of(self, role: factors.Role, *, folded: bool | None = None) -> list[forms.BoundField]:
        """The fields of one role in table order; `folded` keeps only those the day form folds (or shows)."""
        return [self[f.name] for f in self.factors if f.role == role and (folded is None or f.folded == folded)]

    def holds_something(self, fields: Sequence[forms.BoundField]) -> bool:
        """Whether a folded section must open: one of its fields has an error or a value other than blank."""
        for field in fields:
            if field.errors:
                return True
            factor = next((f for f in self.factors if f.name == field.name), None)
            value = field.value()
            blank = (None, "", False, *([] if factor is None else [factor.default, str(factor.default)]))
            if value not in blank and not (isinstance(value, Decimal) and value == 0):
                return True
        return False

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        for factor in self.factors:
            if factor.name not in self.errors and cleaned.get(factor.name) in (None, ""):
                cleaned[factor.name] = factor.blank_value()
        checked = {name: cleaned[name] for name in self.log_field_names() if name in cleaned}
        for problem in day_problems(checked):
            if problem.field not in self.errors:
                self.add_error(problem.field, problem.message)
        return cleaned

    def own_fields(self) -> list[forms.BoundField]:
        return [self[f"own_{own.pk}"] for own in self.own_factors]

    def own_values(self) -> dict[int, int | None]:
        """The person's own factors' answers (factor id -> value, None: not recorded), after is_valid()."""
        return {own.pk: self.cleaned_data.get(f"own_{own.pk}") for own in self.own_factors}

    def log_field_names(self) -> tuple[str, ...]:
        return (*(f.name for f in self.factors), *TEXT_FIELDS)

    def log_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.log_field_names()}


class TwitchForm(forms.Form):
    """One row: a muscle group, a side and an intensity. A row without a muscle group is a blank row, ignored."""

    bound_field_class = FieldGroup

    muscle_group = forms.ChoiceField(
        label="Muscle group",
        choices=[("", "Choose a muscle group"), *MuscleGroup.choices],
        required=False,
        widget=Select(attrs={"data-muscle-group": ""}),
    )
    side = forms.ChoiceField(
        label="Side", choices=Side.choices, widget=ChipRadioSelect(attrs={"data-side": ""}), required=False
    )
    intensity = forms.IntegerField(
        label="Intensity",
        required=False,
        initial=5,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        error_messages={"invalid": "Intensity is a whole number from 1 to 10."},
        widget=NumberInput(attrs={"type": "range", "min": 1, "max": 10, "step": 1, "data-intensity": ""}),
        help_text="1 (barely there) to 10 (constant, strong).",
    )

    def is_blank(self) -> bool:
        return not self.cleaned_data.get("muscle_group")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        group = cleaned.get("muscle_group")
        if not group:
            return cleaned
        name = MuscleGroup(group).label
        if not cleaned.get("side") and "side" not in self.errors:
            self.add_error("side", f"Choose left, right or both sides for {name}.")
        if cleaned.get("intensity") is None and "intensity" not in self.errors:
            self.add_error("intensity", f"Give {name} an intensity from 1 to 10.")
        return cleaned


class SharedFields(dict[str, forms.Field]):
    """A form class's base_fields that every instance shares instead of deep-copying them (Django copies every
    field, its widget and choices, for each form: a twitch row's three fields cost more to copy than to clean).
    Only for forms whose fields nothing changes after the class is built, as the twitch row's."""

    def __deepcopy__(self, memo: dict) -> dict[str, forms.Field]:
        return dict(self)


TwitchForm.base_fields = SharedFields({name: share_html(field) for name, field in TwitchForm.base_fields.items()})


class BaseTwitchFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        rows = [form for form in self.forms if not form.is_blank()]  # in the order of twitches()
        for problem in twitch_problems(self.twitches()):
            assert problem.twitch is not None  # noqa: S101  # nosec B101 (twitch problems always name their entry)
            rows[problem.twitch].add_error(problem.field, problem.message)

    def twitches(self) -> list[Twitch]:
        return [
            Twitch(f.cleaned_data["muscle_group"], f.cleaned_data["side"], f.cleaned_data["intensity"])
            for f in self.forms
            if not f.is_blank()
        ]


TwitchFormSet = cast(
    type[BaseTwitchFormSet],
    forms.formset_factory(
        TwitchForm, formset=BaseTwitchFormSet, extra=EXTRA_TWITCH_ROWS, max_num=MAX_TWITCH_ROWS, absolute_max=100
    ),
)
