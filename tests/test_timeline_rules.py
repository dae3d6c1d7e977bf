"""The timeline's plain rules: which dates, units and values an event may hold."""

import datetime as dt
from decimal import Decimal

import pytest

from bfs_tracker.timeline import rules

TODAY = dt.date(2026, 11, 20)


@pytest.mark.parametrize("kind", [rules.EMG, rules.BLOOD, rules.IMAGING, rules.DIAGNOSIS])
def test_only_a_visit_may_be_in_the_future(kind):
    assert "Only a planned visit" in rules.date_problem(kind, TODAY + dt.timedelta(days=1), TODAY)
    assert rules.date_problem(kind, TODAY, TODAY) is None


def test_a_planned_visit_is_at_most_a_year_ahead():
    assert rules.date_problem(rules.VISIT, TODAY + dt.timedelta(days=30), TODAY) is None
    assert "at most a year" in rules.date_problem(rules.VISIT, TODAY + dt.timedelta(days=400), TODAY)
    assert rules.is_planned(rules.VISIT, TODAY + dt.timedelta(days=1), TODAY)
    assert not rules.is_planned(rules.VISIT, TODAY, TODAY)


def test_dates_before_1900_are_refused():
    assert rules.date_problem(rules.VISIT, dt.date(1899, 12, 31), TODAY)


def test_each_test_accepts_only_the_units_labs_print_it_in():
    assert rules.unit_problem("ck", "U/L") is None
    assert "is not measured in mmol/L" in rules.unit_problem("ck", "mmol/L")
    assert rules.unit_problem("magnesium", "mg/dL") is None
    assert rules.unit_problem("vitamin_d", "nmol/L") is None
    assert rules.unit_problem("other", "mm/h") is None
    assert rules.unit_problem("other", "furlongs") is not None
    assert rules.unit_problem("nonsense", "U/L") is not None
    assert rules.unit_problem("ck", "") is not None


def test_values_are_not_negative_nor_absurd():
    assert rules.value_problem(Decimal("-0.1")) == "A concentration cannot be negative."
    assert rules.value_problem(Decimal("0")) is None
    assert rules.value_problem(Decimal("10000000")) is not None
    assert rules.value_problem(None) is not None


def test_every_test_except_other_has_units_and_every_coded_unit_is_accepted():
    for test in rules.LAB_TESTS:
        assert all(test.accepts(unit) for unit in test.loinc)
        assert bool(test.units) == (test.key != rules.OTHER_TEST)
        assert set(test.units) <= set(rules.UNIT_LABELS)


def test_the_issue_names_every_test_the_list_must_have():
    labels = {t.key for t in rules.LAB_TESTS}
    assert {"ck", "magnesium", "potassium", "calcium", "vitamin_b12", "vitamin_d", "tsh", "other"} <= labels
