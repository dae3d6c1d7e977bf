"""The red-flag rules as plain functions: every rule, each severity, the no-alert cases, persistence."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bfs_tracker.alerts.function_check import ITEMS, evaluate_checks, is_due, next_check_date
from bfs_tracker.alerts.rules import (
    FUNCTION_CHECK_WORSE,
    NOT_A_DIAGNOSIS,
    PERSISTENT_WEAKNESS,
    RULES,
    SEE_DOCTOR,
    SIGN_RULE_IDS,
    URGENT,
    DayReport,
    evaluate,
    normalise_place,
)
from bfs_tracker.logbook.taxonomy import RED_FLAG_SIGNS

DAY = dt.date(2026, 11, 20)


def weak(date: dt.date, where: str = "") -> DayReport:
    return DayReport(date=date, signs=frozenset({"weakness"}), weakness_location=where)


def ids(findings) -> list[str]:
    return [f.rule_id for f in findings]


def test_every_red_flag_sign_in_the_log_has_a_rule():
    assert set(SIGN_RULE_IDS) == {name for name, _ in RED_FLAG_SIGNS}
    for name in SIGN_RULE_IDS:
        assert name in RULES


@pytest.mark.parametrize("sign", [name for name, _ in RED_FLAG_SIGNS])
def test_each_sign_raises_its_own_alert(sign):
    findings = evaluate(DayReport(date=DAY, signs=frozenset({sign})), [])
    assert ids(findings) == [sign]
    assert findings[0].date == DAY


@pytest.mark.parametrize("sign", ["breathing_trouble", "swallowing_trouble"])
def test_breathing_and_swallowing_are_urgent_and_say_so(sign):
    rule = RULES[sign]
    assert rule.severity == URGENT
    assert "today" in rule.todo
    assert "emergency services" in rule.todo
    assert rule.severity_label.startswith("Urgent")


@pytest.mark.parametrize(
    "rule_id",
    [
        "weakness",
        "muscle_wasting",
        "slurred_speech",
        "falls",
        "dropping_things",
        PERSISTENT_WEAKNESS,
        FUNCTION_CHECK_WORSE,
    ],
)
def test_the_other_rules_say_see_a_doctor(rule_id):
    rule = RULES[rule_id]
    assert rule.severity == SEE_DOCTOR
    assert "GP or a neurologist" in rule.todo


def test_every_rule_says_what_why_what_to_do_and_that_the_app_does_not_diagnose():
    for rule in RULES.values():
        assert rule.title
        assert rule.reported
        assert rule.why
        assert rule.todo
        assert rule.paragraphs[-1] == NOT_A_DIAGNOSIS
        assert "does not diagnose" in NOT_A_DIAGNOSIS


def test_weakness_rule_says_weakness_is_not_a_symptom_of_bfs_and_names_sources():
    why = RULES["weakness"].why
    assert "Weakness is not a symptom of BFS" in why
    assert "Blexrud" in why
    assert "Turner and Talbot" in why


def test_weakness_keeps_the_persons_own_words():
    day = DayReport(date=DAY, signs=frozenset({"weakness"}), weakness_location="Left hand", notes="Couldn't open a jar")
    (finding,) = evaluate(day, [])
    assert "Where: Left hand" in finding.details
    assert "Notes: Couldn't open a jar" in finding.details


def test_several_signs_on_one_day_raise_one_alert_each():
    day = DayReport(date=DAY, signs=frozenset({"falls", "dropping_things", "breathing_trouble"}))
    assert sorted(ids(evaluate(day, []))) == ["breathing_trouble", "dropping_things", "falls"]


def test_a_day_with_no_red_flag_sign_raises_nothing_whatever_else_happened():
    """The rules have no twitch input at all; the day-level tests through the real save path prove the rest."""
    assert evaluate(DayReport(date=DAY), [weak(DAY - dt.timedelta(days=1))]) == []


def test_three_weak_days_within_fourteen_days_is_persistent_weakness():
    earlier = [weak(DAY - dt.timedelta(days=13), "arm"), weak(DAY - dt.timedelta(days=6), "leg")]
    findings = evaluate(weak(DAY, "back"), earlier)
    assert ids(findings) == ["weakness", PERSISTENT_WEAKNESS]
    assert "7 Nov 2026: arm" in findings[1].details


def test_three_weak_days_spread_over_twenty_days_is_not_persistent():
    earlier = [weak(DAY - dt.timedelta(days=20), "arm"), weak(DAY - dt.timedelta(days=10), "leg")]
    assert ids(evaluate(weak(DAY, "back"), earlier)) == ["weakness"]


def test_two_weak_days_in_different_places_are_not_persistent():
    assert ids(evaluate(weak(DAY, "left calf"), [weak(DAY - dt.timedelta(days=1), "right hand")])) == ["weakness"]


def test_weakness_in_the_same_place_twice_is_persistent_even_weeks_apart():
    findings = evaluate(weak(DAY, "  Left HAND. "), [weak(DAY - dt.timedelta(days=30), "my left hand")])
    assert ids(findings) == ["weakness", PERSISTENT_WEAKNESS]


def test_persistence_counts_later_days_too_when_a_day_is_filled_in_afterwards():
    later = [weak(DAY + dt.timedelta(days=2)), weak(DAY + dt.timedelta(days=5))]
    assert PERSISTENT_WEAKNESS in ids(evaluate(weak(DAY), later))


def test_blank_places_never_count_as_the_same_place():
    assert ids(evaluate(weak(DAY, ""), [weak(DAY - dt.timedelta(days=40), "")])) == ["weakness"]


def test_places_are_compared_without_case_punctuation_or_filler_words():
    assert normalise_place(" The Left  hand! ") == normalise_place("left hand") == "left hand"


def test_function_check_alerts_only_when_the_same_task_is_harder_twice_running():
    fine = {name: 0 for name, _ in ITEMS}
    stairs = {**fine, "stairs": 1}
    assert evaluate_checks(stairs, None, DAY) == []
    assert evaluate_checks(fine, stairs, DAY) == []
    assert evaluate_checks({**fine, "walking": 2}, stairs, DAY) == []
    (finding,) = evaluate_checks({**fine, "stairs": 2, "speech": 1}, {**stairs, "speech": 3}, DAY)
    assert finding.rule_id == FUNCTION_CHECK_WORSE
    assert "Stairs: much harder" in finding.details
    assert "Speech: can't" not in finding.details
    assert "Speech: a little harder" in finding.details


def test_a_function_check_is_possible_again_after_seven_days():
    assert is_due(None, DAY)
    assert not is_due(DAY, DAY + dt.timedelta(days=6))
    assert is_due(DAY, DAY + dt.timedelta(days=7))
    assert next_check_date(DAY) == DAY + dt.timedelta(days=7)


@given(offsets=st.sets(st.integers(min_value=-40, max_value=40).filter(bool), max_size=8))
def test_persistence_matches_a_sliding_fourteen_day_window(offsets):
    """Brute force: some 14-day window holding this day also holds at least 3 weak days."""
    dates = {DAY + dt.timedelta(days=o) for o in offsets} | {DAY}
    expected = any(
        sum(1 for d in dates if start <= d <= start + dt.timedelta(days=13)) >= 3
        for start in (DAY - dt.timedelta(days=k) for k in range(14))
    )
    others = [weak(d) for d in dates - {DAY}]
    assert (PERSISTENT_WEAKNESS in ids(evaluate(weak(DAY), others))) == expected
    assert ids(evaluate(weak(DAY), list(reversed(others)))) == ids(evaluate(weak(DAY), others))
