"""The function check: weekly at most, a record for the doctor, and an alert when a task is harder twice running."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from bfs_tracker.alerts.function_check import ITEMS
from bfs_tracker.alerts.models import Alert, FunctionCheck
from bfs_tracker.alerts.services import FunctionCheckTooSoon, function_check_record

DAY = dt.date(2026, 11, 2)
FINE = {name: 0 for name, _ in ITEMS}


def record(user, days_after=0, **answers):
    return function_check_record(user=user, answers=FINE | answers, today=DAY + dt.timedelta(days=days_after))


def test_a_second_check_within_seven_days_is_refused(user):
    record(user)
    with pytest.raises(FunctionCheckTooSoon) as refused:
        record(user, days_after=6)
    assert refused.value.next_date == DAY + dt.timedelta(days=7)
    record(user, days_after=7)
    assert FunctionCheck.objects.filter(user=user).count() == 2


def test_harder_on_two_checks_in_a_row_raises_an_alert_naming_the_tasks(user):
    record(user, stairs=1, swallowing=2)
    _check, created = record(user, days_after=7, stairs=2, swallowing=1)
    (alert,) = created
    assert alert.rule_id == "function_check_worse"
    assert alert.status == "open"
    assert alert.date == DAY + dt.timedelta(days=7)
    assert "Stairs: much harder" in alert.details
    assert "Swallowing" in alert.details


def test_one_harder_check_then_a_fine_one_raises_nothing(user):
    record(user, walking=2)
    _check, created = record(user, days_after=7)
    assert created == []
    assert not Alert.objects.filter(user=user).exists()


def test_different_tasks_harder_on_each_check_raise_nothing(user):
    record(user, walking=1)
    _check, created = record(user, days_after=8, handwriting=1)
    assert created == []


@time_machine.travel(dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC), tick=False)
def test_the_page_refuses_a_second_post_within_a_week_and_says_when(owner_client, user):
    answers = {name: "0" for name, _ in ITEMS}
    assert owner_client.post(reverse("function_check"), answers).status_code == 302
    page = owner_client.get(reverse("function_check")).content.decode()
    assert "Friday 27 November 2026" in page
    assert "<form" not in page.split("</header>")[1]
    response = owner_client.post(reverse("function_check"), answers | {"stairs": "3"})
    assert response.status_code == 409
    assert "Nothing was saved this time." in response.content.decode()
    assert FunctionCheck.objects.filter(user=user).count() == 1


@time_machine.travel(dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC), tick=False)
def test_the_page_needs_an_answer_for_every_task(owner_client, user):
    response = owner_client.post(reverse("function_check"), {"speech": "0"})
    assert response.status_code == 200
    assert "Choose one answer for this task." in response.content.decode()
    assert not FunctionCheck.objects.filter(user=user).exists()


def test_the_alerts_page_shows_the_trend_and_a_gentle_link_only_when_due(owner_client, user):
    with time_machine.travel(dt.datetime(2026, 11, 2, 12, tzinfo=dt.UTC), tick=False):
        page = owner_client.get(reverse("alerts")).content.decode()
        assert "Take a function check" in page
        owner_client.post(reverse("function_check"), {name: "0" for name, _ in ITEMS} | {"stairs": "1"})
    with time_machine.travel(dt.datetime(2026, 11, 9, 12, tzinfo=dt.UTC), tick=False):
        owner_client.post(reverse("function_check"), {name: "0" for name, _ in ITEMS} | {"stairs": "2"})
        page = owner_client.get(reverse("alerts")).content.decode()
    assert "Next check possible from Monday 16 November 2026" in page
    assert "function check is possible" not in page
    trend = page[page.index('class="fc-trend"') :]
    assert "2 Nov 2026" in trend
    assert "9 Nov 2026" in trend
    stairs_row = trend[trend.index(">Stairs<") :].split("</tr>")[0]
    assert stairs_row.index("A little harder") < stairs_row.index("Much harder")
    assert "Everyday tasks harder on two checks in a row" in page
