"""Logging a day on a phone-sized Chromium: the body map, caffeine buttons, same as yesterday, offline."""

import datetime as dt
import time

import pytest

from bfs_tracker.days.services import day_save
from bfs_tracker.logbook.models import DailyLog
from bfs_tracker.logbook.services import Twitch
from tests.browser.conftest import screenshot
from tests.browser.pages import wait_for_service_worker

pytestmark = pytest.mark.browser


class Taps:
    """Counts the taps a person would make, so the test log shows how much work a day takes."""

    def __init__(self, page):
        self.page = page
        self.count = 0
        self.started = time.monotonic()

    def tap(self, locator, **kwargs) -> None:
        locator.tap(**kwargs)
        self.count += 1

    def set_intensity(self, range_input, value: int) -> None:
        """Tap the slider where the value sits (1 at the left end, 10 at the right)."""
        box = range_input.bounding_box()
        x = box["width"] * (value - 1) / 9
        self.tap(range_input, position={"x": max(2, min(box["width"] - 2, x)), "y": box["height"] / 2})

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started


def region(page, label: str):
    return page.locator(f'[data-body-map] [role=button][aria-label="{label}"]').first


def test_a_day_with_three_muscle_groups_and_two_coffees_takes_a_dozen_taps(open_page, user, capsys):
    page = open_page("/", user=user)
    taps = Taps(page)

    for label, intensity in (("Left calf", 7), ("Right thigh", 4), ("Left eyelid", 3)):
        taps.tap(region(page, label))
        control = page.locator(":focus")
        assert control.get_attribute("type") == "range", f"tapping {label} should focus its intensity slider"
        taps.set_intensity(control, intensity)
        assert region(page, label).get_attribute("aria-pressed") == "true"
    coffee = page.get_by_role("button", name="Coffee +95 mg")
    taps.tap(coffee)
    taps.tap(coffee)
    page.locator("#twitching").evaluate("el => el.scrollIntoView()")
    screenshot(page, "body-map-tapped-phone", full_page=False)
    taps.tap(page.get_by_role("button", name="Save this day"))
    page.wait_for_url(f"**/days/{user.today():%Y-%m-%d}/")

    log = DailyLog.objects.get(user=user, date=user.today())
    assert log.caffeine_mg == 190
    entries = {(t.muscle_group, t.side): t.intensity for t in log.twitches.all()}
    assert set(entries) == {("calf", "left"), ("thigh", "right"), ("eyelid", "left")}
    assert entries[("calf", "left")] == 7
    assert entries[("thigh", "right")] == 4
    assert taps.count == 9
    with capsys.disabled():
        print(
            f"\n[phone log] 3 muscle groups + 2 coffees: {taps.count} taps, {taps.seconds:.1f} s of automated tapping"
        )


def test_the_body_map_works_from_the_keyboard_as_one_tab_stop(open_page, user):
    page = open_page("/", user=user, size="desktop")
    page.locator("[data-bm-show='back']").focus()  # the body map's Front / Back switch, just before the figure
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Right eyelid"
    page.keyboard.press("ArrowRight")  # roving focus inside the figure
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Left eyelid"
    page.keyboard.press("Enter")
    assert page.locator(":focus").get_attribute("type") == "range"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    region(page, "Left forearm").focus()
    page.keyboard.press(" ")
    page.get_by_role("button", name="Save this day").click()
    page.wait_for_url("**/days/*/")
    entries = {(t.muscle_group, t.side): t.intensity for t in DailyLog.objects.get(user=user).twitches.all()}
    assert entries == {("eyelid", "left"): 7, ("forearm", "left"): 5}


def test_tab_goes_from_the_body_map_straight_to_the_list(open_page, user):
    page = open_page("/", user=user, size="desktop")
    region(page, "Right calf").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('[data-body-map]') === null")
    assert page.evaluate("document.activeElement.closest('[data-twitch-row]') !== null")


def test_same_as_yesterday_copies_the_day_but_not_its_signs_or_notes(open_page, user):
    yesterday = user.today() - dt.timedelta(days=1)
    day_save(
        user=user,
        date=yesterday,
        fields={"stress": 6, "sleep_hours": 6.5, "caffeine_mg": 190, "weakness": True, "notes": "bad night"},
        twitches=[Twitch("calf", "left", 6), Twitch("eyelid", "both", 3)],
    )
    page = open_page("/", user=user)
    page.get_by_role("button", name="Same as yesterday").tap()
    page.get_by_text("Copied").wait_for()
    assert region(page, "Left calf").get_attribute("aria-pressed") == "true"
    assert page.locator("#id_caffeine_mg").input_value() == "190"
    assert not page.locator("#id_weakness").is_checked()
    assert page.locator("#id_notes").input_value() == ""
    page.get_by_role("button", name="Save this day").tap()
    page.wait_for_url("**/days/*/")

    today = DailyLog.objects.get(user=user, date=user.today())
    assert today.stress == 6
    assert today.caffeine_mg == 190
    assert not today.weakness
    assert today.notes == ""
    assert {(t.muscle_group, t.side, t.intensity) for t in today.twitches.all()} == {
        ("calf", "left", 6),
        ("eyelid", "both", 3),
    }


def test_same_as_yesterday_is_not_offered_when_yesterday_was_not_logged(open_page, user):
    page = open_page("/", user=user)
    assert page.get_by_role("button", name="Same as yesterday").count() == 0
    assert page.get_by_role("button", name="Quiet day").is_visible()


def test_a_day_logged_offline_is_sent_once_when_the_connection_returns(open_page, user, browser_problems):
    page = open_page("/", user=user)
    wait_for_service_worker(page)
    page.reload()  # this visit goes through the service worker, which keeps a copy for offline
    browser_problems.allow(r"ERR_INTERNET_DISCONNECTED|Failed to fetch")

    page.context.set_offline(True)
    region(page, "Left calf").tap()
    page.get_by_role("button", name="Coffee +95 mg").tap()
    page.get_by_role("button", name="Save this day").tap()
    page.get_by_text("Saved offline; will send when you're back online.").wait_for()
    assert not DailyLog.objects.exists()

    # The person reloads while still offline: the page opens from the service worker's copy, the log stays queued.
    page.reload()
    assert page.get_by_role("heading", level=1).inner_text() == "Log today"
    assert page.evaluate("BFS.offline.pending()") == [f"{user.today():%Y-%m-%d}"]

    page.context.set_offline(False)
    page.get_by_text(f"Your log for {user.today():%-d %b} was sent.").wait_for()
    assert page.evaluate("BFS.offline.pending()") == []
    # A second "online" (flaky connection) sends nothing more.
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.reload()

    assert DailyLog.objects.filter(user=user, date=user.today()).count() == 1
    log = DailyLog.objects.get(user=user)
    assert log.caffeine_mg == 95
    assert [(t.muscle_group, t.side) for t in log.twitches.all()] == [("calf", "left")]


def test_a_save_that_fails_on_a_dead_connection_is_kept_and_sent_later(open_page, user, browser_problems):
    page = open_page("/", user=user)
    wait_for_service_worker(page)
    page.reload()
    browser_problems.allow(r"ERR_INTERNET_DISCONNECTED|Failed to fetch")

    # The connection is dead but the browser still says it is online, so the form posts as usual and fails.
    page.context.set_offline(True)
    page.evaluate("Object.defineProperty(navigator, 'onLine', {get: () => true})")
    region(page, "Right forearm").tap()
    page.get_by_role("button", name="Save this day").tap()
    page.get_by_text("Saved offline; will send when you're back online.").wait_for()
    assert page.get_by_role("heading", level=1).inner_text() == "Log today"
    assert not DailyLog.objects.exists()

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.get_by_text(f"Your log for {user.today():%-d %b} was sent.").wait_for()
    log = DailyLog.objects.get(user=user, date=user.today())
    assert [(t.muscle_group, t.side) for t in log.twitches.all()] == [("forearm", "right")]
