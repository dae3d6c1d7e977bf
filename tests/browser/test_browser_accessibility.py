"""axe-core on every main page, signed in and out, at phone and desktop widths: no serious or critical problems,
and no page wider than the screen.

The same visits save the screenshots (test-artifacts/screenshots/) that the README's pictures are chosen from.
"""

import io

import pytest
from django.core.management import call_command

from tests.browser.conftest import SCREENSHOTS, run_axe, screenshot
from tests.browser.pages import SIGNED_OUT, signed_in_pages

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_user(user):
    call_command("seed_demo", user=user.username, days=90, fast=True, stdout=io.StringIO())
    return user


def _check(open_page, pages, size, user=None, color_scheme="light") -> list[str]:
    problems = []
    for name, path in pages:
        # Service workers blocked: Playwright cannot answer axe's script request once a worker controls the page.
        page = open_page(path, size=size, user=user, color_scheme=color_scheme, service_workers="block")
        if page.get_by_role("heading", level=1).count() != 1:
            problems.append(f"{path}: should have exactly one <h1>")
        width = page.viewport_size["width"]
        if page.evaluate("document.documentElement.scrollWidth") > width:
            problems.append(f"{path} ({size}): wider than the {width}px screen, so it scrolls sideways")
        suffix = "" if color_scheme == "light" else f"-{color_scheme}"
        screenshot(page, f"{name}-{size}{suffix}")
        if name == "dashboard" and size == "desktop":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.locator("section:has(#burden-title)").screenshot(path=str(SCREENSHOTS / "dashboard-burden.png"))
            page.locator("section:has(#groups-title)").screenshot(path=str(SCREENSHOTS / "dashboard-where.png"))
        for v in run_axe(page):
            problems.append(
                f"{path} ({size}, {color_scheme}): {v['impact']} {v['id']}: {v['help']}\n    "
                + "\n    ".join(v["nodes"])
            )
        page.context.close()
    return problems


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_signed_out_pages_have_no_serious_accessibility_problems(open_page, size, db):
    problems = _check(open_page, SIGNED_OUT, size)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_signed_in_pages_have_no_serious_accessibility_problems(open_page, demo_user, size):
    problems = _check(open_page, signed_in_pages(demo_user.today()), size, user=demo_user)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_dark_mode_follows_the_system_and_stays_readable(open_page, demo_user, size):
    pages = signed_in_pages(demo_user.today())
    if size == "desktop":  # the pages with colours of their own: shades, chart keys, marks
        pages = [p for p in pages if p[0] in {"today", "calendar", "dashboard", "report"}]
    problems = _check(open_page, pages, size, user=demo_user, color_scheme="dark")
    assert not problems, "\n".join(problems)
    page = open_page("/", user=demo_user, color_scheme="dark")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(21, 23, 26)"  # --bg in the dark palette of app.css
