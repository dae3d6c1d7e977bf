"""Writes of the medical timeline. Each is one transaction: a refused event leaves nothing behind."""

from django.db import transaction

from bfs_tracker.timeline.models import Event


@transaction.atomic
def event_save(*, user, event: Event) -> Event:
    """Store a new or edited event of this person (the form has checked it; the model checks it again)."""
    event.user = user
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def event_delete(*, event: Event) -> None:
    event.delete()
