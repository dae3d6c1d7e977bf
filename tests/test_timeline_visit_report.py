"""“Prepare for my visit” and the page-1 blocks the timeline adds to the report: the person's questions, since the
last visit (with the honest change test), tests and results. Ends with the issue's "Done when" journey."""

import datetime as dt
import io
import json

import pypdf
import pytest
import time_machine
from django.core.cache import caches
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle

from bfs_tracker.days.services import day_save
from bfs_tracker.logbook.services import Twitch
from bfs_tracker.reports.assembly import build_report
from bfs_tracker.reports.pdf import render_pdf
from bfs_tracker.timeline.models import Event
from tests.timeline_helpers import add_emg, add_lab, add_visit

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 20)
VISIT = dt.date(2026, 10, 1)  # 51 days before today: the 51 days before it are the comparison


@pytest.fixture(autouse=True)
def _frozen():
    caches["dashboard"].clear()
    with time_machine.travel(NOW, tick=False):
        yield


def pdf_pages(pdf: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def log_days(user, first: dt.date, last: dt.date, intensity: int, groups=("calf",), **fields) -> None:
    day = first
    while day <= last:
        day_save(user=user, date=day, fields=fields, twitches=[Twitch(g, "left", intensity) for g in groups])
        day += dt.timedelta(days=1)


def test_since_the_last_visit_compares_with_the_same_length_of_time_before_it(user):
    log_days(user, VISIT - dt.timedelta(days=51), VISIT - dt.timedelta(days=1), 2)
    log_days(user, VISIT, TODAY, 9, groups=("calf", "hand"))
    add_visit(user, VISIT)
    report = build_report(user, VISIT, TODAY)
    s = report.since_visit
    assert (s.visit, s.days, s.before_start, s.logged_before, s.logged_since) == (
        VISIT,
        51,
        VISIT - dt.timedelta(days=51),
        51,
        51,
    )
    assert s.lines[0].verdict == "more"  # burden 2 every day before, 9 (and a new group) every day since
    assert s.new_groups == [("Hand and fingers", 51)]
    first = pdf_pages(render_pdf(report))[0]
    assert "Since the last visit (2026-10-01)" in first
    assert "New muscle groups (none on any day before): Hand and fingers (51 days)." in first


def test_logging_that_began_at_the_visit_calls_no_muscle_group_new(owner_client, user):
    log_days(user, VISIT, TODAY, 4, groups=("calf", "hand"))
    add_visit(user, VISIT)
    response = owner_client.get(reverse("visit_report"))
    line = "New muscle groups: too few days logged before the visit to tell (0 logged, 14 needed)."
    assert f"<li>{line}</li>" in response.content.decode()
    assert "none on any day before" not in response.content.decode()
    assert line in pdf_pages(owner_client.get(reverse("visit_report_pdf")).content)[0]


def test_without_a_visit_or_on_its_day_there_is_no_since_block(user):
    log_days(user, TODAY - dt.timedelta(days=5), TODAY, 3)
    assert build_report(user, TODAY - dt.timedelta(days=5), TODAY).since_visit is None
    add_visit(user, TODAY)
    assert build_report(user, TODAY - dt.timedelta(days=5), TODAY).since_visit is None


def test_prepare_for_my_visit_puts_the_persons_questions_on_page_one(owner_client, user):
    add_visit(user, VISIT)
    add_visit(user, dt.date(2026, 12, 3), questions="Do I need another EMG?\n\nIs magnesium worth trying?")
    log_days(user, VISIT, TODAY, 3)
    page = owner_client.get(reverse("visit_report"))
    html = page.content.decode()
    assert page.context["report"].start == VISIT
    assert "My questions for 2026-12-03" in html
    assert "<li>Is magnesium worth trying?</li>" in html
    assert reverse("visit_report_pdf") in html
    pdf = owner_client.get(reverse("visit_report_pdf"))
    assert pdf["Content-Disposition"] == 'attachment; filename="bfs-visit-report-2026-10-01-to-2026-11-20.pdf"'
    first = pdf_pages(pdf.content)[0]
    assert "My questions for 2026-12-03 1. Do I need another EMG? 2. Is magnesium worth trying?" in first


def test_without_any_visit_the_visit_view_is_the_last_90_days(owner_client, user):
    page = owner_client.get(reverse("visit_report"))
    assert page.context["report"].start == TODAY - dt.timedelta(days=89)
    assert "My questions" not in page.content.decode()


def test_tests_and_results_list_every_test_up_to_the_end_newest_first(user):
    add_emg(user, dt.date(2025, 3, 1), notes="Normal study.")
    add_lab(user, dt.date(2026, 11, 1), reference_range="40–320")
    add_lab(user, dt.date(2026, 10, 25), test="tsh", value="2.1", unit="m[IU]/L")
    add_visit(user, dt.date(2026, 11, 2))
    report = build_report(user, dt.date(2026, 10, 1), TODAY)
    assert [t.label for t in report.tests] == [
        "CK (creatine kinase) 250 U/L (range 40–320)",
        "TSH 2.1 mIU/L",
        "EMG / nerve conduction: normal",
    ]


def test_the_done_when_journey(owner_client, user):
    """Tried as a new user would: record a neurologist visit, an EMG with "normal" and a CK value; the dashboard
    chart and the PDF's chart show them; page 1 shows since the last visit; a 200-line note renders; the FHIR
    bundle with all of it validates."""
    for offset in range(100, 0, -1):
        day = TODAY - dt.timedelta(days=offset)
        day_save(user=user, date=day, fields={"stress": 3}, twitches=[Twitch("calf", "left", 2 + offset % 3)])
    note = "\n".join(f"Line {i}: calf" for i in range(200))  # 200 short lines, within the 5,000 characters
    day_save(user=user, date=TODAY, fields={"notes": note}, twitches=[Twitch("calf", "both", 4)])
    forms = [
        ("visit", {"date": "2026-10-15", "clinician": "neurologist", "notes": "Looks benign.", "questions": "EMG?"}),
        ("emg", {"date": "2026-10-20", "emg_result": "normal"}),
        ("blood", {"date": "2026-10-21", "lab_test": "ck", "value": "180", "unit": "U/L", "reference_range": "40–320"}),
        ("visit", {"date": "2026-12-10", "clinician": "neurologist", "questions": "Can I stop worrying about ALS?"}),
    ]
    for kind, data in forms:
        assert owner_client.post(reverse("timeline_add", args=[kind]), data).status_code == 302
    assert Event.objects.filter(user=user).count() == 4

    chart = owner_client.get(reverse("dashboard_data"), {"range": "90"}).json()["chart"]
    assert [(e["date"], e["kind"]) for e in chart["events"]] == [
        ("2026-10-15", "visit"),
        ("2026-10-20", "emg"),
        ("2026-10-21", "blood"),
    ]

    pdf = owner_client.get(reverse("visit_report_pdf"))
    pages = pdf_pages(pdf.content)
    first = pages[0]
    assert "My questions for 2026-12-10 1. Can I stop worrying about ALS?" in first
    assert "Since the last visit (2026-10-15)" in first
    assert (
        "Purple lines: visits and tests (2026-10-15 Neurologist visit; 2026-10-20 EMG / nerve conduction: normal"
        in first
    )
    assert "CK (creatine kinase) 180 U/L (range 40–320)" in " ".join(pages)
    assert "Line 1: calf" in " ".join(pages)

    bundle = json.loads(owner_client.get(reverse("export_fhir")).content)
    parsed = Bundle.model_validate(bundle)
    kinds = [e.resource.get_resource_type() for e in parsed.entry]
    assert {"Encounter", "Procedure", "Observation", "Patient"} <= set(kinds)
