"""trends.remedy_timing: which remedy starts and dose changes fall inside a flare (clinical rule 10)."""

import datetime as dt

from bfs_tracker.logbook.remedies import DoseSpell, RemedyCourse, RemedyEvent
from bfs_tracker.trends.flares import Period
from bfs_tracker.trends.remedy_timing import started_during_flares

D = dt.date


def period(kind, start, end):
    return Period(kind, start, end, (end - start).days + 1, (end - start).days + 1, 30.0, 30.0, 10.0)


def course(name, *events):
    first = events[0]
    return RemedyCourse(
        name,
        first[0],
        None,
        [DoseSpell(first[0], None, "300 mg once a day", 1)],
        [RemedyEvent(day, kind, f"{kind} {name}", name) for day, kind in events],
    )


def test_only_starts_and_dose_changes_inside_a_flare_are_marked():
    periods = [period("flare", D(2026, 3, 1), D(2026, 3, 10)), period("remission", D(2026, 4, 1), D(2026, 4, 20))]
    courses = [
        course("Magnesium", (D(2026, 3, 10), "start"), (D(2026, 3, 11), "stop")),  # last day of the flare
        course("Propranolol", (D(2026, 2, 1), "start"), (D(2026, 3, 5), "dose_change"), (D(2026, 3, 6), "stop")),
        course("B12", (D(2026, 2, 28), "start")),  # the day before: not during
        course("Massage", (D(2026, 4, 5), "start")),  # in a remission
    ]
    found = started_during_flares(courses, periods)
    assert [(d.name, d.kind, d.date) for d in found] == [
        ("Propranolol", "dose_change", "2026-03-05"),
        ("Magnesium", "start", "2026-03-10"),
    ]
    assert found[0].text.startswith(
        "Propranolol: dose changed on 2026-03-05, during a flare (2026-03-01 to 2026-03-10)."
    )
    assert "whether or not it helps" in found[1].text
    assert not any(word in found[1].text for word in ("worked", "works", "cures", "helped"))
    assert started_during_flares(courses, []) == []
