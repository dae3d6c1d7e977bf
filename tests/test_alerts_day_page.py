"""End to end through the day form, as a new user would try it (issue 4, "Done when")."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from bfs_tracker.alerts.models import Alert
from bfs_tracker.alerts.rules import WEAKNESS_IN_PLAIN_WORDS
from bfs_tracker.logbook.taxonomy import MuscleGroup
from tests.logbook_helpers import day_data

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 25)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def day_url(day: dt.date = TODAY) -> str:
    return reverse("day", kwargs={"day": day})


def test_weakness_in_the_left_hand_shows_the_alert_at_once_and_keeps_it_until_read(owner_client, user):
    response = owner_client.post(day_url(), day_data(weakness="on", weakness_location="Left hand", notes="Jar lid"))
    assert response.status_code == 302
    page = owner_client.get(response["Location"]).content.decode()
    panel = page.index('role="alert"')
    assert panel < page.index(f'<form method="post" action="{day_url()}"')  # near the top, above the form
    assert "Your log is saved." in page
    assert "You reported weakness" in page
    assert WEAKNESS_IN_PLAIN_WORDS in page  # was "Weakness is not a symptom of BFS", which the alert then contradicted
    assert "motor neuron" not in page
    assert "Left hand" in page
    assert "Jar lid" in page
    for name in ["calendar", "settings"]:
        assert "You have 1 unread alert." in owner_client.get(reverse(name)).content.decode()
    # The alerts page lists the alert itself; a banner there would only link to the page it is on.
    assert "You have 1 unread alert." not in owner_client.get(reverse("alerts")).content.decode()

    alert = Alert.objects.get(user=user)
    back = owner_client.post(reverse("alert_acknowledge", args=[alert.pk]), {"confirm": "on", "next": day_url()})
    assert back["Location"] == day_url()
    day_page = owner_client.get(day_url()).content.decode()
    assert "unread alert" not in day_page
    assert 'role="alert"' not in day_page
    alerts_page = owner_client.get(reverse("alerts")).content.decode()
    assert "You reported weakness" in alerts_page
    assert "Left hand" in alerts_page
    assert "Read on" in alerts_page


def test_a_day_of_heavy_twitching_in_ten_muscle_groups_raises_nothing(owner_client, user):
    rows = [(group, "both", "10") for group in list(MuscleGroup.values)[:10]]
    response = owner_client.post(day_url(), day_data(rows, stress="10", anxiety="10", fatigue="9", cramps="9"))
    assert response.status_code == 302
    page = owner_client.get(day_url()).content.decode()
    assert 'role="alert"' not in page
    assert "unread alert" not in page
    assert not Alert.objects.filter(user=user).exists()


def test_unticking_weakness_on_the_form_withdraws_the_alert(owner_client, user):
    owner_client.post(day_url(), day_data(weakness="on", weakness_location="left calf"))
    owner_client.post(day_url(), day_data())
    alert = Alert.objects.get(user=user)
    assert alert.status == "withdrawn"
    assert "unread alert" not in owner_client.get(reverse("alerts")).content.decode()
    assert "Withdrawn" in owner_client.get(reverse("alerts")).content.decode()


def test_editing_the_day_again_keeps_one_alert(owner_client, user):
    for notes in ["first", "second", "third"]:
        owner_client.post(day_url(), day_data(weakness="on", weakness_location="left calf", notes=notes))
    (alert,) = Alert.objects.filter(user=user)
    assert "third" in alert.details


def test_deleting_the_day_withdraws_its_alert(owner_client, user):
    owner_client.post(day_url(), day_data(breathing_trouble="on"))
    owner_client.post(reverse("day_delete", kwargs={"day": TODAY}))
    alert = Alert.objects.get(user=user)
    assert alert.status == "withdrawn"
    assert alert.withdrawn_at is not None


def test_urgent_signs_say_so_on_the_day_page(owner_client):
    response = owner_client.post(day_url(), day_data(swallowing_trouble="on"), follow=True)
    page = response.content.decode()
    assert "Urgent: contact a doctor today" in page
    assert "emergency services" in page
