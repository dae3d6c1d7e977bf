"""The dashboard in a real Chromium, on a phone and a desktop, with seed_demo's history: the charts draw."""

import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.core.management import call_command

from tests.browser.conftest import SCREENSHOTS
from tests.timeline_helpers import add_emg, add_visit

pytestmark = pytest.mark.browser

CHARTS = ("chart-burden", "chart-groups", "chart-factors", "chart-symptoms")


@pytest.fixture
def seeded_user(user):
    """The owner with 120 days of seed_demo's history (which has a flare and a remission)."""
    cache.clear()
    call_command("seed_demo", user=user.username, days=120, seed=1, stdout=io.StringIO())
    add_visit(user, user.today() - dt.timedelta(days=30))
    add_emg(user, user.today() - dt.timedelta(days=20))
    return user


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_four_charts_draw_with_the_flare_and_remission_marked(open_page, seeded_user, browser_problems, size):
    page = open_page("/dashboard/?range=90", size=size, user=seeded_user)
    page.wait_for_function("window.Chart && Chart.getChart('chart-symptoms')")
    browser_problems.assert_none()
    for chart_id in CHARTS:
        assert page.evaluate(f"Chart.getChart('{chart_id}').data.datasets.length") > 0
    annotations = page.evaluate(
        "Object.values(Chart.getChart('chart-burden').options.plugins.annotation.annotations)"
        ".map(a => a.label && a.label.content).filter(Boolean)"
    )
    assert "Flare" in annotations
    assert "Remission" in annotations
    assert "Visit" in annotations  # the neurologist visit on the medical timeline
    assert "EMG" in annotations
    assert "Start Magnesium" in annotations  # the demo's remedy, started 70 days before its last day
    assert page.evaluate("Chart.getChart('chart-remedies').data.labels") == ["Magnesium, 300 mg once a day"]
    page.locator("section:has(#burden-title) figure").first.screenshot(
        path=str(SCREENSHOTS / f"dashboard-events-{size}.png")
    )
    page.locator("figure.chart-remedies").screenshot(path=str(SCREENSHOTS / f"dashboard-remedies-{size}.png"))
    assert page.evaluate("Chart.getChart('chart-burden').data.labels.length") == 90
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert "Twitch burden" in page.inner_text("main")


def test_the_charts_draw_under_a_strict_content_security_policy(open_page, seeded_user, browser_problems):
    page = open_page(None, user=seeded_user)
    policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'"

    def with_policy(route):
        response = route.fetch()
        route.fulfill(response=response, headers=response.headers | {"content-security-policy": policy})

    page.route("**/dashboard/**", with_policy)
    page.add_init_script(
        "window.cspViolations = [];"
        "document.addEventListener('securitypolicyviolation', e => window.cspViolations.push(e.violatedDirective));"
    )
    page.goto("/dashboard/?range=30")
    page.wait_for_function("window.Chart && Chart.getChart('chart-symptoms')")
    assert page.evaluate("window.cspViolations") == []
    browser_problems.assert_none()
    # The policy really is in force: an inline style attribute added now is reported (and expected here).
    browser_problems.allow(r"style-src|inline style")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    page.wait_for_function("window.cspViolations.length > 0")
