"""The medical timeline in the JSON backup: an exact round trip, the form's rules on import, and nothing written when
any event is refused."""

import copy
import datetime as dt
import json

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bfs_tracker.reports.exporters import backup_data
from bfs_tracker.reports.importers import ImportError_, parse_json
from bfs_tracker.reports.services import import_apply
from bfs_tracker.timeline.backup import events_backup
from bfs_tracker.timeline.models import Event
from tests.timeline_helpers import add_emg, add_event, add_lab, add_visit

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def timeline(user):
    add_visit(user, dt.date(2026, 9, 1), title="Dr Okafor", notes="Benign.\nCome back if weak.", questions="EMG?")
    add_visit(user, dt.date(2026, 12, 15), clinician="gp")  # planned
    add_emg(user, dt.date(2026, 9, 10), result="pending", title="Arms")
    add_lab(user, dt.date(2026, 9, 12), test="magnesium", value="0.8200", unit="mmol/L", reference_range="0.70–1.00")
    add_lab(user, dt.date(2026, 9, 12), test="other", title="ESR", value="7", unit="mm/h")
    add_event(user, "imaging", dt.date(2026, 9, 20), title="MRI of the neck", notes="Mild disc bulge 😐")
    add_event(user, "diagnosis", dt.date(2026, 9, 21), title="Benign fasciculation syndrome", clinician="neurologist")
    return user


def test_the_backup_holds_every_event_with_values_as_printed(timeline):
    events = backup_data(timeline)["timeline"]
    assert len(events) == 7
    assert events[0] == {
        "date": "2026-09-01",
        "kind": "visit",
        "clinician": "neurologist",
        "title": "Dr Okafor",
        "emg_result": "",
        "lab_test": "",
        "value": None,
        "unit": "",
        "reference_range": "",
        "questions": "EMG?",
        "notes": "Benign.\nCome back if weak.",
    }
    magnesium = next(e for e in events if e["lab_test"] == "magnesium")
    assert (magnesium["value"], magnesium["unit"]) == ("0.82", "mmol/L")


def test_restoring_into_an_empty_account_gives_back_exactly_the_same_timeline(timeline, other_user):
    text = json.dumps(backup_data(timeline), ensure_ascii=False)
    result = import_apply(user=other_user, plan=parse_json(text, today=TODAY), replace=False)
    assert result.events == 7
    assert events_backup(other_user) == events_backup(timeline)


def test_restoring_the_same_backup_twice_adds_nothing_the_second_time(timeline):
    text = json.dumps(backup_data(timeline))
    assert import_apply(user=timeline, plan=parse_json(text, today=TODAY), replace=True).events == 0
    assert Event.objects.filter(user=timeline).count() == 7


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "horoscope"}, "Timeline event 1 (2026-09-01), kind: “horoscope” is not a kind of event"),
        (
            {"kind": "blood", "lab_test": "ck", "value": "-1", "unit": "U/L"},
            "value: A concentration cannot be negative.",
        ),
        (
            {"kind": "blood", "lab_test": "ck", "value": "5", "unit": "mmol/L"},
            "unit: CK (creatine kinase) is not measured in mmol/L",
        ),
        ({"kind": "blood", "lab_test": "ck", "value": "abc", "unit": "U/L"}, "value: “abc” is not a number."),
        ({"kind": "emg", "date": "2027-01-01"}, "date: Only a planned visit can be in the future."),
        ({"notes": "x" * 4001}, "notes: Ensure this value has at most 4000 characters (it has 4001)."),
        ({"date": "yesterday"}, "Timeline event 1, date: “yesterday” is not a date like 2026-03-31."),
        ({"colour": "red"}, "Timeline event 1: unknown key “colour”."),
        ({"clinician": "shaman"}, "clinician: Value 'shaman' is not a valid choice."),
    ],
)
def test_an_event_the_form_would_refuse_stops_the_whole_import(timeline, other_user, change, message):
    data = backup_data(timeline)
    bad = copy.deepcopy(data)
    bad["timeline"][0] |= change
    with pytest.raises(ImportError_) as error:
        parse_json(json.dumps(bad), today=TODAY)
    assert message in str(error.value)
    assert not Event.objects.filter(user=other_user).exists()


def test_a_backup_without_a_timeline_still_imports(user, other_user):
    data = backup_data(user)
    del data["timeline"]
    assert parse_json(json.dumps(data), today=TODAY).events == []


def test_importing_through_the_page_says_how_many_events_were_added(timeline, other_user, stranger_client):
    upload = json.dumps(backup_data(timeline)).encode()
    response = stranger_client.post(
        reverse("import_data"),
        {"file": SimpleUploadedFile("backup.json", upload, "application/json"), "existing": "skip"},
        follow=True,
    )
    assert "7 timeline events added." in response.content.decode()
    assert Event.objects.filter(user=other_user).count() == 7
