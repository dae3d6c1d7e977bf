"""The issue's "done when", as a test: seed_demo's history, the PDF's page one, the weakness event at its date."""

import datetime as dt
import io

import pypdf
import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bfs_tracker.logbook.demo_data import WEAKNESS_NOTE, demo_history
from bfs_tracker.reports.assembly import build_report, default_range
from bfs_tracker.reports.services import share_link_create

TODAY = dt.date(2026, 11, 20)
NOON = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


def _page_one(pdf: bytes) -> str:
    return " ".join(pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())


@pytest.fixture
def seeded(user):
    with time_machine.travel(NOON, tick=False):
        call_command("seed_demo", user=user.username, days=120, stdout=io.StringIO())
    plan, _ = demo_history(seed=1, start=TODAY - dt.timedelta(days=119), end=TODAY)
    return user, plan


@time_machine.travel(NOON, tick=False)
def test_page_one_of_the_default_report_shows_the_weakness_event_at_its_date(seeded, owner_client):
    user, plan = seeded
    start, end = default_range(TODAY)
    text = _page_one(owner_client.get(reverse("report_pdf")).content)
    assert f"{start.isoformat()} to {end.isoformat()}" in text
    assert plan.weakness_day.isoformat() in text
    assert WEAKNESS_NOTE[:40] in text


@time_machine.travel(NOON, tick=False)
def test_a_doctor_with_the_link_sees_the_same_page_one(seeded, owner_client):
    user, plan = seeded
    start, end = default_range(TODAY)
    _, token = share_link_create(user=user, start=start, end=end, expires_at=timezone.now() + dt.timedelta(days=7))
    doctor = Client()
    shared = _page_one(doctor.get(reverse("shared_report_pdf", args=[token])).content)
    own = _page_one(owner_client.get(reverse("report_pdf")).content)
    assert shared == own
    page = doctor.get(reverse("shared_report", args=[token])).content.decode()
    assert plan.weakness_day.isoformat() in page


@pytest.mark.skipif(
    not apps.is_installed("bfs_tracker.trends"),
    reason="flare detection lives in the trends app; this runs once trends is merged",
)
@time_machine.travel(NOON, tick=False)
def test_page_one_shows_the_main_flare_and_remission_at_their_dates(seeded, owner_client):
    user, plan = seeded
    start, end = default_range(TODAY)
    report = build_report(user, start, end)
    flares = [p for p in report.periods if p.kind == "flare"]
    remissions = [p for p in report.periods if p.kind == "remission"]
    main = plan.main
    assert any(p.start <= main.flare.last and p.end >= main.flare.first for p in flares)
    assert any(p.start <= main.remission.last and p.end >= main.remission.first for p in remissions)
    text = _page_one(owner_client.get(reverse("report_pdf")).content)
    for period in (*flares, *remissions):
        assert f"{period.label} {period.start.isoformat()} to {period.end.isoformat()}" in text
