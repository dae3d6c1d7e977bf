"""Alerts through the real save path: days.services.day_save and day_delete (the day page and imports use them)."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from bfs_tracker.alerts.models import Alert
from bfs_tracker.alerts.rules import PERSISTENT_WEAKNESS, SIGN_RULE_IDS
from bfs_tracker.alerts.services import (
    alert_acknowledge,
    alert_settings_update,
    alerts_sync_for_log,
    alerts_sync_for_range,
)
from bfs_tracker.days.services import day_delete, day_save
from bfs_tracker.logbook.demo_data import demo_history
from bfs_tracker.logbook.models import DailyLog
from bfs_tracker.logbook.services import Twitch
from bfs_tracker.logbook.taxonomy import MuscleGroup, Side

DAY = dt.date(2026, 11, 20)


def save(user, date=DAY, twitches=(), **fields):
    """Save a whole day as the form does: every sign not given is unticked."""
    fields = {sign: False for sign in SIGN_RULE_IDS} | fields
    log, _ = day_save(user=user, date=date, fields=fields, twitches=list(twitches))
    return log


def alerts(user, **filters):
    return list(Alert.objects.filter(user=user, **filters).order_by("date", "rule_id"))


def test_logging_weakness_in_the_left_hand_raises_one_open_alert_with_the_persons_words(user):
    save(user, weakness=True, weakness_location="Left hand", notes="Dropped my keys twice")
    (alert,) = alerts(user)
    assert (alert.rule_id, alert.severity, alert.status, alert.date) == ("weakness", "see_doctor", "open", DAY)
    assert alert.title == "You reported weakness"
    assert "Left hand" in alert.details
    assert "Dropped my keys twice" in alert.details


def test_trouble_breathing_raises_an_urgent_alert(user):
    save(user, breathing_trouble=True)
    (alert,) = alerts(user)
    assert alert.severity == "urgent"
    assert alert.is_urgent


def test_heavy_twitching_in_ten_muscle_groups_raises_nothing(user):
    groups = list(MuscleGroup)[:10]
    save(user, twitches=[Twitch(g, Side.BOTH, 10) for g in groups], stress=10, anxiety=10)
    assert alerts(user) == []


def test_a_flare_over_a_week_with_new_muscle_groups_each_day_raises_nothing(user):
    groups = list(MuscleGroup)
    for offset in range(7):
        new_group = groups[offset]
        save(
            user,
            date=DAY + dt.timedelta(days=offset),
            twitches=[Twitch(g, Side.BOTH, 9) for g in groups[: offset + 1]],
        )
        assert new_group  # a group never logged before appears every day
    assert DailyLog.objects.filter(user=user).count() == 7
    assert alerts(user) == []


def test_fatigue_cramps_tingling_and_pain_without_weakness_raise_nothing(user):
    save(user, fatigue=10, cramps=10, tingling=10, pain=10, numbness=10, stiffness=10)
    assert alerts(user) == []


def test_saving_the_same_day_again_does_not_duplicate_the_alert(user):
    save(user, weakness=True, weakness_location="left hand")
    save(user, weakness=True, weakness_location="left hand", stress=5)
    save(user, weakness=True, weakness_location="left hand and wrist")
    (alert,) = alerts(user)
    assert "left hand and wrist" in alert.details


def test_the_database_refuses_a_second_alert_for_the_same_rule_and_day(user):
    save(user, weakness=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Alert.objects.create(user=user, date=DAY, rule_id="weakness", severity="see_doctor", title="x")


def test_removing_the_sign_withdraws_the_alert_and_keeps_it(user):
    save(user, weakness=True, dropping_things=True)
    save(user, dropping_things=True)
    weakness = Alert.objects.get(user=user, rule_id="weakness")
    assert weakness.status == "withdrawn"
    assert weakness.withdrawn_at is not None
    assert Alert.objects.get(user=user, rule_id="dropping_things").status == "open"


def test_deleting_the_day_withdraws_its_alerts_instead_of_deleting_them(user):
    log = save(user, weakness=True, slurred_speech=True)
    day_delete(log=log)
    assert not DailyLog.objects.filter(user=user).exists()
    assert {(a.rule_id, a.status) for a in alerts(user)} == {("weakness", "withdrawn"), ("slurred_speech", "withdrawn")}


def test_a_sign_that_comes_back_reopens_the_same_alert(user):
    save(user, weakness=True)
    first = Alert.objects.get(user=user)
    alert_acknowledge(alert=first)
    save(user)
    save(user, weakness=True, weakness_location="right foot")
    (alert,) = alerts(user)
    assert alert.pk == first.pk
    assert alert.status == "open"
    assert alert.withdrawn_at is None
    assert alert.acknowledged_at is None
    assert "right foot" in alert.details


def test_an_acknowledged_alert_stays_acknowledged_when_the_day_is_saved_again(user):
    save(user, weakness=True)
    alert_acknowledge(alert=Alert.objects.get(user=user))
    save(user, weakness=True, notes="still there")
    assert Alert.objects.get(user=user).status == "acknowledged"


def test_weakness_on_three_days_within_fourteen_raises_persistent_weakness(user):
    for offset in (0, 5, 12):
        save(user, date=DAY + dt.timedelta(days=offset), weakness=True, weakness_location=f"place {offset}")
    (persistent,) = alerts(user, rule_id=PERSISTENT_WEAKNESS)
    assert persistent.date == DAY + dt.timedelta(days=12)
    assert "place 0" in persistent.details
    assert "place 5" in persistent.details


def test_weakness_in_the_same_place_on_two_days_raises_persistent_weakness(user):
    save(user, date=DAY, weakness=True, weakness_location="Left calf")
    save(user, date=DAY + dt.timedelta(days=3), weakness=True, weakness_location=" left CALF ")
    assert [a.date for a in alerts(user, rule_id=PERSISTENT_WEAKNESS)] == [DAY + dt.timedelta(days=3)]


def test_three_weak_days_spread_over_twenty_days_raise_no_persistent_alert(user):
    for offset, place in ((0, "arm"), (10, "leg"), (20, "neck")):
        save(user, date=DAY + dt.timedelta(days=offset), weakness=True, weakness_location=place)
    assert len(alerts(user, rule_id="weakness")) == 3
    assert alerts(user, rule_id=PERSISTENT_WEAKNESS) == []


def test_a_run_of_weak_days_raises_one_persistent_alert_not_one_a_day(user):
    for offset in range(6):
        save(user, date=DAY + dt.timedelta(days=offset), weakness=True)
    assert len(alerts(user, rule_id="weakness")) == 6
    assert [a.date for a in alerts(user, rule_id=PERSISTENT_WEAKNESS)] == [DAY + dt.timedelta(days=2)]


def test_persistent_weakness_is_withdrawn_when_that_days_weakness_is_removed(user):
    for offset in (0, 1, 2):
        save(user, date=DAY + dt.timedelta(days=offset), weakness=True)
    save(user, date=DAY + dt.timedelta(days=2))
    (persistent,) = alerts(user, rule_id=PERSISTENT_WEAKNESS)
    assert persistent.status == "withdrawn"


def test_a_failed_save_leaves_no_alert_behind(user):
    with pytest.raises(ValidationError):
        day_save(user=user, date=DAY, fields={"weakness": True, "stress": 99}, twitches=[])
    assert alerts(user) == []


def test_syncing_twice_is_a_no_op(user):
    save(user, weakness=True, falls=True)
    assert alerts_sync_for_log(user=user, date=DAY) == []
    assert len(alerts(user)) == 2


def test_another_users_days_never_count_towards_persistence(user, other_user):
    save(other_user, date=DAY - dt.timedelta(days=1), weakness=True, weakness_location="left hand")
    save(other_user, date=DAY - dt.timedelta(days=2), weakness=True)
    save(user, weakness=True, weakness_location="left hand")
    assert [a.rule_id for a in alerts(user)] == ["weakness"]


def test_no_email_when_the_setting_is_off(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        save(user, weakness=True)
    assert mail.outbox == []


def test_email_is_sent_once_per_new_alert_when_enabled(user, django_capture_on_commit_callbacks):
    alert_settings_update(user=user, email_on_alert=True)
    with django_capture_on_commit_callbacks(execute=True):
        save(user, swallowing_trouble=True, weakness_location="", notes="private words")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    assert "You reported trouble swallowing" in message.subject
    assert "today" in message.body
    assert "does not diagnose" in message.body
    assert "private words" not in message.body
    with django_capture_on_commit_callbacks(execute=True):
        save(user, swallowing_trouble=True, notes="edited")
        save(user)
        save(user, swallowing_trouble=True)  # re-opened, not new
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("fast", [False, True])
def test_the_demo_history_has_its_weakness_alert_open(user, fast):
    with time_machine.travel(dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC), tick=False):
        call_command("seed_demo", user=user.username, days=120, seed=1, fast=fast, stdout=StringIO())
        plan, _ = demo_history(seed=1, start=dt.date(2026, 7, 29), end=dt.date(2026, 11, 25), relief_names=[])
    weakness = Alert.objects.get(user=user, rule_id="weakness")
    assert weakness.date == plan.weakness_day
    assert weakness.status == "open"
    assert "left hand" in weakness.details


def test_alerts_sync_for_range_withdraws_alerts_of_days_deleted_in_bulk(user):
    save(user, weakness=True)
    DailyLog.objects.filter(user=user).delete()  # a bulk delete skips day_delete
    alerts_sync_for_range(user=user, start=DAY, end=DAY)
    assert Alert.objects.get(user=user).status == "withdrawn"
