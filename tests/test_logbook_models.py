import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from bfs_tracker.logbook.burden import MAX_BURDEN, twitch_burden
from bfs_tracker.logbook.models import DailyLog, ReliefMethod, TwitchEntry
from bfs_tracker.logbook.services import Twitch, daily_log_save
from bfs_tracker.logbook.taxonomy import DEFAULT_RELIEF_METHODS, MuscleGroup, Side

DAY = dt.date(2026, 11, 20)


def test_burden_counts_both_sides_twice():
    assert twitch_burden([(Side.LEFT, 3), (Side.BOTH, 4)]) == 3 + 8
    assert twitch_burden([]) == 0
    assert MAX_BURDEN == 300


def test_the_taxonomy_has_every_group_the_product_promises():
    labels = set(MuscleGroup.labels)
    for expected in ["Eyelid", "Tongue", "Hand and fingers", "Glutes", "Calf", "Foot and toes"]:
        assert expected in labels


def test_a_new_account_gets_the_starter_relief_list(user):
    assert sorted(ReliefMethod.objects.filter(user=user).values_list("name", flat=True)) == sorted(
        DEFAULT_RELIEF_METHODS
    )


def test_saving_a_day_stores_entries_and_burden(user):
    log, created = daily_log_save(
        user=user,
        date=DAY,
        fields={"stress": 6},
        twitches=[Twitch(MuscleGroup.CALF, Side.LEFT, 5), Twitch(MuscleGroup.EYELID, Side.BOTH, 2)],
    )
    assert created
    assert log.burden == 9
    assert log.twitches.count() == 2


def test_saving_the_same_day_again_updates_the_one_log(user):
    daily_log_save(user=user, date=DAY, fields={}, twitches=[Twitch(MuscleGroup.CALF, Side.LEFT, 5)])
    log, created = daily_log_save(user=user, date=DAY, fields={}, twitches=[Twitch(MuscleGroup.THIGH, Side.RIGHT, 2)])
    assert not created
    assert DailyLog.objects.filter(user=user).count() == 1
    assert [(e.muscle_group, e.intensity) for e in log.twitches.all()] == [("thigh", 2)]
    assert log.burden == 2


def test_the_database_refuses_a_second_log_for_a_date(user):
    DailyLog.objects.create(user=user, date=DAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        DailyLog.objects.create(user=user, date=DAY)


def test_the_database_refuses_the_same_group_and_side_twice(user):
    log = DailyLog.objects.create(user=user, date=DAY)
    TwitchEntry.objects.create(log=log, muscle_group="calf", side="left", intensity=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        TwitchEntry.objects.create(log=log, muscle_group="calf", side="left", intensity=4)


@pytest.mark.parametrize(
    ("field", "value"), [("stress", 11), ("sleep_quality", 0), ("pain", 12), ("caffeine_mg", 5000)]
)
def test_the_database_refuses_out_of_range_values(user, field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        DailyLog.objects.create(user=user, date=DAY, **{field: value})


def test_an_invalid_entry_saves_nothing(user):
    daily_log_save(user=user, date=DAY, fields={"stress": 3}, twitches=[Twitch(MuscleGroup.CALF, Side.LEFT, 5)])
    # Refused by the rules the form and the importers share, before the database's constraint is reached.
    with pytest.raises(ValidationError, match="Calf on the left side is already listed"):
        daily_log_save(
            user=user,
            date=DAY,
            fields={"stress": 9},
            twitches=[Twitch(MuscleGroup.CALF, Side.LEFT, 5), Twitch(MuscleGroup.CALF, Side.LEFT, 6)],
        )
    log = DailyLog.objects.get(user=user, date=DAY)
    assert log.stress == 3
    assert log.twitches.count() == 1
