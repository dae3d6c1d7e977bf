"""Query counts of the pages `make bench` measures (docs/performance.md), pinned, and the same for a short history
and a long one: no page may read more often as a person's history grows. No wall-clock time is asserted here."""

import datetime as dt

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bfs_tracker.accounts.services import user_create
from bfs_tracker.alerts.models import Alert
from bfs_tracker.logbook.models import DailyLog, ReliefMethod
from bfs_tracker.reports.services import share_link_create

SHORT, LONG = 400, 1500  # days of demo history: more than the year the report shows, and ten years

# page: (queries with empty caches, queries the second time). The first two are always the session and the user.
# The dashboard and report pages read the data version (logbook.data_version), then, with empty caches only, the
# counts and latest saves it stands for (trends.selectors.read_log_span).
PAGES = {
    # The day form: the day, its entries and things tried, the things to try, own factors and the day's answers in
    # one read (logbook.day_read); the unread-alerts count and whether the day has alerts in one more
    # (alerts.selectors.day_page_alerts).
    "day_form": (4, 4),
    "calendar": (7, 4),  # the month's content and flares once per data version (trends/dashboard_cache)
    "alerts": (4, 4),
    # The demo person has a remedy and a finished experiment: a built dashboard or report reads the remedies, the
    # experiments and the days their phases span (three queries, however many of each); a cached one reads none.
    "dashboard_90": (16, 4),  # a cached page: its "What has not changed" too (dashboard_cache.stability_facts)
    "dashboard_all": (16, 4),
    "dashboard_data": (13, 3),
    # A cached report costs four queries for its key (reports/cache.py) and the alerts banner's count; the timeline
    # adds its events, the last visit and the tests before it to a built one, and its events to the dashboard.
    # A built report also reads the own factors' answers in its range for the insights (one query).
    "report_html": (25, 7),
    "report_pdf": (24, 6),
    "shared_report": (24, 6),
}
# Session, user, the person's own factors (the form's fields), then in one transaction: the day locked and read, its
# update, its twitches and things tried replaced (DELETE, INSERT, DELETE); the session is not written
# (docs/performance.md). The day's alerts are not read: it reports no red-flag sign, and did not before.
SAVE_QUERIES = 8


def _clear_caches() -> None:
    for alias in ("dashboard", "reports"):
        caches[alias].clear()


@pytest.fixture(autouse=True)
def _empty_caches(db):
    _clear_caches()


def _person(days: int):
    user = user_create(username=f"p{days}", email=f"p{days}@example.org", password="-", time_zone="UTC")
    call_command("seed_demo", user=user.username, days=days, fast=True, verbosity=0)
    return user


def _urls(user) -> dict[str, str]:
    today = user.today()
    year = f"start={today - dt.timedelta(days=364)}&end={today}"
    _, token = share_link_create(
        user=user, start=today - dt.timedelta(days=364), end=today, expires_at=timezone.now() + dt.timedelta(days=1)
    )
    return {
        "day_form": reverse("day", kwargs={"day": today - dt.timedelta(days=3)}),
        "calendar": reverse("calendar"),
        "alerts": reverse("alerts"),
        "dashboard_90": reverse("dashboard") + "?range=90",
        "dashboard_all": reverse("dashboard") + "?range=all",
        "dashboard_data": reverse("dashboard_data") + "?range=all",
        "report_html": reverse("report") + "?" + year,
        "report_pdf": reverse("report_pdf") + "?" + year,
        "shared_report": reverse("shared_report", args=[token]),
    }


def _count(client, method: str, url: str, data=None) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data) if method == "POST" else client.get(url)
    return response.status_code, len(queries)


@pytest.mark.parametrize("days", [SHORT, LONG])
def test_every_measured_page_reads_the_same_number_of_times_whatever_the_history(client, days):
    user = _person(days)
    assert DailyLog.objects.filter(user=user).count() > days * 0.8
    urls = _urls(user)
    client.force_login(user)
    client.get(reverse("ping"))  # the session's first request stamps it (a write), as after any sign-in
    counts = {}
    for name, url in urls.items():
        page_client = client if name != "shared_report" else client.__class__()
        _clear_caches()
        miss = _count(page_client, "GET", url)
        hit = _count(page_client, "GET", url)
        assert miss[0] == hit[0] == 200, name
        counts[name] = (miss[1], hit[1])
    assert counts == PAGES


def _save_form(days_ago: int) -> dict:
    return {
        "twitches-TOTAL_FORMS": "2",
        "twitches-INITIAL_FORMS": "0",
        "twitches-MIN_NUM_FORMS": "0",
        "twitches-MAX_NUM_FORMS": "30",
        "twitches-0-muscle_group": "calf",
        "twitches-0-side": "left",
        "twitches-0-intensity": "5",
        "twitches-1-muscle_group": "eyelid",
        "twitches-1-side": "both",
        "twitches-1-intensity": "3",
        "stress": "4",
        "notes": f"saved {days_ago} days ago",
    }


@pytest.mark.parametrize("days", [SHORT, LONG])
def test_saving_a_day_with_two_muscle_groups_reads_and_writes_the_same_whatever_the_history(client, days):
    user = _person(days)
    client.force_login(user)
    client.get(reverse("ping"))
    day = user.today() - dt.timedelta(days=3)
    # Saved once first, so what the day held before (reliefs, a red flag) is the same whatever the history.
    client.post(reverse("day", kwargs={"day": day}), _save_form(3))
    status, queries = _count(client, "POST", reverse("day", kwargs={"day": day}), _save_form(3))
    assert status == 302
    assert queries == SAVE_QUERIES
    log = DailyLog.objects.get(user=user, date=day)
    assert sorted(log.twitches.values_list("muscle_group", flat=True)) == ["calf", "eyelid"]


def test_the_cached_report_follows_every_change_a_person_makes(client):
    """The report is cached per data version (reports/cache.py): a saved day, a renamed thing tried and an alert
    marked as read each show at once."""
    user = _person(SHORT)
    relief = ReliefMethod.objects.create(user=user, name="Magnesium at night")
    client.force_login(user)
    url = _urls(user)["report_html"]
    assert "Magnesium at night" not in client.get(url).content.decode()

    day = user.today() - dt.timedelta(days=3)
    form = _save_form(3) | {"reliefs": [relief.pk], "falls": "on"}
    assert client.post(reverse("day", kwargs={"day": day}), form).status_code == 302
    page = client.get(url).content.decode()
    assert "saved 3 days ago" in page
    assert "Magnesium at night" in page
    alert = Alert.objects.get(user=user, date=day, rule_id="falls")
    unread = page.count("NOT YET")
    assert unread >= 1

    ReliefMethod.objects.filter(pk=relief.pk).update(name="Magnesium in the morning")  # no save(), no timestamp
    assert "Magnesium in the morning" in client.get(url).content.decode()

    assert client.post(reverse("alert_acknowledge", args=[alert.pk]), {"confirm": "on"}).status_code == 302
    assert client.get(url).content.decode().count("NOT YET") == unread - 1
