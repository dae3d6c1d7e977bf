import json

import pypdf
import pytest
from django.core.management import CommandError, call_command

from bfs_tracker.accounts.services import user_create
from bfs_tracker.reports.exporters import backup_data, csv_rows, render_csv
from tests.reports_history import WEAKNESS_DAY, build_history


def test_export_then_import_through_the_command_line(user, tmp_path):
    build_history(user, days=30)
    for fmt in ("pdf", "csv", "json", "fhir"):
        call_command("export_report", user="alice", format=fmt, out=str(tmp_path / f"out.{fmt}"))
    call_command(
        "export_report",
        "--user=alice",
        "--format=pdf",
        "--start=2026-06-01",
        "--end=2026-06-30",
        f"--out={tmp_path / 'r.pdf'}",
    )
    text = " ".join(pypdf.PdfReader(tmp_path / "r.pdf").pages[0].extract_text().split())
    assert "2026-06-01 to 2026-06-30" in text
    assert json.loads((tmp_path / "out.fhir").read_text())["resourceType"] == "Bundle"

    newcomer = user_create(username="dora", email="dora@example.org", password="x" * 20)
    call_command("import_logs", str(tmp_path / "out.json"), user="dora")
    assert backup_data(newcomer)["logs"] == backup_data(user)["logs"]
    call_command("import_logs", str(tmp_path / "out.csv"), user="dora", replace=True)
    assert render_csv(csv_rows(newcomer)) == render_csv(csv_rows(user))


def test_a_bad_file_fails_the_command_and_imports_nothing(user, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format_version": 1, "logs": [{"date": WEAKNESS_DAY.isoformat(), "stress": 99}]}))
    with pytest.raises(CommandError, match="Nothing was imported. Day 1 in logs .*stress"):
        call_command("import_logs", str(bad), user="alice")
    assert not user.daily_logs.exists()


def test_an_unknown_user_is_an_error(db, tmp_path):
    with pytest.raises(CommandError, match="No user named"):
        call_command("export_report", user="nobody", format="csv", out=str(tmp_path / "x.csv"))
