"""The trigger insights on labelled made-up logs (trends/insights_eval.py): days in runs must not make links."""

from datetime import date, timedelta

import numpy as np
import pytest

from bfs_tracker.trends import insights_eval
from bfs_tracker.trends.insights import METHOD, effective_days, trigger_insights


def _ar(rng, n, phi):
    out = np.empty(n)
    out[0] = rng.normal()
    for i in range(1, n):
        out[i] = phi * out[i - 1] + rng.normal(0, np.sqrt(1 - phi**2))
    return out


def test_effective_days_are_about_all_days_when_independent_and_far_fewer_in_long_spells():
    rng = np.random.default_rng(5)
    n = 150
    days = list(range(n))
    independent = [effective_days(days, rng.normal(size=n), rng.normal(size=n)) for _ in range(20)]
    spells = [effective_days(days, _ar(rng, n, 0.8), _ar(rng, n, 0.8)) for _ in range(20)]
    assert np.median(independent) > 0.8 * n
    # Bartlett: (1 - 0.64) / (1 + 0.64) of the days for two AR(1) series at 0.8, about 33 of 150 (estimated
    # autocorrelations are biased low on 150 days, so allow up to half).
    assert np.median(spells) < 0.5 * n
    assert all(3 <= e <= n for e in independent + spells)


def test_effective_days_allow_for_gaps_in_the_calendar():
    rng = np.random.default_rng(6)
    x, y = _ar(rng, 200, 0.7), _ar(rng, 200, 0.7)
    logged = np.flatnonzero(rng.random(200) < 0.5)
    found = effective_days(list(logged), list(x[logged]), list(y[logged]))
    assert 3 <= found < 0.8 * len(logged)


def _false_claim_share(category_name: str, histories: int, method: str) -> float:
    category = next(c for c in insights_eval.CATEGORIES if c.name == category_name)
    rng = np.random.default_rng([99, 1])  # not the seed of `make eval-insights`
    score = insights_eval.Score()
    for _ in range(histories):
        hist = insights_eval.history(rng, category)
        score.add(hist, trigger_insights(hist.days, method=method))  # type: ignore[arg-type]
    return score.with_false / score.histories


@pytest.mark.parametrize("category", ["no link, spells (AR 0.5)", "no link, long spells (AR 0.8)"])
def test_few_people_without_a_real_link_are_shown_one_when_days_run_in_spells(category):
    # make eval-insights, 200 histories: 4.5 % and 3 % with the method in use (the plain tests: 12.5 % and 24 %).
    assert _false_claim_share(category, 40, METHOD) <= 0.125


def test_the_method_in_use_calls_fewer_false_links_than_the_plain_tests_in_long_spells():
    category = "no link, long spells (AR 0.8)"
    assert _false_claim_share(category, 40, METHOD) < _false_claim_share(category, 40, "independent")


def test_a_moderate_same_day_link_is_still_found_in_most_histories():
    category = next(c for c in insights_eval.CATEGORIES if c.name == "stress same day, moderate (AR 0.5)")
    rng = np.random.default_rng([99, 2])
    score = insights_eval.Score()
    for _ in range(30):
        hist = insights_eval.history(rng, category)
        score.add(hist, trigger_insights(hist.days))
    assert score.true_links == 30
    assert score.found / score.true_links >= 0.6  # make eval-insights: 0.80
    assert score.wrong_way == 0


def test_made_up_days_have_the_shape_trigger_insights_reads():
    category = insights_eval.CATEGORIES[3]  # gaps and sparse logging
    hist = insights_eval.history(np.random.default_rng(1), category)
    keys = {"burden", "stress", "anxiety", "sleep_hours", "sleep_quality", "caffeine_mg", "alcohol_units"}
    first = min(hist.days)
    assert keys | {"exertion_level", "illness"} <= set(hist.days[first])
    span = (max(hist.days) - first).days + 1
    assert len(hist.days) < 0.75 * span  # unlogged days are absent
    assert any(r["stress"] is None for r in hist.days.values())  # and a factor may be blank on a logged day
    assert all(isinstance(r["illness"], bool) for r in hist.days.values())
    assert all(isinstance(day, date) and day < first + timedelta(days=span) for day in hist.days)
