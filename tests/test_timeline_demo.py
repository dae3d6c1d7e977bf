"""`manage.py seed_demo_timeline`: the demo account's visit, EMG and CK value, for `make run`."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from bfs_tracker.reports.assembly import build_report
from bfs_tracker.timeline.models import Event

pytestmark = pytest.mark.django_db


def _seed(user, **kwargs):
    out = StringIO()
    call_command(
        "seed_demo_timeline", user=user.username, database_name=connection.settings_dict["NAME"], stdout=out, **kwargs
    )
    return out.getvalue()


def test_it_adds_a_visit_an_emg_and_a_ck_value_once_and_the_report_shows_them(user, settings):
    settings.DEBUG = True
    call_command("seed_demo", user=user.username, days=120, seed=1, fast=True, stdout=StringIO())
    assert "Added 3 events" in _seed(user)
    assert sorted(Event.objects.filter(user=user).values_list("kind", flat=True)) == ["blood", "emg", "visit"]
    assert "already there" in _seed(user)
    assert Event.objects.filter(user=user).count() == 3
    end = user.today()
    report = build_report(user, end - dt.timedelta(days=89), end)
    assert report.since_visit is not None
    assert {t.kind for t in report.tests} == {"blood", "emg"}


def test_it_refuses_outside_development(user, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        _seed(user)
    assert not Event.objects.exists()
