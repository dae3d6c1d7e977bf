"""Own factors in the JSON backup: an exact round trip into a new account, and bad input refused whole."""

import datetime as dt
import json

import pytest
import time_machine

from bfs_tracker.days.services import day_save
from bfs_tracker.logbook import own_factors as own
from bfs_tracker.logbook.models import DailyLog, OwnFactor, OwnFactorValue, OwnKind
from bfs_tracker.logbook.services import Twitch
from bfs_tracker.reports.exporters import backup_data
from bfs_tracker.reports.importers import ImportError_, parse_json
from bfs_tracker.reports.services import import_apply

TODAY = dt.date(2026, 6, 30)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 6, 30, 12, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def history(user):
    cold = own.own_factor_create(user=user, name="Cold exposure", kind=OwnKind.SCORE)
    gym = own.own_factor_create(user=user, name="Gym day", kind=OwnKind.YES_NO)
    old = own.own_factor_create(user=user, name="Long screen day", kind=OwnKind.YES_NO)
    own.own_factor_create(user=user, name="Never used", kind=OwnKind.SCORE)
    for i in range(6):
        values = {cold: None if i == 2 else i * 2, gym: i % 2 == 0}
        if i < 2:
            values[old] = True
        day_save(
            user=user,
            date=TODAY - dt.timedelta(days=i),
            fields={"stress": i},
            twitches=[Twitch("calf", "left", i + 1)],
            own_values=values,
        )
    day_save(user=user, date=TODAY - dt.timedelta(days=10), fields={}, twitches=[])  # a day with none
    own.own_factor_set_archived(factor=old, archived=True)
    return user


def _own_part(data: dict) -> tuple:
    return data["own_factors"], [(day["date"], day.get("own_factors")) for day in data["logs"]]


def test_export_then_import_into_a_new_account_gives_the_same_factors_and_values(history, other_user):
    data = backup_data(history)
    assert data["own_factors"] == [
        {"name": "Cold exposure", "kind": "0-10", "archived": False},
        {"name": "Gym day", "kind": "yes/no", "archived": False},
        {"name": "Long screen day", "kind": "yes/no", "archived": True},
        {"name": "Never used", "kind": "0-10", "archived": False},
    ]
    by_date = {day["date"]: day for day in data["logs"]}
    assert by_date[TODAY.isoformat()]["own_factors"] == {"Cold exposure": 0, "Gym day": True, "Long screen day": True}
    assert by_date[(TODAY - dt.timedelta(days=2)).isoformat()]["own_factors"] == {"Gym day": True}
    assert "own_factors" not in by_date[(TODAY - dt.timedelta(days=10)).isoformat()]

    text = json.dumps(data)
    import_apply(user=other_user, plan=parse_json(text, today=TODAY), replace=False)
    assert _own_part(backup_data(other_user)) == _own_part(data)
    assert (
        OwnFactorValue.objects.filter(log__user=other_user).count()
        == OwnFactorValue.objects.filter(log__user=history).count()
    )


def test_importing_the_backup_again_over_the_same_days_changes_nothing(history):
    data = backup_data(history)
    import_apply(user=history, plan=parse_json(json.dumps(data), today=TODAY), replace=True)
    assert _own_part(backup_data(history)) == _own_part(data)
    assert OwnFactor.objects.filter(user=history).count() == 4


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (
            lambda d: d["own_factors"].append({"name": "Stress", "kind": "0-10"}),
            "Own factor 5, name: “Stress” is already",
        ),
        (lambda d: d["own_factors"].append({"name": "gym  DAY", "kind": "yes/no"}), "listed twice"),
        (lambda d: d["own_factors"].append({"name": "Cold", "kind": "sometimes"}), "Own factor 5, kind"),
        (lambda d: d["logs"][0]["own_factors"].update({"Cold exposure": 11}), "from 0 to 10"),
        (lambda d: d["logs"][0]["own_factors"].update({"Gym day": "yes"}), "yes or no"),
        (lambda d: d["logs"][0]["own_factors"].update({"Unlisted": 3}), "not in the backup’s list"),
        (lambda d: d.update(own_factors={"name": "x"}), "must be a list"),
    ],
)
def test_a_bad_own_factor_in_a_backup_is_named_and_nothing_is_imported(history, other_user, change, words):
    data = backup_data(history)
    data["logs"].sort(key=lambda day: day["date"], reverse=True)  # the first day holds own values
    change(data)
    with pytest.raises(ImportError_, match=words):
        import_apply(user=other_user, plan=parse_json(json.dumps(data), today=TODAY), replace=False)
    assert not DailyLog.objects.filter(user=other_user).exists()
    assert not OwnFactor.objects.filter(user=other_user).exists()


def test_a_name_the_person_has_as_another_kind_refuses_the_whole_import(history, other_user):
    own.own_factor_create(user=other_user, name="gym day", kind=OwnKind.SCORE)
    with pytest.raises(ImportError_, match="Rename one of them first"):
        import_apply(user=other_user, plan=parse_json(json.dumps(backup_data(history)), today=TODAY), replace=False)
    assert not DailyLog.objects.filter(user=other_user).exists()
    assert list(OwnFactor.objects.filter(user=other_user).values_list("name", flat=True)) == ["gym day"]


def test_an_existing_factor_of_the_same_name_is_reused(history, other_user):
    mine = own.own_factor_create(user=other_user, name="COLD exposure", kind=OwnKind.SCORE)
    import_apply(user=other_user, plan=parse_json(json.dumps(backup_data(history)), today=TODAY), replace=False)
    assert OwnFactor.objects.filter(user=other_user).count() == 4
    assert OwnFactorValue.objects.filter(factor=mine).count() == 5
