"""Own factors in the insights: on a made-up history where the answer is known, they are tested like the built-in
factors (same minimum days, the days behind each claim shown), on the dashboard and in the doctor's report; the
cached dashboard follows a renamed factor at once."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import caches
from django.urls import reverse

from bfs_tracker.days.services import day_save
from bfs_tracker.logbook import own_factors as own
from bfs_tracker.logbook.models import OwnKind
from bfs_tracker.logbook.services import Twitch
from bfs_tracker.reports.assembly import build_report
from bfs_tracker.trends.insights import MIN_PAIRS
from bfs_tracker.trends.own_insights import insights_with

TODAY = dt.date(2026, 6, 30)
DAYS = 40


@pytest.fixture(autouse=True)
def frozen_today():
    caches["dashboard"].clear()
    with time_machine.travel(dt.datetime(2026, 6, 30, 12, 0, tzinfo=dt.UTC), tick=False):
        yield
    caches["dashboard"].clear()


def _history(user):
    """40 days: burden is "cold exposure" + 1 exactly (a known, strong link); "gym day" is on two days, off two
    days, so its days with and without have the same burdens (a known absence of a link); "new habit" was noted on
    the last 5 days only (too few)."""
    cold = own.own_factor_create(user=user, name="Cold exposure", kind=OwnKind.SCORE)
    gym = own.own_factor_create(user=user, name="Gym day", kind=OwnKind.YES_NO)
    new = own.own_factor_create(user=user, name="New habit", kind=OwnKind.YES_NO)
    first = TODAY - dt.timedelta(days=DAYS - 1)
    for i in range(DAYS):
        exposure = i % 10
        values = {cold: exposure, gym: (i // 2) % 2 == 0}
        if i >= DAYS - 5:
            values[new] = i % 2 == 0
        day_save(
            user=user,
            date=first + dt.timedelta(days=i),
            fields={},
            twitches=[Twitch("calf", "left", exposure + 1)],
            own_values=values,
        )
    return cold, gym, new, first


def _by_key(found):
    return {(i.factor, i.lag): i for i in found}


def test_a_known_link_is_found_a_known_absence_is_not_and_too_few_days_say_so(user):
    cold, gym, new, first = _history(user)
    found = _by_key(_dashboard_insights(user, first))
    link = found[(f"own_{cold.pk}", 0)]
    assert link.verdict == "goes_with_higher"
    assert link.n_pairs == DAYS
    assert link.text.startswith("More “Cold exposure” goes with more twitching the same day (rank correlation 1.00")
    assert link.text.endswith(f"{DAYS} days).")
    none = found[(f"own_{gym.pk}", 0)]
    assert none.verdict == "no_clear_link"
    assert (none.n_with, none.n_without) == (20, 20)
    assert none.text == "Gym day and twitching the same day: no clear link (20 days with, 20 without)."
    short = found[(f"own_{new.pk}", 0)]
    assert short.verdict == "not_enough_data"
    assert short.days_needed == MIN_PAIRS - 5
    # The built-in factors are still there, first, and unaffected.
    assert next(iter(found)) == ("stress", 0)


def _dashboard_insights(user, first):
    from bfs_tracker.trends.dashboard import build_dashboard

    return build_dashboard(user, first, TODAY).insights


def test_an_archived_factor_keeps_its_insight_but_does_not_wait_for_days(user):
    cold, gym, new, first = _history(user)
    own.own_factor_set_archived(factor=cold, archived=True)
    own.own_factor_set_archived(factor=new, archived=True)
    found = _by_key(_dashboard_insights(user, first))
    assert found[(f"own_{cold.pk}", 0)].verdict == "goes_with_higher"
    assert (f"own_{new.pk}", 0) not in found


def test_another_persons_factors_never_enter_my_insights(user, other_user):
    _history(other_user)
    first = TODAY - dt.timedelta(days=DAYS - 1)
    for i in range(DAYS):
        day_save(user=user, date=first + dt.timedelta(days=i), fields={}, twitches=[Twitch("calf", "left", 3)])
    assert not [i for i in _dashboard_insights(user, first) if i.factor.startswith("own_")]


def test_the_dashboard_page_shows_the_link_and_follows_a_rename(owner_client, user):
    cold, _, _, _ = _history(user)
    page = owner_client.get(reverse("dashboard"), {"range": "90"}).content.decode()
    assert "More “Cold exposure” goes with more twitching the same day" in page
    with time_machine.travel(dt.datetime(2026, 6, 30, 12, 5, tzinfo=dt.UTC), tick=False):
        own.own_factor_rename(factor=cold, name="Cold showers")  # no day changes: the cache key must still move
    page = owner_client.get(reverse("dashboard"), {"range": "90"}).content.decode()
    assert "More “Cold showers” goes with more twitching the same day" in page
    data = owner_client.get(reverse("dashboard_data"), {"range": "90"}).json()
    assert any(i["factor"] == f"own_{cold.pk}" and i["verdict"] == "goes_with_higher" for i in data["insights"])


def test_the_report_carries_own_factor_insights_with_their_days(user):
    _, _, _, first = _history(user)
    report = build_report(user, first, TODAY)
    texts = [row.text for row in report.insights]
    assert any(t.startswith("More “Cold exposure” goes with more twitching the same day") for t in texts)


def test_insights_with_no_own_factors_are_the_built_in_ones():
    from bfs_tracker.logbook.own_factors import OwnForInsights
    from bfs_tracker.trends.insights import trigger_insights

    records = {TODAY - dt.timedelta(days=i): {"burden": i, "stress": i % 7} for i in range(20)}
    assert insights_with(OwnForInsights([], frozenset(), {}), records) == trigger_insights(records)


def test_own_factors_go_through_the_same_multiple_comparison_control_as_the_built_in_ones():
    """A made-up history (seed 11) where "cold exposure" goes with burden at p = 0.015: tested alone (two
    comparisons) Benjamini-Hochberg lets it through; tested with the eight built-in factors and both lags, as the
    dashboard does, it does not, exactly as a built-in factor with that p-value would not."""
    import random

    from bfs_tracker.logbook.models import OwnFactor
    from bfs_tracker.logbook.own_factors import OwnForInsights, as_factor
    from bfs_tracker.trends.insights import trigger_insights

    rng = random.Random(11)
    records, values = {}, {}
    for i in range(40):
        exposure = rng.randint(0, 10)
        day = TODAY - dt.timedelta(days=40 - i)
        records[day] = {
            "burden": exposure + rng.randint(0, 25),
            "stress": rng.randint(0, 10),
            "anxiety": rng.randint(0, 10),
            "sleep_hours": rng.choice([5, 6, 7, 8]),
            "sleep_quality": rng.randint(1, 5),
            "caffeine_mg": rng.choice([0, 95, 190]),
            "alcohol_units": rng.choice([0, 2]),
            "exertion_level": rng.randint(0, 3),
            "illness": rng.random() < 0.3,
        }
        values[day] = {"own_1": exposure}
    entry = as_factor(OwnFactor(pk=1, name="Cold exposure", kind=OwnKind.SCORE))
    own_part = OwnForInsights([entry], frozenset(), values)

    together = _by_key(insights_with(own_part, records))[("own_1", 0)]
    alone = _by_key(trigger_insights(own_part.add_to(records), [entry]))[("own_1", 0)]
    assert together.p_value == alone.p_value
    assert 0.01 < together.p_value < 0.02
    assert together.rho is not None
    assert together.rho >= 0.2
    assert alone.verdict == "goes_with_higher"
    assert together.verdict == "no_clear_link"
    assert together.text == "Cold exposure and twitching the same day: no clear link (40 days)."
