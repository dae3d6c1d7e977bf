"""How stored alerts follow findings (alerts/lifecycle.py, pure), and the data migration that brought the alerts
stored before it into line."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from hypothesis import given
from hypothesis import strategies as st

from bfs_tracker.alerts.function_check import ITEMS
from bfs_tracker.alerts.lifecycle import Stored, reconcile
from bfs_tracker.alerts.models import Alert, FunctionCheck
from bfs_tracker.alerts.rules import (
    PERSISTENT_PERIOD_DAYS,
    PERSISTENT_WEAKNESS,
    DayReport,
    Finding,
    persistent_weakness,
)
from bfs_tracker.logbook.models import DailyLog

DAY = dt.date(2025, 3, 3)
PERIOD = dt.timedelta(days=PERSISTENT_PERIOD_DAYS)


def on(*offsets: int) -> tuple[dt.date, ...]:
    return tuple(DAY + dt.timedelta(days=o) for o in offsets)


def finding(date_offset: int, evidence: tuple[int, ...]) -> Finding:
    (date,) = on(date_offset)
    return Finding(PERSISTENT_WEAKNESS, date, "words", on(*evidence))


def stored(key: int, date_offset: int, evidence: tuple[int, ...], status: str = "open") -> Stored:
    (date,) = on(date_offset)
    return Stored(key, PERSISTENT_WEAKNESS, date, status, frozenset(on(*evidence)))


def test_an_alert_on_the_findings_date_is_kept_whatever_its_status():
    for status in ("open", "acknowledged", "withdrawn"):
        plan = reconcile([finding(2, (0, 1, 2))], [stored(1, 2, (0, 1, 2), status)], period=PERIOD)
        assert [(s.key, f.date) for s, f in plan.keep] == [(1, on(2)[0])]
        assert plan.create == plan.withdraw == []


def test_a_live_alert_follows_its_finding_to_an_earlier_day_when_a_day_is_back_filled():
    plan = reconcile([finding(1, (-1, 0, 1, 2))], [stored(1, 2, (0, 1, 2))], period=PERIOD)
    assert [(s.key, f.date) for s, f in plan.keep] == [(1, on(1)[0])]


def test_a_live_alert_follows_its_finding_to_a_later_day_when_its_days_overlap():
    plan = reconcile([finding(3, (0, 1, 3))], [stored(1, 2, (0, 1, 2, 3), "acknowledged")], period=PERIOD)
    assert [(s.key, f.date) for s, f in plan.keep] == [(1, on(3)[0])]


def test_a_withdrawn_alert_comes_back_only_on_its_own_date():
    plan = reconcile([finding(3, (1, 2, 3))], [stored(1, 2, (0, 1, 2), "withdrawn")], period=PERIOD)
    assert plan.keep == []
    assert [f.date for f in plan.create] == [on(3)[0]]
    assert plan.withdraw == []


def test_a_live_alert_nothing_calls_for_is_withdrawn_and_an_unmatched_finding_created():
    plan = reconcile([finding(200, (198, 199, 200))], [stored(1, 2, (0, 1, 2))], period=PERIOD)
    assert [s.key for s in plan.withdraw] == [1]
    assert [f.date for f in plan.create] == [on(200)[0]]


def test_without_a_period_alerts_are_matched_by_rule_and_date_only():
    sign = Finding("falls", on(5)[0], "")
    plan = reconcile([sign], [Stored(1, "falls", on(4)[0], "open"), Stored(2, "weakness", on(5)[0], "open")])
    assert plan.keep == []
    assert plan.create == [sign]
    assert sorted(s.key for s in plan.withdraw) == [1, 2]


weak_days = st.dictionaries(
    st.integers(min_value=0, max_value=300), st.sampled_from(["", "left hand", "right calf"]), max_size=14
)


def findings_for(days: dict[int, str]) -> list[Finding]:
    return persistent_weakness(
        DayReport(on(o)[0], frozenset({"weakness"}), weakness_location=place) for o, place in days.items()
    )


@given(later=weak_days, data=st.data())
def test_adding_days_keeps_every_alert_and_withdraws_none(later, data):
    """Back-filling in any order never withdraws an alert, which is why the same days in any order end alike."""
    earlier = {o: later[o] for o in data.draw(st.lists(st.sampled_from(sorted(later)), unique=True))} if later else {}
    rows = [
        Stored(i, PERSISTENT_WEAKNESS, f.date, "open", frozenset(f.evidence))
        for i, f in enumerate(findings_for(earlier))
    ]
    wanted = findings_for(later)
    plan = reconcile(wanted, rows, period=PERIOD)
    assert plan.withdraw == []
    assert sorted(s.key for s, _f in plan.keep) == [r.key for r in rows]
    assert sorted([f.date for _s, f in plan.keep] + [f.date for f in plan.create]) == [f.date for f in wanted]


@given(days=weak_days, data=st.data())
def test_the_plan_does_not_depend_on_the_order_of_its_inputs(days, data):
    wanted = findings_for(days)
    rows = [
        Stored(i, PERSISTENT_WEAKNESS, f.date + dt.timedelta(days=1), "open", frozenset(f.evidence))
        for i, f in enumerate(wanted)
    ]

    def summary(plan):
        return (
            sorted((s.key, f.date) for s, f in plan.keep),
            sorted(f.date for f in plan.create),
            sorted(s.key for s in plan.withdraw),
        )

    shuffled = reconcile(data.draw(st.permutations(wanted)), data.draw(st.permutations(rows)), period=PERIOD)
    assert summary(shuffled) == summary(reconcile(wanted, rows, period=PERIOD))


# -- The data migration ------------------------------------------------------------------------------------------

BEFORE, AFTER = ("alerts", "0002_alert_evidence"), ("alerts", "0003_alerts_follow_the_evidence")


@pytest.fixture
def before_migration(transactional_db):
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def migrate_forward():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([AFTER])


def old_persistent(user, date, listed, status="open"):
    """A persistent-weakness alert as the old code stored it: dated where it happened to be raised."""
    lines = "\n".join(f"{d.day} {d:%b %Y}: spot" for d in listed)
    return Alert.objects.create(
        user=user,
        date=date,
        rule_id=PERSISTENT_WEAKNESS,
        severity="see_doctor",
        title="Weakness that keeps coming back",
        details="Weakness reported on:\n" + lines,
        status=status,
        acknowledged_at=dt.datetime(2025, 4, 1, tzinfo=dt.UTC) if status == "acknowledged" else None,
    )


def weak_logs(user, dates):
    for date in dates:  # a different place each day, so only the 3-in-14 part of the rule applies
        DailyLog.objects.create(user=user, date=date, weakness=True, weakness_location=f"spot {date.isoformat()}")


def test_the_migration_moves_a_back_filled_alert_to_the_third_day_and_keeps_it_read(before_migration, user):
    three = on(0, 4, 9)
    weak_logs(user, three)
    old = old_persistent(user, three[0], three, status="acknowledged")  # dated on the earliest: the old bug
    migrate_forward()
    old.refresh_from_db()
    assert (old.date, old.status) == (three[2], "acknowledged")
    assert old.evidence == [d.isoformat() for d in three]


def test_the_migration_withdraws_a_stale_alert_and_joins_fortnightly_ones_into_one(before_migration, user, other_user):
    weak_logs(user, on(0, 1))  # the third day's weakness was unticked, but the old alert stayed open
    stale = old_persistent(user, on(2)[0], on(0, 1, 2))
    run = on(*range(0, 40, 2))
    weak_logs(other_user, run)
    first = old_persistent(other_user, run[2], run[:3])
    second = old_persistent(other_user, run[10], run[8:11])  # a second one a fortnight later, in the same episode
    migrate_forward()
    stale.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert stale.status == "withdrawn"
    assert (first.date, first.status, len(first.evidence)) == (run[2], "open", len(run))
    assert second.status == "withdrawn"
    assert "now listed in another alert" in second.withdrawn_because


def test_the_migration_raises_the_alert_imported_function_checks_never_raised(before_migration, user):
    fine = {name: 0 for name, _ in ITEMS}
    FunctionCheck.objects.create(user=user, taken_on=on(0)[0], **(fine | {"stairs": 1}))
    FunctionCheck.objects.create(user=user, taken_on=on(7)[0], **(fine | {"stairs": 2}))
    Alert.objects.create(user=user, date=on(1)[0], rule_id="falls", severity="see_doctor", title="x")
    migrate_forward()
    assert sorted(Alert.objects.filter(user=user).values_list("rule_id", "date", "status", "evidence")) == [
        ("falls", on(1)[0], "open", []),
        ("function_check_worse", on(7)[0], "open", [on(0)[0].isoformat(), on(7)[0].isoformat()]),
    ]
