"""Own factors on a phone (390 x 844, in a real Chromium): from Settings, add a 0-10 and a yes/no factor (a
built-in name is refused by its field), rename one, then log a day with one tap each on the day form's segments;
every target at least 24 px on both pages."""

import pytest

from bfs_tracker.logbook.models import DailyLog, OwnFactor
from bfs_tracker.logbook.own_factors import values_of
from tests.browser.conftest import screenshot
from tests.browser.test_browser_phone import _TARGETS_JS

pytestmark = pytest.mark.browser


def _add(page, name: str, kind: str) -> None:
    page.get_by_label("Name").fill(name)
    page.get_by_label(kind).tap()
    with page.expect_navigation():
        page.get_by_role("button", name="Add", exact=True).tap()


def test_add_rename_and_log_a_day_with_own_factors_on_a_phone(open_page, user, browser_problems):
    page = open_page("/settings/", user=user, service_workers="block")
    with page.expect_navigation():
        page.get_by_role("link", name="Your own factors on the day form").tap()

    _add(page, "Cold exposure", "0 to 10")
    _add(page, "stress", "Yes or no")  # a built-in factor's name: refused next to the field, nothing added
    assert "built-in factors" in page.inner_text("form[novalidate]")
    _add(page, "Gym", "Yes or no")
    gym = OwnFactor.objects.get(user=user, name="Gym")
    with page.expect_navigation():
        page.get_by_role("link", name="Rename Gym").tap()
    page.get_by_label("New name").fill("Gym day")
    with page.expect_navigation():
        page.get_by_role("button", name="Save name").tap()
    assert "Renamed to “Gym day”" in page.inner_text(".messages")
    page.goto("/settings/own-factors/")
    problems = page.evaluate(_TARGETS_JS)
    assert not problems, "\n".join(problems)

    cold = OwnFactor.objects.get(user=user, name="Cold exposure")
    page.goto("/")
    page.tap(f"label[for='id_own_{cold.pk}_8']")  # "–", then 0 to 10: the ninth segment is 7
    page.tap(f"label[for='id_own_{gym.pk}_2']")  # "–", "No", "Yes"
    problems = page.evaluate(_TARGETS_JS)
    assert not problems, "\n".join(problems)
    screenshot(page, "own-factors-day-phone")
    with page.expect_navigation():
        page.tap("#day-form button[type=submit]")
    assert "Saved your log" in page.inner_text(".messages")

    log = DailyLog.objects.get(user=user)
    assert values_of(log) == {cold.pk: 7, gym.pk: 1}
    assert page.is_checked(f"#id_own_{cold.pk}_8")
    assert page.is_checked(f"#id_own_{gym.pk}_2")
