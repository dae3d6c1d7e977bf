"""What has not changed (trends/stability.py): facts with their dates, never reassurance."""

import datetime as dt

from bfs_tracker.trends.stability import Remission, what_has_not_changed

D = dt.date(2026, 3, 1)


def _days(n: int) -> list[dt.date]:
    return [D + dt.timedelta(days=i) for i in range(n)]


def _texts(logged_dates=None, **kwargs) -> list[str]:
    logged = _days(60) if logged_dates is None else logged_dates
    base = {
        "first_logged": min(logged, default=None),
        "last_logged": max(logged, default=None),
        "days_logged": len(logged),
        "red_flag_days": [],
        "function_checks": [],
        "longest_remission": None,
    }
    return [f.text for f in what_has_not_changed(**(base | kwargs))]


def test_no_red_flag_ever_is_dated_from_the_first_logged_day():
    assert _texts()[0] == "No red-flag sign reported since logging began on 2026-03-01."


def test_the_last_red_flag_day_dates_the_line():
    text = _texts(red_flag_days=[D + dt.timedelta(days=5), D + dt.timedelta(days=20)])[0]
    assert text == "No red-flag sign reported since 2026-03-21 (2 days with one since logging began)."


def test_a_red_flag_on_the_last_logged_day_is_said_plainly():
    text = _texts(red_flag_days=[D + dt.timedelta(days=59)])[0]
    assert text == "A red-flag sign was reported on 2026-04-29, the last logged day."


def test_function_check_unchanged_since_the_first_of_the_latest_identical_checks():
    checks = [(D, ("a", 1)), (D + dt.timedelta(days=7), ("a", 0)), (D + dt.timedelta(days=14), ("a", 0))]
    assert _texts(function_checks=checks)[1] == (
        "Function check answers unchanged since 2026-03-08 (2 checks, the latest on 2026-03-15)."
    )


def test_function_check_changed_at_the_latest_check():
    checks = [(D, ("a", 0)), (D + dt.timedelta(days=7), ("a", 1))]
    assert "differ from the check before" in _texts(function_checks=checks)[1]


def test_one_or_no_function_check():
    assert _texts(function_checks=[(D, ())])[1] == "One function check so far, on 2026-03-01."
    assert _texts()[1] == "No function check recorded."


def test_days_logged_and_the_longest_remission():
    days = _days(10) + [D + dt.timedelta(days=29)]
    texts = _texts(logged_dates=days, longest_remission=Remission(D, D + dt.timedelta(days=9), 10))
    assert texts[2] == "11 of 30 days logged from 2026-03-01 to 2026-03-30."
    assert texts[3] == "Longest remission: 2026-03-01 to 2026-03-10 (10 days)."
    assert _texts()[3] == "No remission detected so far."


def test_nothing_logged_is_one_line():
    assert _texts(logged_dates=[]) == ["No days logged yet."]


def test_no_line_reassures():
    texts = " ".join(
        _texts(red_flag_days=[D], function_checks=[(D, ()), (D + dt.timedelta(days=9), ())])
        + _texts(longest_remission=Remission(D, D, 1))
    ).lower()
    for word in ("benign", "worry", "normal", "reassur", "fine", "good news", "nothing to", "safe"):
        assert word not in texts
