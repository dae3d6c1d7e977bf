import hashlib

from django.conf import settings
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


def confirmation_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class EmailConfirmation(models.Model):
    """A link mailed to an address to prove that whoever asks reads it: to open a new account with that address,
    or to move an existing account to it. Only a hash of the link's token is kept, as for share links.

    A sign-up is not an account until its link is opened and the password chosen at sign-up is typed again, so a
    sign-up made by someone else with your address can neither be finished by them (no link) nor by you (no
    password): nobody gets an account that another person can also sign in to.
    """

    class Purpose(models.TextChoices):
        SIGNUP = "signup", "Open a new account"
        CHANGE = "change", "Change an account's address"

    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    email = models.EmailField(max_length=254)
    # For a change of address: whose. For a sign-up: the chosen password's hash and time zone, until it is opened.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    password = models.CharField(max_length=128, blank=True)
    time_zone = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(purpose="signup", user__isnull=True)
                | models.Q(purpose="change", user__isnull=False),
                name="accounts_confirmation_user_matches_purpose",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} confirmation from {self.created_at:%Y-%m-%d}"
