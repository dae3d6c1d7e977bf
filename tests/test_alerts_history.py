"""Alerts judged over the whole history, through the real writers: days.services.day_save and day_delete, the import
of a backup, and function checks. The same days give the same alerts in any order; an alert follows its evidence;
withdrawn alerts stay in the history and open again when raised again."""

import datetime as dt
import json
import threading

import pytest
from django.core import mail
from django.db import connection, connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bfs_tracker.accounts.services import user_create
from bfs_tracker.alerts.function_check import ITEMS
from bfs_tracker.alerts.models import Alert, FunctionCheck
from bfs_tracker.alerts.rules import FUNCTION_CHECK_WORSE, PERSISTENT_WEAKNESS, SIGN_RULE_IDS
from bfs_tracker.alerts.services import (
    alert_acknowledge,
    alert_settings_update,
    alerts_sync_for_log,
    alerts_sync_for_range,
    alerts_sync_for_user,
    function_check_record,
)
from bfs_tracker.days.services import day_delete, day_save
from bfs_tracker.logbook.models import DailyLog
from bfs_tracker.logbook.services import Twitch
from bfs_tracker.reports.exporters import FORMAT_VERSION
from bfs_tracker.reports.importers import parse_json
from bfs_tracker.reports.services import import_apply

DAY = dt.date(2025, 3, 3)
HISTORY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
FINE = {name: 0 for name, _ in ITEMS}


def days(*offsets: int) -> list[dt.date]:
    return [DAY + dt.timedelta(days=o) for o in offsets]


def save(user, date, **fields):
    """Save a whole day as the form does: every sign not given is unticked."""
    fields = {sign: False for sign in SIGN_RULE_IDS} | fields
    log, _ = day_save(user=user, date=date, fields=fields, twitches=[])
    return log


def weak(user, date, place="left hand", **fields):
    return save(user, date, weakness=True, weakness_location=place, **fields)


def persistent(user) -> list[Alert]:
    return list(Alert.objects.filter(user=user, rule_id=PERSISTENT_WEAKNESS).order_by("date"))


def snapshot(user) -> list[tuple]:
    """Everything a person is shown about their alerts, without row ids and timestamps."""
    return sorted(Alert.objects.filter(user=user).values_list("rule_id", "date", "status", "details", "evidence"))


def live(user) -> list[tuple]:
    return [row for row in snapshot(user) if row[2] != "withdrawn"]


# -- The "Done when" of the issue, and withdrawal and re-raising -------------------------------------------------


def test_back_filling_three_weak_days_newest_first_gives_one_alert_dated_on_the_third_and_unticking_withdraws_it(user):
    first, second, third = days(0, 5, 11)  # within two weeks
    for date in (third, second, first):  # back-filled, newest first
        weak(user, date, place=f"place {date.day}")
    (alert,) = persistent(user)
    assert alert.date == third  # the day the rule was first met in date order, not the last one saved
    assert alert.status == "open"
    assert alert.evidence == [d.isoformat() for d in (first, second, third)]
    assert "3 Mar 2025: place 3" in alert.details

    save(user, second)  # weakness unticked on one of the three days
    (alert,) = persistent(user)
    assert alert.status == "withdrawn"
    assert alert.withdrawn_at is not None
    assert "8 Mar 2025: place 8" in alert.details, "kept in the history with the evidence it had"
    assert alert.withdrawn_because.startswith("The days it lists no longer meet the rule")


@pytest.mark.parametrize("which", [0, 1, 2])
def test_unticking_any_of_the_three_days_withdraws_and_ticking_it_again_opens_the_same_alert(user, which):
    three = days(0, 1, 2)
    for date in three:
        weak(user, date, place=f"spot {date.day}")
    (raised,) = persistent(user)
    alert_acknowledge(alert=raised)
    save(user, three[which])
    assert [a.status for a in persistent(user)] == ["withdrawn"]
    weak(user, three[which], place=f"spot {three[which].day}")
    (alert,) = persistent(user)
    assert alert.pk == raised.pk
    assert (alert.status, alert.date, alert.withdrawn_at, alert.acknowledged_at) == ("open", three[2], None, None)


def test_deleting_one_of_the_days_withdraws_it_and_the_sign_alert_too(user):
    logs = [weak(user, date, place=f"spot {date.day}") for date in days(0, 3, 6)]
    day_delete(log=logs[1])
    assert {(a.rule_id, a.date, a.status) for a in Alert.objects.filter(user=user, status="withdrawn")} == {
        ("weakness", days(3)[0], "withdrawn"),
        (PERSISTENT_WEAKNESS, days(6)[0], "withdrawn"),
    }


def test_a_read_alert_stays_read_while_back_filling_moves_it_to_the_day_the_rule_was_first_met(user):
    for date in days(4, 6, 9):
        weak(user, date, place=f"spot {date.day}")
    (alert,) = persistent(user)
    assert alert.date == days(9)[0]
    alert_acknowledge(alert=alert)
    weak(user, days(0)[0], place="spot 3")  # an earlier day filled in: the rule was first met on day 6 after all
    (moved,) = persistent(user)
    assert (moved.pk, moved.date, moved.status) == (alert.pk, days(6)[0], "acknowledged")
    assert moved.evidence == [d.isoformat() for d in days(0, 4, 6, 9)]


def test_a_read_alert_stays_read_when_one_day_goes_but_the_rest_still_meet_the_rule_and_its_list_follows(user):
    for date in days(0, 1, 2, 3):
        weak(user, date, place=f"spot {date.day}")
    (alert,) = persistent(user)
    alert_acknowledge(alert=alert)
    save(user, days(2)[0], stress=4)  # weakness unticked on the day the rule was first met
    (kept,) = persistent(user)
    assert (kept.pk, kept.date, kept.status) == (alert.pk, days(3)[0], "acknowledged")
    assert kept.evidence == [d.isoformat() for d in days(0, 1, 3)]
    assert "5 Mar 2025" not in kept.details, "the evidence list is always current"


def test_episodes_in_march_and_september_are_two_alerts_and_back_filling_between_them_keeps_both(user):
    march, september = days(0, 2, 4), [dt.date(2025, 9, d) for d in (1, 8, 12)]
    for date in september + march:
        weak(user, date, place=f"spot {date.isoformat()}")
    assert [(a.date, a.status) for a in persistent(user)] == [(march[2], "open"), (september[2], "open")]
    for date in (dt.date(2025, 6, 1), dt.date(2025, 6, 3), dt.date(2025, 6, 5)):  # a third episode in between
        weak(user, date, place=f"spot {date.isoformat()}")
    assert [a.date for a in persistent(user)] == [march[2], dt.date(2025, 6, 5), september[2]]
    assert Alert.objects.filter(user=user, status="withdrawn").count() == 0


def test_a_changed_place_breaks_a_same_place_pair(user):
    weak(user, days(0)[0], place="Left calf")
    weak(user, days(40)[0], place="left calf")
    (alert,) = persistent(user)
    assert alert.date == days(40)[0]
    weak(user, days(40)[0], place="right shoulder")
    assert [a.status for a in persistent(user)] == ["withdrawn"]


def test_a_new_persistent_alert_is_emailed_once_and_moving_it_sends_nothing(user, django_capture_on_commit_callbacks):
    alert_settings_update(user=user, email_on_alert=True)
    with django_capture_on_commit_callbacks(execute=True):
        for date in days(5, 8, 10):
            weak(user, date, place=f"spot {date.day}")
    persistent_mails = [m for m in mail.outbox if "Weakness that keeps coming back" in m.subject]
    assert len(persistent_mails) == 1
    assert "does not diagnose" in persistent_mails[0].body
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        weak(user, days(0)[0], place="spot 0")
    assert [m.subject for m in mail.outbox[sent:]] == ["BFS Tracker: You reported weakness (3 March 2025)"]


# -- Same days, any order: the save service and the import ---------------------------------------------------------

PLACES = ["left hand", "Left hand.", "right calf", "neck"]
day_record = st.fixed_dictionaries(
    {
        "weakness": st.booleans(),
        "weakness_location": st.sampled_from(PLACES),
        "falls": st.booleans(),
        "breathing_trouble": st.booleans(),
        "notes": st.sampled_from(["", "jar lid", "stairs"]),
    }
)
histories = st.dictionaries(st.integers(min_value=0, max_value=200), day_record, min_size=1, max_size=12).map(
    lambda found: {DAY + dt.timedelta(days=o): fields for o, fields in found.items()}
)


def fresh_people(count: int) -> list:
    """People for one hypothesis example (the database is shared between examples of one test)."""
    Alert.objects.all().delete()
    DailyLog.objects.all().delete()
    FunctionCheck.objects.all().delete()
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(username__startswith="order-").delete()
    return [user_create(username=f"order-{i}", email="", password="x") for i in range(count)]


def as_fields(fields: dict) -> dict:
    place = fields["weakness_location"] if fields["weakness"] else ""
    return {sign: False for sign in SIGN_RULE_IDS} | fields | {"weakness_location": place}


def backup(history: dict, order: list[dt.date], checks: list[tuple[dt.date, dict]] = ()) -> str:
    logs = [{"date": date.isoformat(), **as_fields(history[date])} for date in order]
    function_checks = [{"taken_on": date.isoformat(), **answers} for date, answers in checks]
    return json.dumps({"format_version": FORMAT_VERSION, "logs": logs, "function_checks": function_checks})


@HISTORY
@given(history=histories, data=st.data())
def test_saving_the_same_days_in_any_order_gives_the_same_alerts(db, history, data):
    in_date_order, shuffled, imported = fresh_people(3)
    order = data.draw(st.permutations(sorted(history)))
    for date in sorted(history):
        day_save(user=in_date_order, date=date, fields=as_fields(history[date]), twitches=[])
    for date in order:
        day_save(user=shuffled, date=date, fields=as_fields(history[date]), twitches=[])
    import_apply(user=imported, plan=parse_json(backup(history, order)), replace=False)
    expected = snapshot(in_date_order)
    assert snapshot(shuffled) == expected
    assert snapshot(imported) == expected
    assert all(status == "open" for _rule, _date, status, _details, _evidence in expected)


@HISTORY
@given(
    history=histories,
    edits=st.lists(st.tuples(st.integers(min_value=0, max_value=200), st.one_of(st.none(), day_record)), max_size=8),
)
def test_after_any_edits_the_live_alerts_are_those_the_final_days_call_for(db, history, edits):
    """Ticks, unticks and deletions leave withdrawn alerts in the history, but what is live matches a person who
    logged the final days once."""
    edited, direct = fresh_people(2)
    final = dict(history)
    for date in sorted(history):
        day_save(user=edited, date=date, fields=as_fields(history[date]), twitches=[])
    for offset, fields in edits:
        date = DAY + dt.timedelta(days=offset)
        if fields is None:
            log = DailyLog.objects.filter(user=edited, date=date).first()
            if log is not None:
                day_delete(log=log)
            final.pop(date, None)
        else:
            day_save(user=edited, date=date, fields=as_fields(fields), twitches=[])
            final[date] = fields
    for date in sorted(final):
        day_save(user=direct, date=date, fields=as_fields(final[date]), twitches=[])
    assert live(edited) == live(direct)


def test_the_demo_seeders_bulk_path_and_a_whole_history_sync_agree_with_the_save_service(user, other_user):
    for date in days(0, 2, 4, 30, 31):
        weak(user, date, place="left hand", falls=date.day == 2)
        DailyLog.objects.create(
            user=other_user, date=date, weakness=True, weakness_location="left hand", falls=date.day == 2
        )
    alerts_sync_for_range(user=other_user, start=DAY, end=days(31)[0])
    assert snapshot(other_user) == snapshot(user)
    assert alerts_sync_for_user(user=other_user) == []
    assert snapshot(other_user) == snapshot(user)


def test_a_whole_history_sync_repairs_days_deleted_in_bulk(user):
    for date in days(0, 1, 2):
        weak(user, date)
    DailyLog.objects.filter(user=user).delete()  # a bulk delete skips day_delete
    alerts_sync_for_user(user=user)
    assert set(Alert.objects.filter(user=user).values_list("status", flat=True)) == {"withdrawn"}


# -- Function checks: two in a row over the whole history ----------------------------------------------------------

answers = st.fixed_dictionaries({name: st.integers(min_value=0, max_value=1) for name in ("stairs", "walking")}).map(
    lambda some: FINE | some
)
check_histories = st.dictionaries(st.integers(min_value=0, max_value=20), answers, min_size=1, max_size=8).map(
    lambda found: {DAY + dt.timedelta(days=7 * week): a for week, a in found.items()}
)


@HISTORY
@given(checks=check_histories, data=st.data())
def test_function_checks_recorded_in_date_order_or_imported_in_any_order_give_the_same_alerts(db, checks, data):
    recorded, imported = fresh_people(2)
    for date in sorted(checks):
        function_check_record(user=recorded, answers=checks[date], today=date)
    order = data.draw(st.permutations(sorted(checks)))
    import_apply(user=imported, plan=parse_json(backup({}, [], [(d, checks[d]) for d in order])), replace=False)
    assert snapshot(imported) == snapshot(recorded)


def test_replacing_a_check_withdraws_its_alert_and_replacing_it_back_opens_it_again(user):
    first, second = days(0, 7)
    function_check_record(user=user, answers=FINE | {"stairs": 1}, today=first)
    _check, raised = function_check_record(user=user, answers=FINE | {"stairs": 2}, today=second)
    (alert,) = raised
    assert alert.evidence == [first.isoformat(), second.isoformat()]
    assert "3 Mar 2025 and 10 Mar 2025" in alert.details
    alert_acknowledge(alert=alert)

    import_apply(user=user, plan=parse_json(backup({}, [], [(first, FINE)])), replace=True)
    alert.refresh_from_db()
    assert alert.status == "withdrawn"
    assert alert.withdrawn_because.startswith("A check was replaced")
    assert "Stairs: much harder" in alert.details, "kept with the evidence it had"

    import_apply(user=user, plan=parse_json(backup({}, [], [(first, FINE | {"stairs": 1})])), replace=True)
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_at) == ("open", None)


def test_a_check_imported_between_two_harder_ones_breaks_the_pair(user):
    first, second = days(0, 14)
    function_check_record(user=user, answers=FINE | {"walking": 1}, today=first)
    function_check_record(user=user, answers=FINE | {"walking": 1}, today=second)
    import_apply(user=user, plan=parse_json(backup({}, [], [(days(7)[0], FINE)])), replace=False)
    assert list(Alert.objects.filter(user=user).values_list("rule_id", "status")) == [
        (FUNCTION_CHECK_WORSE, "withdrawn")
    ]


# -- Cost ----------------------------------------------------------------------------------------------------------


def weak_history(user, count: int) -> None:
    for i in range(count):
        weak(user, DAY - dt.timedelta(days=30 + 15 * i), place=f"spot {i}")  # no pattern among them


# What saving a day itself costs inside a test's transaction: lock-and-load the log, update, its twitches and its
# things tried replaced (no savepoint: the values are checked in Python first, without a query; nothing to insert).
LOG_SAVE = 4


# A day not logged yet: the lock-and-load finds nothing, then one INSERT with every value in a savepoint (in case
# another tab creates the day at that moment: three queries); no UPDATE after it, nothing to clear.
LOG_CREATE = 4


@pytest.mark.parametrize("history", [0, 60])
def test_saving_a_new_day_is_one_insert_whatever_the_history(user, history, django_assert_num_queries):
    weak_history(user, history)
    with django_assert_num_queries(LOG_CREATE):  # no sign: the new day has no alert to change
        save(user, DAY, stress=5)
    log = DailyLog.objects.get(user=user, date=DAY)
    assert (log.stress, log.burden, log.weakness_location) == (5, 0, "")
    with django_assert_num_queries(LOG_CREATE + 1):  # and its twitch entries, in one INSERT
        day_save(user=user, date=DAY + dt.timedelta(days=1), fields={}, twitches=[Twitch("calf", "left", 4)])
    assert DailyLog.objects.get(user=user, date=DAY + dt.timedelta(days=1)).burden == 4


@pytest.mark.parametrize("history", [0, 60])
def test_saving_a_day_without_red_flags_over_one_without_reads_no_alert_whatever_the_history(
    user, history, django_assert_num_queries
):
    weak_history(user, history)
    save(user, DAY, stress=3)
    with django_assert_num_queries(LOG_SAVE):  # no sign then, none now: the day has no alert to change
        save(user, DAY, stress=5)
    save(user, DAY, falls=True)
    with django_assert_num_queries(LOG_SAVE + 2):  # a sign before: the day's sign alerts read, its alert withdrawn
        save(user, DAY, stress=5)
    assert Alert.objects.get(user=user, date=DAY, rule_id="falls").status == Alert.Status.WITHDRAWN
    with django_assert_num_queries(LOG_SAVE + 2):  # none before, one now: the day's alerts read, its alert reopened
        save(user, DAY, falls=True)
    assert Alert.objects.get(user=user, date=DAY, rule_id="falls").status == Alert.Status.OPEN


@pytest.mark.parametrize("history", [3, 60])
def test_saving_a_day_with_weakness_reads_the_history_in_one_query(user, history, django_assert_num_queries):
    weak_history(user, history)
    weak(user, DAY, notes="first")
    # The day's sign alerts (1), its weakness alert's new words (1), the person's row lock (1), their weak days (1,
    # however many) and their persistent-weakness alerts (1).
    with django_assert_num_queries(LOG_SAVE + 5):
        weak(user, DAY, notes="second")


def test_saving_the_third_weak_day_raises_the_persistent_alert_in_a_fixed_number_of_queries(
    user, django_assert_num_queries
):
    weak_history(user, 30)
    for date in days(0, 1):
        weak(user, date, place=f"spot {date.day}")
    save(user, days(2)[0])  # the day exists; now weakness is ticked on it
    # The day's sign alerts, its new weakness alert, the lock, weak days, persistent alerts, the new persistent
    # alert, and whether the person wants alert emails.
    with django_assert_num_queries(LOG_SAVE + 7):
        weak(user, days(2)[0], place="spot 5")
    assert len(persistent(user)) == 1


def test_syncing_a_day_whose_weakness_is_unchanged_writes_nothing(user, django_assert_num_queries):
    for date in days(0, 1, 2):
        weak(user, date)
    with django_assert_num_queries(5):  # the log, the day's alerts, the lock, weak days, persistent alerts
        assert alerts_sync_for_log(user=user, date=days(2)[0]) == []


# -- Two days saved at once ------------------------------------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite serialises every write")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_two_weak_days_saved_at_once_still_raise_the_pattern_they_make_together(user, attempt):
    """Each save alone sees two weak days; the lock on the person's row makes the second see the first."""
    weak(user, DAY, place="arm")
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def save_weak(date, place):
        try:
            barrier.wait(timeout=10)
            weak(user, date, place=place)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save_weak, args=args) for args in ((days(3)[0], "leg"), (days(5)[0], "neck"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert [(a.date, a.status) for a in persistent(user)] == [(days(5)[0], "open")]
