"""Links a person gives their doctor. Only a hash of the token is stored, so a database leak exposes no link.

A link works only while its owner keeps the password they had when they made it (`password_stamp`), the way Django
ends sessions on a password change: someone who got into the account and made themselves a link loses it when the
owner changes the password, however the password was changed (settings, reset link, admin).
"""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.crypto import constant_time_compare, salted_hmac


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def password_stamp(user) -> str:
    """A keyed hash of the user's password hash: changes whenever the password does, reveals nothing about it."""
    return salted_hmac("bfs_tracker.reports.ShareLink.password_stamp", user.password, algorithm="sha256").hexdigest()


class ShareLinkQuerySet(models.QuerySet):
    def for_user(self, user) -> "ShareLinkQuerySet":
        return self.filter(user=user)

    def live(self, now) -> "ShareLinkQuerySet":
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ShareLink(models.Model):
    """A read-only view of one user's report for one date range, until it expires or is revoked."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="share_links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    password_stamp = models.CharField(max_length=64, editable=False)
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
        return self.revoked_at is None and self.expires_at > now and not self.ended_by_password_change

    @property
    def ended_by_password_change(self) -> bool:
        return not constant_time_compare(self.password_stamp, password_stamp(self.user))


class ImportRun(models.Model):
    """An import in progress: at most one per person at a time (the user is the primary key), on PostgreSQL and
    SQLite alike. reports.services.import_running claims it and removes it; one older than IMPORT_STALE_AFTER
    (a worker killed mid-import leaves its row behind) is taken over by the next import."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+")
    started_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Import by user {self.user_id} since {self.started_at:%Y-%m-%d %H:%M}"
