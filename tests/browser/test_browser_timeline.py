"""The medical timeline on a 390 px phone: a person records a visit and a blood test through the forms, sees a
refused value explained by its field, and the list fits the screen."""

import datetime as dt

import pytest

from bfs_tracker.timeline.models import Event
from tests.browser.conftest import screenshot
from tests.timeline_helpers import add_emg, add_visit

pytestmark = pytest.mark.browser


def test_a_person_records_a_visit_and_a_blood_test_on_a_phone(open_page, user):
    today = user.today()
    add_emg(user, today - dt.timedelta(days=40), notes="No signs of denervation. " * 8)
    add_visit(user, today + dt.timedelta(days=20), clinician="neurologist", questions="Do I need another EMG?")
    page = open_page("/timeline/", user=user)
    page.get_by_role("link", name="Visit", exact=True).click()
    page.get_by_label("Date").fill((today - dt.timedelta(days=3)).isoformat())
    page.get_by_label("GP").check()
    page.get_by_label("What was said, in your own words").fill("Twitching is common; come back if weakness.")
    page.get_by_role("button", name="Save").click()
    assert "Added: GP visit." in page.content()

    page.get_by_role("link", name="Blood test").click()
    page.get_by_label("Date of the blood test").fill((today - dt.timedelta(days=2)).isoformat())
    page.get_by_label("Test", exact=True).select_option("magnesium")
    page.get_by_label("Value").fill("-0.8")
    page.get_by_label("Unit").select_option("mmol/L")
    page.get_by_role("button", name="Save").click()
    assert page.locator("#id_value_error").inner_text() == "A concentration cannot be negative."
    assert page.evaluate("document.activeElement.id") == "id_value"
    screenshot(page, "timeline-refused-value-phone")
    page.get_by_label("Value").fill("0.82")
    page.get_by_label("Reference range, as printed (optional)").fill("0.70–1.00")
    page.get_by_role("button", name="Save").click()
    assert Event.objects.filter(user=user).count() == 4

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "timeline-phone")
    assert page.locator(".tag").all_inner_texts() == ["planned"]
    assert page.get_by_role("link", name="Prepare for my visit").count() == 1
    screenshot(page, "timeline-phone")
