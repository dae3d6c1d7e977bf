"""Timeline events on the charts: the dashboard's burden chart (JSON via json_script and the endpoint), its text
list, and the dashboard cache, which must not serve a chart without an event just recorded; the report's chart on
the web page and in the PDF."""

import datetime as dt
import io
import json
import re

import pypdf
import pytest
import time_machine
from django.core.cache import caches
from django.urls import reverse
from reportlab.graphics.shapes import String

from bfs_tracker.days.services import day_save
from bfs_tracker.reports.assembly import build_report
from bfs_tracker.reports.pdf import EVENT_MARK, burden_chart
from bfs_tracker.timeline.services import event_delete
from tests.timeline_helpers import add_emg, add_lab, add_visit

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen_and_fresh():
    caches["dashboard"].clear()
    with time_machine.travel(NOW, tick=False):
        yield


def chart_of(html: str) -> dict:
    found = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', html, re.S)
    assert found, "the chart data is in a json_script block"
    return json.loads(found.group(1))


def test_the_dashboards_burden_chart_carries_the_events_of_the_range(owner_client, user, other_user):
    day_save(user=user, date=dt.date(2026, 11, 1), fields={}, twitches=[])
    add_visit(user, dt.date(2026, 11, 2), title="Dr Okafor")
    add_emg(user, dt.date(2026, 11, 5))
    add_lab(user, dt.date(2026, 11, 6), reference_range="40-320")
    add_visit(user, dt.date(2026, 5, 1))  # outside a 30-day range
    add_visit(other_user, dt.date(2026, 11, 3), title="Someone else's doctor")
    data = owner_client.get(reverse("dashboard_data"), {"range": "30"}).json()
    assert data["chart"]["events"] == [
        {"date": "2026-11-02", "kind": "visit", "label": "Neurologist visit: Dr Okafor", "planned": False},
        {"date": "2026-11-05", "kind": "emg", "label": "EMG / nerve conduction: normal", "planned": False},
        {
            "date": "2026-11-06",
            "kind": "blood",
            "label": "CK (creatine kinase) 250 U/L (range 40-320)",
            "planned": False,
        },
    ]
    page = owner_client.get(reverse("dashboard"), {"range": "30"}).content.decode()
    assert [e["date"] for e in chart_of(page)["events"]] == ["2026-11-02", "2026-11-05", "2026-11-06"]
    assert "Visits and tests" in page
    assert "EMG / nerve conduction: normal" in page
    assert "Someone else" not in page


def test_a_new_or_deleted_event_is_never_hidden_by_the_dashboard_cache(owner_client, user):
    day_save(user=user, date=dt.date(2026, 11, 1), fields={}, twitches=[])
    url, params = reverse("dashboard_data"), {"range": "30"}
    assert owner_client.get(url, params).json()["chart"]["events"] == []
    visit = add_visit(user, dt.date(2026, 11, 10))
    assert len(owner_client.get(url, params).json()["chart"]["events"]) == 1
    visit.title = "Dr Okafor"
    with time_machine.travel(NOW + dt.timedelta(seconds=1), tick=False):  # an edit is later than the save before it
        visit.save()
    assert owner_client.get(url, params).json()["chart"]["events"][0]["label"] == "Neurologist visit: Dr Okafor"
    event_delete(event=visit)
    assert owner_client.get(url, params).json()["chart"]["events"] == []


def pdf_pages(pdf: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def test_the_reports_chart_marks_the_events_on_the_web_page_and_in_the_pdf(owner_client, user):
    for offset in range(0, 30, 2):
        day_save(user=user, date=dt.date(2026, 10, 20) + dt.timedelta(days=offset), fields={}, twitches=[])
    add_visit(user, dt.date(2026, 10, 25), title="Dr Okafor")
    add_emg(user, dt.date(2026, 11, 2))
    add_lab(user, dt.date(2026, 11, 3))
    params = {"start": "2026-10-20", "end": "2026-11-20"}
    html = owner_client.get(reverse("report"), params).content.decode()
    assert html.count('<g class="chart-event">') == 3
    assert "<title>2026-11-02 EMG / nerve conduction: normal</title>" in html
    assert "Purple lines: visits and tests" in html

    report = build_report(user, dt.date(2026, 10, 20), dt.date(2026, 11, 20))
    drawn = [item for item in burden_chart(report).contents if isinstance(item, String)]
    assert [s.text for s in drawn if s.fillColor == EVENT_MARK] == ["Visit", "EMG", "Blood"]
    first = pdf_pages(owner_client.get(reverse("report_pdf"), params).content)[0]
    assert "Purple lines: visits and tests (2026-10-25 Neurologist visit: Dr Okafor; 2026-11-02 EMG" in first
