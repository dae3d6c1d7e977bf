"""The day form and calendar in a real Chromium at phone width: the JavaScript enhancements work end to end."""

import datetime as dt

import pytest

from bfs_tracker.logbook.models import DailyLog

pytestmark = pytest.mark.browser


def test_twitch_rows_are_added_through_the_js_api_and_buttons_then_saved(open_page, user, browser_problems):
    phone = open_page("/", user=user)
    assert phone.locator("[data-twitch-row]").count() == 1  # JS keeps one blank row instead of three
    phone.evaluate("BFS.dayForm.addTwitch('calf', 'left', 7)")  # fills the blank row
    phone.evaluate("BFS.dayForm.addTwitch('calf', 'left', 8)")  # same group and side: updates, no second row
    phone.click("text=Add a muscle group")
    phone.select_option("#id_twitches-1-muscle_group", "eyelid")
    phone.click("label[for='id_twitches-1-side_2']")
    phone.evaluate("BFS.dayForm.addTwitch('thigh', 'right', 2)")
    assert phone.locator("[data-twitch-row]").count() == 3
    phone.locator("[data-twitch-row]").nth(2).locator("[data-twitch-remove]").click()
    assert phone.evaluate("BFS.dayForm.twitches().map(t => [t.group, t.side, t.intensity])") == [
        ["calf", "left", 8],
        ["eyelid", "both", 5],
    ]
    assert phone.input_value("input[name='twitches-TOTAL_FORMS']") == "2"
    assert phone.locator("[data-twitch-row] [data-intensity-output]").first.inner_text() == "8"
    phone.click("text=Coffee +95")
    phone.click("text=Espresso +63")
    assert phone.input_value("#id_caffeine_mg") == "158"
    phone.click("#day-form button[type=submit]")
    assert "Saved your log" in phone.inner_text(".messages")
    log = DailyLog.objects.get(user=user)
    assert log.caffeine_mg == 158
    assert sorted((t.muscle_group, t.side, t.intensity) for t in log.twitches.all()) == [
        ("calf", "left", 8),
        ("eyelid", "both", 5),
    ]
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    browser_problems.assert_none()  # no script error along the way (checked again when the test ends)


def test_weakness_where_appears_when_ticked_and_errors_are_summarised(open_page, user):
    phone = open_page("/", user=user)
    assert not phone.is_visible("#id_weakness_location")
    phone.check("#id_weakness")
    assert phone.is_visible("#id_weakness_location")
    phone.click("#day-form button[type=submit]")
    summary = phone.locator("[data-error-summary]")
    assert "Where you noticed the weakness" in summary.inner_text()
    # The summary is focused by day-form.js, a deferred script that may run just after the summary is in the page:
    # wait for it (up to 5 s; it fails if the focus never moves there).
    phone.wait_for_function("document.activeElement.hasAttribute('data-error-summary')", timeout=5000)
    assert not DailyLog.objects.filter(user=user).exists()


def test_arrow_keys_move_between_calendar_days(open_page, user):
    today = user.today()
    phone = open_page("/calendar/", user=user)
    first = today.replace(day=1)
    phone.focus(f"a[data-date='{first.isoformat()}']")
    phone.keyboard.press("ArrowRight")
    expected = first + dt.timedelta(days=1) if first + dt.timedelta(days=1) <= today else first
    assert phone.evaluate("document.activeElement.dataset.date") == expected.isoformat()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
