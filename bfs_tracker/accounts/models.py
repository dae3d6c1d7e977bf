from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower

from bfs_tracker.accounts.time_zones import local_today, validate_time_zone


class User(AbstractUser):
    """A person keeping a log. Their time zone decides which date "today" is."""

    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    date_of_birth = models.DateField(
        null=True, blank=True, help_text="Optional. Shown on the report for your doctor, nowhere else."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("email"), name="accounts_user_email_unique_ci", condition=~models.Q(email="")
            ),
        ]

    def today(self):
        return local_today(self.time_zone)

    @property
    def report_name(self) -> str:
        return self.get_full_name() or self.username
