import datetime as dt
import io
import json
import re

import pypdf
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bfs_tracker.days.services import day_save
from bfs_tracker.logbook.models import DailyLog
from bfs_tracker.reports.exporters import backup_data, csv_header, csv_rows, render_csv
from tests.reports_history import START, WEAKNESS_DAY, WEAKNESS_WORDS, build_history

PRIVATE = [
    "report",
    "report_pdf",
    "export_csv",
    "export_json",
    "export_fhir",
    "import_data",
    "share_links",
    "account_delete",
]
NOW = dt.datetime(2026, 9, 28, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("name", PRIVATE)
def test_anonymous_visitors_are_sent_to_log_in(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@time_machine.travel(NOW, tick=False)
def test_the_report_defaults_to_the_last_90_days(owner_client, user):
    build_history(user)
    response = owner_client.get(reverse("report"))
    assert response.status_code == 200
    report = response.context["report"]
    assert report.end == dt.date(2026, 9, 28)
    assert report.start == dt.date(2026, 7, 1)
    assert report.days_in_range == 90
    content = response.content.decode()
    assert WEAKNESS_WORDS in content
    assert reverse("report_pdf") + "?start=2026-07-01&amp;end=2026-09-28" in content
    assert 'value="2026-07-01"' in content  # date inputs need ISO values to show in the browser


def test_a_custom_range_is_used(owner_client, user):
    build_history(user)
    response = owner_client.get(reverse("report"), {"start": "2026-07-15", "end": "2026-07-25"})
    report = response.context["report"]
    assert (report.start, report.end) == (dt.date(2026, 7, 15), dt.date(2026, 7, 25))
    assert [e.date for e in report.red_flags if e.sign == "weakness"] == [WEAKNESS_DAY]


def test_a_backwards_range_is_refused_with_a_message(owner_client):
    response = owner_client.get(reverse("report"), {"start": "2026-07-25", "end": "2026-07-15"})
    assert response.status_code == 200
    assert "must start on or before" in response.content.decode()
    assert owner_client.get(reverse("report_pdf"), {"start": "2026-07-25", "end": "2026-07-15"}).status_code == 400


def test_the_report_page_has_no_inline_styles_or_scripts(owner_client, user):
    build_history(user, days=20)
    content = owner_client.get(reverse("report"), {"start": "2026-06-01", "end": "2026-06-20"}).content.decode()
    assert "style=" not in content
    # Scripts only as files (the site-wide service-worker loader); never inline code.
    assert re.findall(r"<script[^>]*>", content) == ['<script src="/static/js/pwa.js" defer>']
    assert "print.css" in content


def test_the_pdf_download_is_a_pdf_of_the_range(owner_client, user):
    build_history(user, days=60)
    response = owner_client.get(reverse("report_pdf"), {"start": "2026-07-01", "end": "2026-07-30"})
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = " ".join(pypdf.PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    assert "2026-07-01 to 2026-07-30" in text
    assert WEAKNESS_DAY.isoformat() in text


def test_csv_download_has_the_header_and_only_my_days(owner_client, user, other_user):
    build_history(user, days=5)
    build_history(other_user, days=20)
    response = owner_client.get(reverse("export_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("date (YYYY-MM-DD)")
    assert len(lines) == 1 + 5


def test_json_and_fhir_downloads(owner_client, user):
    build_history(user, days=5)
    backup = json.loads(owner_client.get(reverse("export_json")).content)
    assert backup["format_version"] == 1
    assert len(backup["logs"]) == 5
    fhir = json.loads(owner_client.get(reverse("export_fhir"), {"start": "2026-06-01", "end": "2026-06-02"}).content)
    assert fhir["resourceType"] == "Bundle"


def test_import_page_reports_the_bad_row_and_saves_nothing(owner_client, user, other_user):
    build_history(other_user, days=20, skip_every=0)
    lines = render_csv(csv_rows(other_user)).splitlines()
    cells = lines[16].split(",")
    cells[csv_header().index("sleep_quality (1-5)")] = "9"
    lines[16] = ",".join(cells)
    upload = SimpleUploadedFile("days.csv", "\r\n".join(lines).encode(), content_type="text/csv")
    response = owner_client.post(reverse("import_data"), {"file": upload, "existing": "skip"})
    content = response.content.decode()
    assert "Nothing was imported" in content
    assert "Row 17" in content
    assert "sleep_quality (1-5)" in content
    assert not DailyLog.objects.filter(user=user).exists()


def test_import_page_imports_a_backup(owner_client, user, other_user):
    build_history(other_user, days=20, skip_every=0)
    day_save(user=user, date=START, fields={"notes": "mine"}, twitches=[])
    data = json.dumps(backup_data(other_user)).encode()
    upload = SimpleUploadedFile("backup.json", data, content_type="application/json")
    response = owner_client.post(reverse("import_data"), {"file": upload, "existing": "skip"}, follow=True)
    assert "Imported 19 new days, replaced 0, skipped 1" in response.content.decode()
    assert DailyLog.objects.filter(user=user).count() == 20
    assert DailyLog.objects.get(user=user, date=START).notes == "mine"


def _queries_for_report(client, start: str, end: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("report"), {"start": start, "end": end}).status_code == 200
    return len(captured)


def test_the_report_costs_the_same_queries_however_many_days_are_logged(
    owner_client, user, stranger_client, other_user
):
    build_history(user, days=75)  # up to the flare's end, then nothing
    build_history(other_user, days=120, skip_every=0)
    few = _queries_for_report(owner_client, "2026-06-01", "2026-09-28")
    many = _queries_for_report(stranger_client, "2026-06-01", "2026-09-28")
    assert few == many


def test_the_chart_has_a_text_equivalent(owner_client, user):
    build_history(user, days=30)
    content = owner_client.get(reverse("report"), {"start": "2026-06-01", "end": "2026-06-30"}).content.decode()
    assert 'role="img"' in content
    assert "27 of 30 days logged." in content
    assert "<polyline" in content


@time_machine.travel(NOW, tick=False)
def test_a_range_ending_after_today_is_read_up_to_today(owner_client, user):
    """Days that have not happened are not "days not logged": 14 logged days up to today, asked for with an end a
    month ahead, were "14 of 43 days logged", and the second half of the Change test lay wholly in the future."""
    for offset in range(14):
        day_save(user=user, date=dt.date(2026, 9, 15) + dt.timedelta(days=offset), fields={}, twitches=[])
    asked = {"start": "2026-09-15", "end": "2026-10-27"}
    response = owner_client.get(reverse("report"), asked)
    report = response.context["report"]
    assert (report.end, report.days_in_range, report.days_logged) == (dt.date(2026, 9, 28), 14, 14)
    assert report.half_split == dt.date(2026, 9, 22)
    assert "2026-09-15 to 2026-09-28</strong> · 14 of 14 days logged" in response.content.decode()
    pdf = owner_client.get(reverse("report_pdf"), asked)
    text = " ".join(pypdf.PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text().split())
    assert "2026-09-15 to 2026-09-28 · 14 of 14 days logged" in text
    assert 'filename="bfs-report-2026-09-15-to-2026-09-28.pdf"' in pdf["Content-Disposition"]


@time_machine.travel(NOW, tick=False)
def test_a_range_starting_after_today_is_refused_with_a_message(owner_client, user):
    future = {"start": "2026-09-29", "end": "2026-10-27"}
    response = owner_client.get(reverse("report"), future)
    assert "The range cannot start after today" in response.content.decode()
    assert response.context["report"].end == dt.date(2026, 9, 28)  # the default range instead
    assert owner_client.get(reverse("report_pdf"), future).status_code == 400
    created = owner_client.post(reverse("share_links"), {**future, "days": "14"})
    assert "The range cannot start after today" in created.content.decode()


@time_machine.travel(NOW, tick=False)
def test_where_it_twitched_is_unknown_in_a_range_without_logged_days(owner_client, user):
    """A range with no logged day said "No twitching logged in this range", the same words as a range of logged
    days without twitching: unlogged days are unknown, never "no twitching"."""
    for day in (dt.date(2026, 9, 1), dt.date(2026, 9, 2)):
        day_save(user=user, date=day, fields={}, twitches=[])
    empty = {"start": "2026-08-01", "end": "2026-08-31"}
    html = owner_client.get(reverse("report"), empty).content.decode()
    assert "<p>No days logged in this range, so where it twitched is not known.</p>" in html
    assert "No twitching logged" not in html
    pdf = owner_client.get(reverse("report_pdf"), empty).content
    text = " ".join(pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "No days logged in this range, so where it twitched is not known." in text
    quiet = {"start": "2026-09-01", "end": "2026-09-02"}
    html = owner_client.get(reverse("report"), quiet).content.decode()
    assert "<p>No twitching on any of the 2 logged days in this range.</p>" in html
    custom = {"range": "custom", **empty}
    dashboard = owner_client.get(reverse("dashboard"), custom).content.decode()
    assert "<p>No days logged in this range, so where it twitched is not known.</p>" in dashboard
