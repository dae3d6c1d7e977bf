"""Small helpers shared by every app's forms."""

import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms
from django.forms.renderers import TemplatesSetting

# The mixin goes before a Django form class; for the type checker it is one.
if TYPE_CHECKING:
    _FormBase = forms.BaseForm
else:
    _FormBase = object


class FocusFirstErrorMixin(_FormBase):
    """After a refused submit, put the cursor (and a screen reader) on the first field with an error.

    Without it a form re-opens on its first field (or on whatever has `autofocus`), and someone on a phone has to
    scroll to find what went wrong. Mix in before the Django form class.
    """

    def full_clean(self) -> None:
        super().full_clean()
        first = next((name for name in self.fields if name in self.errors), None)
        if first is None:
            return
        for field in self.fields.values():
            field.widget.attrs.pop("autofocus", None)
        self.fields[first].widget.attrs["autofocus"] = True


class FormRenderer(TemplatesSetting):
    """Django renders every form field through templates/includes/field.html (`{{ form.x.as_field_group }}`), so
    label, help text, errors and their ARIA links are written once. Widgets may name project templates too
    (templates/includes/widgets/), which is why this renderer uses the TEMPLATES setting rather than Django's own
    engine."""

    field_template_name = "includes/field.html"


class DateInput(forms.DateInput):
    """The browser's own date picker, and the ISO date it expects."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateRangeForm(forms.Form):
    """A first and a last day, checked the same way on every page that asks for a range (the dashboard, the report,
    share links): both given, in order, at most `max_days` long and, where `ends_by_today`, not ending after the
    person's today (where `starts_by_today`, not starting after it). Each message goes next to the field it is
    about. Subclasses add their own fields."""

    start = forms.DateField(label="From", required=False, widget=DateInput)
    end = forms.DateField(label="To", required=False, widget=DateInput)

    max_days = 366 * 5
    max_words = "five years"
    ends_by_today = False
    starts_by_today = False

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def needs_dates(self, data: dict[str, Any]) -> bool:
        """Whether start and end must be given (a subclass may offer ranges without them)."""
        return True

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not self.needs_dates(data):
            return data
        start, end = data.get("start"), data.get("end")
        if start is None and "start" not in self.errors:
            self.add_error("start", "Choose the first day of the range.")
        if end is None and "end" not in self.errors:
            self.add_error("end", "Choose the last day of the range.")
        if start and end:
            if self.ends_by_today and end > self.today:
                self.add_error("end", "The range cannot end after today.")
            elif self.starts_by_today and start > self.today:
                self.add_error("start", "The range cannot start after today: nothing has been logged there yet.")
            elif start > end:
                self.add_error("start", "The range must start on or before the last day.")
            elif (end - start).days + 1 > self.max_days:
                self.add_error("start", f"A range can be at most {self.max_words} long.")
        return data
