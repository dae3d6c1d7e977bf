"""Selectors behind the dashboard: same answers as the plain ORM, only this user's rows."""

import datetime as dt

from django.db.models import Count, Max, Min

from bfs_tracker.days.services import day_save
from bfs_tracker.logbook import data_version
from bfs_tracker.logbook import selectors as log_selectors
from bfs_tracker.logbook.models import DailyLog, Remedy
from bfs_tracker.logbook.services import Twitch
from bfs_tracker.trends import selectors
from bfs_tracker.trends.models import FlareSettings


def test_log_span_agrees_with_the_orm_and_ignores_other_users(user, other_user):
    assert selectors.log_span(user) == selectors.LogSpan(None, None, 0, None, None, plans="0@-:0@-:0@-")
    for day in (dt.date(2026, 1, 3), dt.date(2026, 2, 1), dt.date(2025, 12, 30)):
        day_save(user=user, date=day, fields={}, twitches=[Twitch("calf", "left", 3)])
    day_save(user=other_user, date=dt.date(2020, 1, 1), fields={}, twitches=[])
    settings = FlareSettings.objects.create(user=user)
    span = selectors.log_span(user)
    expected = DailyLog.objects.filter(user=user).aggregate(
        first=Min("date"), last=Max("date"), count=Count("id"), last_updated=Max("updated_at")
    )
    assert (span.first, span.last, span.count) == (dt.date(2025, 12, 30), dt.date(2026, 2, 1), 3)
    assert span.last_updated == expected["last_updated"]
    assert span.settings_updated == settings.updated_at
    remedy = Remedy.objects.create(user=user, name="Magnesium", dose=300, unit="mg", start=dt.date(2026, 1, 1))
    Remedy.objects.create(user=other_user, name="Zinc", dose=1, start=dt.date(2026, 1, 1))
    span = selectors.log_span(user)
    assert span.plans == f"1@{remedy.updated_at.isoformat()}:0@-:0@-"
    assert (span.remedies_count, span.experiments_count) == (1, 0)
    from bfs_tracker.alerts.function_check import ITEMS
    from bfs_tracker.alerts.models import FunctionCheck

    answers = dict.fromkeys((name for name, _ in ITEMS), 0)
    FunctionCheck.objects.create(user=other_user, taken_on=dt.date(2026, 1, 2), **answers)
    assert selectors.log_span(user).checks == "0@-"
    check = FunctionCheck.objects.create(user=user, taken_on=dt.date(2026, 1, 9), **answers)
    assert selectors.log_span(user).checks == f"1@{check.pk}"


def test_group_burden_and_ranking_use_the_burden_formula(user, other_user):
    day = dt.date(2026, 3, 2)  # a Monday
    day_save(user=user, date=day, fields={}, twitches=[Twitch("calf", "both", 4), Twitch("eyelid", "left", 6)])
    day_save(user=user, date=day + dt.timedelta(days=1), fields={}, twitches=[Twitch("calf", "left", 2)])
    day_save(user=other_user, date=day, fields={}, twitches=[Twitch("calf", "both", 10)])
    weekly = log_selectors.muscle_group_burden(user, day, day + dt.timedelta(days=6), "week")
    assert [(r["period"], r["muscle_group"], r["burden"]) for r in weekly] == [
        (day, "calf", 10),
        (day, "eyelid", 6),
    ]
    ranking = log_selectors.group_side_ranking(user, day, day + dt.timedelta(days=6))
    assert [(r["muscle_group"], r["side"], r["burden"], r["days"]) for r in ranking] == [
        ("calf", "both", 8, 1),
        ("eyelid", "left", 6, 1),
        ("calf", "left", 2, 1),
    ]
    assert sum(log_selectors.burden_series(user).values()) == 16


def test_the_flare_version_follows_the_days_and_the_thresholds_of_this_person_only(user, other_user):
    versions = [selectors.flare_version(user)]
    day_save(user=user, date=dt.date(2026, 1, 3), fields={}, twitches=[Twitch("calf", "left", 3)])
    versions.append(selectors.flare_version(user))
    day_save(user=user, date=dt.date(2026, 1, 3), fields={}, twitches=[Twitch("calf", "left", 4)])  # saved again
    versions.append(selectors.flare_version(user))
    FlareSettings.objects.create(user=user, flare_ratio=3)
    versions.append(selectors.flare_version(user))
    DailyLog.objects.get(user=user, date=dt.date(2026, 1, 3)).delete()
    versions.append(selectors.flare_version(user))
    assert len(set(versions)) == len(versions)
    mine = selectors.flare_version(user)
    day_save(user=other_user, date=dt.date(2026, 1, 3), fields={}, twitches=[])
    FlareSettings.objects.create(user=other_user)
    assert selectors.flare_version(user) == mine
    assert mine == f"v{data_version.current(user)}"
