import datetime as dt

from django import forms

from bfs_tracker.lib.forms import FocusFirstErrorMixin
from bfs_tracker.trends.models import FlareSettings

RANGE_CHOICES = [("30", "30 days"), ("90", "90 days"), ("365", "1 year"), ("all", "All"), ("custom", "Custom")]
DEFAULT_RANGE = "90"
MAX_RANGE_DAYS = 366 * 20


class DateInput(forms.DateInput):
    input_type = "date"


class RangeForm(forms.Form):
    """The dashboard's date range. After is_valid(), cleaned_data has `range_start` and `range_end`."""

    range = forms.ChoiceField(label="Range", choices=RANGE_CHOICES, required=False, widget=forms.RadioSelect)
    start = forms.DateField(label="From", required=False, widget=DateInput)
    end = forms.DateField(label="To", required=False, widget=DateInput)

    def __init__(self, data=None, *, today: dt.date, first_logged: dt.date | None):
        super().__init__(data)
        self.today = today
        self.first_logged = first_logged

    def clean(self):
        data = super().clean()
        choice = data.get("range") or DEFAULT_RANGE
        data["range"] = choice
        if choice == "custom":
            start, end = data.get("start"), data.get("end")
            if start is None and "start" not in self.errors:
                self.add_error("start", "Choose the first day of the range.")
            if end is None and "end" not in self.errors:
                self.add_error("end", "Choose the last day of the range.")
            if start and end:
                if end > self.today:
                    self.add_error("end", "The range cannot end after today.")
                elif start > end:
                    self.add_error("start", "The first day must be on or before the last day.")
                elif (end - start).days + 1 > MAX_RANGE_DAYS:
                    self.add_error("start", "A range can be at most 20 years long.")
            data["range_start"], data["range_end"] = start, end
        elif choice == "all":
            data["range_start"] = min(self.first_logged or self.today, self.today)
            data["range_end"] = self.today
        else:
            data["range_start"] = self.today - dt.timedelta(days=int(choice) - 1)
            data["range_end"] = self.today
        return data


class FlareSettingsForm(FocusFirstErrorMixin, forms.ModelForm):
    class Meta:
        model = FlareSettings
        fields = [
            "baseline_days",
            "min_baseline_days",
            "flare_ratio",
            "flare_margin",
            "flare_min_days",
            "max_dip_days",
            "remission_min_days",
            "remission_level",
            "remission_ratio",
        ]
        widgets = {
            "flare_ratio": forms.NumberInput(attrs={"step": "0.1"}),
            "flare_margin": forms.NumberInput(attrs={"step": "0.5"}),
            "remission_level": forms.NumberInput(attrs={"step": "0.5"}),
            "remission_ratio": forms.NumberInput(attrs={"step": "0.05"}),
        }
