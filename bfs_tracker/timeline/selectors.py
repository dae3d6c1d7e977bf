"""Reads of the medical timeline, scoped to one user: the list page, the dashboard's and the report's chart markers,
the backup and FHIR. Other apps read events through these, never through the model."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Max, QuerySet

from bfs_tracker.timeline import rules
from bfs_tracker.timeline.models import Event


def events_between(user, start: dt.date | None = None, end: dt.date | None = None) -> QuerySet[Event]:
    rows = Event.objects.for_user(user)
    if start is not None:
        rows = rows.filter(date__gte=start)
    if end is not None:
        rows = rows.filter(date__lte=end)
    return rows.order_by("date", "pk")


@dataclass(frozen=True)
class Marker:
    """An event as a chart marker: its date, its kind and one line of text."""

    date: dt.date
    kind: str
    label: str
    planned: bool = False
    notes: str = ""  # what was said or written, for the report's "tests and results"; not sent to the chart

    def as_dict(self) -> dict[str, str | bool]:
        return {"date": self.date.isoformat(), "kind": self.kind, "label": self.label, "planned": self.planned}


def markers_between(user, start: dt.date, end: dt.date, *, today: dt.date) -> list[Marker]:
    """Every event in [start, end] as a marker, in date order: one query."""
    return [
        Marker(e.date, e.kind, e.summary, rules.is_planned(e.kind, e.date, today), e.notes)
        for e in events_between(user, start, end)
    ]


@dataclass(frozen=True)
class VisitPlan:
    """The visit being prepared for (the next planned one, or one recorded for today) and the last visit before it."""

    upcoming: Event | None
    last: Event | None

    @property
    def questions(self) -> list[str]:
        """The person's own questions for the coming visit, one per line as they wrote them."""
        text = self.upcoming.questions if self.upcoming is not None else ""
        return [line.strip() for line in text.splitlines() if line.strip()]


def visit_plan(user, *, today: dt.date) -> VisitPlan:
    """The coming and the last visit, in one query."""
    return visit_plan_of(Event.objects.for_user(user).filter(kind=rules.VISIT), today=today)


def visit_plan_of(events: Iterable[Event], *, today: dt.date) -> VisitPlan:
    visits = sorted((e for e in events if e.kind == rules.VISIT), key=lambda e: (e.date, e.pk or 0))
    upcoming = next((v for v in visits if v.date >= today), None)
    before = [v for v in visits if v.date < today]
    return VisitPlan(upcoming=upcoming, last=before[-1] if before else None)


def timeline_version(user) -> tuple[int, dt.datetime | None]:
    """How many events and when one last changed: part of the dashboard's cache key."""
    found = Event.objects.for_user(user).aggregate(count=Count("pk"), last=Max("updated_at"))
    return found["count"], found["last"]


def last_visit_by(user, day: dt.date) -> Event | None:
    """The most recent visit on or before `day`."""
    return Event.objects.for_user(user).filter(kind=rules.VISIT, date__lte=day).order_by("-date", "-pk").first()


def tests_until(user, day: dt.date) -> list[Marker]:
    """Every test, imaging and diagnosis up to `day`, most recent first, with what was written about it."""
    rows = Event.objects.for_user(user).exclude(kind=rules.VISIT).filter(date__lte=day).order_by("-date", "-pk")
    return [Marker(e.date, e.kind, e.summary, False, e.notes) for e in rows]
