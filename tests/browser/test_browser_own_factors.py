"""Own factors on a phone (390 x 844, in a real Chromium): add two from the page linked from the day form, then log
a day with them in one tap each (yes/no toggle, 0–10 segment), every target at least 24 px, no axe problem."""

import pytest

from bfs_tracker.logbook.models import DailyLog, OwnFactor
from tests.browser.conftest import run_axe, screenshot
from tests.browser.test_browser_phone import _TARGETS_JS

pytestmark = pytest.mark.browser


def test_add_a_factor_and_log_a_day_with_it_on_a_phone(open_page, user, browser_problems):
    page = open_page("/", user=user, service_workers="block")  # as the accessibility test, so axe can load
    with page.expect_navigation():
        page.get_by_role("link", name="Add a factor of your own").tap()

    page.get_by_label("Add a factor of your own").fill("Cold exposure")
    page.get_by_label("0 to 10").tap()
    with page.expect_navigation():
        page.get_by_role("button", name="Add to my day form").tap()
    assert "Added “Cold exposure”" in page.inner_text(".messages")

    page.get_by_label("Add a factor of your own").fill("stress")  # a built-in name: refused by the field
    with page.expect_navigation():
        page.get_by_role("button", name="Add to my day form").tap()
    assert "already one of the app’s own factors" in page.inner_text(".field-error")

    page.get_by_label("Add a factor of your own").fill("Gym day")
    page.get_by_label("Yes or no").tap()
    with page.expect_navigation():
        page.get_by_role("button", name="Add to my day form").tap()
    page.goto("/settings/factors/")  # the list as a person comes back to it (no flash message)
    assert not page.evaluate(_TARGETS_JS), page.evaluate(_TARGETS_JS)
    assert run_axe(page) == []

    cold = OwnFactor.objects.get(user=user, name="Cold exposure")
    gym = OwnFactor.objects.get(user=user, name="Gym day")
    page.goto("/")
    page.tap(f"label[for='id_own_{cold.pk}_8']")  # "–", then 0 to 10: the ninth segment is 7
    page.tap(f"label[for='id_own_{gym.pk}']")  # the yes/no toggle
    assert page.is_checked(f"#id_own_{gym.pk}")
    problems = page.evaluate(_TARGETS_JS)
    assert not problems, "\n".join(problems)
    screenshot(page, "own-factors-day-phone")
    with page.expect_navigation():
        page.tap("#day-form button[type=submit]")
    assert "Saved your log" in page.inner_text(".messages")

    log = DailyLog.objects.get(user=user)
    assert dict(log.own_values.values_list("factor__name", "value")) == {"Cold exposure": 7, "Gym day": 1}
    assert page.is_checked(f"#id_own_{cold.pk}_8")
    assert page.is_checked(f"#id_own_{gym.pk}")
