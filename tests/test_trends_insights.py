"""Trigger insights: honest numbers, day counts, and "goes with", never "causes"."""

import random
from datetime import date, timedelta

from statsmodels.stats.multitest import multipletests

from bfs_tracker.trends.insights import CAVEAT, FALSE_DISCOVERY_RATE, MIN_PAIRS, MIN_RHO, MULTIPLE, trigger_insights

START = date(2025, 1, 1)


def by_key(insights):
    return {(i.factor, i.lag): i for i in insights}


def record(**values):
    base = {
        "burden": 10,
        "stress": None,
        "anxiety": None,
        "sleep_hours": None,
        "sleep_quality": None,
        "caffeine_mg": 0,
        "alcohol_units": 0,
        "exertion_level": 0,
        "illness": False,
    }
    return base | values


def test_it_says_how_many_more_days_are_needed():
    days = {START + timedelta(days=i): record(stress=i % 10, burden=i) for i in range(10)}
    stress = by_key(trigger_insights(days))[("stress", 0)]
    assert stress.verdict == "not_enough_data"
    assert stress.days_needed == MIN_PAIRS - 10
    assert stress.text == "Stress and twitching the same day: needs 4 more days with both logged (10 so far)."
    # Next day pairs one fewer day: the last day has no next day.
    assert by_key(trigger_insights(days))[("stress", 1)].n_pairs == 9


def test_stress_that_rises_with_burden_goes_with_more_twitching():
    rng = random.Random(1)
    days = {}
    for i in range(60):
        stress = rng.randint(0, 10)
        days[START + timedelta(days=i)] = record(stress=stress, burden=stress * 5 + rng.randint(0, 8))
    stress = by_key(trigger_insights(days))[("stress", 0)]
    assert stress.verdict == "goes_with_higher"
    assert stress.n_pairs == 60
    assert stress.text.startswith("More stress goes with more twitching the same day (rank correlation 0.")
    assert stress.text.endswith(", 60 days).")


def test_short_sleep_the_night_before_goes_with_more_twitching_the_next_day():
    rng = random.Random(2)
    sleep = [rng.choice([4, 5, 6, 7, 8, 9]) for _ in range(61)]
    days = {}
    for i in range(61):
        burden = 10 if i == 0 else (10 - sleep[i - 1]) * 6 + rng.randint(0, 4)
        days[START + timedelta(days=i)] = record(sleep_hours=sleep[i], burden=burden)
    insights = by_key(trigger_insights(days))
    assert insights[("sleep_hours", 1)].verdict == "goes_with_lower"
    assert insights[("sleep_hours", 1)].text.startswith("Less sleep goes with more twitching the next day")
    assert insights[("sleep_hours", 0)].verdict == "no_clear_link"


def test_unrelated_noise_has_no_clear_link_and_never_says_causes():
    rng = random.Random(3)
    days = {
        START + timedelta(days=i): record(
            stress=rng.randint(0, 10),
            anxiety=rng.randint(0, 10),
            sleep_hours=rng.choice([5, 6, 7, 8]),
            sleep_quality=rng.randint(1, 5),
            caffeine_mg=rng.choice([0, 95, 190]),
            burden=rng.randint(0, 40),
        )
        for i in range(90)
    }
    insights = trigger_insights(days)
    assert {i.verdict for i in insights if i.factor in ("stress", "anxiety", "sleep_quality")} == {"no_clear_link"}
    assert all("cause" not in i.text.lower() for i in insights)
    assert "not causes" in CAVEAT


def test_illness_needs_five_days_on_each_side():
    days = {START + timedelta(days=i): record(illness=i < 3, burden=50 if i < 3 else 10) for i in range(40)}
    illness = by_key(trigger_insights(days))[("illness", 0)]
    assert illness.verdict == "not_enough_data"
    assert (illness.n_with, illness.n_without, illness.days_needed) == (3, 37, 2)
    assert "3 days with it and 37 without so far; at least 5 of each" in illness.text


def test_illness_with_higher_burden_goes_with_more_twitching_with_day_counts():
    rng = random.Random(4)
    days = {
        START + timedelta(days=i): record(illness=i % 6 == 0, burden=(40 if i % 6 == 0 else 10) + rng.randint(0, 5))
        for i in range(60)
    }
    illness = by_key(trigger_insights(days))[("illness", 0)]
    assert illness.verdict == "goes_with_higher"
    assert illness.text.startswith("Being ill goes with more twitching the same day (median burden")
    assert illness.text.endswith("10 days with, 50 without).")


def test_unlogged_factors_are_left_out_not_counted_as_zero():
    days = {START + timedelta(days=i): record(stress=None if i % 2 else 5, burden=i) for i in range(40)}
    assert by_key(trigger_insights(days))[("stress", 0)].n_pairs == 20


def test_a_factor_that_never_varies_has_no_clear_link():
    days = {START + timedelta(days=i): record(caffeine_mg=0, burden=i) for i in range(30)}
    caffeine = by_key(trigger_insights(days))[("caffeine_mg", 0)]
    assert caffeine.verdict == "no_clear_link"
    assert "never varied" in caffeine.text


def test_links_are_called_by_benjamini_hochberg_over_all_factors_and_both_lags():
    rng = random.Random(11)
    days = {}
    for i in range(60):
        stress = rng.randint(0, 10)
        days[date(2026, 1, 1) + timedelta(days=i)] = {
            "burden": stress * 3 + rng.randint(0, 12),  # stress goes with burden; nothing else does
            "stress": stress,
            "anxiety": rng.randint(0, 10),
            "sleep_hours": rng.choice([5.0, 6.0, 7.0, 8.0]),
            "caffeine_mg": rng.choice([0, 95, 190]),
            "illness": rng.random() < 0.3,
        }
    found = trigger_insights(days)
    tested = [i for i in found if i.p_value is not None]
    passed, *_ = multipletests([i.p_value for i in tested], alpha=FALSE_DISCOVERY_RATE, method="fdr_bh")
    for insight, ok in zip(tested, passed, strict=True):
        linked = insight.verdict in ("goes_with_higher", "goes_with_lower")
        assert linked == (bool(ok) and abs(insight.rho or 0) >= MIN_RHO), insight
    assert any(i.factor == "stress" and i.lag == 0 and i.verdict == "goes_with_higher" for i in found)
    assert "Benjamini-Hochberg, false discovery rate 5 %" in MULTIPLE
