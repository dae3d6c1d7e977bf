"""The data version (logbook.data_version): the database changes it on every write to every table the cached pages
are built from, for that person only, whatever writes (the ORM, a queryset, a cascade), and log_span follows it."""

import datetime as dt

import pytest
from django.core.cache import caches
from django.db import connection

from bfs_tracker.accounts.services import account_delete
from bfs_tracker.alerts.function_check import ITEMS
from bfs_tracker.alerts.models import FunctionCheck
from bfs_tracker.days.services import day_save
from bfs_tracker.logbook import data_version
from bfs_tracker.logbook.models import DailyLog, DataVersion, OwnFactor, Remedy
from bfs_tracker.logbook.services import Twitch
from bfs_tracker.timeline.models import Event
from bfs_tracker.trends import selectors
from bfs_tracker.trends.models import Experiment, FlareSettings

DAY = dt.date(2026, 1, 3)


def _rows(user):
    """One row per table of data_version.TABLES, created for `user`: {table: (create, edit)}."""
    return {
        "logbook_dailylog": (lambda: DailyLog.objects.create(user=user, date=DAY), {"notes": "edited"}),
        "trends_flaresettings": (lambda: FlareSettings.objects.create(user=user), {"flare_ratio": 3}),
        "timeline_event": (lambda: Event.objects.create(user=user, kind="visit", date=DAY), {"notes": "edited"}),
        "logbook_remedy": (
            lambda: Remedy.objects.create(user=user, name="Magnesium", dose=300, unit="mg", start=DAY),
            {"notes": "edited"},
        ),
        "trends_experiment": (
            lambda: Experiment.objects.create(user=user, change="Less coffee", start=DAY, days=28),
            {"change": "No coffee"},
        ),
        "logbook_ownfactor": (lambda: OwnFactor.objects.create(user=user, name="Cold", kind="scale"), {"name": "Ice"}),
        "alerts_functioncheck": (
            lambda: FunctionCheck.objects.create(user=user, taken_on=DAY, **{name: 0 for name, _ in ITEMS}),
            {"taken_on": DAY + dt.timedelta(days=1)},
        ),
    }


def test_every_table_is_covered_by_the_tests_below(user):
    assert set(_rows(user)) == set(data_version.TABLES)


@pytest.mark.parametrize("table", data_version.TABLES)
def test_insert_update_and_delete_each_raise_the_version_of_their_owner_only(user, other_user, table):
    create, edit = _rows(user)[table]
    _rows(other_user)[table][0]()  # the other person's row: their writes never move this person's number
    seen = [data_version.current(user)]
    row = create()
    seen.append(data_version.current(user))
    type(row).objects.filter(pk=row.pk).update(**edit)  # a queryset update, which no save() signal would see
    seen.append(data_version.current(user))
    row.delete()
    seen.append(data_version.current(user))
    assert len(set(seen)) == 4, seen
    theirs = data_version.current(other_user)
    create()
    assert data_version.current(other_user) == theirs


def test_a_person_with_no_writes_reads_zero_and_the_first_write_stores_a_row(user):
    assert data_version.current(user) == 0
    assert not DataVersion.objects.filter(user=user).exists()
    day_save(user=user, date=DAY, fields={}, twitches=[Twitch("calf", "left", 3)])
    assert DataVersion.objects.get(user=user).version == data_version.current(user) != 0


def test_the_triggers_are_installed_on_every_table(db):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT DISTINCT event_object_table FROM information_schema.triggers")
        else:
            cursor.execute("SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger'")
        tables = {row[0] for row in cursor.fetchall()}
    assert set(data_version.TABLES) <= tables


def test_log_span_follows_the_version_through_its_cache(user):
    caches[selectors.SPAN_CACHE].clear()
    assert selectors.log_span(user).count == 0
    day_save(user=user, date=DAY, fields={}, twitches=[Twitch("calf", "left", 3)])
    assert selectors.log_span(user).count == 1
    # A delete changes no latest save: only the count, which the cached span would miss without the version.
    day_save(user=user, date=DAY - dt.timedelta(days=1), fields={}, twitches=[])
    assert selectors.log_span(user).count == 2
    DailyLog.objects.filter(user=user, date=DAY - dt.timedelta(days=1)).delete()
    span = selectors.log_span(user)
    assert span == selectors.read_log_span(user)
    assert span.count == 1


def test_log_span_on_a_hit_is_one_read_of_the_version(user, django_assert_num_queries):
    day_save(user=user, date=DAY, fields={}, twitches=[Twitch("calf", "left", 3)])
    selectors.log_span(user)
    with django_assert_num_queries(1):
        assert selectors.log_span(user).count == 1


def test_deleting_an_account_removes_its_version(user, other_user):
    day_save(user=user, date=DAY, fields={}, twitches=[Twitch("calf", "left", 3)])
    day_save(user=other_user, date=DAY, fields={}, twitches=[])
    account_delete(user=user)
    assert list(DataVersion.objects.values_list("user_id", flat=True)) == [other_user.pk]
