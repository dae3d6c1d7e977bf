"""Query counts with own factors answered on every logged day (logbook/own_factors.py): the day form, saving a day
and the dashboard read the same number of times over 400 days of history as over 1500 (tests/test_performance_queries.py
pins the same pages for a person without own factors)."""

import datetime as dt

import pytest
from django.urls import reverse

from bfs_tracker.logbook.models import DailyLog, OwnFactor, OwnFactorValue
from bfs_tracker.logbook.own_factors import values_of
from tests.test_performance_queries import (
    LONG,
    PAGES,
    SAVE_QUERIES,
    SHORT,
    _clear_caches,
    _count,
    _person,
    _save_form,
    _urls,
)

# With own factors: the dashboard (built) also reads their answers in the range; saving reads the factors it names
# and replaces the day's answers (a DELETE and an INSERT, in the day's transaction without a savepoint of their
# own); the day form reads the day's answers with the day itself (logbook.day_read: no query more).
OWN_PAGES = ("day_form", "dashboard_90", "dashboard_all", "dashboard_data")


def _with_own_factors(user) -> tuple[OwnFactor, OwnFactor]:
    cold = OwnFactor.objects.create(user=user, name="Cold exposure", kind="scale")
    gym = OwnFactor.objects.create(user=user, name="Gym day", kind="yes_no")
    logs = list(DailyLog.objects.filter(user=user).values_list("pk", flat=True))
    OwnFactorValue.objects.bulk_create(
        [OwnFactorValue(log_id=pk, factor=f, value=pk % (11 if f == cold else 2)) for pk in logs for f in (cold, gym)],
        batch_size=1000,
    )
    return cold, gym


def _counts(client, days: int) -> dict[str, tuple[int, int]]:
    user = _person(days)
    cold, gym = _with_own_factors(user)
    urls = _urls(user)
    client.force_login(user)
    client.get(reverse("ping"))
    counts = {}
    for name in OWN_PAGES:
        _clear_caches()
        miss = _count(client, "GET", urls[name])
        hit = _count(client, "GET", urls[name])
        assert miss[0] == hit[0] == 200, name
        counts[name] = (miss[1], hit[1])
    day = user.today() - dt.timedelta(days=3)
    form = _save_form(3) | {f"own_{cold.pk}": "7", f"own_{gym.pk}": "1"}
    client.post(reverse("day", kwargs={"day": day}), form)
    status, queries = _count(client, "POST", reverse("day", kwargs={"day": day}), form)
    assert status == 302
    counts["save"] = (queries, queries)
    assert values_of(DailyLog.objects.get(user=user, date=day)) == {cold.pk: 7, gym.pk: 1}
    client.logout()
    return counts


@pytest.mark.django_db
def test_own_factors_keep_the_day_form_saving_and_dashboard_flat_as_history_grows(client):
    short, long = _counts(client, SHORT), _counts(client, LONG)
    assert short == long
    assert short["day_form"] == PAGES["day_form"]  # the day's answers come in the day's one read
    assert short["save"][0] == SAVE_QUERIES + 3  # the factors named, then the day's answers deleted and inserted
    for name in ("dashboard_90", "dashboard_all", "dashboard_data"):
        assert short[name] == (PAGES[name][0] + 1, PAGES[name][1])  # built: the answers in its range; cached: none
