"""Remedies and medication on the medical record (issue 12 item 1, issue 13 item 1): starts, dose changes and stops
as markers on the dashboard's burden chart (JSON and its key in words), on the report's chart (web page and PDF),
active remedies as bands, the remedies table on page 1 after tests and results, and MedicationStatement beside
the timeline's resources in one FHIR bundle that validates."""

import datetime as dt
import io
import json
import re
from decimal import Decimal

import pypdf
import pytest
import time_machine
from django.core.cache import caches
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle
from reportlab.graphics.shapes import String

from bfs_tracker.alerts.function_check import ITEMS
from bfs_tracker.alerts.services import function_check_record
from bfs_tracker.days.services import day_save
from bfs_tracker.logbook.remedies import remedy_change_dose, remedy_create, remedy_stop
from bfs_tracker.reports.assembly import build_report
from bfs_tracker.reports.fhir import fhir_bundle
from bfs_tracker.reports.pdf import REMEDY_MARK, burden_chart
from tests.timeline_helpers import add_emg, add_visit

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen_and_fresh():
    caches["dashboard"].clear()
    caches["reports"].clear()
    with time_machine.travel(NOW, tick=False):
        yield


def _remedies(user) -> None:
    """Magnesium 300 mg from 25 Oct, 400 mg from 5 Nov; propranolol 10 mg 28 Oct to 8 Nov; zinc long before."""
    magnesium = remedy_create(user=user, name="Magnesium", dose=Decimal("300"), unit="mg", start=dt.date(2026, 10, 25))
    remedy_change_dose(remedy=magnesium, dose=Decimal("400"), on=dt.date(2026, 11, 5))
    beta = remedy_create(user=user, name="Propranolol", dose=Decimal("10"), unit="mg", start=dt.date(2026, 10, 28))
    remedy_stop(remedy=beta, on=dt.date(2026, 11, 8))
    remedy_create(
        user=user, name="Zinc", dose=Decimal("15"), unit="mg", start=dt.date(2025, 1, 1), stop=dt.date(2025, 2, 1)
    )


def _log(user) -> None:
    for offset in range(0, 31, 2):
        day_save(user=user, date=dt.date(2026, 10, 20) + dt.timedelta(days=offset), fields={}, twitches=[])


def chart_of(html: str) -> dict:
    found = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', html, re.S)
    assert found
    return json.loads(found.group(1))


def test_the_dashboard_marks_starts_dose_changes_and_stops_and_bands_active_remedies(owner_client, user, other_user):
    _log(user)
    _remedies(user)
    remedy_create(user=other_user, name="Someone else's pill", dose=Decimal("1"), start=dt.date(2026, 11, 1))
    data = owner_client.get(reverse("dashboard_data"), {"range": "30"}).json()
    marks = [(e["date"], e["kind"], e["short"]) for e in data["chart"]["remedy_events"]]
    assert marks == [
        ("2026-10-25", "start", "Start Magnesium"),
        ("2026-10-28", "start", "Start Propranolol"),
        ("2026-11-05", "dose_change", "Dose Magnesium"),
        ("2026-11-08", "stop", "Stop Propranolol"),
    ]
    assert [b["label"] for b in data["chart"]["remedies"]] == [
        "Magnesium, 400 mg once a day",
        "Propranolol, 10 mg once a day",
    ]
    page = owner_client.get(reverse("dashboard"), {"range": "30"}).content.decode()
    assert [e["kind"] for e in chart_of(page)["remedy_events"]] == ["start", "start", "dose_change", "stop"]
    assert "Remedy or medication started, stopped or dose changed (25 Oct 2026 Started Magnesium, 300 mg" in page
    assert "Magnesium: dose changed to 400 mg once a day" in page
    assert 'id="chart-remedies"' in page
    assert "Someone else" not in page


def test_a_dose_change_is_never_hidden_by_the_dashboard_cache(owner_client, user):
    _log(user)
    url, params = reverse("dashboard_data"), {"range": "30"}
    assert owner_client.get(url, params).json()["chart"]["remedy_events"] == []
    magnesium = remedy_create(user=user, name="Magnesium", dose=Decimal("300"), unit="mg", start=dt.date(2026, 11, 1))
    assert len(owner_client.get(url, params).json()["chart"]["remedy_events"]) == 1
    remedy_change_dose(remedy=magnesium, dose=Decimal("400"), on=dt.date(2026, 11, 10))
    kinds = [e["kind"] for e in owner_client.get(url, params).json()["chart"]["remedy_events"]]
    assert kinds == ["start", "dose_change"]


def pdf_pages(pdf: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def test_the_reports_chart_and_page_one_show_remedies_on_the_web_page_and_in_the_pdf(owner_client, user):
    _log(user)
    _remedies(user)
    add_emg(user, dt.date(2026, 11, 2))
    params = {"start": "2026-10-20", "end": "2026-11-20"}
    html = owner_client.get(reverse("report"), params).content.decode()
    assert html.count('<g class="chart-remedy">') == 4
    assert "<title>2026-11-05 Magnesium: dose changed to 400 mg once a day</title>" in html
    assert "Teal dotted lines: remedies and medication started, stopped or changed in dose" in html
    # Page 1's order: tests and results, then remedies and medication, then function checks.
    tests_at, remedies_at, checks_at = (
        html.index("Tests and results"),
        html.index("Remedies and medication, with doses and dates"),
        html.index("<h2>Function checks</h2>"),
    )
    assert tests_at < remedies_at < checks_at
    assert "Magnesium, new dose" in html
    assert "Zinc" not in html  # stopped before the range

    report = build_report(user, dt.date(2026, 10, 20), dt.date(2026, 11, 20))
    drawn = [item for item in burden_chart(report).contents if isinstance(item, String)]
    assert [s.text for s in drawn if s.fillColor == REMEDY_MARK] == [
        "Start Magnesium",
        "Start Propranolol",
        "Dose Magnesium",
        "Stop Propranolol",
    ]
    first = pdf_pages(owner_client.get(reverse("report_pdf"), params).content)[0]
    assert "Teal dotted lines: remedies and medication started, stopped or changed in dose (2026-10-25 Started" in first
    assert first.index("Tests and results") < first.index("Remedies and medication, with doses and dates")
    assert "400 mg once a day 2026-11-05 still taking" in first


def test_one_fhir_bundle_with_visits_tests_medication_and_function_checks_validates(user):
    _log(user)
    _remedies(user)
    add_visit(user, dt.date(2026, 10, 30), title="Dr Okafor")
    add_emg(user, dt.date(2026, 11, 2))
    function_check_record(user=user, answers={name: 0 for name, _ in ITEMS}, today=dt.date(2026, 11, 3))
    bundle = fhir_bundle(user, dt.date(2026, 10, 20), dt.date(2026, 11, 20))
    Bundle.model_validate(bundle)
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds.count("MedicationStatement") == 3  # magnesium at two doses, propranolol; zinc ended before
    assert {"Encounter", "Procedure", "QuestionnaireResponse", "Questionnaire"} <= set(kinds)
    urls = [e["fullUrl"] for e in bundle["entry"]]
    assert len(urls) == len(set(urls))
    stopped = next(
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "MedicationStatement"
        and e["resource"]["medicationCodeableConcept"]["text"] == "Propranolol"
    )
    assert stopped["effectivePeriod"] == {"start": "2026-10-28", "end": "2026-11-08"}
    assert stopped["status"] == "completed"
