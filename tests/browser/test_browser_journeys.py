"""Whole journeys as a new user would make them, in a phone-sized Chromium."""

import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from bfs_tracker.accounts.models import User
from bfs_tracker.alerts.models import Alert
from bfs_tracker.logbook.models import DailyLog
from tests.browser.pages import finish_sign_up

pytestmark = pytest.mark.browser

PASSWORD = "a long and unusual passphrase 7"


def test_a_new_person_signs_up_logs_today_on_the_body_map_and_finds_it_on_calendar_and_dashboard(open_page, db):
    page = open_page("/accounts/signup/")
    page.get_by_label("Email").fill("new@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").tap()
    page.get_by_role("heading", name="Check your email").wait_for()
    finish_sign_up(page, PASSWORD)
    page.get_by_role("heading", name="Log today").wait_for()
    person = User.objects.get(email="new@example.org")
    assert person.time_zone == "Europe/London"  # taken from the browser

    page.locator('[data-body-map] [aria-label="Left calf"]').first.tap()
    slider = page.locator(":focus")
    box = slider.bounding_box()
    slider.tap(position={"x": box["width"] * 0.75, "y": box["height"] / 2})
    page.get_by_role("button", name="Save this day").tap()
    page.get_by_text("Saved your log for").wait_for()

    log = DailyLog.objects.get(user=person)
    assert log.date == person.today()
    assert [(t.muscle_group, t.side) for t in log.twitches.all()] == [("calf", "left")]

    page.get_by_role("link", name="Calendar").tap()
    today_link = page.locator(f'[data-date="{person.today():%Y-%m-%d}"]')
    assert today_link.locator(".cal-burden").inner_text() == str(log.burden)
    assert "not-logged" not in today_link.locator("xpath=..").get_attribute("class")

    page.get_by_role("link", name="Dashboard").tap()
    page.get_by_role("heading", name="Where it twitched").wait_for()
    # The calf shows on the front and the back of the figure.
    assert page.locator('.body-map-heat [aria-label="Left calf: twitched on 1 day"]').count() == 2
    assert page.get_by_role("cell", name="Calf, left").is_visible()


def test_weakness_raises_an_alert_that_the_person_reads_and_acknowledges(open_page, user):
    page = open_page("/", user=user)
    page.get_by_label("Weakness", exact=True).check()
    page.get_by_label("Where you noticed the weakness").fill("left hand, gripping a cup")
    page.get_by_role("button", name="Save this day").tap()

    panel = page.get_by_role("heading", name="This day has a red-flag alert")
    panel.wait_for()
    alert = Alert.objects.get(user=user)
    assert alert.status == Alert.Status.OPEN
    assert page.get_by_text("left hand, gripping a cup").is_visible()
    # Never a diagnosis, and the twitching itself is not what raised it.
    assert "you have als" not in page.content().lower()

    page.get_by_label("I have read this alert").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Mark as read").tap()
    alert.refresh_from_db()
    assert alert.status == Alert.Status.ACKNOWLEDGED
    page.goto("/alerts/")
    assert page.get_by_role("button", name="Mark as read").count() == 0


def test_the_person_downloads_the_pdf_report_for_their_doctor(open_page, user, tmp_path):
    call_command("seed_demo", user=user.username, days=90, fast=True, stdout=io.StringIO())
    page = open_page("/report/", user=user, size="desktop")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    path = tmp_path / "report.pdf"
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    text = "\n".join(p.extract_text() for p in PdfReader(path).pages)
    assert user.report_name in text
    assert "weakness" in text.lower()  # the demo history has one weakness day; the doctor must see it
