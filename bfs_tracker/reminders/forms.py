from django import forms

from bfs_tracker.reminders.models import ReminderSettings


class ReminderSettingsForm(forms.ModelForm):
    class Meta:
        model = ReminderSettings
        fields = ["enabled", "time"]
        widgets = {"time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}
