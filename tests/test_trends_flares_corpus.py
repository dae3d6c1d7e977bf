"""The evaluation corpus's categories as tests: a few seeds of each, with tolerances.

The full evaluation (`make eval-flares`, 100 histories per category, figures in docs/trends.md) is what the
defaults were chosen on; these few seeds keep a change to the detector from quietly making a category worse. The
tolerances are what the adopted rule reaches on these seeds, not the issue's goals: docs/trends.md says honestly
where the goals are not met and why.
"""

import pytest

from bfs_tracker.trends import evaluation, synthetic
from bfs_tracker.trends.flares import detect_periods

SEEDS = range(4)


@pytest.fixture(scope="module")
def scores():
    return evaluation.evaluate(detect_periods, seeds=SEEDS)


def test_every_category_of_the_issue_is_in_the_corpus():
    assert set(synthetic.CATEGORIES) == {
        "flat_light",
        "flat_medium",
        "flat_heavy",
        "flare_light",
        "flare_light_mild",
        "flare_medium",
        "flare_heavy",
        "flare_noisy",
        "sparse_every_2nd",
        "sparse_every_3rd",
        "gaps",
        "spikes",
        "drift",
        "remission_zero",
        "remission_low",
        "flare_at_end",
        "short",
    }


def test_the_noise_is_overdispersed_and_correlated_from_day_to_day():
    import numpy as np

    lags = []
    for seed in range(5):
        h = synthetic.history("flat_heavy", seed)
        values = np.array([h.series[d] for d in sorted(h.series)])
        assert values.var() > 2 * values.mean()  # a Poisson count would have variance = mean
        x = values - values.mean()
        lags.append(float((x[1:] * x[:-1]).mean() / x.var()))
    assert sum(lags) / len(lags) > 0.08  # good and bad days come in runs (independent days: 0 +- 0.02)


def test_the_same_seed_makes_the_same_history():
    assert synthetic.history("gaps", 3).series == synthetic.history("gaps", 3).series
    assert synthetic.history("gaps", 3).series != synthetic.history("gaps", 4).series


@pytest.mark.parametrize(
    ("category", "recall", "precision"),
    [
        ("flare_light", 0.75, 1.0),
        ("flare_medium", 0.75, 1.0),
        ("flare_heavy", 1.0, 1.0),
        ("flare_noisy", 0.5, 1.0),
        ("sparse_every_2nd", 1.0, 1.0),
        ("sparse_every_3rd", 0.25, 1.0),
        ("gaps", 1.0, 1.0),
        ("flare_at_end", 1.0, 0.8),
        ("short", 0.75, 1.0),
    ],
)
def test_flares_are_found(scores, category, recall, precision):
    flares = scores[category].flares
    assert flares.recall >= recall
    assert flares.precision >= precision


@pytest.mark.parametrize(("category", "recall", "precision"), [("remission_zero", 0.75, 1.0), ("remission_low", 1, 1)])
def test_remissions_are_found(scores, category, recall, precision):
    remissions = scores[category].remissions
    assert remissions.recall >= recall
    assert remissions.precision >= precision


def test_most_matched_edges_are_within_two_days(scores):
    found = evaluation.total(scores)
    assert found.flares.edges_within >= 0.5
    assert found.remissions.edges_within >= 0.7
    assert found.flares.median_start_error <= 2
    assert found.flares.median_end_error <= 2


def test_flat_noisy_data_has_few_false_flares_and_false_remissions(scores):
    flat = evaluation.total({k: v for k, v in scores.items() if k.startswith("flat_")})
    assert flat.years >= 20
    assert flat.false_flares_per_year <= 0.2  # at most one in five years
    assert flat.remissions.found <= 1  # in 24 years (100 seeds: 10 in 600 years, all light twitchers)


@pytest.mark.parametrize("category", ["spikes", "drift"])
def test_single_day_spikes_and_slow_drifts_are_not_flares(scores, category):
    score = scores[category]
    assert score.flares.found <= 1  # in four histories of a year or more
    assert score.remissions.found == 0


def test_no_flare_is_made_of_a_single_spike():
    for seed in SEEDS:
        h = synthetic.history("spikes", seed)
        for period in detect_periods(h.series):
            inside = [v for d, v in h.series.items() if period.start <= d <= period.end]
            assert period.logged_days >= 3
            assert sorted(inside)[-2] > period.baseline * 1.5  # a second high day at least


def test_the_matching_rule_counts_a_split_flare_as_one_match_and_one_false_flare():
    from datetime import date

    from bfs_tracker.trends.flares import Period

    truth = [synthetic.Span("flare", date(2024, 3, 1), date(2024, 3, 20))]
    halves = [
        Period("flare", date(2024, 3, 2), date(2024, 3, 9), 8, 8, 50, 40, 10),
        Period("flare", date(2024, 3, 13), date(2024, 3, 20), 8, 8, 50, 40, 10),
    ]
    tally = evaluation.match(halves, truth, "flare")
    assert (tally.true, tally.found, tally.matched) == (1, 2, 1)
    assert tally.precision == 0.5
    assert (tally.start_errors, tally.end_errors) == ([12], [0])  # equal overlaps: the later one is matched
    assert tally.edges_within == 0
