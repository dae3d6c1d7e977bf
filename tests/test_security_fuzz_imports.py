"""Fuzzing the ways data comes in (issue 16 item 1, issue 10 item 6), with hypothesis:

- the importers (CSV and JSON, through the import page) given arbitrary text, and files that look like exports
  with arbitrary values in them: never a 500, and either every day written or nothing at all;
- every URL argument converter given arbitrary text and arbitrary matches of its own pattern: never a 500;
- the day page and the importers agree on which dates a day may have.
"""

import csv
import datetime as dt
import io
import json
import re
from urllib.parse import quote

import pytest
from django.urls.converters import get_converters
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bfs_tracker.logbook.models import DailyLog, ReliefMethod, TwitchEntry
from bfs_tracker.logbook.services import log_fields
from bfs_tracker.logbook.taxonomy import MuscleGroup, Side
from bfs_tracker.logbook.validation import FIRST_DAY
from bfs_tracker.reports.exporters import csv_header
from bfs_tracker.reports.importers import ImportError_, parse_json
from tests.test_security_urls import ROUTES

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def snapshot(user) -> tuple:
    return (
        sorted(DailyLog.objects.filter(user=user).values_list("date", "updated_at")),
        TwitchEntry.objects.filter(log__user=user).count(),
        sorted(ReliefMethod.objects.filter(user=user).values_list("name", flat=True)),
    )


def import_file(client, user, name: str, text: str) -> None:
    """POST the file; assert no 500 (the test client raises on any exception) and all or nothing written."""
    before = snapshot(user)
    upload = io.BytesIO(text.encode("utf-8", "surrogatepass"))
    upload.name = name
    response = client.post("/import/", {"file": upload, "existing": "replace"})
    assert response.status_code in (200, 302), response.status_code
    after = snapshot(user)
    if response.status_code == 200:  # refused: the form is shown again with the reason
        assert 'class="errorlist' in response.content.decode()
        assert after == before
    else:
        try:
            plan = parse_json(text) if name.endswith(".json") else None
        except ImportError_:  # pragma: no cover (the view accepted it)
            pytest.fail("the view imported a file the importer refuses")
        if plan is not None:
            assert {d for d, _ in after[0]} >= {day.date for day in plan.days}


# --- Arbitrary text as a whole file ---


@FUZZ
@given(text=st.text(max_size=400))
@example(text="{" * 5000)
@example(text='{"format_version": 1, "logs": ' + "[" * 40_000 + "]" * 40_000 + "}")
@example(text="date (YYYY-MM-DD)\n0001-01-01\n")
@example(text="date (YYYY-MM-DD)\n9999-12-31\n")
@example(text='date (YYYY-MM-DD)\n"2026-01-01\x00"\n')
def test_any_text_as_a_csv_or_json_file_is_refused_or_imported_whole(owner_client, user, text):
    import_file(owner_client, user, "any.csv", text)
    import_file(owner_client, user, "any.json", text)


# --- Files shaped like exports, with arbitrary values ---

hostile_text = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["\x00", "\ud800", "a\x07b", "  ", "9" * 5000, "1e400", "NaN", "0001-01-01", "9999-12-31"]),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=10),
)
json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.floats(allow_nan=True, allow_infinity=True),
        hostile_text,
    ),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
day_dates = st.one_of(
    st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2026, 6, 30)).map(dt.date.isoformat),
    st.dates().map(dt.date.isoformat),
    json_values,
)
sane_twitch = st.fixed_dictionaries(
    {
        "muscle_group": st.sampled_from(MuscleGroup.values),
        "side": st.sampled_from(Side.values),
        "intensity": st.integers(min_value=0, max_value=11),
    }
)
json_days = st.lists(
    st.fixed_dictionaries(
        {"date": day_dates},
        optional={
            **{name: json_values for name in log_fields()},
            "twitches": st.one_of(st.lists(sane_twitch, max_size=3), json_values),
            "reliefs": st.one_of(st.lists(hostile_text, max_size=3), json_values),
            "burden": json_values,
        },
    ),
    max_size=4,
)


@FUZZ
@given(logs=json_days, reliefs=st.one_of(st.lists(st.fixed_dictionaries({"name": hostile_text})), json_values))
def test_a_backup_with_any_values_is_refused_or_imported_whole(owner_client, user, logs, reliefs):
    text = json.dumps({"format_version": 1, "reliefs": reliefs, "logs": logs}, allow_nan=True)
    import_file(owner_client, user, "backup.json", text)


@FUZZ
@given(
    columns=st.lists(st.sampled_from(csv_header()[1:]), unique=True, max_size=6),
    rows=st.lists(st.tuples(day_dates.filter(lambda v: isinstance(v, str)), st.lists(hostile_text, max_size=6))),
)
def test_a_csv_export_with_any_values_is_refused_or_imported_whole(owner_client, user, columns, rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_header()[0], *columns])
    for day, cells in rows[:5]:
        writer.writerow([day, *(cells + [""] * len(columns))[: len(columns)]])
    import_file(owner_client, user, "days.csv", out.getvalue())


# --- Every URL converter ---

_ARGUMENT = re.compile(r"<(?:(?P<kind>[^>:]+):)?(?P<name>[^>]+)>")
CONVERTED = [r for r in ROUTES if "<" in r.route and not r.is_admin]


def test_the_fuzzed_routes_include_every_date_and_month_url():
    names = {r.name for r in CONVERTED}
    assert {"day", "day_delete", "calendar_month", "relief_edit", "alert_detail", "shared_report"} <= names


def _segment(kind: str):
    regex = get_converters()[kind].regex
    return st.one_of(
        st.from_regex(re.compile(regex), fullmatch=True),
        st.text(min_size=1, max_size=30),
        st.integers(min_value=0, max_value=10**25).map(str),
    )


@st.composite
def fuzzed_urls(draw) -> str:
    route = draw(st.sampled_from(CONVERTED))
    path = route.route

    def fill(match: re.Match) -> str:
        return quote(draw(_segment(match.group("kind") or "str")), safe="")

    return "/" + _ARGUMENT.sub(fill, path)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(url=fuzzed_urls())
@example(url="/days/0001-01-01/")
@example(url="/calendar/9999/12/")
@example(url="/calendar/99999999999999999999/1/")
def test_no_url_argument_makes_a_500(owner_client, url):
    for method in (owner_client.get, owner_client.post):
        assert method(url).status_code < 500


# --- Dates: the day page opens exactly the days an import may hold ---


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(day=st.one_of(st.dates(), st.dates(min_value=FIRST_DAY - dt.timedelta(days=3), max_value=FIRST_DAY)))
@example(day=dt.date(1, 1, 1))
@example(day=dt.date(9999, 12, 31))
@example(day=FIRST_DAY)
def test_the_day_page_opens_exactly_the_dates_an_import_accepts(owner_client, user, day):
    page_opens = owner_client.get(f"/days/{day.isoformat()}/").status_code == 200
    try:
        parse_json(json.dumps({"format_version": 1, "logs": [{"date": day.isoformat()}]}), today=user.today())
    except ImportError_:
        imports = False
    else:
        imports = True
    assert page_opens == imports
