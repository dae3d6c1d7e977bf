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


def events_import(*, user, events: list[dict]) -> int:
    """Write checked events from a backup inside the caller's transaction; returns how many were added.

    An event the person already has (same date, kind and every field) is skipped, so restoring the same backup
    twice does not double it. Events have no natural key, so "replace" (which replaces days logged twice) does not
    apply to them: no event the person recorded is removed by an import."""
    with transaction.atomic(savepoint=False):
        existing = {_identity(e) for e in Event.objects.for_user(user)}
        new = []
        for fields in events:
            event = Event(user=user, **fields)
            if _identity(event) not in existing:
                existing.add(_identity(event))
                new.append(event)
        Event.objects.bulk_create(new)
    return len(new)


def _identity(event: Event) -> tuple:
    value = None if event.value is None else event.value.normalize()
    return (
        event.date,
        event.kind,
        event.clinician,
        event.title,
        event.emg_result,
        event.lab_test,
        value,
        event.unit,
        event.reference_range,
        event.questions,
        event.notes,
    )
