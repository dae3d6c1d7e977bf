"""The forms of the experiment screens (trends/experiment_views.py): plan, edit, stop."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from bfs_tracker.lib.forms import FocusFirstErrorMixin
from bfs_tracker.logbook.models import Remedy
from bfs_tracker.trends.experiments import MAX_DAYS, MIN_PHASE_DAYS, SUGGESTED_DAYS
from bfs_tracker.trends.models import Design, Experiment

DATE = {"type": "date"}


class PlanForm(FocusFirstErrorMixin, forms.Form):
    change = forms.CharField(
        label="What changes, in your words",
        max_length=200,
        help_text="For example “No coffee after noon”, “Magnesium 300 mg daily” or “In bed by 23:00”.",
    )
    remedy = forms.ModelChoiceField(
        label="Is it one of your remedies? (optional)",
        queryset=Remedy.objects.none(),
        required=False,
        empty_label="No, something else",
    )
    design = forms.ChoiceField(
        label="Design",
        choices=Design.choices,
        initial=Design.AB,
        widget=forms.RadioSelect,
        help_text="Alternating suits things you can switch on and off (caffeine, a stretch routine); not a remedy "
        "that builds up or lingers.",
    )
    outcome = forms.ChoiceField(label="What to compare")
    start = forms.DateField(label="Start date", widget=forms.DateInput(attrs=DATE))
    days = forms.IntegerField(
        label="How many days",
        min_value=MIN_PHASE_DAYS,
        max_value=MAX_DAYS,
        initial=SUGGESTED_DAYS,
        help_text=f"At least {MIN_PHASE_DAYS}; {SUGGESTED_DAYS} is suggested. A before-and-after plan compares these "
        "days with your logged days just before the start. Longer plans are allowed, but their results are less "
        "exact: in simulations a change that did nothing looked lower or higher more often than over 28 days, so "
        "such a result carries a caution.",
    )

    def __init__(self, *args: Any, user, outcomes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        outcome = self.fields["outcome"]
        remedy = self.fields["remedy"]
        assert isinstance(outcome, forms.ChoiceField)  # noqa: S101  # nosec B101 (declared above)
        assert isinstance(remedy, forms.ModelChoiceField)  # noqa: S101  # nosec B101
        outcome.choices = outcomes
        remedy.queryset = Remedy.objects.filter(user=user).order_by("name", "start")
        remedy.label_from_instance = _remedy_label  # type: ignore[method-assign]

    def clean_change(self) -> str:
        change = " ".join(self.cleaned_data["change"].split())
        if not change:
            raise ValidationError("Say what changes, in your own words.", code="required")
        return change


def _remedy_label(obj: Remedy) -> str:
    return f"{obj.name}, {obj.dose_text}, from {obj.start:%-d %b %Y}"


class EditForm(FocusFirstErrorMixin, forms.ModelForm):
    class Meta:
        model = Experiment
        fields = ("change", "start", "days")
        widgets = {"start": forms.DateInput(attrs=DATE, format="%Y-%m-%d")}
        labels = {"change": "What changes, in your words", "days": "How many days"}


class StopForm(FocusFirstErrorMixin, forms.Form):
    stopped_on = forms.DateField(label="Last day of the experiment", widget=forms.DateInput(attrs=DATE))
