"""Links a person gives their doctor. Only a hash of the token is stored, so a database leak exposes no link."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import F, Q


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ShareLinkQuerySet(models.QuerySet):
    def for_user(self, user) -> "ShareLinkQuerySet":
        return self.filter(user=user)

    def live(self, now) -> "ShareLinkQuerySet":
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ShareLink(models.Model):
    """A read-only view of one user's report for one date range, until it expires or is revoked."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="share_links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    label = models.CharField("Who is it for?", max_length=80, blank=True)
    start = models.DateField()
    end = models.DateField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_opened_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lte=F("end")), name="reports_share_range_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.start}–{self.end}"

    def is_live(self, now) -> bool:
        return self.revoked_at is None and self.expires_at > now
