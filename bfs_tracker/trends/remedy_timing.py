"""Remedies and medication started (or their dose changed) during a flare. Plain Python: no database.

Flares fade by themselves, so whatever is started at a flare's height will look as if it worked (regression to the
mean, clinical rule 10). The dashboard and the report list remedies with their dates; beside a start or a dose
change that falls inside a detected flare they say so, with the flare's dates, and say why that matters. They never
say whether the remedy helped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bfs_tracker.logbook.remedies import RemedyCourse
from bfs_tracker.trends.flares import FLARE, Period

WHY = (
    "Flares fade by themselves, so twitching would be expected to ease after it whether or not it helps; "
    "an experiment can compare it with a baseline."
)
WHAT = {"start": "started", "dose_change": "dose changed"}


@dataclass(frozen=True)
class DuringFlare:
    """One start or dose change inside a flare, with the words every page prints."""

    name: str
    date: str  # ISO
    kind: str  # "start" or "dose_change"
    flare_start: str
    flare_end: str

    @property
    def text(self) -> str:
        return (
            f"{self.name}: {WHAT[self.kind]} on {self.date}, during a flare ({self.flare_start} to "
            f"{self.flare_end}). {WHY}"
        )


def started_during_flares(courses: Iterable[RemedyCourse], periods: Iterable[Period]) -> list[DuringFlare]:
    """Each start and dose change of these courses that falls on a day of a flare in `periods` (the whole
    history's periods, so a remedy started before the range shown is judged too), in date order."""
    flares = [p for p in periods if p.kind == FLARE]
    found = []
    for course in courses:
        for event in course.events:
            if event.kind not in WHAT:
                continue
            flare = next((f for f in flares if f.contains(event.date)), None)
            if flare is not None:
                found.append(
                    DuringFlare(
                        course.name,
                        event.date.isoformat(),
                        event.kind,
                        flare.start.isoformat(),
                        flare.end.isoformat(),
                    )
                )
    return sorted(found, key=lambda d: (d.date, d.name.lower()))
