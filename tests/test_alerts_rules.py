"""The red-flag rules as plain functions: every rule, each severity, the no-alert cases, persistence."""

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bfs_tracker.alerts.function_check import ITEMS, evaluate_checks, function_check_findings, is_due, next_check_date
from bfs_tracker.alerts.rules import (
    FUNCTION_CHECK_WORSE,
    NOT_A_DIAGNOSIS,
    PERSISTENT_PERIOD_DAYS,
    PERSISTENT_WEAKNESS,
    RULES,
    SEE_DOCTOR,
    SIGN_RULE_IDS,
    URGENT,
    DayReport,
    normalise_place,
    persistent_weakness,
    sign_findings,
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
    findings = sign_findings(DayReport(date=DAY, signs=frozenset({sign})))
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


def test_weakness_keeps_the_persons_own_words():
    day = DayReport(date=DAY, signs=frozenset({"weakness"}), weakness_location="Left hand", notes="Couldn't open a jar")
    (finding,) = sign_findings(day)
    assert "Where: Left hand" in finding.details
    assert "Notes: Couldn't open a jar" in finding.details


def test_several_signs_on_one_day_raise_one_alert_each():
    day = DayReport(date=DAY, signs=frozenset({"falls", "dropping_things", "breathing_trouble"}))
    assert sorted(ids(sign_findings(day))) == ["breathing_trouble", "dropping_things", "falls"]


def test_a_day_with_no_red_flag_sign_raises_nothing_whatever_else_happened():
    """The rules have no twitch input at all; the day-level tests through the real save path prove the rest."""
    assert sign_findings(DayReport(date=DAY)) == []
    assert persistent_weakness([DayReport(date=DAY), weak(DAY - dt.timedelta(days=1))]) == []


def test_three_weak_days_within_fourteen_days_is_persistent_weakness():
    (finding,) = persistent_weakness(
        [weak(DAY - dt.timedelta(days=13), "arm"), weak(DAY - dt.timedelta(days=6), "leg"), weak(DAY, "back")]
    )
    assert finding.rule_id == PERSISTENT_WEAKNESS
    assert finding.date == DAY
    assert "7 Nov 2026: arm" in finding.details
    assert finding.evidence == (DAY - dt.timedelta(days=13), DAY - dt.timedelta(days=6), DAY)


def test_three_weak_days_spread_over_twenty_days_is_not_persistent():
    days = [weak(DAY - dt.timedelta(days=20), "arm"), weak(DAY - dt.timedelta(days=10), "leg"), weak(DAY, "back")]
    assert persistent_weakness(days) == []


def test_two_weak_days_in_different_places_are_not_persistent():
    assert persistent_weakness([weak(DAY, "left calf"), weak(DAY - dt.timedelta(days=1), "right hand")]) == []


def test_weakness_in_the_same_place_twice_is_persistent_even_weeks_apart():
    (finding,) = persistent_weakness([weak(DAY, "  Left HAND. "), weak(DAY - dt.timedelta(days=30), "my left hand")])
    assert finding.date == DAY
    assert finding.evidence == (DAY - dt.timedelta(days=30), DAY)


def test_the_same_place_counts_up_to_ninety_days_apart_and_no_further():
    assert len(persistent_weakness([weak(DAY, "left hand"), weak(DAY + dt.timedelta(days=90), "left hand")])) == 1
    assert persistent_weakness([weak(DAY, "left hand"), weak(DAY + dt.timedelta(days=91), "left hand")]) == []


def test_the_alert_is_dated_on_the_day_the_rule_was_first_met_in_date_order_whatever_the_input_order():
    days = [weak(DAY + dt.timedelta(days=o)) for o in (0, 4, 9, 11)]
    for order in (days, list(reversed(days)), [days[2], days[0], days[3], days[1]]):
        (finding,) = persistent_weakness(order)
        assert finding.date == DAY + dt.timedelta(days=9)  # the third weak day; the fourth joins its evidence
        assert finding.evidence == tuple(d.date for d in days)


def test_a_day_that_is_not_part_of_the_pattern_is_not_listed_as_its_evidence():
    days = [
        weak(DAY),
        weak(DAY + dt.timedelta(days=1)),
        weak(DAY + dt.timedelta(days=2)),
        weak(DAY + dt.timedelta(days=40)),
    ]
    (finding,) = persistent_weakness(days)
    assert DAY + dt.timedelta(days=40) not in finding.evidence
    assert f"{(DAY + dt.timedelta(days=40)).day} Dec" not in finding.details


def test_separate_episodes_in_march_and_september_are_two_alerts_each_dated_on_its_own_third_day():
    march = [weak(dt.date(2026, 3, d)) for d in (2, 5, 9)]
    september = [weak(dt.date(2026, 9, d)) for d in (14, 15, 20)]
    findings = persistent_weakness(september + march)
    assert [f.date for f in findings] == [dt.date(2026, 3, 9), dt.date(2026, 9, 20)]
    assert findings[0].evidence == tuple(d.date for d in march)
    assert findings[1].evidence == tuple(d.date for d in september)


def test_weakness_that_goes_on_for_months_is_raised_again_after_each_ninety_days():
    days = [weak(DAY + dt.timedelta(days=o)) for o in range(0, 200, 3)]  # every third day for 200 days
    findings = persistent_weakness(days)
    assert [f.date for f in findings] == [DAY + dt.timedelta(days=o) for o in (6, 96, 186)]
    assert all(b.date - a.date >= dt.timedelta(days=PERSISTENT_PERIOD_DAYS) for a, b in itertools.pairwise(findings))


def test_blank_places_never_count_as_the_same_place():
    assert persistent_weakness([weak(DAY, ""), weak(DAY - dt.timedelta(days=40), "")]) == []


def test_places_are_compared_without_case_punctuation_or_filler_words():
    assert normalise_place(" The Left  hand! ") == normalise_place("left hand") == "left hand"


def test_function_check_alerts_only_when_the_same_task_is_harder_twice_running():
    fine = {name: 0 for name, _ in ITEMS}
    stairs = {**fine, "stairs": 1}
    earlier = DAY - dt.timedelta(days=7)
    assert evaluate_checks(stairs, None, DAY, None) == []
    assert evaluate_checks(fine, stairs, DAY, earlier) == []
    assert evaluate_checks({**fine, "walking": 2}, stairs, DAY, earlier) == []
    (finding,) = evaluate_checks(
        {**fine, "stairs": 2, "speech": 1}, {**stairs, "speech": 3}, DAY, DAY - dt.timedelta(days=7)
    )
    assert finding.rule_id == FUNCTION_CHECK_WORSE
    assert "Stairs: much harder" in finding.details
    assert "Speech: can't" not in finding.details
    assert "Speech: a little harder" in finding.details


def test_a_function_check_is_possible_again_after_seven_days():
    assert is_due(None, DAY)
    assert not is_due(DAY, DAY + dt.timedelta(days=6))
    assert is_due(DAY, DAY + dt.timedelta(days=7))
    assert next_check_date(DAY) == DAY + dt.timedelta(days=7)


def brute_force_first_met(days: list[DayReport]) -> dt.date | None:
    """The rule read literally, day by day in date order, over only the days logged so far."""
    for day in sorted(days, key=lambda d: d.date):
        so_far = [d for d in days if d.date <= day.date]
        in_window = [d for d in so_far if day.date - d.date <= dt.timedelta(days=13)]
        place = normalise_place(day.weakness_location)
        same = [
            d
            for d in so_far
            if place and normalise_place(d.weakness_location) == place and day.date - d.date <= dt.timedelta(days=90)
        ]
        if len(in_window) >= 3 or len(same) >= 2:
            return day.date
    return None


weak_days = st.dictionaries(
    st.integers(min_value=0, max_value=400).map(lambda o: DAY + dt.timedelta(days=o)),
    st.sampled_from(["", "left hand", "Left hand.", "right calf", "neck"]),
    max_size=12,
).map(lambda found: [weak(date, place) for date, place in found.items()])


@given(days=weak_days, data=st.data())
def test_persistence_depends_only_on_the_days_not_their_order(days, data):
    shuffled = data.draw(st.permutations(days))
    assert persistent_weakness(shuffled) == persistent_weakness(days)


@given(days=weak_days)
def test_the_first_alert_is_dated_where_the_rule_read_literally_is_first_met(days):
    findings = persistent_weakness(days)
    assert (findings[0].date if findings else None) == brute_force_first_met(days)
    for finding in findings:
        # Every alert's date is a day on which the rule is met, judged on the days up to it; its evidence holds it.
        assert brute_force_first_met([d for d in days if d.date <= finding.date]) is not None
        assert finding.date in finding.evidence
        assert set(finding.evidence) <= {d.date for d in days}


@given(days=weak_days, data=st.data())
def test_adding_days_never_lowers_the_number_of_alerts(days, data):
    """Why back-filling never has to withdraw a persistent alert (see alerts/lifecycle.py)."""
    fewer = data.draw(st.lists(st.sampled_from(days), unique=True)) if days else []
    assert len(persistent_weakness(fewer)) <= len(persistent_weakness(days))


def test_function_check_findings_compare_each_check_with_the_one_before_it_in_date_order():
    fine = {name: 0 for name, _ in ITEMS}
    checks = [
        (DAY, {**fine, "stairs": 1}),
        (DAY + dt.timedelta(days=7), {**fine, "stairs": 2}),
        (DAY + dt.timedelta(days=14), fine),
        (DAY + dt.timedelta(days=21), {**fine, "stairs": 1}),
    ]
    (finding,) = function_check_findings(reversed(checks))
    assert finding.date == DAY + dt.timedelta(days=7)
    assert finding.evidence == (DAY, DAY + dt.timedelta(days=7))
    assert "20 Nov 2026 and 27 Nov 2026" in finding.details
    # A check filled in between two harder ones breaks the pair.
    between = (DAY + dt.timedelta(days=3), fine)
    assert function_check_findings([*checks, between]) == []
