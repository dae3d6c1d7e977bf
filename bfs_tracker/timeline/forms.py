"""The event form: one form class, shaped by the kind of event (which fields, their labels, which are required).
Every message goes by its field; the rules themselves are in timeline/rules.py, shared with the importers."""

import datetime as dt
from typing import Any

from django import forms

from bfs_tracker.lib.forms import DateInput, FocusFirstErrorMixin
from bfs_tracker.timeline import rules
from bfs_tracker.timeline.models import Event

# kind -> (field, label, help text, required) in the order the form shows them.
LAYOUT: dict[str, list[tuple[str, str, str, bool]]] = {
    rules.VISIT: [
        ("date", "Date", "A date ahead of today records a planned visit.", True),
        ("clinician", "Who you saw", "", True),
        ("title", "Name or place (optional)", "", False),
        ("questions", "My questions for this visit", "One per line. They go on page 1 of your report.", False),
        ("notes", "What was said, in your own words", "", False),
    ],
    rules.EMG: [
        ("date", "Date", "", True),
        ("emg_result", "Result", "", True),
        ("title", "Which study (optional)", "For example “EMG of both legs” or “nerve conduction, arms”.", False),
        ("notes", "What the report or the doctor said", "", False),
    ],
    rules.BLOOD: [
        ("date", "Date of the blood test", "", True),
        ("lab_test", "Test", "", True),
        ("title", "Name of the test (for “Other”)", "", False),
        ("value", "Value", "The number as printed, for example 1.2.", True),
        ("unit", "Unit", "As printed next to the value.", True),
        ("reference_range", "Reference range, as printed (optional)", "For example “0.7–1.0” or “< 200”.", False),
        ("notes", "Notes (optional)", "", False),
    ],
    rules.IMAGING: [
        ("date", "Date", "", True),
        ("title", "What was imaged", "For example “MRI of the neck”.", True),
        ("notes", "Result, in your own words or as written", "", False),
    ],
    rules.DIAGNOSIS: [
        ("date", "Date", "", True),
        ("title", "Diagnosis, in the words you were given", "", True),
        ("clinician", "Given by", "", False),
        ("notes", "Notes (optional)", "", False),
    ],
}


class EventForm(FocusFirstErrorMixin, forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "date",
            "clinician",
            "title",
            "emg_result",
            "lab_test",
            "value",
            "unit",
            "reference_range",
            "questions",
            "notes",
        ]
        widgets = {
            "date": DateInput,
            "clinician": forms.RadioSelect,
            "emg_result": forms.RadioSelect,
            "questions": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 4}),
            "value": forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        }

    def __init__(self, *args, kind: str, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.today = today
        layout = LAYOUT[kind]
        self.fields = {name: self.fields[name] for name, _, _, _ in layout}
        self.instance.kind = kind
        for name, label, help_text, required in layout:
            field = self.fields[name]
            field.label = label
            field.help_text = help_text
            field.required = required
            if isinstance(field, forms.ChoiceField) and isinstance(field.widget, forms.RadioSelect):
                field.choices = [(value, text) for value, text in rules_choices(name)]
        for name, limit in (("notes", rules.TEXT_MAX), ("questions", rules.QUESTIONS_MAX)):
            if name in self.fields:
                self.fields[name].widget.attrs["maxlength"] = str(limit)
        if "value" in self.fields:
            self.fields["value"].error_messages["invalid"] = "Enter the number as printed, for example 1.2."

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        date = data.get("date")
        if date is not None and (problem := rules.date_problem(self.kind, date, self.today)):
            self.add_error("date", problem)
        if self.kind == rules.BLOOD:
            test, unit, value = data.get("lab_test"), data.get("unit"), data.get("value")
            if test and unit and (problem := rules.unit_problem(test, unit)):
                self.add_error("unit", problem)
            if test == rules.OTHER_TEST and not data.get("title") and "title" not in self.errors:
                self.add_error("title", "Name the test, as the lab printed it.")
            if value is not None and "value" not in self.errors and (problem := rules.value_problem(value)):
                self.add_error("value", problem)
        return data


def rules_choices(name: str) -> list[tuple[str, str]]:
    """The choices of a field shown as radio buttons, without the empty "---------" a blank model field adds."""
    return {"clinician": rules.CLINICIANS, "emg_result": rules.EMG_RESULTS}[name]
