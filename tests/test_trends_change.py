"""The change test behind the report's "Change" column (trends/change.py) and its evaluation."""

import datetime as dt
import io

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from bfs_tracker.days.services import day_save
from bfs_tracker.logbook.services import Twitch
from bfs_tracker.logbook.taxonomy import MuscleGroup, Side
from bfs_tracker.reports.assembly import build_report
from bfs_tracker.reports.pdf import render_pdf
from bfs_tracker.reports.services import share_link_create
from bfs_tracker.trends import change_eval
from bfs_tracker.trends.change import (
    ALPHA,
    LESS,
    MIN_LOGGED_DAYS,
    MORE,
    NO_CLEAR_CHANGE,
    TOO_FEW_DAYS,
    compare_days,
    compare_periods,
    day_to_day_correlation,
)


def _compare(a: int, la: int, b: int, lb: int, r: float = 0.0):
    return compare_days(days_first=a, logged_first=la, days_second=b, logged_second=lb, correlation=r)


def test_a_three_day_old_account_gets_too_few_days_not_more():
    assert _compare(0, 1, 2, 2).verdict == TOO_FEW_DAYS
    assert _compare(0, 0, 3, 3).verdict == TOO_FEW_DAYS


def test_the_minimum_of_logged_days_applies_to_each_side():
    below = MIN_LOGGED_DAYS - 1
    assert _compare(0, below, 30, 30).verdict == TOO_FEW_DAYS
    assert _compare(0, 30, below, below).verdict == TOO_FEW_DAYS
    assert _compare(0, MIN_LOGGED_DAYS, 30, 30).verdict == MORE


@given(la=st.integers(MIN_LOGGED_DAYS, 400), lb=st.integers(MIN_LOGGED_DAYS, 400))
def test_zero_to_one_day_is_never_more(la, lb):
    assert _compare(0, la, 1, lb).verdict != MORE


def test_a_clear_change_is_called_in_its_direction():
    assert _compare(1, 40, 30, 40).verdict == MORE
    assert _compare(30, 40, 1, 40).verdict == LESS
    result = _compare(10, 40, 12, 40)
    assert result.verdict == NO_CLEAR_CHANGE
    assert result.p_value is not None
    assert result.p_value >= ALPHA


def test_runs_of_similar_days_make_the_same_counts_less_convincing():
    independent = _compare(5, 40, 17, 40)
    in_runs = _compare(5, 40, 17, 40, r=0.7)
    assert independent.verdict == MORE
    assert in_runs.verdict == NO_CLEAR_CHANGE


@given(
    a=st.integers(0, 60),
    extra_a=st.integers(0, 60),
    b=st.integers(0, 60),
    extra_b=st.integers(0, 60),
    r=st.floats(0, 0.95),
)
def test_swapping_the_periods_swaps_more_and_less(a, extra_a, b, extra_b, r):
    forward = _compare(a, a + extra_a, b, b + extra_b, r)
    backward = _compare(b, b + extra_b, a, a + extra_a, r)
    swap = {MORE: LESS, LESS: MORE}
    assert backward.verdict == swap.get(forward.verdict, forward.verdict)


def test_impossible_counts_are_refused():
    with pytest.raises(ValueError, match="not possible"):
        _compare(5, 4, 0, 20)
    with pytest.raises(ValueError, match="not possible"):
        _compare(0, 20, -1, 20)


def test_the_correlation_is_measured_on_consecutive_logged_days_only():
    runs = [True] * 10 + [False] * 10 + [True] * 10 + [False] * 10
    assert day_to_day_correlation(runs) > 0.8
    alternating = [True, False] * 20
    assert day_to_day_correlation(alternating) == 0.0  # negative correlation is not used to sharpen the test
    every_other_logged = [True, None, False, None] * 10  # no two logged days in a row: nothing to measure
    assert day_to_day_correlation(every_other_logged) == 0.0


def test_compare_periods_counts_logged_days_and_ignores_unlogged_ones():
    first = [False] * 20 + [None] * 20
    second = [True] * 18 + [None] * 22
    result = compare_periods(first, second)
    assert (result.days_first, result.logged_first, result.days_second, result.logged_second) == (0, 20, 18, 18)


def test_the_evaluation_shows_the_chosen_rule_rarely_calls_a_change_where_there_is_none():
    corpus = list(change_eval.cases(seed=11, per_cell=15))
    figures = change_eval.summary(corpus, change_eval.evaluate(corpus))
    chosen, naive = figures[change_eval.CHOSEN], figures[change_eval.SETTINGS[0]]
    assert chosen["false"] <= 0.03
    assert naive["false"] > chosen["false"]
    assert chosen["wrong_way"] <= 0.01
    assert chosen["found"] > 0.05


# The report: every group present, and no "more" on a three-day-old account.

START = dt.date(2026, 3, 1)


def _pages(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def test_a_three_day_old_account_is_never_told_more(user):
    for i in range(3):
        day_save(user=user, date=START + dt.timedelta(days=i), fields={}, twitches=[Twitch("calf", Side.LEFT, 3 + i)])
    report = build_report(user, START - dt.timedelta(days=87), START + dt.timedelta(days=2))
    assert [g.change for g in report.groups] == ["too few days"]
    first = _pages(render_pdf(report))[0]
    assert "too few days" in first
    assert " more" not in first.split("Where it twitches")[1].split("Other symptoms")[0]


def _every_group(user) -> tuple[dt.date, dt.date]:
    groups = list(MuscleGroup.values)
    for i in range(40):
        twitches = [Twitch(g, Side.LEFT, 2) for g in groups] if i >= 20 else [Twitch(groups[0], Side.LEFT, 2)]
        day_save(user=user, date=START + dt.timedelta(days=i), fields={}, twitches=twitches)
    return START, START + dt.timedelta(days=39)


def test_every_muscle_group_appears_on_page_one_of_the_pdf(user):
    start, end = _every_group(user)
    report = build_report(user, start, end)
    assert len(report.groups) == len(MuscleGroup.values)
    first = _pages(render_pdf(report))[0]
    for label in MuscleGroup.labels:
        assert label in first, label
    # 0 of 20 logged days, then every one of 20: clear even allowing for runs.
    assert {g.change for g in report.groups if g.group != MuscleGroup.values[0]} == {"more"}


def test_every_muscle_group_appears_in_the_print_view_and_the_shared_report(client, user):
    start, end = _every_group(user)
    client.force_login(user)
    page = client.get(reverse("report"), {"start": start.isoformat(), "end": end.isoformat()}).content.decode()
    _, token = share_link_create(user=user, start=start, end=end, expires_at=timezone.now() + dt.timedelta(days=1))
    client.logout()
    shared = client.get(reverse("shared_report", args=[token])).content.decode()
    for html in (page, shared):
        table = html.split("<h2>Where it twitches")[1].split("<h2>Other symptoms")[0]
        for label in MuscleGroup.labels:
            assert label in table, label
        assert "Fisher" in table
