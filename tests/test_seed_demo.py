import datetime as dt
import statistics
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from bfs_tracker.accounts.models import User
from bfs_tracker.accounts.services import user_create
from bfs_tracker.logbook.burden import twitch_burden
from bfs_tracker.logbook.demo_data import MIN_DAYS, demo_history
from bfs_tracker.logbook.models import DailyLog
from bfs_tracker.logbook.services import LOG_FIELDS
from bfs_tracker.logbook.taxonomy import DEFAULT_RELIEF_METHODS

NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
END = dt.date(2026, 11, 25)  # London's date at NOW


def history(seed: int = 1, days: int = 120):
    return demo_history(
        seed=seed, start=END - dt.timedelta(days=days - 1), end=END, relief_names=DEFAULT_RELIEF_METHODS
    )


def burdens(days: list[dict]) -> dict[dt.date, int]:
    return {d["date"]: twitch_burden((side, n) for _, side, n in d["twitches"]) for d in days}


def stored(user) -> dict:
    """Everything a person would see of their days: fields, burden, twitches and reliefs, by date."""
    logs = DailyLog.objects.filter(user=user).prefetch_related("twitches", "reliefs")
    return {
        log.date: (
            [getattr(log, name) for name in (*LOG_FIELDS, "burden")],
            sorted((t.muscle_group, t.side, t.intensity) for t in log.twitches.all()),
            sorted(r.name for r in log.reliefs.all()),
        )
        for log in logs
    }


def seed(username: str, **options) -> str:
    out = StringIO()
    call_command("seed_demo", user=username, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def carol(db):
    return user_create(username="carol", email="carol@example.org", password="x" * 20, time_zone="Europe/London")


def test_the_same_seed_gives_the_same_history_and_another_seed_does_not():
    assert history(1) == history(1)
    assert history(1)[1] != history(2)[1]


@pytest.mark.parametrize("seed_value", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("days", [120, 3650])
def test_every_flare_is_about_twice_the_rest_and_follows_stress_short_sleep_and_caffeine(seed_value, days):
    plan, logged = history(seed_value, days)
    by_date = {d["date"]: d for d in logged}
    burden = burdens(logged)
    for episode in plan.episodes:
        assert 7 <= len(episode.flare) <= 14
        assert 2 <= len(episode.trigger) <= 4
        assert episode.trigger.last + dt.timedelta(days=1) == episode.flare.first
        flare = statistics.median(burden[d] for d in episode.flare.dates())
        rest = statistics.median(b for d, b in burden.items() if d not in episode.flare)
        assert 1.6 <= flare / rest <= 3.5
        for day in episode.trigger.dates():
            fields = by_date[day]["fields"]
            assert fields["stress"] >= 8
            assert fields["sleep_hours"] <= 5.5
            assert fields["caffeine_mg"] >= 300


@pytest.mark.parametrize("seed_value", [1, 2, 3])
def test_the_main_episode_and_weakness_sit_in_the_default_report_range(seed_value):
    plan, logged = history(seed_value)
    main = plan.main
    assert END - dt.timedelta(days=90) < main.trigger.first < main.flare.first < main.remission.first
    assert END - dt.timedelta(days=30) < plan.weakness_day <= END
    burden = burdens(logged)
    assert len(main.remission) >= 8
    assert all(day in burden and burden[day] <= 2 for day in main.remission.dates())
    weak = [d for d in logged if d["fields"].get("weakness")]
    assert [d["date"] for d in weak] == [plan.weakness_day]
    assert weak[0]["fields"]["weakness_location"] == "left hand"
    assert "grip felt weak" in weak[0]["fields"]["notes"]


def test_ten_years_have_flares_and_remissions_every_year_and_some_unlogged_days():
    plan, logged = history(7, 3650)
    years = range(END.year - 9, END.year + 1)
    assert {e.flare.first.year for e in plan.episodes} >= set(years)
    assert {e.remission.first.year for e in plan.episodes} >= set(years)
    assert 0.04 < 1 - len(logged) / 3650 < 0.12


def test_stress_short_sleep_and_caffeine_go_with_burden_but_alcohol_does_not():
    _, logged = history(3, 3650)
    burden = list(burdens(logged).values())

    def corr(name):
        return statistics.correlation([float(d["fields"][name]) for d in logged], burden)

    assert corr("stress") > 0.3
    assert corr("sleep_hours") < -0.2
    assert corr("caffeine_mg") > 0.2
    assert abs(corr("alcohol_units")) < 0.1


def test_it_refuses_too_short_a_history():
    with pytest.raises(ValueError, match=str(MIN_DAYS)):
        history(days=MIN_DAYS - 1)


@time_machine.travel(NOW, tick=False)
def test_two_runs_into_two_users_store_identical_days(user, carol):
    out = seed("alice", days=120, seed=4)
    seed("carol", days=120, seed=4)
    alice_days = stored(user)
    assert alice_days == stored(carol)
    plan, logged = history(4)
    assert sorted(alice_days) == [d["date"] for d in logged]
    assert alice_days[plan.weakness_day][0][LOG_FIELDS.index("weakness")] is True
    assert f"weakness reported on {plan.weakness_day}" in out


@time_machine.travel(NOW, tick=False)
def test_the_fast_path_stores_exactly_what_the_slow_path_does(user, carol):
    seed("alice", days=120, seed=2)
    seed("carol", days=120, seed=2, fast=True)
    assert stored(user) == stored(carol)
    assert DailyLog.objects.filter(user=carol, burden__gt=0).count() > 80


@time_machine.travel(NOW, tick=False)
def test_reseeding_replaces_the_days_in_range_and_keeps_older_ones(user):
    old = dt.date(2025, 1, 1)
    DailyLog.objects.create(user=user, date=old, stress=3)
    seed("alice", days=80, seed=1, fast=True)
    seed("alice", days=80, seed=2, fast=True)
    assert DailyLog.objects.filter(user=user, date__gte=END - dt.timedelta(days=79)).count() == len(history(2, 80)[1])
    assert DailyLog.objects.filter(user=user, date=old).exists()


def test_an_unknown_user_is_a_clear_error(db):
    with pytest.raises(CommandError, match='No user named "nobody"'):
        seed("nobody")
    assert not DailyLog.objects.exists()


def test_ensure_demo_refuses_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("ensure_demo", stdout=StringIO())
    assert not User.objects.filter(username="demo").exists()


@time_machine.travel(NOW, tick=False)
def test_ensure_demo_creates_the_account_once_and_prints_its_login(db, settings):
    settings.DEBUG = True
    first, second = StringIO(), StringIO()
    # The test database may be PostgreSQL: name it, as a developer using one must (test_settings_fail_safe.py).
    here = connection.settings_dict["NAME"]
    call_command("ensure_demo", database_name=here, stdout=first)
    demo = User.objects.get(username="demo")
    assert demo.check_password("demo-twitch-2026")
    assert (demo.email, demo.time_zone, demo.get_full_name()) == ("demo@example.org", "Europe/London", "Demo User")
    days = stored(demo)
    assert len(days) == len(history(1)[1])

    call_command("ensure_demo", database_name=here, stdout=second)
    assert stored(demo) == days
    login = "Demo login: http://127.0.0.1:8000/  username: demo  password: demo-twitch-2026"
    assert login in first.getvalue()
    assert second.getvalue().strip() == login


@pytest.mark.parametrize("name", ["demo", "demo@example.org"])
def test_the_demo_account_signs_in_on_the_login_page_with_its_username_or_address(db, settings, client, name):
    settings.DEBUG = True
    call_command("ensure_demo", database_name=connection.settings_dict["NAME"], stdout=StringIO())
    response = client.post(reverse("login"), {"username": name, "password": "demo-twitch-2026"})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == User.objects.get(username="demo").pk


@pytest.mark.parametrize("seed_value", [1, 2, 3])
def test_the_notes_never_contradict_the_days_twitches(seed_value):
    _, days = history(seed_value, days=365)
    noted = 0
    for day in days:
        note, groups = day["fields"]["notes"], {str(t[0]) for t in day["twitches"]}
        noted += bool(note)
        if "no twitching" in note:
            assert not groups, day["date"]
        if "calf" in note.lower():
            assert "calf" in groups, day["date"]
        if "Eyelid" in note:
            assert "eyelid" in groups, day["date"]
        if "Thighs" in note:
            assert "thigh" in groups, day["date"]
    assert noted > 20
