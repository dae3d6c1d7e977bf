"""“Since the last visit” on plain data: the figures, the honest verdicts, and how often it cries wolf."""

import datetime as dt

import numpy as np

from bfs_tracker.trends.since_visit import DayFacts, since_last_visit

VISIT = dt.date(2026, 6, 1)
LABELS = {"calf": "Calf", "eyelid": "Eyelid", "hand": "Hand and fingers"}


def history(burdens_before, burdens_after, *, groups_after=("calf",), flare_after=False, red_after=None):
    days = {}
    for i, b in enumerate(burdens_before):
        if b is not None:
            days[VISIT - dt.timedelta(days=len(burdens_before) - i)] = DayFacts(float(b), False, frozenset({"calf"}))
    for i, b in enumerate(burdens_after):
        if b is not None:
            red = tuple(red_after.get(i, ())) if red_after else ()
            days[VISIT + dt.timedelta(days=i)] = DayFacts(float(b), flare_after, frozenset(groups_after), red)
    return days


def test_a_clear_rise_in_burden_and_flare_days_is_more_and_shows_both_means():
    days = history([5] * 40, [30] * 40, flare_after=True)
    result = since_last_visit(visit=VISIT, end=VISIT + dt.timedelta(days=39), days=days, group_labels=LABELS)
    burden, flare, red = result.lines
    assert (burden.before, burden.since, burden.verdict) == ("5.0 (40 logged days)", "30.0 (40 logged days)", "more")
    assert (flare.before, flare.since, flare.verdict) == ("0 of 40 logged days", "40 of 40 logged days", "more")
    assert red.verdict == "no clear change"
    assert result.days == 40
    assert result.before_start == VISIT - dt.timedelta(days=40)


def test_too_few_logged_days_on_either_side_says_so_and_nothing_else():
    days = history([5] * 10, [30] * 40)
    result = since_last_visit(visit=VISIT, end=VISIT + dt.timedelta(days=39), days=days, group_labels=LABELS)
    assert [line.verdict for line in result.lines] == ["too few days"] * 3


def test_new_muscle_groups_and_red_flag_signs_since_the_visit_are_listed_with_days_and_dates():
    days = history([5] * 30, [5] * 30, groups_after=("calf", "hand"), red_after={3: ["Weakness"]})
    result = since_last_visit(visit=VISIT, end=VISIT + dt.timedelta(days=29), days=days, group_labels=LABELS)
    assert result.new_groups == [("Hand and fingers", 30)]
    assert result.red_flags_since == [(VISIT + dt.timedelta(days=3), "Weakness")]


def test_function_checks_are_split_by_the_visit():
    checks = [(VISIT - dt.timedelta(days=5), "No change"), (VISIT + dt.timedelta(days=5), "Walking: a little harder")]
    result = since_last_visit(
        visit=VISIT, end=VISIT + dt.timedelta(days=20), days={}, group_labels=LABELS, checks=checks
    )
    assert result.checks_before == [checks[0]]
    assert result.checks_since == [checks[1]]


def test_nothing_to_compare_on_the_day_of_the_visit():
    assert since_last_visit(visit=VISIT, end=VISIT, days={}, group_labels=LABELS) is None


def _realistic(rng, n, level):
    """Overdispersed, correlated day to day, with gaps and a spike: burden as people log it."""
    x, out = 0.0, []
    for _ in range(n):
        x = 0.7 * x + rng.normal()
        value = rng.negative_binomial(3, 3 / (3 + level * np.exp(0.4 * x)))
        out.append(None if rng.random() < 0.15 else int(value) + (40 if rng.random() < 0.02 else 0))
    return out


def test_on_histories_with_no_change_it_rarely_says_more_or_less():
    rng = np.random.default_rng(12)
    false_alarms = 0
    runs = 200
    for _ in range(runs):
        days = history(_realistic(rng, 60, 8), _realistic(rng, 60, 8))
        result = since_last_visit(visit=VISIT, end=VISIT + dt.timedelta(days=59), days=days, group_labels=LABELS)
        false_alarms += result.lines[0].change.is_clear
    assert false_alarms / runs < 0.05


def test_a_tripling_of_burden_is_found_most_of_the_time():
    rng = np.random.default_rng(13)
    runs, found = 100, 0
    for _ in range(runs):
        days = history(_realistic(rng, 60, 6), _realistic(rng, 60, 18))
        result = since_last_visit(visit=VISIT, end=VISIT + dt.timedelta(days=59), days=days, group_labels=LABELS)
        found += result.lines[0].verdict == "more"
    assert found / runs > 0.6


def test_no_muscle_group_is_called_new_without_enough_logged_days_before_the_visit():
    """Logging began at the visit (the usual advice): every group logged since was listed as "New muscle groups
    (none on any day before)", though nothing was known of the time before."""
    days = history([], [5] * 30, groups_after=("calf", "hand"))
    result = since_last_visit(visit=VISIT, end=VISIT + dt.timedelta(days=29), days=days, group_labels=LABELS)
    assert (
        result.new_groups_text
        == "New muscle groups: too few days logged before the visit to tell (0 logged, 14 needed)."
    )
    days = history([5] * 13, [5] * 30, groups_after=("calf", "hand"))
    result = since_last_visit(visit=VISIT, end=VISIT + dt.timedelta(days=29), days=days, group_labels=LABELS)
    assert result.new_groups_text.startswith("New muscle groups: too few days logged before the visit to tell (13")
    days = history([5] * 14, [5] * 30, groups_after=("calf", "hand"))
    result = since_last_visit(visit=VISIT, end=VISIT + dt.timedelta(days=29), days=days, group_labels=LABELS)
    assert result.new_groups_text == "New muscle groups (none on any day before): Hand and fingers (30 days)."
