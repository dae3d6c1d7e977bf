"""Writes about sessions and two-factor devices."""

from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bfs_tracker.security.models import UserSession


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def user_session_record(*, user, session_key: str) -> None:
    """Remember a new session of this user, and forget records of sessions that have certainly ended."""
    UserSession.objects.filter(user=user, created_at__lt=timezone.now() - settings.SESSION_ABSOLUTE_LIFETIME).delete()
    UserSession.objects.update_or_create(session_key=session_key, defaults={"user": user})


def user_sessions_end(*, user, keep_session_key: str | None = None) -> int:
    """End every session of this user (except the one given); returns how many were ended."""
    store = _session_store()
    with transaction.atomic():
        records = list(UserSession.objects.filter(user=user).exclude(session_key=keep_session_key or ""))
        for record in records:
            store(session_key=record.session_key).delete()
        UserSession.objects.filter(pk__in=[r.pk for r in records]).delete()
    return len(records)
