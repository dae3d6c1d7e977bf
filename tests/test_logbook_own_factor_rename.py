"""Renaming one of the person's own factors: the same name rules as adding one, nothing changed when refused, the
answers kept, the dashboard's insights and the backup following at once, another person's factor a 404."""

import datetime as dt

import numpy as np
import pytest
import time_machine
from django.core.cache import caches
from django.urls import reverse

from bfs_tracker.days.services import day_save
from bfs_tracker.logbook.models import OwnFactor
from bfs_tracker.logbook.own_factors import own_factor_create, values_of
from bfs_tracker.logbook.services import Twitch
from bfs_tracker.reports.exporters import backup_data

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 25)


@pytest.fixture(autouse=True)
def frozen_now():
    caches["dashboard"].clear()
    with time_machine.travel(NOW, tick=False):
        yield
    caches["dashboard"].clear()


def rename_url(factor) -> str:
    return reverse("own_factor_rename", args=[factor.pk])


def test_renaming_keeps_the_answers_and_the_backup_uses_the_new_name(owner_client, user):
    cold = own_factor_create(user=user, name="Cold exposure", kind="yes_no")
    log, _ = day_save(user=user, date=TODAY, fields={}, twitches=[], own={cold.pk: 1})
    assert rename_url(cold) in owner_client.get(reverse("own_factors")).content.decode()
    assert owner_client.get(rename_url(cold)).status_code == 200
    response = owner_client.post(rename_url(cold), {"name": "  Cold   showers "})
    assert response.status_code == 302
    cold.refresh_from_db()
    assert cold.name == "Cold showers"
    assert values_of(log) == {cold.pk: 1}
    data = backup_data(user)
    assert [f["name"] for f in data["own_factors"]] == ["Cold showers"]
    assert data["logs"][0]["own"] == {"Cold showers": True}


def test_a_factor_may_take_its_own_name_in_another_case(owner_client, user):
    cold = own_factor_create(user=user, name="Cold exposure", kind="yes_no")
    assert owner_client.post(rename_url(cold), {"name": "cold EXPOSURE"}).status_code == 302
    assert OwnFactor.objects.get(pk=cold.pk).name == "cold EXPOSURE"


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("Stress", "built-in factors"),
        ("sleep hours", "built-in factors"),
        ("GYM  day", "already have a factor called"),
        ("   ", "required"),
        ("x" * 41, "40 characters or fewer"),
    ],
)
def test_a_refused_name_is_shown_by_the_field_and_nothing_changes(owner_client, user, name, words):
    cold = own_factor_create(user=user, name="Cold exposure", kind="yes_no")
    own_factor_create(user=user, name="Gym day", kind="yes_no")
    response = owner_client.post(rename_url(cold), {"name": name})
    assert response.status_code == 200
    errors = response.context["form"].errors["name"]
    assert any(words in e for e in errors), errors
    assert OwnFactor.objects.get(pk=cold.pk).name == "Cold exposure"


def test_another_persons_factor_cannot_be_renamed(owner_client, other_user):
    theirs = own_factor_create(user=other_user, name="Cold exposure", kind="yes_no")
    assert owner_client.get(rename_url(theirs)).status_code == 404
    assert owner_client.post(rename_url(theirs), {"name": "Mine now"}).status_code == 404
    assert OwnFactor.objects.get(pk=theirs.pk).name == "Cold exposure"


def test_the_dashboards_insight_shows_the_new_name_at_once(owner_client, user):
    cold = own_factor_create(user=user, name="Cold exposure", kind="yes_no")
    rng = np.random.default_rng(3)
    for i in range(60):
        with_it = i % 3 == 0
        intensity = int(max(1, min(10, round(rng.normal(10 if with_it else 4, 1)))))
        day = TODAY - dt.timedelta(days=59 - i)
        day_save(
            user=user, date=day, fields={}, twitches=[Twitch("calf", "both", intensity)], own={cold.pk: int(with_it)}
        )
    page = owner_client.get(reverse("dashboard"), {"range": "90"}).content.decode()
    assert "“Cold exposure”" in page
    with time_machine.travel(NOW + dt.timedelta(minutes=5), tick=False):  # a later save, as in life
        owner_client.post(rename_url(cold), {"name": "Cold showers"})
        page = owner_client.get(reverse("dashboard"), {"range": "90"}).content.decode()
    assert "“Cold showers”" in page
    assert "“Cold exposure”" not in page
