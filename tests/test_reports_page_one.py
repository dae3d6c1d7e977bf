"""The doctor's page 1 (issue 12, "Page 1, redesigned for ten minutes") and the pages after it."""

import datetime as dt
import io

import pypdf
import pytest

from bfs_tracker.days.services import day_save
from bfs_tracker.reports.assembly import build_report
from bfs_tracker.reports.pdf import render_pdf
from tests.reports_history import START, SWALLOW_DAY, WEAKNESS_DAY, build_history

END = START + dt.timedelta(days=119)


def _pages(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def history(user):
    build_history(user)
    return user


def test_page_one_reads_in_the_order_a_neurologist_needs(history):
    first = _pages(render_pdf(build_report(history, START, END)))[0]
    order = [
        "107 of 120 days logged",
        "Red-flag events",
        "Twitch burden per day",
        "Where it twitches",
        "Function checks",
        "What has not changed",
    ]
    positions = [first.index(text) for text in order]
    assert positions == sorted(positions)


def test_page_one_states_what_has_not_changed_as_dated_facts(history):
    first = _pages(render_pdf(build_report(history, START, END)))[0]
    assert f"No red-flag sign reported since {SWALLOW_DAY.isoformat()}" in first
    assert "107 of 120 days logged from" in first
    assert "Longest remission: 2026-08-" in first


def test_the_details_start_on_page_two_and_run_on_without_blank_pages(history):
    pages = _pages(render_pdf(build_report(history, START, END)))
    assert "Flares and remissions" not in pages[0]
    assert pages[1].startswith("Flares and remissions")
    # The day-by-day table follows the flare context on the same page, under its month headings.
    assert "Day by day" in pages[1]
    assert "June 2026" in pages[1]
    text = " ".join(pages)
    for month in ("July 2026", "August 2026", "September 2026"):
        assert month in text
    assert text.index("Day by day") < text.index("Notes, in their words")


def test_when_page_one_runs_over_the_details_follow_without_a_page_break(user):
    for i in range(45):  # a red-flag sign on 45 days: page 1 alone is longer than a page
        day = START + dt.timedelta(days=i)
        day_save(
            user=user, date=day, fields={"weakness": True, "weakness_location": f"left hand, day {i}"}, twitches=[]
        )
    pages = _pages(render_pdf(build_report(user, START, START + dt.timedelta(days=59))))
    summary_end = next(i for i, page in enumerate(pages) if "What has not changed" in page)
    assert summary_end >= 1
    assert "Flares and remissions" in pages[summary_end]


def test_the_chart_data_marks_red_flag_days_and_carries_a_seven_day_average(history):
    report = build_report(history, START, END)
    assert report.red_flag_days == [WEAKNESS_DAY, SWALLOW_DAY]
    assert len(report.average7) == report.days_in_range
    flare_day = (dt.date(2026, 7, 20) - START).days
    assert report.average7[flare_day] > 20
    assert report.average7[0] == report.burden_series[0][1]


def test_function_checks_of_the_same_result_are_one_row(user):
    from bfs_tracker.alerts.function_check import ITEMS
    from bfs_tracker.alerts.models import FunctionCheck

    day_save(user=user, date=START, fields={}, twitches=[])
    for week in range(6):
        FunctionCheck.objects.create(
            user=user, taken_on=START + dt.timedelta(days=7 * week), **dict.fromkeys((name for name, _ in ITEMS), 0)
        )
    first = _pages(render_pdf(build_report(user, START, START + dt.timedelta(days=59))))[0]
    assert f"{START.isoformat()} to {(START + dt.timedelta(days=35)).isoformat()} (6 checks)" in first
    assert f"Function check answers unchanged since {START.isoformat()} (6 checks" in first
