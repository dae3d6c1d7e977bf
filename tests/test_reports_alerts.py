"""The report with the alerts app: acknowledgement status, withdrawn alerts kept, function checks, backup."""

import datetime as dt
import io
import json

import pypdf
import pytest

from bfs_tracker.alerts.function_check import ITEMS
from bfs_tracker.alerts.models import Alert, FunctionCheck
from bfs_tracker.alerts.services import alert_acknowledge, function_check_record
from bfs_tracker.days.services import day_save
from bfs_tracker.reports.assembly import build_report
from bfs_tracker.reports.exporters import backup_data
from bfs_tracker.reports.importers import ImportError_, parse_json
from bfs_tracker.reports.pdf import render_pdf
from bfs_tracker.reports.services import import_apply
from tests.reports_history import START, SWALLOW_DAY, WEAKNESS_DAY, WEAKNESS_WORDS, build_history

END = START + dt.timedelta(days=119)


def _pdf_text(report) -> str:
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(report)))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def history(user):
    build_history(user)
    return user


def test_red_flags_say_whether_the_alert_was_acknowledged(history):
    weakness = Alert.objects.get(user=history, date=WEAKNESS_DAY, rule_id="weakness")
    alert_acknowledge(alert=weakness)
    report = build_report(history, START, END)
    events = {(e.date, e.sign): e for e in report.red_flags}
    assert events[(WEAKNESS_DAY, "weakness")].acknowledged is True
    assert events[(SWALLOW_DAY, "swallowing_trouble")].acknowledged is False
    assert events[(SWALLOW_DAY, "swallowing_trouble")].urgent
    text = _pdf_text(report)
    assert f"yes, {weakness.acknowledged_at.date().isoformat()}" in text
    assert "NOT YET" in text


def test_an_alert_whose_sign_was_removed_stays_in_the_report_as_withdrawn(history):
    day_save(user=history, date=WEAKNESS_DAY, fields={"weakness": False}, twitches=[])
    report = build_report(history, START, END)
    withdrawn = [e for e in report.red_flags if e.date == WEAKNESS_DAY]
    assert len(withdrawn) == 1
    assert withdrawn[0].status == "withdrawn"
    assert WEAKNESS_WORDS in withdrawn[0].words
    assert "withdrawn (removed from the day)" in _pdf_text(report)


def test_function_checks_are_on_page_one(user):
    answers = {name: 0 for name, _ in ITEMS}
    answers["walking"] = 1
    function_check_record(user=user, answers=answers, today=START)
    report = build_report(user, START, END)
    assert len(report.function_checks) == 1
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(report)))
    first = " ".join(reader.pages[0].extract_text().split())
    assert "Function checks" in first
    assert "Walking: a little harder" in first


def test_the_backup_holds_alerts_checks_and_alert_settings_and_checks_come_back(history, other_user):
    answers = {name: 0 for name, _ in ITEMS}
    function_check_record(user=history, answers=answers, today=START)
    data = backup_data(history)
    assert {a["rule_id"] for a in data["alerts"]} >= {"weakness", "swallowing_trouble"}
    assert data["function_checks"][0]["taken_on"] == START.isoformat()
    assert data["settings"]["alerts"] == {"email_on_alert": False}
    result = import_apply(user=other_user, plan=parse_json(json.dumps(data)), replace=False)
    assert result.function_checks == 1
    assert FunctionCheck.objects.get(user=other_user).taken_on == START
    assert backup_data(other_user)["function_checks"] == data["function_checks"]
    # Imported days go through days.services.day_save, so their alerts are raised again.
    assert Alert.objects.filter(user=other_user, date=WEAKNESS_DAY, rule_id="weakness").exists()


def test_a_bad_function_check_in_a_backup_is_named(history):
    data = backup_data(history)
    data["function_checks"] = [{"taken_on": "2026-06-01", **{name: 9 for name, _ in ITEMS}}]
    with pytest.raises(ImportError_, match="Function check 1"):
        parse_json(json.dumps(data))
