import csv
import datetime as dt
import io
import json

import pytest

from bfs_tracker.accounts.services import user_create
from bfs_tracker.days.services import day_save
from bfs_tracker.logbook.models import DailyLog, ReliefMethod
from bfs_tracker.logbook.services import Twitch
from bfs_tracker.reports.exporters import backup_data, csv_header, csv_rows, escape_cell, render_csv
from bfs_tracker.reports.importers import parse_csv, parse_json
from bfs_tracker.reports.services import import_apply
from tests.reports_history import START, build_history


def _csv(user) -> str:
    return render_csv(csv_rows(user))


def _content(backup: dict) -> dict:
    """What the person entered, without who and when the file was made."""
    return {"reliefs": backup["reliefs"], "logs": backup["logs"]}


@pytest.fixture
def newcomer(db):
    return user_create(username="carol", email="carol@example.org", password="x" * 20)


def test_the_csv_header_states_units_and_scales():
    for expected in [
        "date (YYYY-MM-DD)",
        "stress (0-10)",
        "caffeine_mg",
        "twitch_calf_left (intensity 1-10)",
        "twitch_calf_both (intensity 1-10)",
        "sleep_quality (1-5)",
        "weakness (yes/no)",
    ]:
        assert expected in csv_header()


def test_the_csv_has_one_row_per_logged_day_with_iso_dates(user):
    logged = build_history(user, days=30)
    rows = list(csv.reader(io.StringIO(_csv(user))))
    assert rows[0] == csv_header()
    assert [r[0] for r in rows[1:]] == [d.isoformat() for d in logged]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["twitch_calf_left (intensity 1-10)"] == "2"
    assert first["twitch_calf_right (intensity 1-10)"] == ""
    assert first["caffeine_mg"] == "95"


@pytest.mark.parametrize("text", ["=HYPERLINK(1)", "+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx", "'quoted"])
def test_cells_a_spreadsheet_would_run_are_escaped(text):
    assert escape_cell(text) == "'" + text


@pytest.mark.parametrize("value", [-3, "-3", "-2.5", 7, "7.5"])
def test_numbers_are_left_alone(value):
    assert escape_cell(value) == str(value)


def test_csv_round_trip_into_a_new_account_gives_the_same_file(user, newcomer):
    build_history(user, days=40)
    day_save(
        user=user,
        date=START - dt.timedelta(days=1),
        fields={
            "notes": "=cmd|' /C calc'!A0, and a comma; and \"quotes\"\nnew line",
            "weakness": True,
            "weakness_location": "-left grip",
        },
        twitches=[Twitch("hand", "left", 4)],
    )
    exported = _csv(user)
    import_apply(user=newcomer, plan=parse_csv(exported), replace=False)
    assert _csv(newcomer) == exported
    assert DailyLog.objects.get(user=newcomer, date=START - dt.timedelta(days=1)).notes.startswith("=cmd")


def test_json_round_trip_into_a_new_account_gives_the_same_content(user, newcomer):
    build_history(user, days=40)
    ReliefMethod.objects.create(user=user, name="Old cream", archived=True)
    exported = backup_data(user)
    import_apply(user=newcomer, plan=parse_json(json.dumps(exported)), replace=False)
    assert _content(backup_data(newcomer)) == _content(exported)


def test_the_backup_holds_settings_and_a_format_version(user):
    user.date_of_birth = dt.date(1990, 1, 31)
    user.save()
    ReliefMethod.objects.filter(user=user, name="Massage").update(archived=True)
    data = backup_data(user)
    assert data["format_version"] == 1
    assert data["account"]["time_zone"] == "Europe/London"
    assert data["account"]["date_of_birth"] == "1990-01-31"
    assert {"name": "Massage", "archived": True} in data["reliefs"]
    assert "alerts" in data
    assert "function_checks" in data


def test_exports_never_include_another_users_days(user, other_user):
    build_history(other_user, days=10)
    assert len(list(csv_rows(user))) == 1
    assert backup_data(user)["logs"] == []
