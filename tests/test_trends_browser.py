"""The dashboard in a real Chromium, on a phone and a desktop, with seed_demo's history: the charts draw."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture
def browser_for(live_server, user, monkeypatch):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    cache.clear()
    call_command("seed_demo", user=user.username, days=120, seed=1, stdout=open("/dev/null", "w"))  # noqa: SIM115
    client = Client()
    client.force_login(user)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)

        def open_page(width: int, height: int):
            context = browser.new_context(viewport={"width": width, "height": height})
            context.add_cookies(
                [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
            )
            page = context.new_page()
            page.js_errors = []
            page.on("pageerror", lambda error: page.js_errors.append(str(error)))
            return page

        yield open_page
        browser.close()


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1280, 900)])
def test_the_four_charts_draw_with_the_flare_and_remission_marked(browser_for, live_server, width, height):
    page = browser_for(width, height)
    page.goto(live_server.url + "/dashboard/?range=90")
    page.wait_for_function("window.Chart && Chart.getChart('chart-symptoms')")
    assert page.js_errors == []
    for chart_id in ("chart-burden", "chart-groups", "chart-factors", "chart-symptoms"):
        assert page.evaluate(f"Chart.getChart('{chart_id}').data.datasets.length") > 0
    annotations = page.evaluate(
        "Object.values(Chart.getChart('chart-burden').options.plugins.annotation.annotations)"
        ".map(a => a.label && a.label.content).filter(Boolean)"
    )
    assert "Flare" in annotations
    assert "Remission" in annotations
    assert page.evaluate("Chart.getChart('chart-burden').data.labels.length") == 90
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert "Twitch burden" in page.inner_text("main")


def test_the_charts_draw_under_a_strict_content_security_policy(browser_for, live_server):
    page = browser_for(390, 844)
    policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'"

    def with_policy(route):
        response = route.fetch()
        route.fulfill(response=response, headers=response.headers | {"content-security-policy": policy})

    page.route("**/dashboard/**", with_policy)
    page.add_init_script(
        "window.cspViolations = [];"
        "document.addEventListener('securitypolicyviolation', e => window.cspViolations.push(e.violatedDirective));"
    )
    page.goto(live_server.url + "/dashboard/?range=30")
    page.wait_for_function("window.Chart && Chart.getChart('chart-symptoms')")
    assert page.evaluate("window.cspViolations") == []
    assert page.js_errors == []
    # The policy really is in force: an inline style attribute added now is reported.
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    page.wait_for_function("window.cspViolations.length > 0")
