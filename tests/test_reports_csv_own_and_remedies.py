"""The CSV carries a person's own factors and remedies (issue 13, items 1 and 2): own factors as columns of the day
CSV, remedies as a second CSV, one row per dose. Each round-trips exactly through export -> import into a new
account; bad rows are named by row and column and nothing is written; files made before either existed import
exactly as before; nobody else's data is ever in a file."""

import csv
import datetime as dt
import html
import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bfs_tracker.accounts.services import user_create
from bfs_tracker.days.services import day_save
from bfs_tracker.logbook.models import DailyLog, OwnFactor, OwnFactorValue, Remedy
from bfs_tracker.logbook.own_factors import own_factor_archive, own_factor_create
from bfs_tracker.logbook.remedies import remedy_change_dose, remedy_create
from bfs_tracker.logbook.services import Twitch
from bfs_tracker.reports.exporters import (
    REMEDY_COLUMNS,
    backup_data,
    csv_header,
    csv_rows,
    remedy_csv_rows,
    render_csv,
)
from bfs_tracker.reports.importers import ImportError_, parse_csv, parse_file
from bfs_tracker.reports.services import import_apply

D = dt.date(2026, 3, 1)
REMEDY_HEADER = [header for _, header in REMEDY_COLUMNS]


@pytest.fixture
def newcomer(db):
    """A fresh account, as a person restoring their data on a new one has."""
    return user_create(username="carol", email="carol@example.org", password="x" * 20)


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _write(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def days_csv(user) -> str:
    return render_csv(csv_rows(user))


def remedies_csv(user) -> str:
    return render_csv(remedy_csv_rows(user))


def own_state(user) -> tuple[list, dict]:
    """The person's own factors (name, kind, archived) and every day's answers, as the JSON backup holds them."""
    backup = backup_data(user)
    return backup["own_factors"], {log["date"]: log.get("own") for log in backup["logs"]}


# Own factors in the day CSV ---------------------------------------------------------------------------------------


@pytest.fixture
def own_history(user):
    """Both kinds, an archived one with answers and one without, names with ';', '=', a formula start and
    non-ASCII; days with some, all and no answers."""
    cold = own_factor_create(user=user, name="Cold exposure", kind="yes_no")
    screen = own_factor_create(user=user, name="Screen time; late = bad", kind="scale")
    sauna = own_factor_create(user=user, name="Sauna à Café — 桑拿", kind="yes_no")
    formula = own_factor_create(user=user, name="=SUM(A1) gym", kind="scale")
    unused = own_factor_create(user=user, name="Cold shower", kind="scale")
    for i in range(6):
        answers = {cold.pk: i % 2, screen.pk: i, formula.pk: 10 - i} if i != 3 else {}
        if i < 2:
            answers[sauna.pk] = 1
        day_save(user=user, date=D + dt.timedelta(days=i), fields={"stress": i}, twitches=[], own=answers)
    day_save(user=user, date=D + dt.timedelta(days=7), fields={}, twitches=[Twitch("calf", "left", 3)])
    own_factor_archive(factor=sauna, archived=True)
    own_factor_archive(factor=unused, archived=True)
    return {"cold": cold, "screen": screen, "sauna": sauna, "formula": formula, "unused": unused}


def test_own_factors_are_columns_after_the_fixed_ones_naming_their_scale(user, own_history):
    header, *rows = _rows(days_csv(user))
    assert header[: len(csv_header())] == csv_header()  # the fixed columns stay as they were, in their order
    assert header[len(csv_header()) :] == [
        "own: =SUM(A1) gym (0-10)",
        "own: Cold exposure (yes/no)",
        "own: Cold shower (0-10, archived)",
        "own: Sauna à Café — 桑拿 (yes/no, archived)",
        "own: Screen time; late = bad (0-10)",
    ]
    first = dict(zip(header, rows[0], strict=True))
    assert first["own: Cold exposure (yes/no)"] == "no"
    assert first["own: Screen time; late = bad (0-10)"] == "0"
    assert first["own: Sauna à Café — 桑拿 (yes/no, archived)"] == "yes"
    assert first["own: Cold shower (0-10, archived)"] == ""  # blank: not answered
    unanswered = dict(zip(header, rows[3], strict=True))
    assert [unanswered[h] for h in header[len(csv_header()) :]] == [""] * 5


def test_own_factors_round_trip_exactly_into_a_new_account(user, own_history, newcomer):
    exported = days_csv(user)
    result = import_apply(user=newcomer, plan=parse_csv(exported, today=D + dt.timedelta(days=30)), replace=False)
    assert result.own_factors == 5
    assert days_csv(newcomer) == exported
    assert own_state(newcomer) == own_state(user)
    # the same file again adds no factor and doubles no answer, in either mode
    for replace in (False, True):
        assert import_apply(user=newcomer, plan=parse_csv(exported), replace=replace).own_factors == 0
        assert days_csv(newcomer) == exported
    assert (
        OwnFactorValue.objects.filter(log__user=newcomer).count()
        == OwnFactorValue.objects.filter(log__user=user).count()
    )


def test_a_file_without_own_columns_imports_exactly_as_before(user, newcomer):
    """A CSV made before own factors existed: the fixed header only. Nothing about own factors changes, and a day
    it replaces keeps its answers."""
    day_save(user=user, date=D, fields={"stress": 4, "notes": '-left, "calf"\nnight'}, twitches=[])
    old = days_csv(user)
    assert _rows(old)[0] == csv_header()
    gym = own_factor_create(user=newcomer, name="Gym", kind="yes_no")
    day_save(user=newcomer, date=D, fields={"stress": 9}, twitches=[], own={gym.pk: 1})
    import_apply(user=newcomer, plan=parse_csv(old), replace=True)
    assert DailyLog.objects.get(user=newcomer, date=D).stress == 4
    assert list(OwnFactorValue.objects.filter(log__user=newcomer).values_list("factor__name", "value")) == [("Gym", 1)]
    assert list(OwnFactor.objects.filter(user=newcomer).values_list("name", flat=True)) == ["Gym"]


def test_a_csv_replacing_a_day_replaces_only_the_answers_of_its_own_columns(user, newcomer):
    cold = own_factor_create(user=newcomer, name="Cold exposure", kind="yes_no")
    gym = own_factor_create(user=newcomer, name="Gym", kind="scale")
    day_save(user=newcomer, date=D, fields={}, twitches=[], own={cold.pk: 1, gym.pk: 6})
    day_save(user=newcomer, date=D + dt.timedelta(days=1), fields={}, twitches=[], own={cold.pk: 1, gym.pk: 2})
    rows = [
        ["date (YYYY-MM-DD)", "own: cold exposure (yes/no)"],
        [D.isoformat(), "no"],
        [(D + dt.timedelta(days=1)).isoformat(), ""],
    ]
    import_apply(user=newcomer, plan=parse_csv(_write(rows)), replace=False)  # both days kept
    assert own_state(newcomer)[1] == {
        D.isoformat(): {"Cold exposure": True, "Gym": 6},
        (D + dt.timedelta(days=1)).isoformat(): {"Cold exposure": True, "Gym": 2},
    }
    import_apply(user=newcomer, plan=parse_csv(_write(rows)), replace=True)
    assert own_state(newcomer)[1] == {
        D.isoformat(): {"Cold exposure": False, "Gym": 6},  # the account's "Cold exposure", case ignored
        (D + dt.timedelta(days=1)).isoformat(): {"Gym": 2},  # blank in the file: not answered
    }
    assert OwnFactor.objects.filter(user=newcomer).count() == 2


def test_an_own_column_the_account_lacks_creates_the_factor_of_its_scale(newcomer):
    rows = [
        ["date (YYYY-MM-DD)", "own:  Sea   swim (yes/no)", "own: Heat (0-10, archived)"],
        [D.isoformat(), "Y", "+7"],
        [(D + dt.timedelta(days=1)).isoformat(), "false", "0"],
    ]
    result = import_apply(user=newcomer, plan=parse_csv(_write(rows)), replace=False)
    assert result.own_factors == 2
    assert own_state(newcomer) == (
        [
            {"name": "Heat", "kind": "scale", "archived": True},
            {"name": "Sea swim", "kind": "yes_no", "archived": False},
        ],
        {
            D.isoformat(): {"Heat": 7, "Sea swim": True},
            (D + dt.timedelta(days=1)).isoformat(): {"Heat": 0, "Sea swim": False},
        },
    )


@pytest.mark.parametrize(
    ("header", "cell", "message"),
    [
        (
            "own: Cold exposure (yes/no)",
            "maybe",
            "Row 3, own: Cold exposure (yes/no): “maybe” is not yes, no or blank.",
        ),
        ("own: Heat (0-10)", "11", "Row 3, own: Heat (0-10): “11” is not a whole number from 0 to 10."),
        ("own: Heat (0-10)", "2.5", "Row 3, own: Heat (0-10): “2.5” is not a whole number from 0 to 10, or blank."),
        ("own: Heat (0-10)", "-1", "Row 3, own: Heat (0-10): “-1” is not a whole number from 0 to 10."),
        ("own: Stress (0-10)", "1", "Row 1 (header), column “own: Stress (0-10)”, name: “Stress” is already"),
        ("own: ill (yes/no)", "no", "column “own: ill (yes/no)”, name: “ill” is already one of the built-in"),
        ("own: Heat", "1", "Row 1 (header), column “own: Heat”: a column of your own factor ends with its scale"),
        ("own:  (yes/no)", "", "column “own:  (yes/no)”, name: Give the factor a name"),
        (f"own: {'x' * 41} (yes/no)", "", "name: Keep the name to 40 characters or fewer"),
    ],
)
def test_a_bad_own_column_or_cell_is_named_by_row_and_column_and_nothing_is_written(newcomer, header, cell, message):
    rows = [
        ["date (YYYY-MM-DD)", "stress (0-10)", header],
        [D.isoformat(), "1", ""],
        [(D + dt.timedelta(days=1)).isoformat(), "2", cell],
    ]
    upload = _write(rows).encode()
    with pytest.raises(ImportError_) as error:
        parse_file("days.csv", upload)
    assert message in str(error.value)
    client = Client()
    client.force_login(newcomer)
    response = client.post(
        reverse("import_data"), {"file": SimpleUploadedFile("days.csv", upload), "existing": "replace"}
    )
    page = html.unescape(response.content.decode())
    assert "Nothing was imported. Row " in page
    assert message in page
    assert not DailyLog.objects.filter(user=newcomer).exists()
    assert not OwnFactor.objects.filter(user=newcomer).exists()


def test_two_columns_for_one_own_factor_are_refused(newcomer):
    rows = [["date (YYYY-MM-DD)", "own: Gym (yes/no)", "own: gym (0-10)"], [D.isoformat(), "yes", "3"]]
    with pytest.raises(ImportError_, match="column “own: gym \\(0-10\\)”: the own factor “gym” already has the column"):
        parse_csv(_write(rows))


def test_an_own_column_of_the_other_kind_than_the_accounts_stops_the_import_before_any_write(newcomer):
    own_factor_create(user=newcomer, name="Gym", kind="scale")
    rows = [["date (YYYY-MM-DD)", "own: gym (yes/no)"], [D.isoformat(), "yes"]]
    with pytest.raises(ImportError_, match="Own factor “gym”: your account has it as 0 to 10, the file as yes_no"):
        import_apply(user=newcomer, plan=parse_csv(_write(rows)), replace=False)
    assert not DailyLog.objects.filter(user=newcomer).exists()


def test_the_day_csv_holds_only_the_persons_own_factors(user, other_user):
    secret = own_factor_create(user=other_user, name="Private thing", kind="yes_no")
    day_save(user=other_user, date=D, fields={}, twitches=[], own={secret.pk: 1})
    mine = own_factor_create(user=user, name="Mine", kind="scale")
    day_save(user=user, date=D, fields={}, twitches=[], own={mine.pk: 4})
    text = days_csv(user)
    assert "Private thing" not in text
    assert _rows(text)[0][-1] == "own: Mine (0-10)"
    assert _rows(text)[1][-1] == "4"


def test_a_date_range_exports_that_ranges_answers_under_every_factor(user, own_history):
    header, *rows = _rows(render_csv(csv_rows(user, D + dt.timedelta(days=1), D + dt.timedelta(days=2))))
    assert len(header) == len(csv_header()) + 5
    assert [r[0] for r in rows] == [(D + dt.timedelta(days=i)).isoformat() for i in (1, 2)]
    assert dict(zip(header, rows[1], strict=True))["own: Screen time; late = bad (0-10)"] == "2"


def _queries_to_import(user, days: int) -> int:
    rows = [["date (YYYY-MM-DD)", "stress (0-10)", "own: Gym (yes/no)", "own: Heat (0-10)"]]
    rows += [
        [(D + dt.timedelta(days=i)).isoformat(), str(i % 11), "yes" if i % 2 else "no", str(i % 11)]
        for i in range(days)
    ]
    plan = parse_csv(_write(rows))
    with CaptureQueriesContext(connection) as queries:
        import_apply(user=user, plan=plan, replace=False)
    return len(queries)


# Rows per INSERT, as in tests/test_reports_import_bulk.py (OwnFactorValue rows are smaller: more fit).
ROWS_PER_QUERY = 30 if connection.vendor == "sqlite" else 500


def test_the_queries_of_a_csv_import_with_own_columns_grow_only_by_one_per_batch_of_rows(user, other_user):
    few, many = _queries_to_import(user, 5), _queries_to_import(other_user, 120)
    # 20: the 15 of writing the days (tests/test_reports_import_bulk.py), then the factors read, added and read
    # again, the days' answers cleared, the days' ids read and the answers added
    assert few <= 20
    assert many - few <= 2 * -(-120 // ROWS_PER_QUERY)  # days and their answers, each in batches


# Remedies ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def remedies(user):
    """Open-ended, stopped, a dose change, a dose never recorded, notes with commas, line breaks, quotes and
    formula-like starts."""
    magnesium = remedy_create(
        user=user,
        name="Magnesium glycinate",
        dose=Decimal("300"),
        unit="mg",
        frequency="daily",
        start=D,
        notes='with dinner, "not" with coffee\nsecond line',
    )
    remedy_change_dose(remedy=magnesium, dose=Decimal("0.5"), on=D + dt.timedelta(days=30))  # open-ended from here
    remedy_create(
        user=user,
        name='=HYPERLINK("x") Propranolol',
        dose=Decimal("10.125"),
        unit="tablet",
        frequency="as_needed",
        start=D,
        stop=D,
        notes="-left side worse; +1 @home",
    )
    remedy_create(
        user=user,
        name="Vitamin D",
        dose=Decimal("1000000"),
        unit="IU",
        frequency="weekly",
        start=D,
        stop=D + dt.timedelta(days=90),
        notes="'quoted",
    )
    Remedy.objects.create(user=user, name="Magnesium citrate", dose=None, start=D - dt.timedelta(days=40))
    return magnesium


def test_the_remedies_csv_has_one_row_per_dose_with_the_backups_fields(user, remedies):
    header, *rows = _rows(remedies_csv(user))
    assert header == [
        "remedy (name)",
        "dose (number)",
        "unit (text)",
        "frequency (daily/twice_daily/three_times_daily/every_other_day/weekly/as_needed)",
        "start (YYYY-MM-DD)",
        "stop (YYYY-MM-DD, blank = still taking)",
        "notes (text)",
    ]
    assert rows[0] == ["Magnesium citrate", "", "", "daily", "2026-01-20", "", ""]
    assert rows[1][:2] == ['\'=HYPERLINK("x") Propranolol', "10.125"]  # escaped for a spreadsheet
    assert rows[1][-1] == "'-left side worse; +1 @home"
    magnesium = [r for r in rows if r[0] == "Magnesium glycinate"]
    assert [(r[1], r[4], r[5]) for r in magnesium] == [("300", "2026-03-01", "2026-03-30"), ("0.5", "2026-03-31", "")]
    assert [r for r in rows if r[0] == "Vitamin D"][0][1:3] == ["1000000", "IU"]


def test_remedies_round_trip_exactly_into_a_new_account(user, remedies, newcomer):
    exported = remedies_csv(user)
    result = import_apply(user=newcomer, plan=parse_file("bfs-tracker-remedies.csv", exported.encode()), replace=False)
    assert result.remedies == 5
    assert (result.created, result.replaced, result.own_factors) == (0, 0, 0)
    assert remedies_csv(newcomer) == exported
    assert backup_data(newcomer)["remedies"] == backup_data(user)["remedies"]  # everything the JSON backup holds
    stored = Remedy.objects.get(user=newcomer, name="Magnesium glycinate", dose=Decimal("300"))
    assert stored.notes == 'with dinner, "not" with coffee\nsecond line'
    assert Remedy.objects.get(user=newcomer, frequency="as_needed").name.startswith("=HYPERLINK")
    # a remedy is added, never replaced: the same file again adds nothing, in either mode
    for replace in (False, True):
        assert import_apply(user=newcomer, plan=parse_csv(exported), replace=replace).remedies == 0
    assert remedies_csv(newcomer) == exported


def test_a_hand_made_remedies_file_needs_only_name_and_start(newcomer):
    text = "Remedy,start,STOP\r\nMagnesium,2026-03-01, \r\n\r\n  Fish   oil ,2026-03-02,\r\n"
    import_apply(user=newcomer, plan=parse_csv(text), replace=False)
    assert list(Remedy.objects.filter(user=newcomer).values_list("name", "dose", "frequency", "start", "stop")) == [
        ("Magnesium", None, "daily", D, None),
        ("Fish oil", None, "daily", D + dt.timedelta(days=1), None),
    ]


@pytest.mark.parametrize(
    ("column", "cell", "message"),
    [
        ("dose (number)", "three", "Row 3, dose \\(number\\): “three”: Enter the dose as a number"),
        ("dose (number)", "0", "Row 3, dose \\(number\\): Ensure this value is greater than or equal to 0.001."),
        ("dose (number)", "1.0005", "Row 3, dose \\(number\\): Ensure that there are no more than 3 decimal places."),
        (
            "stop (YYYY-MM-DD, blank = still taking)",
            "2026-02-01",
            "Row 3, stop \\(YYYY-MM-DD, blank = still taking\\): The stop date is before the start date.",
        ),
        ("start (YYYY-MM-DD)", "soon", "Row 3, start \\(YYYY-MM-DD\\): “soon” is not a date like 2026-03-31."),
        ("start (YYYY-MM-DD)", " ", "Row 3, start \\(YYYY-MM-DD\\): a remedy needs its start date."),
        ("remedy (name)", "", "Row 3, remedy \\(name\\): a remedy needs its name."),
        ("remedy (name)", "x" * 81, "Row 3, remedy \\(name\\): Ensure this value has at most 80 characters"),
        ("frequency (daily/", "hourly", "Row 3, frequency \\(daily/.*\\): “hourly” is not one of daily, twice_daily"),
        ("unit (text)", "m\x00g", "Row 3, unit \\(text\\): "),
        ("notes (text)", "x" * 2001, "Row 3, notes \\(text\\): Ensure this value has at most 2000 characters"),
    ],
)
def test_a_bad_remedy_row_is_named_by_row_and_column_and_nothing_is_written(
    user, remedies, newcomer, column, cell, message
):
    rows = _rows(remedies_csv(user))
    index = next(i for i, h in enumerate(rows[0]) if h.startswith(column))
    rows[2][index] = cell
    text = _write(rows)
    with pytest.raises(ImportError_, match=message):
        parse_file("remedies.csv", text.encode())
    newcomer_client = Client()
    newcomer_client.force_login(newcomer)
    upload = SimpleUploadedFile("remedies.csv", text.encode(), content_type="text/csv")
    response = newcomer_client.post(reverse("import_data"), {"file": upload, "existing": "replace"})
    assert "Nothing was imported. Row 3" in response.content.decode()
    assert not Remedy.objects.filter(user=newcomer).exists()


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (
            ["remedy (name)", "start (YYYY-MM-DD)", "date (YYYY-MM-DD)"],
            "unknown column “date \\(YYYY-MM-DD\\)” in a remedies CSV",
        ),
        (["remedy (name)", "dose (number)"], "a remedies CSV needs the column “start \\(YYYY-MM-DD\\)”"),
        (["remedy (name)", "start (YYYY-MM-DD)", "Start"], "the column “Start” appears twice"),
    ],
)
def test_a_bad_remedies_header_is_named(newcomer, header, message):
    with pytest.raises(ImportError_, match=f"Row 1 \\(header\\): .*{message}"):
        parse_csv(_write([header, ["Magnesium"] + ["2026-03-01"] * (len(header) - 1)]))


def test_a_short_row_in_a_remedies_file_is_named(newcomer):
    with pytest.raises(ImportError_, match="Row 2: 1 cells, but the header has 2 columns."):
        parse_csv("remedy (name),start (YYYY-MM-DD)\r\nMagnesium\r\n")


def test_remedy_downloads_are_the_persons_own_and_follow_the_range(owner_client, user, remedies, other_user):
    remedy_create(user=other_user, name="Someone else's pill", dose=Decimal("5"), start=D)
    response = owner_client.get(reverse("export_csv"), {"table": "remedies"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="bfs-tracker-remedies.csv"'
    assert response.content.decode() == remedies_csv(user)
    assert "Someone else" not in response.content.decode()
    ranged = owner_client.get(reverse("export_csv"), {"table": "remedies", "start": "2026-04-01", "end": "2026-04-30"})
    assert ranged["Content-Disposition"].endswith('remedies-2026-04-01-to-2026-04-30.csv"')
    names = [(r[0], r[1]) for r in _rows(ranged.content.decode())[1:]]
    # every dose taken on a day of April, by start date: the first magnesium dose and the propranolol day are not
    assert names == [("Magnesium citrate", ""), ("Vitamin D", "1000000"), ("Magnesium glycinate", "0.5")]
    assert owner_client.get(reverse("export_csv"), {"table": "alerts"}).status_code == 400
    assert owner_client.get(reverse("export_csv")).content.decode() == days_csv(user)


def test_the_report_page_offers_the_remedies_csv(owner_client):
    page = owner_client.get(reverse("report")).content.decode()
    assert f'href="{reverse("export_csv")}?table=remedies&amp;start=' in page


def test_the_import_page_imports_a_remedies_csv_and_says_how_many(owner_client, user, other_user):
    remedy_create(user=other_user, name="Magnesium", dose=Decimal("300"), unit="mg", start=D)
    upload = SimpleUploadedFile("remedies.csv", remedies_csv(other_user).encode(), content_type="text/csv")
    response = owner_client.post(reverse("import_data"), {"file": upload, "existing": "skip"}, follow=True)
    page = response.content.decode()
    assert "Imported 1 remedies." in page
    assert "new days" not in page  # a remedies file says nothing about days it did not hold
    assert remedies_csv(user) == remedies_csv(other_user)
    again = SimpleUploadedFile("remedies.csv", remedies_csv(other_user).encode(), content_type="text/csv")
    page = owner_client.post(reverse("import_data"), {"file": again, "existing": "skip"}, follow=True)
    assert "Imported 0 remedies (1 already here, left as they were)." in page.content.decode()


def test_the_command_line_exports_and_imports_both_csvs(user, own_history, remedies, newcomer, tmp_path):
    call_command("export_report", user="alice", format="csv", out=str(tmp_path / "days.csv"))
    call_command("export_report", user="alice", format="csv", table="remedies", out=str(tmp_path / "remedies.csv"))
    call_command("import_logs", str(tmp_path / "remedies.csv"), user="carol")
    call_command("import_logs", str(tmp_path / "days.csv"), user="carol")
    assert days_csv(newcomer) == days_csv(user)
    assert remedies_csv(newcomer) == remedies_csv(user)
    with pytest.raises(CommandError, match="--table is for --format csv"):
        call_command("export_report", user="alice", format="json", table="remedies", out=str(tmp_path / "x"))


def test_the_queries_of_a_remedies_import_do_not_grow_with_its_rows(user, other_user):
    def queries(person, count: int) -> int:
        rows = [["remedy (name)", "dose (number)", "start (YYYY-MM-DD)", "stop (YYYY-MM-DD)"]]
        rows += [[f"Remedy {i}", str(i + 1), "2026-03-01", "2026-03-02"] for i in range(count)]
        plan = parse_csv(_write(rows))
        with CaptureQueriesContext(connection) as captured:
            assert import_apply(user=person, plan=plan, replace=False).remedies == count
        return len(captured)

    assert queries(other_user, 60) == queries(user, 3)


def test_the_json_backup_still_round_trips_both(user, own_history, remedies, newcomer):
    """The CSV's additions leave the backup as it was: the same file restores the same factors, answers and doses."""
    exported = backup_data(user)
    import_apply(user=newcomer, plan=parse_file("backup.json", json.dumps(exported).encode()), replace=False)
    again = backup_data(newcomer)
    assert again["remedies"] == exported["remedies"]
    assert again["own_factors"] == exported["own_factors"]
    assert days_csv(newcomer) == days_csv(user)
    assert remedies_csv(newcomer) == remedies_csv(user)


def test_the_import_summary_names_only_what_the_file_held():
    from bfs_tracker.reports.services import ImportResult

    days = ImportResult(created=19, replaced=0, skipped=1, reliefs_added=2)
    assert (
        days.summary()
        == "Imported 19 new days, replaced 0, skipped 1 already logged; 2 new things tried added to your list."
    )
    both = ImportResult(
        created=0, replaced=3, skipped=0, reliefs_added=0, remedies=2, remedies_in_file=2, own_factors=1
    )
    assert (
        both.summary()
        == "Imported 0 new days, replaced 3, skipped 0 already logged; 2 remedies; 1 of your own factors added."
    )
    assert (
        ImportResult(created=0, replaced=0, skipped=0, reliefs_added=0).summary() == "The file held nothing to import."
    )
