"""The dashboard page and its JSON: ranges, errors next to fields, privacy, and a flat query count."""

import datetime as dt
import io
import json
import random

import pypdf
import pytest
import time_machine
from django.core.cache import caches
from django.urls import reverse

from bfs_tracker.days.services import day_save
from bfs_tracker.logbook.models import DailyLog, TwitchEntry
from bfs_tracker.logbook.services import Twitch
from bfs_tracker.trends import dashboard_cache
from bfs_tracker.trends.flares import FlareParams
from bfs_tracker.trends.models import FlareSettings
from bfs_tracker.trends.selectors import flare_params_for

TODAY = dt.date(2026, 6, 30)


@pytest.fixture(autouse=True)
def empty_cache():
    caches["dashboard"].clear()
    yield
    caches["dashboard"].clear()


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 6, 30, 12, 0, tzinfo=dt.UTC), tick=False):
        yield


def log(user, day, burden_calf=2, **fields):
    day_save(
        user=user,
        date=day,
        fields=fields,
        twitches=[Twitch("calf", "left", burden_calf)] if burden_calf else [],
    )


def history_with_a_flare(user, days=80):
    """`days` days up to yesterday at burden 5 with every tenth day unlogged, and a 10-day flare at burden 30
    (calf on both sides and left thigh at 10, stress 8) from 13 to 22 June 2026. Today is not logged."""
    for i in range(days):
        day = TODAY - dt.timedelta(days=days - i)
        in_flare = days - 17 <= i < days - 7
        if in_flare:
            twitches = [Twitch("calf", "both", 10), Twitch("thigh", "left", 10)]
            day_save(user=user, date=day, fields={"stress": 8}, twitches=twitches)
        elif i % 10 != 5:
            log(user, day, burden_calf=5, stress=2)


def test_anonymous_visitors_are_sent_to_log_in(client):
    for name in ("dashboard", "dashboard_data", "flare_rules", "flare_settings", "ping"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_the_dashboard_shows_the_numbers_in_text(owner_client, user):
    history_with_a_flare(user)
    response = owner_client.get(reverse("dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "73 of 81 days in the range" in page  # 90 days asked; the history starts 81 days ago
    assert "At your usual level (baseline 5.0)" in page
    assert "13 Jun 2026 to 22 Jun 2026" in page  # the flare
    assert "peak burden 30" in page
    assert "Calf, both sides" in page
    assert 'id="dashboard-data"' in page
    assert "js/dashboard.js" in page
    assert "<script>" not in page.replace('<script id="dashboard-data" type="application/json">', "")
    assert 'style="' not in page
    assert 'aria-current="page">Dashboard' in page


def test_the_json_lists_the_flare_and_the_chart_data(owner_client, user):
    history_with_a_flare(user)
    data = owner_client.get(reverse("dashboard_data"), {"range": "30"}).json()
    assert (data["start"], data["end"], data["days_in_range"], data["days_logged"]) == (
        "2026-06-01",
        "2026-06-30",
        30,
        27,
    )
    assert [(p["kind"], p["start"], p["end"], p["days"], p["peak"]) for p in data["periods"]] == [
        ("flare", "2026-06-13", "2026-06-22", 10, 30.0)
    ]
    assert data["periods"][0]["unusual_before"] == []
    assert (data["chart"]["start"], data["chart"]["days"], len(data["chart"]["burden"])) == ("2026-06-01", 30, 30)
    assert data["chart"]["burden"][-1] is None  # today is not logged: unknown, not zero
    assert data["chart"]["periods"] == [{"kind": "flare", "start": "2026-06-13", "end": "2026-06-22"}]
    assert data["ranking"][0]["label"] == "Calf, both sides"
    stress = next(i for i in data["insights"] if i["factor"] == "stress" and i["lag"] == 0)
    assert stress["n_pairs"] == 27


@pytest.mark.parametrize(
    ("params", "start", "days"),
    [
        ({"range": "30"}, "2026-06-01", 30),
        # A preset longer than the history starts at the first log, so the chart is the person's own days.
        ({"range": "90"}, "2026-04-11", 81),
        ({"range": "365"}, "2026-04-11", 81),
        ({"range": "all"}, "2026-04-11", 81),
        ({"range": "custom", "start": "2026-05-01", "end": "2026-05-31"}, "2026-05-01", 31),
    ],
)
def test_each_range_choice_covers_the_right_days(owner_client, user, params, start, days):
    history_with_a_flare(user)
    data = owner_client.get(reverse("dashboard_data"), params).json()
    assert (data["start"], data["days_in_range"]) == (start, days)


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"range": "custom", "end": "2026-05-01"}, "start", "Choose the first day of the range."),
        ({"range": "custom", "start": "2026-05-01"}, "end", "Choose the last day of the range."),
        ({"range": "custom", "start": "2026-05-09", "end": "2026-05-01"}, "start", "on or before the last day"),
        ({"range": "custom", "start": "2026-05-01", "end": "2026-07-01"}, "end", "cannot end after today"),
        ({"range": "custom", "start": "2026-05-01", "end": "not a date"}, "end", "Enter a valid date."),
        ({"range": "week"}, "range", "Select a valid choice."),
    ],
)
def test_custom_range_error_are_shown_next_to_the_field(owner_client, params, field, message):
    response = owner_client.get(reverse("dashboard"), params)
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page
    assert message in page
    data = owner_client.get(reverse("dashboard_data"), params)
    assert data.status_code == 400
    assert message in json.dumps(data.json()["errors"][field])


def test_a_stranger_sees_only_their_own_data(owner_client, stranger_client, user, other_user):
    history_with_a_flare(user)
    log(other_user, TODAY, burden_calf=3)
    data = stranger_client.get(reverse("dashboard_data"), {"range": "all"}).json()
    assert (data["days_logged"], data["periods"]) == (1, [])
    assert [r["burden"] for r in data["ranking"]] == [3]
    page = stranger_client.get(reverse("dashboard"), {"range": "all"}).content.decode()
    assert "1 of 1 days in the range" in page
    assert "peak burden 30" not in page


def test_a_new_user_with_no_logs_gets_an_empty_dashboard(owner_client):
    page = owner_client.get(reverse("dashboard"), {"range": "all"}).content.decode()
    assert "0 of 1 days in the range" in page
    assert "Nothing logged yet" in page
    assert "needs 14 more days" in page


def test_flare_rules_show_the_users_own_thresholds(owner_client, user):
    page = owner_client.get(reverse("flare_rules")).content.decode()
    assert "flare level (1.7 times your baseline, and at least 2 points above it;" in page
    response = owner_client.post(
        reverse("flare_settings"),
        {
            "baseline_days": 42,
            "min_baseline_days": 10,
            "flare_ratio": 2,
            "flare_margin": 8,
            "flare_min_days": 5,
            "max_dip_days": 1,
            "remission_min_days": 10,
            "remission_level": 1,
            "remission_ratio": 0.2,
        },
    )
    assert response.status_code == 302
    page = owner_client.get(reverse("flare_rules")).content.decode()
    assert "previous 42 ordinary logged days" in page
    assert "flare level (2 times your baseline, and at least 8 points above it;" in page
    assert "A flare lasts at least 5 days and a remission at least 10 days" in page
    assert "thresholds you chose" in page


def test_flare_settings_reject_impossible_values_next_to_the_field(owner_client, user):
    page = owner_client.get(reverse("flare_settings")).content.decode()
    assert 'value="28"' in page
    response = owner_client.post(
        reverse("flare_settings"),
        {
            "baseline_days": 14,
            "min_baseline_days": 20,
            "flare_ratio": 0.5,
            "flare_margin": 5,
            "flare_min_days": 4,
            "max_dip_days": 2,
            "remission_min_days": 7,
            "remission_level": 2,
            "remission_ratio": 0.25,
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_flare_ratio_error"' in page
    assert "greater than or equal to 1.1" in page
    assert "cannot be more than the baseline window" in page
    # Neither opening the page nor a refused save wrote a settings row; the defaults still apply.
    assert not FlareSettings.objects.filter(user=user).exists()
    assert flare_params_for(user) == FlareParams()


def test_the_dashboard_uses_the_users_thresholds(owner_client, user):
    history_with_a_flare(user)
    owner_client.post(
        reverse("flare_settings"),
        {
            "baseline_days": 28,
            "min_baseline_days": 7,
            "flare_ratio": 1.5,
            "flare_margin": 5,
            "flare_min_days": 11,
            "max_dip_days": 2,
            "remission_min_days": 7,
            "remission_level": 2,
            "remission_ratio": 0.25,
        },
    )
    data = owner_client.get(reverse("dashboard_data")).json()
    assert data["periods"] == []


def test_ping_answers_signed_in_users(owner_client):
    response = owner_client.get(reverse("ping"))
    assert response.content == b"ok"


def ten_years(user):
    rng = random.Random(7)
    start = TODAY - dt.timedelta(days=3649)
    logs = DailyLog.objects.bulk_create(
        DailyLog(
            user=user,
            date=start + dt.timedelta(days=i),
            burden=0,
            stress=rng.randint(0, 10),
            sleep_hours=rng.choice([5, 6, 7, 8]),
            caffeine_mg=rng.choice([0, 95, 190]),
            illness=rng.random() < 0.05,
            weakness=i == 3000,
        )
        for i in range(3650)
    )
    entries = []
    for log_row in logs:
        for group in rng.sample(["calf", "thigh", "eyelid", "foot", "back"], 2):
            entries.append(
                TwitchEntry(
                    log=log_row,
                    muscle_group=group,
                    side=rng.choice(["left", "right", "both"]),
                    intensity=rng.randint(1, 10),
                )
            )
    TwitchEntry.objects.bulk_create(entries)
    return logs


@pytest.mark.parametrize("params", [{"range": "all"}, {"range": "30"}, {"range": "365"}])
def test_query_count_is_flat_over_a_ten_year_history(owner_client, user, django_assert_num_queries, params):
    ten_years(user)
    # session, user, data version, log span, flare settings, burden history, day records, timeline events, group
    # chart, ranking (remedies and experiments are read only when the log span counts some: none here)
    with django_assert_num_queries(10):
        data = owner_client.get(reverse("dashboard_data"), params).json()
    # The page reuses the computed dashboard: session, user, data version (the log span, cached under it, carries
    # the cache key), the unread-alerts count every page's banner shows, and "What has not changed" (red-flag days,
    # function checks).
    with django_assert_num_queries(6):
        page = owner_client.get(reverse("dashboard"), params)
    assert page.status_code == 200
    # Again: "What has not changed" is cached too, under the same data version.
    with django_assert_num_queries(4):
        again_page = owner_client.get(reverse("dashboard"), params)
    facts = page.content.decode().split('id="facts-title"')[1].split("</section>")[0]
    assert facts in again_page.content.decode()
    # Asking again: session, user, data version; the JSON comes from the cache.
    with django_assert_num_queries(3):
        again = owner_client.get(reverse("dashboard_data"), params).json()
    assert again == data
    if params["range"] == "all":
        assert data["days_logged"] == 3650
        assert data["chart"]["bucket"] == "month"
        assert len(data["chart"]["red_flag_days"]) == 1
        assert "19 Sep 2024" in page.content.decode()  # the red-flag day, in words


def test_a_saved_day_shows_at_once_despite_the_cache(owner_client, user):
    history_with_a_flare(user)
    before = owner_client.get(reverse("dashboard_data"), {"range": "30"}).json()
    log(user, TODAY, burden_calf=7, weakness=True)
    after = owner_client.get(reverse("dashboard_data"), {"range": "30"}).json()
    assert (before["days_logged"], after["days_logged"]) == (27, 28)
    assert after["chart"]["burden"][-1] == 7
    assert after["chart"]["red_flag_days"] == ["2026-06-30"]
    DailyLog.objects.get(user=user, date=TODAY).delete()
    assert owner_client.get(reverse("dashboard_data"), {"range": "30"}).json()["days_logged"] == 27


def test_a_cache_miss_builds_only_what_was_asked_and_assembles_once(owner_client, user, monkeypatch):

    history_with_a_flare(user)
    calls = {"build": 0, "html": 0, "json": 0}

    def counting(name, real):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return real(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(dashboard_cache, "build_dashboard", counting("build", dashboard_cache.build_dashboard))
    monkeypatch.setattr(dashboard_cache, "render_html", counting("html", dashboard_cache.render_html))
    monkeypatch.setattr(dashboard_cache, "render_json", counting("json", dashboard_cache.render_json))
    owner_client.get(reverse("dashboard_data"), {"range": "90"})
    assert calls == {"build": 1, "html": 0, "json": 1}
    owner_client.get(reverse("dashboard"), {"range": "90"})
    assert calls == {"build": 1, "html": 1, "json": 1}  # the page reused the assembled dashboard
    owner_client.get(reverse("dashboard"), {"range": "90"})
    owner_client.get(reverse("dashboard_data"), {"range": "90"})
    assert calls == {"build": 1, "html": 1, "json": 1}


def test_the_dashboard_says_what_has_not_changed_and_follows_a_new_function_check(owner_client, user):
    from bfs_tracker.alerts.function_check import ITEMS
    from bfs_tracker.alerts.models import FunctionCheck

    for i in range(20):
        log(user, TODAY - dt.timedelta(days=20 - i), weakness=(i == 3), weakness_location="left hand" if i == 3 else "")
    answers = dict.fromkeys((name for name, _ in ITEMS), 0)
    FunctionCheck.objects.create(user=user, taken_on=TODAY - dt.timedelta(days=14), **answers)
    page = owner_client.get(reverse("dashboard"), {"range": "30"}).content.decode()
    facts = page.split("What has not changed")[1]
    red_flag_day = (TODAY - dt.timedelta(days=17)).isoformat()
    assert f"No red-flag sign reported since {red_flag_day}" in facts
    assert "One function check so far" in facts
    assert "20 of 20 days logged" in facts
    # A new check changes the line at once, although no day was saved (the board itself stays cached).
    FunctionCheck.objects.create(user=user, taken_on=TODAY - dt.timedelta(days=3), **answers)
    page = owner_client.get(reverse("dashboard"), {"range": "30"}).content.decode()
    since = (TODAY - dt.timedelta(days=14)).isoformat()
    assert f"Function check answers unchanged since {since} (2 checks" in page
    # The lines are cached per data version (dashboard_cache.stability_facts): a red-flag day saved, a check
    # removed and a day deleted each show at once.
    log(user, TODAY, falls=True)
    facts = owner_client.get(reverse("dashboard"), {"range": "30"}).content.decode().split("What has not changed")[1]
    assert "No red-flag sign reported since" not in facts
    assert "21 of 21 days logged" in facts
    FunctionCheck.objects.filter(user=user).order_by("-taken_on").first().delete()
    DailyLog.objects.get(user=user, date=TODAY).delete()
    facts = owner_client.get(reverse("dashboard"), {"range": "30"}).content.decode().split("What has not changed")[1]
    assert f"No red-flag sign reported since {red_flag_day}" in facts
    assert "One function check so far" in facts
    assert "20 of 20 days logged" in facts


def test_three_days_in_the_dashboard_says_how_many_more_days_a_baseline_needs(owner_client, user):
    # A new user's first days: quiet, then one busy day. Neither "usual", "remission" nor "flare".
    for i, burden in enumerate((0, 0, 9)):
        log(user, TODAY - dt.timedelta(days=2 - i), burden_calf=burden)
    page = owner_client.get(reverse("dashboard")).content.decode()
    assert "Not enough days yet: 4 more logged days for a baseline" in page
    for word in ("usual level", "In remission", "In a flare"):
        assert word not in page
    data = owner_client.get(reverse("dashboard_data")).json()
    assert data["state"] == "not_enough_data"
    assert data["state_detail"]["days_needed"] == 4
    assert data["state_detail"]["baseline"] is None
    assert data["periods"] == []


def test_ten_quiet_first_days_are_a_starting_level_not_a_remission(owner_client, user):
    for i in range(10):
        log(user, TODAY - dt.timedelta(days=9 - i), burden_calf=0)
    data = owner_client.get(reverse("dashboard_data")).json()
    assert data["state"] == "baseline"
    assert data["state_detail"]["baseline"] == 0
    assert data["periods"] == []
    assert data["longest_remission"] is None


def test_the_cached_page_is_the_persons_own_and_follows_its_address_and_data(
    owner_client, stranger_client, user, other_user
):
    """The page's content is cached per person, data version and address (dashboard_cache.page_content)."""
    history_with_a_flare(user)
    log(other_user, TODAY - dt.timedelta(days=2), burden_calf=9)

    def page(client, **params):
        response = client.get(reverse("dashboard"), params)
        return response.status_code, response.content.decode()

    custom = {"range": "custom", "start": "2026-06-01", "end": "2026-06-20"}
    status, first = page(owner_client, **custom)
    assert status == 200
    assert 'value="2026-06-01"' in first
    assert 'value="2026-06-20"' in first
    again = page(owner_client, **custom)[1]
    assert 'value="2026-06-01"' in again
    other_dates = page(owner_client, **custom | {"start": "2026-06-05"})[1]
    assert 'value="2026-06-05"' in other_dates
    assert 'value="2026-06-01"' not in other_dates
    theirs = page(stranger_client, **custom)[1]
    assert "1 of 1 days logged" in theirs.split("What has not changed")[1]
    assert "of 1 days logged" not in page(owner_client, **custom)[1].split("What has not changed")[1]
    assert page(owner_client, range="custom", start="2026-06-20", end="2026-06-01")[0] == 400
    before = page(owner_client, range="30")[1]
    log(user, TODAY, burden_calf=7)
    after = page(owner_client, range="30")[1]
    facts_before = before.split("What has not changed")[1]
    facts_after = after.split("What has not changed")[1]
    assert "73 of 80 days logged from 2026-04-11 to 2026-06-29" in facts_before
    assert "74 of 81 days logged from 2026-04-11 to 2026-06-30" in facts_after


def test_the_waiting_insights_line_promises_only_what_the_nearest_comparison_needs(owner_client, user):
    """30 days with stress, none with anxiety, sleep or illness recorded: the page said "8 more comparisons start
    after 5 more days of logging", though illness needs 5 days *with* illness and the other six 14 days with their
    factor recorded."""
    for back in range(1, 31):
        log(user, TODAY - dt.timedelta(days=back), burden_calf=2 + back % 5, stress=back % 7)
    content = owner_client.get(reverse("dashboard"), {"range": "90"}).content.decode()
    assert "start after" not in content
    assert (
        '<p class="insights-start">8 more comparisons wait for enough days: the nearest needs 5 more days '
        "(below: which days each one needs).</p>"
    ) in content
    assert "Illness or infection and twitching the same day: needs 5 more days (0 days with it" in content
    assert "Anxiety and twitching the same day: needs 14 more days with both logged (0 so far)." in content


def test_a_new_persons_insights_line_says_what_the_nearest_comparison_needs(owner_client, user):
    log(user, TODAY, stress=3)
    content = owner_client.get(reverse("dashboard"), {"range": "30"}).content.decode()
    assert (
        '<p class="insights-start">Insights start when a comparison has enough days: the nearest needs 13 more days '
        "(below: which days each one needs).</p>"
    ) in content


def test_a_remedy_started_during_a_flare_is_marked_on_the_dashboard_and_the_report(owner_client, user):
    """Magnesium started at the flare's height (17 June, flare 13-22 June): both pages listed it with its date and
    nothing else, so the fall after the flare read as its doing (clinical rule 10). A remedy started outside a
    flare gets no such line."""
    from bfs_tracker.logbook.remedies import remedy_create

    history_with_a_flare(user)
    remedy_create(user=user, name="Magnesium", dose="300", unit="mg", frequency="daily", start=dt.date(2026, 6, 17))
    remedy_create(user=user, name="Warm bath", dose="1", unit="", frequency="daily", start=dt.date(2026, 5, 1))
    expected = (
        "Magnesium: started on 2026-06-17, during a flare (2026-06-13 to 2026-06-22). Flares fade by themselves, so "
        "twitching would be expected to ease after it whether or not it helps; an experiment can compare it with a "
        "baseline."
    )
    data = owner_client.get(reverse("dashboard_data"), {"range": "90"}).json()
    assert [(p["kind"], p["start"], p["end"]) for p in data["periods"]] == [("flare", "2026-06-13", "2026-06-22")]
    assert data["remedies_during_flares"] == [expected]
    assert expected in owner_client.get(reverse("dashboard"), {"range": "30"}).content.decode()
    report = owner_client.get(reverse("report"), {"start": "2026-05-01", "end": "2026-06-30"})
    assert [d.text for d in report.context["report"].remedies_during_flares] == [expected]
    assert expected in report.content.decode()
    assert "Warm bath: started" not in report.content.decode()
    pdf = owner_client.get(reverse("report_pdf"), {"start": "2026-05-01", "end": "2026-06-30"}).content
    text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages).split())
    assert expected in text


def test_before_a_baseline_the_dashboard_gives_no_count_of_flares(owner_client, user):
    """Three logged days: nothing is detected before seven, so "0 flares, no remission" stated as a count what is
    not known (clinical rule 7)."""
    for back in range(3):
        log(user, TODAY - dt.timedelta(days=back))
    content = owner_client.get(reverse("dashboard"), {"range": "30"}).content.decode()
    assert "0 flares" not in content
    assert "no remission." not in content
    assert "3 of 7 days in the range logged, flares and remissions are looked for after 4 more logged days." in content
    assert content.count("<p>None yet: flares and remissions are looked for after 4 more logged days.</p>") == 2
    assert "No flare in this range." not in content


def test_with_a_baseline_the_dashboard_counts_flares_and_remissions(owner_client, user):
    for back in range(7):
        log(user, TODAY - dt.timedelta(days=back))
    content = owner_client.get(reverse("dashboard"), {"range": "30"}).content.decode()
    assert "7 of 7 days in the range logged, 0 flares, no remission." in content
    assert "<p>No flare in this range.</p>" in content
