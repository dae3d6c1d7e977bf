"""Phone first (issue 11), measured in a real Chromium at 390 x 844 (and 1280 x 800 where it matters): the body map's
targets, the taps and scrolling a usual day costs, and the 24-px rule for everything one can tap."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from bfs_tracker.days.services import day_save
from bfs_tracker.logbook.models import DailyLog
from bfs_tracker.logbook.services import Twitch
from tests.browser.conftest import screenshot
from tests.browser.pages import signed_in_pages

pytestmark = pytest.mark.browser

SCREEN = 844
# Elements a person can tap or click. Radios and checkboxes drawn as chips or segments count with their label.
_TARGETS_JS = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button],'
    + ' [tabindex]:not([tabindex="-1"])';
  const out = [];
  for (const el of document.querySelectorAll(selector)) {
    if (el.closest('[hidden], template, .visually-hidden, .skip-link')) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || el.getClientRects().length === 0) continue;
    let rect = el.getBoundingClientRect();
    if (el.labels && el.labels.length) {  // the label is part of the target (chips, segments, check rows)
      for (const label of el.labels) {
        const r = label.getBoundingClientRect();
        if (r.width * r.height > rect.width * rect.height) rect = r;
      }
    }
    if (rect.width === 0 && rect.height === 0) continue;
    // WCAG 2.5.8 exempts a link inside a sentence, whose size the line of text sets.
    const parent = el.parentElement;
    const inline = el.tagName === 'A' && style.display === 'inline' && parent
      && parent.textContent.trim().length > el.textContent.trim().length;
    if (inline) continue;
    if (rect.width < 24 || rect.height < 24) {
      out.push(`${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') || el.textContent || el.name || '')
        .trim().slice(0, 40)}" is ${Math.round(rect.width)} x ${Math.round(rect.height)}`);
    }
  }
  return out;
}"""


@pytest.fixture
def demo_user(user):
    call_command("seed_demo", user=user.username, days=90, fast=True, stdout=io.StringIO())
    return user


class Thumb:
    """Taps like a person on a phone: counts taps, remembers how far the page had to scroll, and fails if a tap
    puts the focus in a box that would open the keyboard."""

    def __init__(self, page):
        self.page = page
        self.taps = 0
        self.deepest = 0

    def tap(self, selector: str, *, navigates: bool = False) -> None:
        if navigates:
            with self.page.expect_navigation():
                self.page.locator(selector).tap()
            self.taps += 1
            return
        self.page.locator(selector).tap()
        self.taps += 1
        self.deepest = max(self.deepest, self.page.evaluate("window.scrollY + window.innerHeight"))
        typing = self.page.evaluate(
            "(() => { const el = document.activeElement;"
            " return !!el && (el.tagName === 'TEXTAREA' || (el.tagName === 'INPUT'"
            " && !['radio', 'checkbox', 'range', 'button', 'submit'].includes(el.type))); })()"
        )
        assert not typing, f"tapping {selector} opened the keyboard"


def test_the_usual_day_is_eight_taps_without_the_keyboard_in_two_screens(open_page, user, browser_problems):
    page = open_page("/", user=user)
    height = page.evaluate("document.documentElement.scrollHeight")
    thumb = Thumb(page)
    thumb.tap("[data-body-map] [aria-label='Left eyelid']")
    thumb.tap("[data-view=front] [aria-label='Left calf']")
    thumb.tap("text=Coffee +95")
    thumb.tap("label[for='id_stress_7']")  # "–", then 0 to 10: the eighth segment is 6
    thumb.tap("#id_sleep_hours ~ [data-step-by='1']")  # from blank: 7 hours
    thumb.tap("label[for='id_sleep_quality_4']")  # "–", then 1 to 5: the fifth segment is 4
    screenshot(page, "usual-day-phone", full_page=True)
    height = max(height, page.evaluate("document.documentElement.scrollHeight"))
    thumb.tap("#day-form button[type=submit]", navigates=True)
    assert "Saved your log" in page.inner_text(".messages")

    assert thumb.taps <= 8
    # Save is pinned to the bottom of the screen, so the day never needs the page below its last control:
    # the scrolling a person does is how far down the last tap was, at most two screens below the first.
    assert thumb.deepest - SCREEN <= 2 * SCREEN, f"the usual day scrolled {thumb.deepest - SCREEN} px"
    assert height <= 4 * SCREEN, f"the whole form is {height} px tall"
    log = DailyLog.objects.get(user=user)
    assert (log.caffeine_mg, log.stress, log.sleep_hours, log.sleep_quality) == (95, 6, 7, 4)
    assert sorted((t.muscle_group, t.side, t.intensity) for t in log.twitches.all()) == [
        ("calf", "left", 5),
        ("eyelid", "left", 5),
    ]


def test_a_quiet_day_is_one_tap(open_page, user):
    page = open_page("/", user=user)
    page.get_by_role("button", name="Quiet day").tap()
    assert "quiet day" in page.inner_text(".messages")
    log = DailyLog.objects.get(user=user)
    assert log.twitches.count() == 0
    assert log.burden == 0
    assert page.get_by_role("button", name="Quiet day").count() == 0  # not offered over a day already logged


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_every_body_map_region_is_at_least_44_px_square(open_page, user, size):
    page = open_page("/", size=size, user=user)
    problems = []
    for view in ("front", "back"):
        page.locator(f"[data-bm-show='{view}']").click()
        boxes = page.evaluate(
            "Array.from(document.querySelectorAll('[data-body-map] .bm-region'))"
            ".filter(r => !r.closest('[hidden]'))"
            ".map(r => { const b = r.getBoundingClientRect();"
            " return [r.getAttribute('aria-label'), b.width, b.height]; })"
        )
        names = [label for label, _, _ in boxes]
        assert ("Left chest" in names) == (view == "front")
        assert ("Left glutes" in names) == (view == "back")
        assert "Tongue" in names  # the head-and-neck inset stays in both views
        problems += [f"{view}: {label} is {w:.0f} x {h:.0f}" for label, w, h in boxes if w < 44 or h < 44]
    assert not problems, "\n".join(problems)
    screenshot(page, f"body-map-{size}", full_page=False)


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_every_target_on_every_main_page_is_at_least_24_px(open_page, demo_user, size):
    problems = []
    for name, path in signed_in_pages(demo_user.today()):
        page = open_page(path, size=size, user=demo_user, service_workers="block")
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")  # folded targets too
        problems += [f"{name} ({size}): {p}" for p in page.evaluate(_TARGETS_JS)]
        page.context.close()
    assert not problems, "\n".join(problems)


# Tick labels of a chart's x axis that overlap their neighbour, every series' axis title, and the series count.
_CHART_CHECK_JS = """(id) => {
  const chart = Chart.getChart(id);
  const x = chart.scales.x;
  chart.ctx.font = Chart.helpers.toFont(x.options.ticks.font).string;
  const ticks = x.ticks.map((t, i) => ({label: String(t.label), at: x.getPixelForTick(i),
                                         width: chart.ctx.measureText(String(t.label)).width}));
  const overlaps = [];
  for (let i = 1; i < ticks.length; i++) {
    if (ticks[i].at - ticks[i - 1].at < (ticks[i].width + ticks[i - 1].width) / 2 + 4) {
      overlaps.push(ticks[i - 1].label + " / " + ticks[i].label);
    }
  }
  const untitled = chart.data.datasets.filter((d) => {
    const axis = chart.options.scales[d.yAxisID || "y"];
    return !(axis && axis.title && axis.title.display && axis.title.text);
  }).map((d) => d.label);
  return {overlaps, untitled, series: chart.data.datasets.length, ticks: ticks.length};
}"""
CHARTS = ("chart-burden", "chart-groups", "chart-factors", "chart-symptoms")


@pytest.mark.parametrize("size", ["phone", "desktop"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_dashboards_first_screen_holds_the_state_and_the_burden_chart(open_page, demo_user, size, scheme):
    page = open_page("/dashboard/", size=size, user=demo_user, color_scheme=scheme)
    page.wait_for_function("window.Chart && Chart.getChart('chart-symptoms')")
    suffix = "" if scheme == "light" else "-dark"
    screenshot(page, f"dashboard-first-screen-{size}{suffix}", full_page=False)
    height = page.viewport_size["height"]
    state = page.locator("#summary-title").bounding_box()
    chart = page.locator("#chart-burden").bounding_box()
    assert state["y"] + state["height"] <= height
    assert chart["y"] + chart["height"] <= height, f"the burden chart ends at {chart['y'] + chart['height']:.0f} px"
    words = page.inner_text("#summary-title")
    assert words.startswith(("In a flare", "In remission", "At your usual level", "Not enough days yet")), words
    for chart_id in CHARTS:
        found = page.evaluate(_CHART_CHECK_JS, chart_id)
        assert not found["overlaps"], (chart_id, found)
        assert not found["untitled"], (chart_id, found)
        assert 1 <= found["series"] <= 3, (chart_id, found)


def test_a_new_users_chart_is_their_own_days_and_insights_are_one_line(open_page, user):
    today = user.today()
    for back in (2, 1, 0):
        day = today - dt.timedelta(days=back)
        day_save(user=user, date=day, fields={"stress": 3}, twitches=[Twitch("calf", "left", 4)])
    page = open_page("/dashboard/", user=user)
    page.wait_for_function("window.Chart && Chart.getChart('chart-burden')")
    assert page.evaluate("Chart.getChart('chart-burden').data.labels.length") == 7  # a week, not 90 days
    assert page.locator(".insights-start").inner_text().startswith("Insights start when a comparison has enough days")
    assert page.locator("#insights ~ ul.insights:visible, #insights ~ details[open]").count() == 0
    page.locator("[data-picker='factors'] [data-pick='sleep_hours']").click()
    assert page.evaluate("Chart.getChart('chart-factors').options.scales.y1.title.text") == "Sleep (hours)"
