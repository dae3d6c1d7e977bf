"""Exports, imports and account deletion, seen from the security side."""

import csv
import datetime as dt
import io
import json

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bfs_tracker.days.services import day_save
from bfs_tracker.logbook.burden import twitch_burden
from bfs_tracker.logbook.models import DailyLog, TwitchEntry
from bfs_tracker.logbook.services import Twitch

DAY = dt.date(2026, 3, 10)
DANGEROUS = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]

pytest.importorskip("bfs_tracker.reports", reason="the reports app is not merged yet")
from bfs_tracker.reports.importers import MAX_IMPORT_BYTES  # noqa: E402


@pytest.mark.parametrize("text", DANGEROUS)
def test_csv_export_escapes_cells_a_spreadsheet_would_run(owner_client, user, text):
    day_save(user=user, date=DAY, fields={"notes": text}, twitches=[Twitch("calf", "left", 2)])
    response = owner_client.get(reverse("export_csv"))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response).decode("utf-8-sig"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert text not in cells
    assert "'" + text in cells
    assert not any(cell[:1] in ("=", "+", "@", "\t", "\r") for cell in cells)


def test_the_request_limit_leaves_room_for_the_largest_import(settings):
    assert settings.REQUEST_MAX_BYTES > MAX_IMPORT_BYTES + 64 * 1024


def test_an_import_file_over_its_limit_is_refused_with_a_message_and_nothing_saved(owner_client, user):
    data = b"date,notes\n" + b"x" * MAX_IMPORT_BYTES
    upload = SimpleUploadedFile("days.csv", data, content_type="text/csv")
    response = owner_client.post(reverse("import_data"), {"file": upload, "existing": "skip"})
    assert response.status_code == 200
    assert "larger than" in response.content.decode()
    assert not DailyLog.objects.filter(user=user).exists()


def test_deleting_the_account_signs_out_every_device(user, password):
    phone, laptop = Client(), Client()
    phone.force_login(user)
    laptop.force_login(user)
    response = phone.post(reverse("account_delete"), {"password": password, "confirm": "on"})
    assert response.status_code == 302
    assert Session.objects.count() == 0
    assert laptop.get(reverse("today")).status_code == 302


# --- Fuzzing the importers through the import page ---

FUZZ = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
cell = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "2026-03-01", "2026-02-30", "yes", "no", "5", "-1", "11", "1e9", "calf", "left", "\x00"]),
)
HEADER = [
    "date",
    "stress",
    "sleep_hours",
    "caffeine_mg",
    "weakness",
    "weakness_location",
    "notes",
    "twitches",
    "reliefs",
]
csv_files = st.lists(st.lists(cell, min_size=0, max_size=len(HEADER) + 1), max_size=6).map(
    lambda rows: "\n".join(",".join(map(str, r)) for r in [HEADER, *rows]).encode("utf-8", "surrogatepass")
)
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-5, 400), st.text(max_size=10), st.sampled_from(["2026-03-01"])),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
json_files = st.fixed_dictionaries(
    {
        "days": st.lists(
            st.dictionaries(st.sampled_from(["date", "stress", "twitches", "notes", "reliefs", "pain"]), json_values),
            max_size=4,
        )
    },
    optional={"format": json_values, "version": json_values},
).map(lambda d: json.dumps(d).encode())
files = st.one_of(csv_files, json_files, st.binary(max_size=200))


def snapshot(user) -> tuple:
    logs = sorted(DailyLog.objects.filter(user=user).values_list("date", "notes", "burden"))
    entries = sorted(
        TwitchEntry.objects.filter(log__user=user).values_list("log__date", "muscle_group", "side", "intensity")
    )
    return logs, entries


@FUZZ
@given(data=files, name=st.sampled_from(["days.csv", "backup.json", "x.txt"]), replace=st.booleans())
def test_any_import_file_is_taken_whole_or_refused_whole(owner_client, user, data, name, replace):
    before = snapshot(user)
    upload = SimpleUploadedFile(name, data)
    response = owner_client.post(reverse("import_data"), {"file": upload, "existing": "replace" if replace else "skip"})
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert snapshot(user) == before, "a refused import changed the log"
    for log in DailyLog.objects.filter(user=user).prefetch_related("twitches"):
        assert log.burden == twitch_burden((t.side, t.intensity) for t in log.twitches.all())
