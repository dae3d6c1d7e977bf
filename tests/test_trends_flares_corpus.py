"""The evaluation corpus's categories as tests: a few seeds of each, with tolerances.

The full evaluation (`make eval-flares`, 100 histories per category, figures in docs/trends.md) is what the
defaults were chosen on; these 20 seeds of every category keep a change to the detector from quietly making a
category worse. The tolerances sit a little under what the adopted rule reaches on these seeds; they are not the
issue's goals (docs/trends.md says honestly where the goals are not met and why), except the false-alarm one.
"""

import pytest

from bfs_tracker.trends import evaluation, synthetic
from bfs_tracker.trends.flares import detect_periods

SEEDS = range(20)


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


# Per category, on these 20 seeds: (least flare recall, least flare precision, least share of matched flares with
# both edges within two days). Each tolerance is about 0.1 under what the adopted rule reaches on these seeds; the
# figures of 100 histories per category are in docs/trends.md (they are what the issue's goals are judged on).
FLARE_TOLERANCES = {
    "flare_light": (0.6, 0.9, 0.55),
    "flare_light_mild": (0.2, 0.9, 0.0),  # 1.5-2x for a usual of 1-5: mostly not told from a bad week (docs)
    "flare_medium": (0.7, 0.9, 0.8),
    "flare_heavy": (0.8, 0.85, 0.6),
    "flare_noisy": (0.7, 0.9, 0.5),
    "sparse_every_2nd": (0.85, 0.85, 0.5),
    "sparse_every_3rd": (0.85, 0.9, 0.45),
    "gaps": (0.85, 0.9, 0.8),
    "flare_at_end": (0.65, 0.9, 0.75),
    "short": (0.8, 0.9, 0.8),
}
REMISSION_TOLERANCES = {"remission_zero": (0.95, 0.9, 0.9), "remission_low": (0.85, 0.9, 0.9)}


@pytest.mark.parametrize("category", sorted(FLARE_TOLERANCES))
def test_flares_are_found_with_their_edges(scores, category):
    recall, precision, edges = FLARE_TOLERANCES[category]
    flares = scores[category].flares
    assert flares.true >= 10  # every history of these categories has a flare (short: 70 %)
    assert flares.recall >= recall
    assert flares.precision >= precision
    assert flares.edges_within >= edges


@pytest.mark.parametrize("category", sorted(REMISSION_TOLERANCES))
def test_remissions_are_found_with_their_edges(scores, category):
    recall, precision, edges = REMISSION_TOLERANCES[category]
    remissions = scores[category].remissions
    assert remissions.true == len(SEEDS)
    assert remissions.recall >= recall
    assert remissions.precision >= precision
    assert remissions.edges_within >= edges


def test_the_corpus_as_a_whole(scores):
    found = evaluation.total(scores)
    # 100 per category (docs/trends.md): flares P 0.93 R 0.80 edges 0.71; remissions P 0.95 R 0.97 edges 0.97.
    assert found.flares.recall >= 0.7
    assert found.flares.precision >= 0.85
    assert found.flares.edges_within >= 0.6
    assert found.remissions.recall >= 0.9
    assert found.remissions.precision >= 0.9
    assert found.remissions.edges_within >= 0.9
    assert found.flares.median_start_error <= 1
    assert found.flares.median_end_error <= 1


def test_flat_noisy_data_has_at_most_one_false_flare_in_five_years(scores):
    flat = evaluation.total({k: v for k, v in scores.items() if k.startswith("flat_")})
    assert flat.years >= 100
    assert flat.false_flares_per_year * 5 <= 1  # the issue's goal (100 per category: 0.17)
    assert scores["flat_medium"].remissions.found == 0
    assert scores["flat_heavy"].remissions.found == 0
    assert scores["flat_light"].remissions.found <= 2  # light twitchers' quiet runs (100 per category: 6)


@pytest.mark.parametrize("category", ["spikes", "drift"])
def test_single_day_spikes_and_slow_drifts_are_not_flares(scores, category):
    score = scores[category]
    # About the flat rate (0.02-0.07 a year): 100 per category, 0.12 a year with spikes, 0.04 with a drift.
    assert score.false_flares_per_year <= 0.3
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
