from django.conf import settings
from django.db import models


class UserSession(models.Model):
    """One signed-in session of a user, so signing out (or a password change) can end all of them at once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"session of user {self.user_id} since {self.created_at:%Y-%m-%d}"
