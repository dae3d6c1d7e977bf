"""One set of rules for a day (logbook/validation.py): the day form and the importers refuse the same days."""

import csv
import datetime as dt
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bfs_tracker.logbook.factors import Kind, day_factors
from bfs_tracker.logbook.forms import TWITCH_PREFIX, DailyLogForm, TwitchFormSet
from bfs_tracker.logbook.models import DailyLog
from bfs_tracker.logbook.taxonomy import MuscleGroup, Side
from bfs_tracker.reports.exporters import csv_header
from bfs_tracker.reports.importers import ImportError_, parse_csv, parse_json

DAY = dt.date(2026, 5, 4)
TODAY = dt.date(2026, 5, 10)


def csv_text(cells: dict[str, str], day: dt.date = DAY) -> str:
    """A CSV export of one day with these cells (by header) filled in, the rest blank."""
    header = csv_header()
    row = [""] * len(header)
    row[0] = day.isoformat()
    for name, value in cells.items():
        row[header.index(name)] = value
    out = io.StringIO()
    csv.writer(out).writerows([header, row])
    return out.getvalue()


def backup(**log) -> str:
    return json.dumps({"format_version": 1, "logs": [{"date": DAY.isoformat(), **log}]})


# --- What the form refuses, an import refuses too, naming the row and the field ---


def test_weakness_without_where_is_refused_by_the_import_as_by_the_form():
    with pytest.raises(ImportError_, match="Row 2, weakness_location \\(text\\): Say where you noticed the weakness"):
        parse_csv(csv_text({"weakness (yes/no)": "yes"}))
    with pytest.raises(ImportError_, match="Day 1 in logs .*weakness_location: Say where you noticed the weakness"):
        parse_json(backup(weakness=True, weakness_location="  "))
    assert parse_csv(csv_text({"weakness (yes/no)": "yes", "weakness_location (text)": "left hand"})).days


def test_a_group_on_one_side_and_on_both_sides_the_same_day_is_refused():
    cells = {"twitch_calf_left (intensity 1-10)": "4", "twitch_calf_both (intensity 1-10)": "6"}
    with pytest.raises(ImportError_, match="Row 2, twitch_calf_both .*Calf is listed for both sides and for one side"):
        parse_csv(csv_text(cells))
    twitches = [
        {"muscle_group": "thigh", "side": "both", "intensity": 5},
        {"muscle_group": "thigh", "side": "right", "intensity": 2},
    ]
    with pytest.raises(ImportError_, match="twitches thigh right: Thigh is listed for both sides and for one side"):
        parse_json(backup(twitches=twitches))


def test_the_same_group_and_side_twice_is_refused_in_a_backup():
    twitches = [{"muscle_group": "calf", "side": "left", "intensity": n} for n in (3, 5)]
    with pytest.raises(ImportError_, match="twitches calf left: Calf on the left side is already listed"):
        parse_json(backup(twitches=twitches))


def test_a_day_after_today_is_refused_when_the_import_knows_the_persons_today():
    with pytest.raises(ImportError_, match="Row 2, date \\(YYYY-MM-DD\\): 2026-05-11 has not happened yet"):
        parse_csv(csv_text({}, day=TODAY + dt.timedelta(days=1)), today=TODAY)
    with pytest.raises(ImportError_, match="Day 1 in logs \\(9999-12-31\\), date: 9999-12-31 has not happened yet"):
        parse_json(json.dumps({"format_version": 1, "logs": [{"date": "9999-12-31"}]}), today=TODAY)
    assert parse_csv(csv_text({}, day=TODAY), today=TODAY).days


@pytest.mark.parametrize(
    ("text", "message"),
    [("bad \x00 byte", "NUL characters"), ("broken \ud800 pair", "unpaired surrogate")],
)
def test_text_the_database_cannot_store_is_a_message_not_a_crash(text, message):
    with pytest.raises(ImportError_, match=f"Day 1 in logs .*notes: .*{message}"):
        parse_json(backup(notes=text))


def test_the_import_view_refuses_a_future_day_and_saves_nothing(owner_client, user):
    future = user.today() + dt.timedelta(days=3)
    upload = io.BytesIO(csv_text({"stress (0-10)": "4"}, day=future).encode())
    upload.name = "days.csv"
    response = owner_client.post("/import/", {"file": upload, "existing": "skip"})
    assert "has not happened yet" in response.content.decode()
    assert not DailyLog.objects.filter(user=user).exists()


# --- Property: for any day, the form accepts it exactly when the CSV import accepts it ---

scores = st.one_of(st.none(), st.integers(min_value=-2, max_value=12))
FIELD_VALUES = {
    "stress": scores,
    "sleep_quality": scores,
    "sleep_hours": st.one_of(st.none(), st.sampled_from(["6", "6.5", "6.25", "24", "24.5", "-1"])),
    "caffeine_mg": st.one_of(st.none(), st.integers(min_value=0, max_value=2100)),
    "exertion": st.sampled_from(["none", "light", "hard", "extreme"]),
    "pain": st.integers(min_value=0, max_value=11),
    "weakness": st.booleans(),
    "weakness_location": st.sampled_from(["", "  ", "left hand", "left\x0bhand"]),
    "notes": st.sampled_from(
        ["", "fine", "x" * 5001, "bell \x07", "nul \x00", "c1 \x85", "tab\there\r\nnext line", "del \x7f"]
    ),
}
day_fields = st.fixed_dictionaries({}, optional=FIELD_VALUES)
entries = st.dictionaries(
    keys=st.tuples(st.sampled_from([MuscleGroup.CALF, MuscleGroup.THIGH]), st.sampled_from(Side.values)),
    values=st.integers(min_value=0, max_value=11),
    max_size=4,
)


def _form_accepts(fields: dict, twitches: dict) -> bool:
    data = {f"{TWITCH_PREFIX}-TOTAL_FORMS": str(len(twitches)), f"{TWITCH_PREFIX}-INITIAL_FORMS": "0"}
    for name, value in fields.items():
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = str(value)
    for index, ((group, side), intensity) in enumerate(twitches.items()):
        data.update(
            {
                f"{TWITCH_PREFIX}-{index}-{k}": str(v)
                for k, v in zip(("muscle_group", "side", "intensity"), (group, side, intensity), strict=True)
            }
        )
    form, formset = DailyLogForm(data), TwitchFormSet(data, prefix=TWITCH_PREFIX)
    return form.is_valid() & formset.is_valid()


def _import_accepts(fields: dict, twitches: dict) -> bool:
    headers = {f.name: f.header for f in day_factors()} | {
        "weakness_location": "weakness_location (text)",
        "notes": "notes (text)",
    }
    cells = {}
    for name, value in fields.items():
        if isinstance(value, bool):
            cells[headers[name]] = "yes" if value else "no"
        elif value is not None:
            cells[headers[name]] = str(value)
    for (group, side), intensity in twitches.items():
        cells[f"twitch_{group}_{side} (intensity 1-10)"] = str(intensity)
    try:
        parse_csv(csv_text(cells), today=TODAY)
    except ImportError_:
        return False
    return True


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fields=day_fields, twitches=entries)
def test_the_form_and_the_import_accept_the_same_days(db, fields, twitches):
    assert _form_accepts(fields, twitches) == _import_accepts(fields, twitches)


def test_every_factor_kind_is_covered_by_the_property():
    kinds = {f.kind for f in day_factors() if f.name in FIELD_VALUES}
    assert kinds == set(Kind)
