import datetime as dt
from typing import Any

from django import forms

from bfs_tracker.lib.forms import DateRangeForm, FocusFirstErrorMixin
from bfs_tracker.trends.models import FlareSettings

RANGE_CHOICES = [("30", "30 days"), ("90", "90 days"), ("365", "1 year"), ("all", "All"), ("custom", "Custom")]
DEFAULT_RANGE = "90"
MAX_RANGE_DAYS = 366 * 20
MIN_SHOWN = dt.timedelta(days=6)  # a preset range never shows fewer than 7 days


class RangeForm(DateRangeForm):
    """The dashboard's date range: a preset, or custom dates. After is_valid(), cleaned_data has `range_start` and
    `range_end`."""

    range = forms.ChoiceField(label="Range", choices=RANGE_CHOICES, required=False, widget=forms.RadioSelect)
    field_order = ["range", "start", "end"]
    max_days = MAX_RANGE_DAYS
    max_words = "20 years"
    ends_by_today = True

    def __init__(self, data=None, *, today: dt.date, first_logged: dt.date | None):
        super().__init__(data, today=today)
        self.first_logged = first_logged

    def needs_dates(self, data: dict[str, Any]) -> bool:
        return (data.get("range") or DEFAULT_RANGE) == "custom"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        choice = data.get("range") or DEFAULT_RANGE
        data["range"] = choice
        if choice == "custom":
            data["range_start"], data["range_end"] = data.get("start"), data.get("end")
        elif choice == "all":
            data["range_start"] = min(self.first_logged or self.today, self.today)
            data["range_end"] = self.today
        else:
            data["range_start"] = self.today - dt.timedelta(days=int(choice) - 1)
            data["range_end"] = self.today
            if self.first_logged is not None and data["range_start"] < self.first_logged <= self.today:
                # A newer history than the range: start at the first log (a week at least), so the chart is
                # sized to the person's own days rather than squeezed against the right edge.
                data["range_start"] = max(data["range_start"], min(self.first_logged, self.today - MIN_SHOWN))
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
