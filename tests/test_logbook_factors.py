"""The factor table is the one place a factor is defined: a new 0–10 factor, added as one entry (plus its column,
which the migration would add), appears on the day form, in the CSV, in the JSON backup, in the insights, in what
stood out before a flare and in the FHIR export, with no other change."""

import csv
import datetime as dt
import io
import json

import pytest
from django.db import connection
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle

from bfs_tracker.days.services import day_save
from bfs_tracker.logbook import factors
from bfs_tracker.logbook.factors import Factor, Fhir, Kind, Role
from bfs_tracker.logbook.forms import DailyLogForm
from bfs_tracker.logbook.models import DailyLog
from bfs_tracker.logbook.selectors import day_records
from bfs_tracker.logbook.services import Twitch
from bfs_tracker.reports.exporters import backup_data, csv_rows, render_csv
from bfs_tracker.reports.fhir import fhir_bundle
from bfs_tracker.reports.importers import parse_csv, parse_json
from bfs_tracker.reports.services import import_apply
from bfs_tracker.trends.flares import Period, unusual_before
from bfs_tracker.trends.insights import trigger_insights

START = dt.date(2026, 3, 1)
DAYS = 30

JAW = Factor(
    "jaw_tension",
    "Jaw tension",
    Kind.SCORE,
    optional=True,
    help_text="0 (relaxed) to 10 (clenched all day).",
    aggravates=1,
    notable=2.0,
    more="More jaw tension",
    less="Less jaw tension",
    unit="/10",
    fhir=Fhir("Jaw tension (self-rated, 0-10)"),
)


@pytest.fixture
def jaw_tension(transactional_db, monkeypatch):
    """JAW as a table entry, with the model field models.py derives from it and the column its migration adds."""
    field = JAW.model_field()
    DailyLog.add_to_class(JAW.name, field)  # what models.py does for every entry of the table
    with connection.schema_editor() as editor:  # what the entry's migration does
        editor.add_field(DailyLog, field)
    monkeypatch.setattr(factors, "FACTORS", (*factors.FACTORS, JAW))
    yield JAW
    with connection.schema_editor() as editor:
        editor.remove_field(DailyLog, field)
    DailyLog._meta.local_fields.remove(field)
    DailyLog._meta._expire_cache()
    delattr(DailyLog, JAW.name)


def _history(user) -> None:
    """A month where jaw tension rises and falls with the twitching, ending in four tense days (before a flare)."""
    for i in range(DAYS):
        jaw = i % 5 if i < 26 else 9
        day_save(
            user=user,
            date=START + dt.timedelta(days=i),
            fields={"jaw_tension": jaw, "stress": 3},
            twitches=[Twitch("calf", "left", 2 + jaw if i < 26 else 3)],
        )


def test_the_new_factor_is_on_the_day_form_and_is_saved_from_it(jaw_tension, user, client):
    form = DailyLogForm()
    assert form.fields["jaw_tension"].label == "Jaw tension"
    assert form.fields["jaw_tension"].widget.choices[-1] == ("10", "10")  # one-tap segments, 0 to 10
    client.force_login(user)
    today = user.today()
    page = client.get(reverse("day", kwargs={"day": today})).content.decode()
    assert 'name="jaw_tension"' in page
    assert "0 (relaxed) to 10 (clenched all day)." in page

    data = {"twitches-TOTAL_FORMS": "0", "twitches-INITIAL_FORMS": "0", "jaw_tension": "11"}
    refused = client.post(reverse("day", kwargs={"day": today}), data)
    assert "less than or equal to 10" in refused.context["form"].errors["jaw_tension"][0]
    assert not DailyLog.objects.filter(user=user).exists()

    data["jaw_tension"] = "7"
    assert client.post(reverse("day", kwargs={"day": today}), data).status_code == 302
    assert DailyLog.objects.get(user=user).jaw_tension == 7


def test_the_new_factor_is_a_csv_column_and_a_backup_key_both_ways(jaw_tension, user, other_user):
    _history(user)
    text = render_csv(csv_rows(user))
    header, *rows = csv.reader(io.StringIO(text))
    column = header.index("jaw_tension (0-10)")
    assert [row[column] for row in rows][-5:] == ["0", "9", "9", "9", "9"]

    backup = backup_data(user)
    assert [log["jaw_tension"] for log in backup["logs"]][-5:] == [0, 9, 9, 9, 9]

    import_apply(user=other_user, plan=parse_csv(text), replace=False)
    assert render_csv(csv_rows(other_user)) == text
    DailyLog.objects.filter(user=other_user).delete()
    import_apply(user=other_user, plan=parse_json(json.dumps(backup)), replace=False)
    assert backup_data(other_user)["logs"] == backup["logs"]


def test_the_new_factor_enters_the_insights_and_what_stood_out_before_a_flare(jaw_tension, user):
    _history(user)
    records = day_records(user, START, START + dt.timedelta(days=DAYS - 1))
    found = {(i.factor, i.lag): i for i in trigger_insights(records)}
    same_day = found[("jaw_tension", 0)]
    assert same_day.label == "Jaw tension"
    assert same_day.n_pairs == DAYS
    assert same_day.verdict == "goes_with_higher"
    assert same_day.text.startswith("More jaw tension goes with more twitching the same day")

    flare = Period("flare", START + dt.timedelta(days=DAYS), START + dt.timedelta(days=DAYS + 5), 6, 6, 40, 35, 5)
    texts = [u.text for u in unusual_before(flare, records)]
    assert texts == ["jaw tension 9.0/10 vs your usual 2.0/10"]


def test_the_new_factor_is_an_observation_in_the_fhir_export(jaw_tension, user):
    _history(user)
    bundle = fhir_bundle(user, START, START + dt.timedelta(days=DAYS - 1))
    Bundle.model_validate(bundle)
    jaw = [
        e["resource"]
        for e in bundle["entry"]
        if e["resource"].get("code", {}).get("text") == "Jaw tension (self-rated, 0-10)"
    ]
    assert len(jaw) == DAYS
    assert jaw[-1]["valueInteger"] == 9
    assert jaw[-1]["effectiveDateTime"] == (START + dt.timedelta(days=DAYS - 1)).isoformat()


def test_every_factor_of_the_table_is_a_field_of_the_day(db):
    stored = {f.name for f in DailyLog._meta.get_fields()}
    assert {f.name for f in factors.day_factors()} <= stored
    assert [f.name for f in factors.of_role(Role.RED_FLAG)][0] == "weakness"
