"""Hostile input to the importers and to the date URLs (issue 16, issue 10 item 6): a message naming the row and
the field, or a 404, never a 500, and nothing written when any part of a file is wrong. One test per finding."""

import csv
import datetime as dt
import io
import json

import pytest

from bfs_tracker.days.services import day_save
from bfs_tracker.logbook.forms import DailyLogForm
from bfs_tracker.logbook.models import DailyLog, ReliefMethod
from bfs_tracker.logbook.reliefs import ReliefForm
from bfs_tracker.logbook.validation import FIRST_DAY, RELIEF_NAME_LENGTH, characters_problem
from bfs_tracker.reports.exporters import csv_header, csv_rows, reliefs_cell, reliefs_split, render_csv
from bfs_tracker.reports.importers import ImportError_, parse_csv, parse_file, parse_json
from bfs_tracker.reports.services import import_apply
from tests.logbook_helpers import day_data

DAY = dt.date(2026, 5, 4)


def csv_text(cells: dict[str, str], day: str = DAY.isoformat()) -> str:
    header = csv_header()
    row = [""] * len(header)
    row[0] = day
    for name, value in cells.items():
        row[header.index(name)] = value
    out = io.StringIO()
    csv.writer(out).writerows([header, row])
    return out.getvalue()


def backup(*logs, **sections) -> str:
    return json.dumps({"format_version": 1, "logs": list(logs), **sections})


def post_import(client, name: str, text: str | bytes):
    upload = io.BytesIO(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
    upload.name = name
    return client.post("/import/", {"file": upload, "existing": "replace"})


def assert_refused(response, message: str, user) -> None:
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was imported." in html
    assert message in html
    assert not DailyLog.objects.filter(user=user).exists()


# --- URLs: a date or month the app cannot show is a 404 ---


@pytest.mark.parametrize(
    "url",
    [
        "/days/0001-01-01/",
        "/days/1899-12-31/",
        "/days/0001-01-01/delete/",
        "/days/9999-12-31/",
        "/days/9999-12-31/delete/",
        "/calendar/9999/12/",
        "/calendar/1/1/",
        "/calendar/1899/12/",
        "/calendar/99999999999999999999/1/",
        "/calendar/2026/99999999999999999999/",
        "/calendar/2026/013/",
        "/calendar/02026/1/",
        "/calendar/" + "9" * 5000 + "/1/",
        "/calendar/2999/1/",  # after this month in the person's time zone
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_date_or_month_the_log_cannot_show_is_a_404(owner_client, url, method):
    allowed = {404} if method == "get" or url.startswith("/days/") else {404, 405}  # the calendar is GET only
    assert getattr(owner_client, method)(url).status_code in allowed


def test_the_first_day_the_log_keeps_opens_without_a_link_before_it(owner_client):
    html = owner_client.get(f"/days/{FIRST_DAY}/").content.decode()
    assert "1 Jan 1900" in html
    assert 'rel="prev"' not in html
    assert "data-copy-yesterday" not in html
    calendar = owner_client.get(f"/calendar/{FIRST_DAY.year}/1/").content.decode()
    assert "Previous month" not in calendar


# --- Dates in a file ---


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("0001-01-01", "0001-01-01 is before 1900"),
        ("1899-12-31", "1899-12-31 is before 1900"),
        ("9999-12-31", "9999-12-31 has not happened yet in your time zone"),
        ("20260101", "“20260101” is not a date like 2026-03-31"),
        ("2026-W01-1", "is not a date like 2026-03-31"),
    ],
)
def test_a_date_out_of_range_is_named_in_csv_and_json(owner_client, user, day, message):
    assert_refused(post_import(owner_client, "days.csv", csv_text({}, day=day)), message, user)
    weak = {"date": day, "weakness": True, "weakness_location": "left hand"}  # its alerts' dates would overflow
    assert_refused(post_import(owner_client, "days.json", backup(weak)), message, user)


def test_a_date_that_is_not_text_in_a_backup_is_named():
    with pytest.raises(ImportError_, match="Day 1 in logs \\(20260101\\), date: “20260101” is not a date"):
        parse_json(backup({"date": 20260101}))


def test_a_function_check_outside_the_days_the_log_keeps_is_named(owner_client, user):
    answers = dict.fromkeys(
        ["breathing_active", "breathing_lying_flat", "buttons_utensils", "dressing", "handwriting"]
        + ["speech", "stairs", "swallowing", "walking"],
        0,
    )
    for day, message in (("0001-01-01", "is before 1900"), ("9999-12-31", "has not happened yet")):
        text = backup({"date": "2026-01-02"}, function_checks=[{"taken_on": day, **answers}])
        assert_refused(post_import(owner_client, "b.json", text), f"Function check 1, taken_on: {day} {message}", user)


# --- Characters that cannot be stored ---


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("bell \x07 here", "control characters (U+0007 at character 6)"),
        ("escape \x1b[31m", "control characters (U+001B"),
        ("nul \x00 byte", "NUL characters"),
        ("c1 \x85 next line", "control characters (U+0085"),
        ("broken \ud800 pair", "unpaired surrogate"),
    ],
)
def test_control_and_broken_characters_in_notes_are_named_by_row_and_field(owner_client, user, text, message):
    assert_refused(post_import(owner_client, "days.json", backup({"date": "2026-01-02", "notes": text})), message, user)
    response = post_import(owner_client, "days.csv", csv_text({"notes (text)": text}))
    if "\ud800" in text:  # a lone surrogate cannot be written as UTF-8: the CSV file itself is broken
        assert_refused(response, "The file is not UTF-8 text", user)
    else:
        assert_refused(response, "Row 2, notes (text): Text", user)
        assert message in response.content.decode()


def test_tabs_and_line_breaks_in_notes_are_kept():
    assert characters_problem("line one\r\nline two\tindented") is None
    plan = parse_json(backup({"date": "2026-01-02", "notes": "line one\r\nline two\tindented"}))
    assert plan.days[0].fields["notes"] == "line one\r\nline two\tindented"


def test_the_day_form_refuses_control_characters_as_the_import_does(db):
    form = DailyLogForm(day_data(notes="bell \x07 here"))
    assert not form.is_valid()
    assert "control characters" in form.errors["notes"][0]


@pytest.mark.parametrize(
    ("name", "message"),
    [("a\x00b", "NUL characters"), ("a\ud800", "unpaired surrogate"), ("a\x07b", "control characters")],
)
def test_broken_names_of_things_tried_are_named(owner_client, user, name, message):
    listed = backup({"date": "2026-01-02"}, reliefs=[{"name": name, "archived": False}])
    assert_refused(post_import(owner_client, "b.json", listed), "Relief 1, tried: “", user)
    assert message in post_import(owner_client, "b.json", listed).content.decode()
    on_a_day = backup({"date": "2026-01-02", "reliefs": [name]})
    assert_refused(post_import(owner_client, "b.json", on_a_day), message, user)
    before = ReliefMethod.objects.filter(user=user).count()
    in_csv = post_import(owner_client, "d.csv", csv_text({"tried (names separated by ;)": name}))
    assert_refused(in_csv, "not UTF-8 text" if "\ud800" in name else message, user)
    assert ReliefMethod.objects.filter(user=user).count() == before


def test_json_nested_tens_of_thousands_deep_is_a_message(owner_client, user):
    deep = '{"format_version": 1, "logs": ' + "[" * 50_000 + "]" * 50_000 + "}"
    assert_refused(post_import(owner_client, "deep.json", deep), "nested far deeper", user)


def test_a_number_of_thousands_of_digits_is_a_message(owner_client, user):
    huge = '{"format_version": 1, "logs": [{"date": "2026-01-02", "stress": ' + "9" * 5000 + "}]}"
    assert_refused(post_import(owner_client, "big.json", huge), "not valid JSON", user)
    response = post_import(owner_client, "big.csv", csv_text({"stress (0-10)": "9" * 5000}))
    assert_refused(response, "Row 2, stress (0-10): “9999", user)


def test_a_cell_too_large_for_the_csv_reader_is_a_message(owner_client, user):
    text = csv_text({}) + '2026-01-03,"' + "x" * 200_000 + '"\n'
    assert_refused(post_import(owner_client, "big.csv", text), "Row 3: this is not readable as CSV", user)


# --- Names of things tried: the list's form's rules ---


def test_a_blank_name_of_something_tried_is_refused(owner_client, user):
    assert_refused(
        post_import(owner_client, "b.json", backup({"date": "2026-01-02", "reliefs": ["  "]})), "Enter a name", user
    )
    listed = backup(reliefs=[{"name": " ", "archived": False}])
    assert "Relief 1, tried: “ ”: Enter a name." in post_import(owner_client, "b.json", listed).content.decode()


def test_a_name_too_long_for_the_list_is_refused():
    with pytest.raises(ImportError_, match=f"at most {RELIEF_NAME_LENGTH} characters"):
        parse_json(backup({"date": "2026-01-02", "reliefs": ["x" * (RELIEF_NAME_LENGTH + 1)]}))
    assert ReliefMethod._meta.get_field("name").max_length == RELIEF_NAME_LENGTH


def test_names_differing_only_in_case_and_spaces_are_one_entry(user):
    ReliefMethod.objects.filter(user=user, name__iexact="magnesium").delete()
    plan = parse_json(
        backup(
            {"date": "2026-01-02", "reliefs": ["magnesium", "Magnesium "]},
            {"date": "2026-01-03", "reliefs": ["  Magnesium  "]},
            reliefs=[{"name": "Cold  shower", "archived": True}],
        )
    )
    result = import_apply(user=user, plan=plan, replace=False)
    assert result.reliefs_added == 2
    assert ReliefMethod.objects.filter(user=user, name__iexact="magnesium").count() == 1
    assert ReliefMethod.objects.get(user=user, name="Cold shower").archived
    magnesium = ReliefMethod.objects.get(user=user, name__iexact="magnesium")
    assert magnesium.name == "magnesium"
    assert sorted(magnesium.logs.values_list("date", flat=True)) == [dt.date(2026, 1, 2), dt.date(2026, 1, 3)]


def test_a_name_already_on_the_list_in_another_case_is_that_entry(user):
    stretching = ReliefMethod.objects.create(user=user, name="Stretching routine")
    plan = parse_csv(csv_text({"tried (names separated by ;)": "stretching ROUTINE"}))
    result = import_apply(user=user, plan=plan, replace=False)
    assert result.reliefs_added == 0
    assert list(DailyLog.objects.get(user=user, date=DAY).reliefs.all()) == [stretching]


def test_the_list_form_normalises_names_as_the_import_does(user):
    form = ReliefForm({"name": "  Warm   bath "}, user=user)
    assert form.is_valid()
    assert form.cleaned_data["name"] == "Warm bath"
    assert not ReliefForm({"name": "bell \x07"}, user=user).is_valid()


# --- A name with ";" round-trips through CSV ---


def test_a_name_with_a_semicolon_comes_back_whole_from_a_csv_export(user, other_user):
    names = ["Salt; lots of it", "Back\\slash", "Plain name"]
    reliefs = [ReliefMethod.objects.create(user=user, name=n) for n in names]
    day_save(user=user, date=DAY, fields={}, twitches=[], reliefs=reliefs)
    text = render_csv(csv_rows(user))
    import_apply(user=other_user, plan=parse_csv(text), replace=False)
    log = DailyLog.objects.get(user=other_user, date=DAY)
    assert sorted(r.name for r in log.reliefs.all()) == sorted(names)


def test_a_tried_cell_of_an_older_export_reads_as_it_did():
    assert reliefs_split("Magnesium; Stretching;  ; Less coffee") == ["Magnesium", "Stretching", "Less coffee"]
    assert reliefs_split("C:\\path; x\\") == ["C:\\path", "x\\"]
    assert reliefs_split(reliefs_cell(["a;b", "c\\", "\\;"])) == ["a;b", "c\\", "\\;"]


def test_a_csv_file_that_parses_writes_every_day_and_a_broken_one_writes_none(user):
    good = csv_text({"stress (0-10)": "3"})
    bad = good + "2026-05-05" + "," * (len(csv_header()) - 1) + "\n2026-05-06" + ",x" * (len(csv_header()) - 1)
    with pytest.raises(ImportError_, match="Row 4"):
        parse_file("days.csv", bad.encode())
    assert not DailyLog.objects.filter(user=user).exists()


def test_a_huge_number_of_hours_slept_is_a_message_in_the_form_and_the_import(owner_client, user):
    response = owner_client.post("/days/2026-01-02/", day_data(sleep_hours="1E30"))
    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    assert_refused(
        post_import(owner_client, "d.csv", csv_text({"sleep_hours (0-24, half hours)": "1E30"})),
        "Row 2, sleep_hours",
        user,
    )
    backup_text = '{"format_version": 1, "logs": [{"date": "2026-01-02", "sleep_hours": 1e30}]}'
    assert_refused(post_import(owner_client, "b.json", backup_text), "sleep_hours", user)
