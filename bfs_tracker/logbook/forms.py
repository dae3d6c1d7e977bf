"""The day form: the log's own fields (a ModelForm, so the model's validators give the range messages) and a
formset of twitch rows. The view hands the cleaned data to services.daily_log_save; nothing here writes."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from bfs_tracker.logbook.models import DailyLog, ReliefMethod
from bfs_tracker.logbook.services import LOG_FIELDS, Twitch
from bfs_tracker.logbook.taxonomy import MuscleGroup, Side

# Enough rows for every muscle group on both sides, one row per side.
MAX_TWITCH_ROWS = len(MuscleGroup) * 2
EXTRA_TWITCH_ROWS = 3


def _number(min_value, max_value, step=1) -> forms.NumberInput:
    return forms.NumberInput(attrs={"min": min_value, "max": max_value, "step": step, "inputmode": "numeric"})


# Fields with a "nothing" default: a field left empty means none (0 mg, no exertion), not an error.
BLANK_MEANS_DEFAULT = (
    "caffeine_mg",
    "alcohol_units",
    "exertion",
    "exertion_minutes",
    "pain",
    "cramps",
    "fatigue",
    "numbness",
    "stiffness",
    "tingling",
)


class ReliefChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: ReliefMethod) -> str:
        return f"{obj.name} (no longer on your list)" if obj.archived else obj.name


class DailyLogForm(forms.ModelForm):
    reliefs = ReliefChoiceField(
        queryset=ReliefMethod.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="What I tried",
    )

    class Meta:
        model = DailyLog
        fields = list(LOG_FIELDS)
        widgets = {
            "stress": _number(0, 10),
            "anxiety": _number(0, 10),
            "sleep_hours": forms.NumberInput(attrs={"min": 0, "max": 24, "step": "0.5", "inputmode": "decimal"}),
            "sleep_quality": _number(1, 5),
            "caffeine_mg": _number(0, 2000),
            "alcohol_units": forms.NumberInput(attrs={"min": 0, "max": 50, "step": "0.5", "inputmode": "decimal"}),
            "exertion": forms.RadioSelect,
            "exertion_minutes": _number(0, 1440, 5),
            "pain": _number(0, 10),
            "cramps": _number(0, 10),
            "fatigue": _number(0, 10),
            "numbness": _number(0, 10),
            "stiffness": _number(0, 10),
            "tingling": _number(0, 10),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "stress": "0 (none) to 10 (worst). Leave blank if you'd rather not say.",
            "anxiety": "0 (none) to 10 (worst). Leave blank if you'd rather not say.",
            "sleep_hours": "Last night, in whole or half hours.",
            "sleep_quality": "1 (very poor) to 5 (very good).",
            "alcohol_units": "A pint of beer is about 2 units, a glass of wine about 2.",
            "weakness": "Finding it hard to lift, grip or hold something, not only feeling tired.",
        }
        labels = {"exertion": "Exercise or physical effort", "weakness_location": "Where you noticed the weakness"}

    def __init__(self, *args, reliefs_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        if reliefs_queryset is not None:
            self.fields["reliefs"].queryset = reliefs_queryset
        if self.instance.pk:
            self.initial.setdefault("reliefs", [r.pk for r in self.instance.reliefs.all()])
        for name in BLANK_MEANS_DEFAULT:
            self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        for name in BLANK_MEANS_DEFAULT:
            if name not in self.errors and cleaned.get(name) in (None, ""):
                cleaned[name] = DailyLog._meta.get_field(name).get_default()
        if cleaned.get("weakness") and not (cleaned.get("weakness_location") or "").strip():
            self.add_error(
                "weakness_location",
                "Say where you noticed the weakness, for example “left hand, gripping”. Your doctor will ask.",
            )
        return cleaned

    def log_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in LOG_FIELDS}


class TwitchForm(forms.Form):
    """One row: a muscle group, a side and an intensity. A row without a muscle group is a blank row, ignored."""

    muscle_group = forms.ChoiceField(
        label="Muscle group",
        choices=[("", "Choose a muscle group")] + list(MuscleGroup.choices),
        required=False,
        widget=forms.Select(attrs={"data-muscle-group": ""}),
    )
    side = forms.ChoiceField(
        label="Side", choices=Side.choices, widget=forms.RadioSelect(attrs={"data-side": ""}), required=False
    )
    intensity = forms.IntegerField(
        label="Intensity",
        required=False,
        initial=5,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        error_messages={"invalid": "Intensity is a whole number from 1 to 10."},
        widget=forms.NumberInput(attrs={"type": "range", "min": 1, "max": 10, "step": 1, "data-intensity": ""}),
        help_text="1 (barely there) to 10 (constant, strong).",
    )

    def is_blank(self) -> bool:
        return not self.cleaned_data.get("muscle_group")

    def clean(self):
        cleaned = super().clean()
        group = cleaned.get("muscle_group")
        if not group:
            return cleaned
        name = MuscleGroup(group).label
        if not cleaned.get("side") and "side" not in self.errors:
            self.add_error("side", f"Choose left, right or both sides for {name}.")
        if cleaned.get("intensity") is None and "intensity" not in self.errors:
            self.add_error("intensity", f"Give {name} an intensity from 1 to 10.")
        return cleaned


class BaseTwitchFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen: dict[tuple[str, str], int] = {}
        for form in self.forms:
            if form.is_blank():
                continue
            group, side = form.cleaned_data["muscle_group"], form.cleaned_data["side"]
            name = MuscleGroup(group).label
            if (group, side) in seen:
                side_text = "both sides" if side == Side.BOTH else f"the {Side(side).label.lower()} side"
                form.add_error("muscle_group", f"{name} on {side_text} is already listed above. Keep one row for it.")
                continue
            clash = (
                (group, Side.BOTH) in seen
                if side != Side.BOTH
                else any((group, s) in seen for s in (Side.LEFT, Side.RIGHT))
            )
            if clash:
                form.add_error(
                    "muscle_group",
                    f"{name} is listed for both sides and for one side. Use one “Both sides” row, "
                    "or separate left and right rows.",
                )
                continue
            seen[(group, side)] = 1

    def twitches(self) -> list[Twitch]:
        return [
            Twitch(f.cleaned_data["muscle_group"], f.cleaned_data["side"], f.cleaned_data["intensity"])
            for f in self.forms
            if not f.is_blank()
        ]


TwitchFormSet = forms.formset_factory(
    TwitchForm,
    formset=BaseTwitchFormSet,
    extra=EXTRA_TWITCH_ROWS,
    max_num=MAX_TWITCH_ROWS,
    absolute_max=100,
)

TWITCH_PREFIX = "twitches"
