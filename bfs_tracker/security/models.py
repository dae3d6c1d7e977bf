from django.conf import settings
from django.db import models


class UserSession(models.Model):
    """One signed-in session of a user, so signing out (or a password change) can end all of them at once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"session of user {self.user_id} since {self.created_at:%Y-%m-%d}"


class ThrottleEvent(models.Model):
    """Something counted to slow an attacker down: a wrong password, or a sign-up mail sent.

    `key` is a SHA-256 of what is counted ("user:<id>" for an account, or the name someone typed), so the table
    holds no usernames or addresses; `ip` is the address it came from.
    """

    class Kind(models.TextChoices):
        SIGN_IN_FAILED = "sign_in", "Wrong password at sign-in"
        CONFIRM_FAILED = "confirm", "Wrong password on a form that asks for it"
        SIGNUP_MAIL = "signup", "Sign-up or change-of-address mail"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(max_length=64)
    ip = models.CharField(max_length=45, blank=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "key", "at"], name="security_throttle_lookup")]

    def __str__(self) -> str:
        return f"{self.kind} at {self.at:%Y-%m-%d %H:%M}"
