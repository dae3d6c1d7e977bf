import csv
import io
import json

import pytest

from bfs_tracker.days.services import day_save
from bfs_tracker.logbook.models import DailyLog, ReliefMethod, TwitchEntry
from bfs_tracker.reports.exporters import backup_data, csv_rows, render_csv
from bfs_tracker.reports.importers import ImportError_, parse_csv, parse_file, parse_json
from bfs_tracker.reports.services import import_apply
from tests.reports_history import START, build_history


@pytest.fixture
def exported(user, other_user):
    """A CSV and a JSON backup of 30 days from one account, to be imported into `other_user`'s."""
    build_history(user, days=30, skip_every=0)
    return {"csv": render_csv(csv_rows(user)), "json": backup_data(user)}


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _write(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def _nothing_written(person) -> bool:
    return (
        not DailyLog.objects.filter(user=person).exists() and not TwitchEntry.objects.filter(log__user=person).exists()
    )


def test_a_wrong_header_is_rejected_by_name(exported, other_user):
    rows = _rows(exported["csv"])
    rows[0][5] = "stress level"
    with pytest.raises(ImportError_, match="Row 1 .*unknown column “stress level”"):
        parse_csv(_write(rows))
    assert _nothing_written(other_user)


def test_a_bad_value_on_row_17_names_the_row_and_the_field(exported, other_user):
    rows = _rows(exported["csv"])
    column = rows[0].index("stress (0-10)")
    rows[16][column] = "11"  # the 17th line of the file, as a spreadsheet numbers it
    with pytest.raises(ImportError_) as error:
        parse_csv(_write(rows))
    assert "Row 17" in str(error.value)
    assert "stress (0-10)" in str(error.value)
    assert "less than or equal to 10" in str(error.value)
    assert _nothing_written(other_user)


def test_text_where_a_number_belongs_is_named(exported):
    rows = _rows(exported["csv"])
    rows[3][rows[0].index("twitch_calf_left (intensity 1-10)")] = "lots"
    with pytest.raises(
        ImportError_, match="Row 4, twitch_calf_left \\(intensity 1-10\\): “lots” is not a whole number"
    ):
        parse_csv(_write(rows))


def test_an_intensity_out_of_range_is_named(exported):
    rows = _rows(exported["csv"])
    rows[5][rows[0].index("twitch_foot_right (intensity 1-10)")] = "12"
    with pytest.raises(ImportError_, match="Row 6, twitch_foot_right"):
        parse_csv(_write(rows))


def test_duplicate_dates_in_a_file_are_rejected(exported, other_user):
    rows = _rows(exported["csv"])
    rows.append(rows[3])
    with pytest.raises(ImportError_, match=f"the date {rows[3][0]} is already on Row 4"):
        parse_csv(_write(rows))
    assert _nothing_written(other_user)


def test_a_file_from_a_newer_version_is_refused_clearly(exported, other_user):
    data = dict(exported["json"], format_version=2)
    with pytest.raises(ImportError_, match="format 2, made by a newer BFS Tracker"):
        parse_json(json.dumps(data))
    assert _nothing_written(other_user)


def test_a_bad_day_in_a_json_backup_names_the_day_and_field(exported):
    data = exported["json"]
    data["logs"][16]["sleep_hours"] = 6.25
    with pytest.raises(ImportError_, match="Day 17 in logs .*sleep_hours: Sleep is recorded in whole or half hours"):
        parse_json(json.dumps(data))


def test_a_json_file_that_is_not_a_backup_is_refused():
    with pytest.raises(ImportError_, match="no format_version"):
        parse_json(json.dumps([1, 2]))
    with pytest.raises(ImportError_, match="not valid JSON"):
        parse_json("{nope")


def test_a_file_larger_than_the_limit_is_refused():
    with pytest.raises(ImportError_, match="larger than 5 MB"):
        parse_file("big.csv", b"x" * (5 * 1024 * 1024 + 1))


def test_existing_days_are_skipped_unless_the_person_chooses_replace(exported, other_user):
    day_save(user=other_user, date=START, fields={"stress": 1, "notes": "mine"}, twitches=[])
    plan = parse_csv(exported["csv"])
    result = import_apply(user=other_user, plan=plan, replace=False)
    assert (result.created, result.skipped, result.replaced) == (29, 1, 0)
    assert DailyLog.objects.get(user=other_user, date=START).notes == "mine"
    result = import_apply(user=other_user, plan=plan, replace=True)
    assert (result.created, result.replaced) == (0, 30)
    assert DailyLog.objects.get(user=other_user, date=START).notes == ""


def test_things_tried_that_are_new_are_added_to_the_list(exported, other_user):
    ReliefMethod.objects.filter(user=other_user, name="Massage").delete()
    result = import_apply(user=other_user, plan=parse_json(json.dumps(exported["json"])), replace=False)
    assert result.reliefs_added == 1
    assert ReliefMethod.objects.filter(user=other_user, name="Massage").exists()
