import datetime as dt

from django.conf import settings
from django.db import models


class ReminderSettings(models.Model):
    """Whether and when a person wants a daily "log your day" email, at a time on their own clock."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder")
    enabled = models.BooleanField("Email me a reminder", default=False)
    time = models.TimeField(
        "Reminder time", default=dt.time(21, 0), help_text="In your own time zone. Sent only if the day is not logged."
    )
    # The user's local date of the last reminder sent: the guard against a second email for the same day.
    last_sent_for = models.DateField(null=True, blank=True, editable=False)

    def __str__(self) -> str:
        return f"Reminder for {self.user} at {self.time:%H:%M}" + ("" if self.enabled else " (off)")
