"""An import is bounded in time and memory (issue 16 item 2): days are written in bulk, in a number of queries
that does not grow with the file; a file holds at most MAX_DAYS days; one import per person at a time. The bulk
write stores exactly what saving each day by hand would, alerts included."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bfs_tracker.alerts.models import Alert
from bfs_tracker.days.services import day_save
from bfs_tracker.logbook.models import DailyLog, ReliefMethod, TwitchEntry
from bfs_tracker.logbook.services import Twitch
from bfs_tracker.reports.exporters import backup_data
from bfs_tracker.reports.importers import MAX_DAYS, ImportError_, parse_json, read_csv
from bfs_tracker.reports.models import ImportRun
from bfs_tracker.reports.services import IMPORT_STALE_AFTER, ImportBusy, import_apply, import_running

START = dt.date(2026, 1, 1)


def days_backup(count: int, *, start: dt.date = START, **fields) -> dict:
    return {
        "format_version": 1,
        "logs": [
            {
                "date": (start + dt.timedelta(days=i)).isoformat(),
                "stress": i % 11,
                "reliefs": ["Magnesium"] if i % 2 else [],
                "twitches": [{"muscle_group": "calf", "side": "left", "intensity": 1 + i % 10}],
                **fields,
            }
            for i in range(count)
        ],
    }


def queries_to_import(user, count: int, *, replace: bool = False) -> int:
    plan = parse_json(json.dumps(days_backup(count)))
    with CaptureQueriesContext(connection) as queries:
        import_apply(user=user, plan=plan, replace=replace)
    return len(queries)


# Rows per INSERT: BULK_BATCH on PostgreSQL; on SQLite Django fits each INSERT into 999 parameters, which is about
# 30 rows of a day's 30-odd columns. Either way an import of years of days runs dozens of queries, not thousands.
ROWS_PER_QUERY = 30 if connection.vendor == "sqlite" else 500


def test_the_queries_of_an_import_grow_only_by_one_per_batch_of_rows(user, other_user):
    few, many = queries_to_import(user, 5), queries_to_import(other_user, 120)
    assert few <= 16  # 15, and one that clears own factors' answers of the days a backup writes
    assert many - few <= -(-120 // ROWS_PER_QUERY)


def test_the_queries_of_a_replacing_import_grow_only_by_one_per_batch_of_rows(user, other_user):
    import_apply(user=user, plan=parse_json(json.dumps(days_backup(5))), replace=False)
    import_apply(user=other_user, plan=parse_json(json.dumps(days_backup(120))), replace=False)
    few, many = queries_to_import(user, 5, replace=True), queries_to_import(other_user, 120, replace=True)
    assert few <= 20
    assert many - few <= -(-120 // ROWS_PER_QUERY)


def _stored(user) -> list[tuple]:
    rows = []
    for log in DailyLog.objects.filter(user=user).order_by("date").prefetch_related("twitches", "reliefs"):
        twitches = sorted((t.muscle_group, t.side, t.intensity) for t in log.twitches.all())
        rows.append(
            (
                log.date,
                log.stress,
                log.sleep_hours,
                log.weakness,
                log.weakness_location,
                log.notes,
                log.burden,
                tuple(twitches),
                tuple(sorted(r.name for r in log.reliefs.all())),
            )
        )
    return rows


def _alerts(user) -> list[tuple]:
    return sorted(Alert.objects.filter(user=user).values_list("date", "rule_id", "status"))


HISTORY = [
    # date offset, fields, twitches
    (0, {"stress": 4, "sleep_hours": Decimal("6.5"), "notes": "first"}, [Twitch("calf", "left", 3)]),
    (1, {"weakness": True, "weakness_location": "left hand"}, [Twitch("hand", "left", 5)]),
    (3, {"weakness": True, "weakness_location": "left hand", "slurred_speech": True}, []),
    (6, {"weakness": True, "weakness_location": "left hand"}, [Twitch("thigh", "both", 2)]),
    (9, {"falls": True}, [Twitch("foot", "right", 7), Twitch("calf", "left", 1)]),
]


def test_a_bulk_import_stores_and_alerts_exactly_as_saving_each_day_by_hand(user, other_user):
    magnesium = {u: ReliefMethod.objects.get_or_create(user=u, name="Magnesium")[0] for u in (user, other_user)}
    for offset, fields, twitches in reversed(HISTORY):
        day_save(
            user=user,
            date=START + dt.timedelta(days=offset),
            fields=fields,
            twitches=twitches,
            reliefs=[magnesium[user]],
        )
    import_apply(user=other_user, plan=parse_json(json.dumps(backup_data(user), default=str)), replace=False)
    assert _stored(other_user) == _stored(user)
    assert _alerts(other_user) == _alerts(user)
    assert any(rule == "persistent_weakness" for _, rule, _ in _alerts(other_user))


def test_replacing_keeps_what_the_file_does_not_give_and_clears_what_it_unticks(user):
    reliefs = [ReliefMethod.objects.get_or_create(user=user, name=n)[0] for n in ("Magnesium", "Stretching")]
    day_save(
        user=user,
        date=START,
        fields={"stress": 6, "anxiety": 3, "weakness": True, "weakness_location": "left hand", "notes": "old"},
        twitches=[Twitch("calf", "left", 5), Twitch("eyelid", "right", 2)],
        reliefs=reliefs,
    )
    before = DailyLog.objects.get(user=user, date=START).updated_at
    text = json.dumps(
        {
            "format_version": 1,
            "logs": [
                {
                    "date": START.isoformat(),
                    "stress": 2,
                    "weakness": False,
                    "reliefs": ["stretching"],
                    "twitches": [{"muscle_group": "thigh", "side": "both", "intensity": 4}],
                }
            ],
        }
    )
    result = import_apply(user=user, plan=parse_json(text), replace=True)
    assert (result.created, result.replaced, result.skipped) == (0, 1, 0)
    log = DailyLog.objects.get(user=user, date=START)
    assert (log.stress, log.anxiety, log.notes) == (2, 3, "old")  # anxiety and notes were not in the file
    assert (log.weakness, log.weakness_location) == (False, "")
    assert log.burden == 8
    assert [(t.muscle_group, t.side, t.intensity) for t in log.twitches.all()] == [("thigh", "both", 4)]
    assert [r.name for r in log.reliefs.all()] == ["Stretching"]
    assert log.updated_at > before
    weakness = Alert.objects.get(user=user, date=START, rule_id="weakness")
    assert weakness.status == Alert.Status.WITHDRAWN


def test_skipping_leaves_a_logged_day_exactly_as_it_was(user):
    day_save(user=user, date=START, fields={"stress": 6}, twitches=[Twitch("calf", "left", 5)])
    result = import_apply(user=user, plan=parse_json(json.dumps(days_backup(3))), replace=False)
    assert (result.created, result.replaced, result.skipped) == (2, 0, 1)
    log = DailyLog.objects.get(user=user, date=START)
    assert (log.stress, log.burden) == (6, 5)
    assert TwitchEntry.objects.filter(log__user=user).count() == 3


# --- Days per file ---


def test_a_file_of_more_days_than_the_limit_is_refused_with_the_limit_named():
    with pytest.raises(ImportError_, match="more than 3,700 days \\(about ten years\\).*Export a shorter date range"):
        parse_json(json.dumps(days_backup(MAX_DAYS + 1, start=dt.date(2010, 1, 1))))


def test_a_file_of_exactly_the_limit_imports(user):
    plan = parse_json(json.dumps(days_backup(MAX_DAYS, start=dt.date(2010, 1, 1))), today=dt.date(2026, 5, 1))
    assert len(plan.days) == MAX_DAYS == 3_700
    result = import_apply(user=user, plan=plan, replace=False)
    assert result.created == MAX_DAYS
    assert TwitchEntry.objects.filter(log__user=user).count() == MAX_DAYS


def test_the_csv_reader_stops_at_the_limit_too():
    first = dt.date(2010, 1, 1)
    lines = ["date (YYYY-MM-DD)", *((first + dt.timedelta(days=i)).isoformat() for i in range(MAX_DAYS + 1))]
    with pytest.raises(ImportError_, match="more than 3,700 days"):
        read_csv("\n".join(lines))
    assert len(read_csv("\n".join(lines[:-1])).days) == MAX_DAYS


# --- One import per person at a time ---


def upload(text: str):
    file = io.BytesIO(text.encode())
    file.name = "backup.json"
    return file


def test_a_second_import_while_one_runs_is_refused_and_writes_nothing(owner_client, user):
    ImportRun.objects.create(user=user, started_at=timezone.now())
    response = owner_client.post("/import/", {"file": upload(json.dumps(days_backup(3))), "existing": "skip"})
    html = response.content.decode()
    assert "Nothing was imported. Another import of yours started at" in html
    assert not DailyLog.objects.filter(user=user).exists()
    assert ImportRun.objects.filter(user=user).count() == 1  # the running import keeps its claim


def test_another_persons_import_does_not_block_mine(owner_client, user, other_user):
    ImportRun.objects.create(user=other_user, started_at=timezone.now())
    owner_client.post("/import/", {"file": upload(json.dumps(days_backup(3))), "existing": "skip"})
    assert DailyLog.objects.filter(user=user).count() == 3


def test_a_claim_left_by_an_import_that_died_is_taken_over(owner_client, user):
    ImportRun.objects.create(user=user, started_at=timezone.now() - IMPORT_STALE_AFTER - dt.timedelta(seconds=1))
    response = owner_client.post("/import/", {"file": upload(json.dumps(days_backup(3))), "existing": "skip"})
    assert response.status_code == 302
    assert DailyLog.objects.filter(user=user).count() == 3
    assert not ImportRun.objects.filter(user=user).exists()


def test_the_claim_ends_with_the_import_whether_it_succeeds_or_not(owner_client, user):
    owner_client.post("/import/", {"file": upload('{"format_version": 1, "logs": 3}'), "existing": "skip"})
    assert not ImportRun.objects.filter(user=user).exists()
    claimed = []

    def crash_mid_import():
        with import_running(user=user):
            claimed.append(ImportRun.objects.filter(user=user).exists())
            raise RuntimeError("a crash mid-import")

    with pytest.raises(RuntimeError):
        crash_mid_import()
    assert claimed == [True]
    assert not ImportRun.objects.filter(user=user).exists()


def test_nested_claims_by_the_same_person_are_refused(user):
    with import_running(user=user), pytest.raises(ImportBusy), import_running(user=user):
        pass


def test_the_import_command_is_refused_while_an_import_runs(user, tmp_path):
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(days_backup(2)))
    ImportRun.objects.create(user=user, started_at=timezone.now())
    with pytest.raises(CommandError, match="another import for alice .* is still running"):
        call_command("import_logs", "--user", "alice", str(path))
    assert not DailyLog.objects.filter(user=user).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: two connections at once")
def test_two_imports_at_once_from_two_connections_one_is_refused(user):
    import threading

    from django.db import connections

    claimed, release, outcome = threading.Event(), threading.Event(), []

    def first_import():
        try:
            with import_running(user=user):
                claimed.set()
                release.wait(timeout=30)
            outcome.append("finished")
        finally:
            connections.close_all()

    thread = threading.Thread(target=first_import)
    thread.start()
    try:
        assert claimed.wait(timeout=30)
        with pytest.raises(ImportBusy), import_running(user=user):
            pass
    finally:
        release.set()
        thread.join(timeout=30)
    assert outcome == ["finished"]
    with import_running(user=user):  # the claim ended with the first import
        assert ImportRun.objects.filter(user=user).count() == 1
