from django import forms

from bfs_tracker.alerts.function_check import ITEMS, SCALE
from bfs_tracker.alerts.models import AlertSettings


class AcknowledgeForm(forms.Form):
    confirm = forms.BooleanField(
        label="I have read this alert",
        error_messages={"required": "Tick the box to confirm you have read this alert."},
    )


class FunctionCheckForm(forms.Form):
    """One radio group per everyday task, compared with before the twitching started."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in ITEMS:
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                choices=SCALE,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": "Choose one answer for this task."},
            )


class AlertSettingsForm(forms.ModelForm):
    class Meta:
        model = AlertSettings
        fields = ["email_on_alert"]
