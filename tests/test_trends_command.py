"""manage.py flares: the same periods as the dashboard, as JSON or text."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.cache import caches
from django.core.management import CommandError, call_command
from django.urls import reverse

from bfs_tracker.days.services import day_save
from bfs_tracker.logbook.services import Twitch

START = dt.date(2026, 1, 1)


@pytest.fixture
def history(user):
    """28 ordinary days (calf 5), a 6-day flare (calf both sides 10, short sleep before), 10 quiet days."""
    values = [5] * 28 + [20] * 6 + [0] * 10
    for i, burden in enumerate(values):
        twitches = [Twitch("calf", "both", burden // 2)] if burden >= 10 else []
        if 0 < burden < 10:
            twitches = [Twitch("calf", "left", burden)]
        sleep = 4 if 25 <= i < 28 else 7
        day_save(user=user, date=START + dt.timedelta(days=i), fields={"sleep_hours": sleep}, twitches=twitches)
    return user


@pytest.fixture(autouse=True)
def empty_cache():
    caches["dashboard"].clear()


def run(*args):
    out = StringIO()
    call_command("flares", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_periods_as_json(history):
    rows = json.loads(run("--user", "alice", "--format", "json"))
    assert [{k: r[k] for k in ("kind", "start", "end", "days", "peak", "mean")} for r in rows] == [
        {"kind": "flare", "start": "2026-01-29", "end": "2026-02-03", "days": 6, "peak": 20.0, "mean": 20.0},
        {"kind": "remission", "start": "2026-02-04", "end": "2026-02-13", "days": 10, "peak": 0.0, "mean": 0.0},
    ]
    assert rows[0]["unusual_before"] == ["sleep 4.0 h vs your usual 7.0 h"]


def test_the_json_agrees_with_the_dashboard(history, owner_client):
    rows = json.loads(run("--user", "alice", "--format", "json"))
    with_dates = {"range": "custom", "start": "2026-01-01", "end": "2026-02-13"}
    dashboard = owner_client.get(reverse("dashboard_data"), with_dates).json()
    assert rows == dashboard["periods"]


def test_start_and_end_keep_the_periods_that_touch_the_range(history):
    rows = json.loads(run("--user", "alice", "--format", "json", "--start", "2026-02-05", "--end", "2026-03-01"))
    assert [(r["kind"], r["start"]) for r in rows] == [("remission", "2026-02-04")]


def test_text_output_is_one_line_per_period(history):
    lines = run("--user", "alice").splitlines()
    assert lines[0].startswith("flare     2026-01-29 to 2026-02-03    6 days (6 logged)  peak 20  mean 20")
    assert lines[0].endswith("before: sleep 4.0 h vs your usual 7.0 h")
    assert lines[1].startswith("remission 2026-02-04 to 2026-02-13")


def test_it_says_when_there_is_nothing(user):
    assert run("--user", "alice") == "No flares or remissions.\n"
    assert json.loads(run("--user", "alice", "--format", "json")) == []


def test_it_rejects_an_unknown_user_and_bad_dates(db):
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        run("--user", "nobody")
    with pytest.raises(CommandError, match="Not a date"):
        run("--user", "nobody", "--start", "2026-13-01")


def test_what_was_unusual_before_a_flare_does_not_depend_on_the_range_shown(history, owner_client):
    rows = json.loads(run("--user", "alice", "--format", "json"))
    # A range that starts inside the flare, so neither the days before it nor the usual days are in the range.
    inside = {"range": "custom", "start": "2026-01-31", "end": "2026-02-13"}
    dashboard = owner_client.get(reverse("dashboard_data"), inside).json()
    assert dashboard["periods"][0]["unusual_before"] == rows[0]["unusual_before"] == ["sleep 4.0 h vs your usual 7.0 h"]
    page = owner_client.get(reverse("dashboard"), inside).content.decode()
    assert "In the 3 days before: sleep 4.0 h vs your usual 7.0 h." in page


def test_before_a_baseline_it_says_how_many_more_days_are_needed(user):
    for i in range(3):
        day_save(user=user, date=START + dt.timedelta(days=i), fields={}, twitches=[Twitch("calf", "left", 3)])
    assert run("--user", "alice") == (
        "Not enough days yet: 4 more logged days for a baseline. Nothing is detected before that.\n"
    )
    err = StringIO()
    call_command("flares", "--user", "alice", "--format", "json", stdout=StringIO(), stderr=err)
    assert json.loads(run("--user", "alice", "--format", "json")) == []
    assert "4 more logged days" in err.getvalue()
