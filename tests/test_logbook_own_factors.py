"""Factors of the person's own (issue 13 item 2): the settings screen and its rules, the day form, the insights
(same honesty rules and one multiple-comparison control with the built-in factors), the JSON backup's round trip
and its bad input, and the caches."""

import datetime as dt
import io
import json

import numpy as np
import pytest
import time_machine
from django.core.cache import caches
from django.urls import reverse

from bfs_tracker.days.services import day_save
from bfs_tracker.logbook.models import DailyLog, OwnFactor, OwnFactorValue
from bfs_tracker.logbook.own_factors import own_factor_create, values_of, with_own
from bfs_tracker.logbook.selectors import day_records
from bfs_tracker.logbook.services import Twitch
from bfs_tracker.reports.assembly import build_report
from bfs_tracker.reports.exporters import backup_data
from bfs_tracker.reports.importers import ImportError_, parse_json
from bfs_tracker.reports.services import import_apply
from bfs_tracker.trends.insights import insight_factors, trigger_insights
from bfs_tracker.trends.selectors import log_span
from tests.logbook_helpers import day_data

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 25)


@pytest.fixture(autouse=True)
def frozen_now():
    caches["dashboard"].clear()
    caches["reports"].clear()
    with time_machine.travel(NOW, tick=False):
        yield


# The settings screen and its rules ----------------------------------------------------------------------------


def test_adding_cold_exposure_puts_it_on_the_day_form(owner_client, user):
    response = owner_client.post(reverse("own_factors"), {"name": "  Cold   exposure ", "kind": "yes_no"}, follow=True)
    assert "Added “Cold exposure”" in response.content.decode()
    factor = OwnFactor.objects.get(user=user)
    assert (factor.name, factor.kind, factor.archived) == ("Cold exposure", "yes_no", False)
    page = owner_client.get(reverse("day", kwargs={"day": TODAY})).content.decode()
    assert "Your own factors" in page
    assert f'name="own_{factor.pk}"' in page


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "This field is required."),
        ("Stress", "“Stress” is already one of the built-in factors on the day form"),
        ("caffeine", "“caffeine” is already one of the built-in factors"),
        ("sleep hours", "is already one of the built-in factors"),
        ("cold EXPOSURE", "You already have a factor called “cold EXPOSURE”."),
        ("x" * 41, "Keep the name to 40 characters or fewer (it has 41)."),
        ("bad\x07name", "control characters"),
    ],
)
def test_a_bad_name_is_named_by_its_field_and_nothing_is_saved(owner_client, user, name, message):
    own_factor_create(user=user, name="Cold exposure", kind="yes_no")
    response = owner_client.post(reverse("own_factors"), {"name": name, "kind": "scale"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert OwnFactor.objects.filter(user=user).count() == 1


def test_archiving_takes_it_off_the_day_form_and_keeps_its_values(owner_client, user, other_user):
    factor = own_factor_create(user=user, name="Gym day", kind="yes_no")
    log, _ = day_save(user=user, date=TODAY, fields={}, twitches=[], own={factor.pk: 1})
    owner_client.post(reverse("own_factor_archive", args=[factor.pk]))
    factor.refresh_from_db()
    assert factor.archived
    assert f'name="own_{factor.pk}"' not in owner_client.get(reverse("day", kwargs={"day": TODAY})).content.decode()
    assert values_of(log) == {factor.pk: 1}
    theirs = own_factor_create(user=other_user, name="Gym day", kind="yes_no")
    assert owner_client.post(reverse("own_factor_archive", args=[theirs.pk])).status_code == 404


# The day form -------------------------------------------------------------------------------------------------


def test_the_day_form_saves_and_shows_the_answers_and_refuses_a_bad_one(owner_client, user):
    cold = own_factor_create(user=user, name="Cold exposure", kind="yes_no")
    screen = own_factor_create(user=user, name="Long screen day", kind="scale")
    url = reverse("day", kwargs={"day": TODAY})
    response = owner_client.post(
        url, day_data([("calf", "left", "3")], **{f"own_{cold.pk}": "1", f"own_{screen.pk}": ""})
    )
    assert response.status_code == 302
    log = DailyLog.objects.get(user=user, date=TODAY)
    assert values_of(log) == {cold.pk: 1}  # blank is "not recorded", not 0
    page = owner_client.get(url).content.decode()
    assert f'name="own_{cold.pk}" value="1" id="id_own_{cold.pk}_2" checked' in page
    bad = owner_client.post(url, day_data([("calf", "left", "9")], **{f"own_{screen.pk}": "11"}))
    assert bad.status_code == 200
    assert "Select a valid choice" in bad.content.decode()
    log.refresh_from_db()
    assert log.burden == 3  # nothing of the refused save was written
    assert values_of(log) == {cold.pk: 1}


# Insights ---------------------------------------------------------------------------------------------------------


def _history(user, factor, *, days: int = 60, effect: float = 2.5, seed: int = 3) -> None:
    """Burden about 8, times `effect` on days with the factor (about one day in three, at random: a strict
    every-third-day rhythm in both would be a run pattern the insights rightly discount)."""
    rng = np.random.default_rng(seed)
    for i in range(days):
        day = TODAY - dt.timedelta(days=days - 1 - i)
        with_it = bool(rng.random() < 1 / 3)
        intensity = int(max(1, min(10, round(rng.normal(4 * (effect if with_it else 1), 1)))))
        day_save(
            user=user, date=day, fields={}, twitches=[Twitch("calf", "both", intensity)], own={factor.pk: int(with_it)}
        )


def test_an_own_factor_enters_the_insights_under_the_same_control_and_shows_on_dashboard_and_report(owner_client, user):
    cold = own_factor_create(user=user, name="Cold exposure", kind="yes_no")
    _history(user, cold)
    start = TODAY - dt.timedelta(days=59)
    records, own = with_own(user, day_records(user, start, TODAY), start, TODAY)
    found = trigger_insights(records, [*insight_factors(), *own])
    mine = [i for i in found if i.factor == f"own:{cold.pk}"]
    assert [i.lag for i in mine] == [0, 1]
    assert mine[0].verdict == "goes_with_higher"
    assert mine[0].text.startswith("“Cold exposure” goes with more twitching the same day")
    page = owner_client.get(reverse("dashboard"), {"range": "90"}).content.decode()
    assert "“Cold exposure” goes with more twitching the same day" in page
    report = build_report(user, start, TODAY)
    assert any("“Cold exposure” goes with more twitching" in i.text for i in report.insights)


def test_too_few_days_says_how_many_more_and_no_effect_claims_nothing(user):
    gym = own_factor_create(user=user, name="Gym day", kind="yes_no")
    _history(user, gym, days=10)
    start = TODAY - dt.timedelta(days=9)
    records, own = with_own(user, day_records(user, start, TODAY), start, TODAY)
    (first, _) = [i for i in trigger_insights(records, own)]
    assert first.verdict == "not_enough_data"
    assert "needs 4 more days" in first.text
    flat = own_factor_create(user=user, name="Long screen day", kind="scale")
    for i in range(40):
        day = TODAY - dt.timedelta(days=100 + i)
        day_save(user=user, date=day, fields={}, twitches=[Twitch("calf", "left", 3 + i % 2)], own={flat.pk: i % 7})
    start = TODAY - dt.timedelta(days=139)
    records, own = with_own(user, day_records(user, start, TODAY - dt.timedelta(days=100)), start, TODAY)
    verdicts = {i.verdict for i in trigger_insights(records, own) if i.factor == f"own:{flat.pk}"}
    assert verdicts == {"no_clear_link"}


# The backup -------------------------------------------------------------------------------------------------------


def test_the_json_backup_round_trips_own_factors_and_their_answers_exactly(user, other_user):
    cold = own_factor_create(user=user, name="Cold exposure", kind="yes_no")
    screen = own_factor_create(user=user, name="Long screen day", kind="scale")
    day_save(user=user, date=TODAY, fields={}, twitches=[], own={cold.pk: 0, screen.pk: 7})
    day_save(user=user, date=TODAY - dt.timedelta(days=1), fields={}, twitches=[], own={cold.pk: 1})
    screen.archived = True
    screen.save()
    exported = backup_data(user)
    assert exported["own_factors"] == [
        {"name": "Cold exposure", "kind": "yes_no", "archived": False},
        {"name": "Long screen day", "kind": "scale", "archived": True},
    ]
    assert exported["logs"][-1]["own"] == {"Cold exposure": False, "Long screen day": 7}
    text = json.dumps(exported)
    result = import_apply(user=other_user, plan=parse_json(text, today=TODAY), replace=False)
    assert result.own_factors == 2
    again = backup_data(other_user)
    assert again["own_factors"] == exported["own_factors"]
    assert [log.get("own") for log in again["logs"]] == [log.get("own") for log in exported["logs"]]
    # importing the same file again adds no factor and doubles no answer
    assert import_apply(user=other_user, plan=parse_json(text, today=TODAY), replace=True).own_factors == 0
    assert OwnFactorValue.objects.filter(log__user=other_user).count() == 3


def test_a_backup_replacing_a_day_replaces_its_answers_too_and_a_csv_keeps_them(user, other_user):
    """A backup holds each day whole: replacing a day with the file's copy leaves exactly the file's answers, none
    when it has none. A CSV has no column for them, so a day it replaces keeps its answers."""
    from bfs_tracker.reports.exporters import csv_rows, render_csv
    from bfs_tracker.reports.importers import parse_csv

    day_save(user=user, date=TODAY, fields={"stress": 2}, twitches=[])
    backup = json.dumps(backup_data(user))  # the day, with no own answers
    csv = render_csv(csv_rows(user))
    cold = own_factor_create(user=user, name="Cold exposure", kind="yes_no")
    day_save(user=user, date=TODAY, fields={"stress": 5}, twitches=[], own={cold.pk: 1})

    import_apply(user=user, plan=parse_csv(csv, today=TODAY), replace=True)
    assert DailyLog.objects.get(user=user, date=TODAY).stress == 2
    assert OwnFactorValue.objects.filter(log__user=user).count() == 1

    import_apply(user=user, plan=parse_json(backup, today=TODAY), replace=True)
    assert not OwnFactorValue.objects.filter(log__user=user).exists()
    assert backup_data(user)["logs"] == json.loads(backup)["logs"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["own_factors"].append({"name": "Stress", "kind": "scale"}), "Own factor 2, name: “Stress” is"),
        (lambda d: d["own_factors"].append({"name": "cold exposure"}), "Own factor 2, name: You already have"),
        (lambda d: d["own_factors"][0].update(kind="often"), "Own factor 1, kind: “often” is not yes_no or scale."),
        (lambda d: d["logs"][0]["own"].update({"Cold exposure": 3}), "own “Cold exposure”: “3” is not yes or no."),
        (lambda d: d["logs"][0]["own"].update({"Sauna": True}), "own “Sauna”: not one of the own factors listed"),
        (lambda d: d["logs"][0]["own"].update({"Cold exposure": "yes"}), "is not yes, no or a whole number"),
    ],
)
def test_bad_own_factors_in_a_backup_are_named_and_nothing_is_written(user, other_user, change, message):
    cold = own_factor_create(user=user, name="Cold exposure", kind="yes_no")
    day_save(user=user, date=TODAY, fields={}, twitches=[], own={cold.pk: 1})
    data = backup_data(user)
    change(data)
    with pytest.raises(ImportError_, match=message):
        parse_json(json.dumps(data), today=TODAY)
    assert not DailyLog.objects.filter(user=other_user).exists()


def test_a_factor_the_account_has_as_another_kind_stops_the_import_before_any_write(user, other_user):
    cold = own_factor_create(user=user, name="Cold exposure", kind="yes_no")
    day_save(user=user, date=TODAY, fields={}, twitches=[], own={cold.pk: 1})
    own_factor_create(user=other_user, name="cold exposure", kind="scale")
    plan = parse_json(json.dumps(backup_data(user)), today=TODAY)
    with pytest.raises(ImportError_, match="Own factor “Cold exposure”: your account has it as 0 to 10"):
        import_apply(user=other_user, plan=plan, replace=False)
    assert not DailyLog.objects.filter(user=other_user).exists()


def test_a_new_own_factor_makes_a_new_dashboard_and_report_version(user):
    before = log_span(user).plans
    own_factor_create(user=user, name="Gym day", kind="yes_no")
    span = log_span(user)
    assert span.plans != before
    assert span.own_factors_count == 1


def test_the_import_page_says_how_many_own_factors_it_added(user, other_user, client):
    cold = own_factor_create(user=user, name="Cold exposure", kind="yes_no")
    day_save(user=user, date=TODAY, fields={}, twitches=[], own={cold.pk: 1})
    upload = io.BytesIO(json.dumps(backup_data(user)).encode())
    upload.name = "backup.json"
    client.force_login(other_user)
    response = client.post(reverse("import_data"), {"file": upload, "existing": "skip"}, follow=True)
    assert "1 of your own factors added." in response.content.decode()
    assert values_of(DailyLog.objects.get(user=other_user, date=TODAY)) == {
        OwnFactor.objects.get(user=other_user).pk: 1
    }


def test_a_factor_no_longer_asked_with_too_few_answers_says_nothing_rather_than_needs_more_days(user):
    gym = own_factor_create(user=user, name="Gym day", kind="yes_no")
    _history(user, gym, days=10)
    start = TODAY - dt.timedelta(days=9)
    records = day_records(user, start, TODAY)
    _, own = with_own(user, records, start, TODAY, archived_min_days=14)
    assert [f.title for f in own] == ["“Gym day”"]  # still asked: "needs 4 more days" is true
    gym.archived = True
    gym.save()
    _, own = with_own(user, records, start, TODAY, archived_min_days=14)
    assert own == []


def test_the_insights_short_name_of_a_built_in_factor_is_refused_too():
    from bfs_tracker.logbook.own_factors import name_problem

    assert name_problem("ill") is not None
    assert name_problem("Ill ") is not None


def test_an_account_keeps_at_most_fifty_own_factors_in_the_form_and_in_an_import(owner_client, user, other_user):
    """The cap (OWN_FACTORS_MAX) stops a hand-made or hostile file from creating thousands of factors, and it is the
    same number whether the factors come from the settings form or a backup."""
    from bfs_tracker.logbook.own_factors import OWN_FACTORS_MAX

    for i in range(OWN_FACTORS_MAX):
        own_factor_create(user=user, name=f"Factor {i}", kind="yes_no")
    response = owner_client.post(reverse("own_factors"), {"name": "One more", "kind": "scale"})
    assert response.status_code == 200
    assert "at most 50 factors of its own" in response.content.decode()
    assert OwnFactor.objects.filter(user=user).count() == OWN_FACTORS_MAX

    data = backup_data(user)
    data["own_factors"].append({"name": "One more", "kind": "scale", "archived": False})
    with pytest.raises(ImportError_, match="Own factors: the file has 51. An account keeps at most 50"):
        parse_json(json.dumps(data), today=TODAY)

    own_factor_create(user=other_user, name="Sauna", kind="yes_no")  # the file's fifty plus this one: too many
    plan = parse_json(json.dumps(backup_data(user)), today=TODAY)
    with pytest.raises(ImportError_, match="With the file's, this account would have more."):
        import_apply(user=other_user, plan=plan, replace=False)
    assert OwnFactor.objects.filter(user=other_user).count() == 1


def test_the_factors_are_read_as_the_orm_reads_them(user, other_user, django_assert_num_queries):
    from bfs_tracker.logbook.own_factors import own_factors_for

    for name in ("Zumba", "cold exposure", "Sauna", "Gym day"):
        own_factor_create(user=user, name=name, kind="yes_no")
    own_factor_create(user=other_user, name="Sauna", kind="yes_no")
    archived = OwnFactor.objects.get(user=user, name="Gym day")
    archived.archived = True
    archived.save()

    def rows(factors):
        return [(f.pk, f.user_id, f.name, f.kind, f.archived) for f in factors]

    everyone = OwnFactor.objects.filter(user=user)
    for flag, expected in ((False, everyone.filter(archived=False)), (True, everyone.filter(archived=True))):
        with django_assert_num_queries(1):
            found = own_factors_for(user, archived=flag)
        assert rows(found) == rows(expected.order_by("name", "pk"))
    assert rows(own_factors_for(user, archived=None)) == rows(everyone.order_by("name", "pk"))
    assert len(own_factors_for(user, archived=None)) == 4
    assert [f.name for f in own_factors_for(other_user)] == ["Sauna"]
