"""The month calendar and the burden bands that shade it."""

import datetime as dt
import re
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.cache import caches
from django.urls import reverse

from bfs_tracker.days.services import day_save
from bfs_tracker.logbook import factors
from bfs_tracker.logbook.burden import MAX_BURDEN
from bfs_tracker.logbook.calendar import BURDEN_BANDS, band_label, burden_band, month_weeks, shift_month
from bfs_tracker.logbook.factors import Role
from bfs_tracker.logbook.selectors import burdens_between, calendar_month, red_flag_days
from bfs_tracker.logbook.services import Twitch

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 25)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.parametrize(
    ("burden", "band"),
    [(0, 0), (1, 1), (10, 1), (11, 2), (25, 2), (26, 3), (50, 3), (51, 4), (100, 4), (101, 5), (MAX_BURDEN, 5)],
)
def test_burden_bands_have_the_documented_edges(burden, band):
    assert burden_band(burden) == band


def test_the_bands_cover_every_burden_without_gaps():
    for burden in range(MAX_BURDEN + 1):
        low, high = BURDEN_BANDS[burden_band(burden)]
        assert low <= burden
        assert high is None or burden <= high
    assert [band_label(i) for i in range(6)] == ["0", "1–10", "11–25", "26–50", "51–100", "over 100"]


def test_month_weeks_start_on_monday_and_pad_other_months():
    weeks = month_weeks(2026, 11, {}, TODAY)
    assert weeks[0][:6] == [None] * 6  # 1 November 2026 is a Sunday
    assert weeks[0][6].date == dt.date(2026, 11, 1)
    assert weeks[-1][0].date == dt.date(2026, 11, 30)
    assert sum(1 for week in weeks for cell in week if cell) == 30


def test_shift_month_crosses_years():
    assert shift_month(2026, 1, -1) == (2025, 12)
    assert shift_month(2026, 12, 1) == (2027, 1)


def test_the_month_is_read_in_one_query(user, django_assert_num_queries):
    for offset in range(10):
        day_save(user=user, date=TODAY - dt.timedelta(days=offset), fields={}, twitches=[])
    with django_assert_num_queries(1):
        burdens = burdens_between(user=user, first=dt.date(2026, 11, 1), last=dt.date(2026, 11, 30))
    assert len(burdens) == 10


def test_the_month_and_its_red_flag_days_agree_with_the_other_selectors(user, other_user, django_assert_num_queries):
    signs = factors.names(Role.RED_FLAG)
    for offset in range(12):
        fields = {sign: False for sign in signs}
        if offset % 4 == 1:
            fields[signs[offset % len(signs)]] = True
        day_save(
            user=user,
            date=TODAY - dt.timedelta(days=offset),
            fields=fields,
            twitches=[Twitch("calf", "left", offset % 10 + 1)],
        )
    day_save(user=other_user, date=TODAY, fields={"falls": True}, twitches=[Twitch("calf", "left", 9)])
    first, last = dt.date(2026, 11, 1), dt.date(2026, 11, 30)
    with django_assert_num_queries(1):
        burdens, red_flags = calendar_month(user=user, first=first, last=last)
    assert burdens == burdens_between(user=user, first=first, last=last)
    assert red_flags == {row["date"] for row in red_flag_days(user=user, start=first, end=last)}
    assert len(red_flags) == 3
    assert all(isinstance(day, dt.date) for day in burdens)
    assert calendar_month(user=other_user, first=first, last=last) == ({TODAY: 9}, {TODAY})


def _page(client, url: str = "/calendar/") -> str:
    """The page as sent, its CSRF token (masked anew for every page) left out."""
    html = client.get(url).content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value=""', html)


def test_the_calendar_page_query_count_does_not_grow_with_logs(owner_client, user, django_assert_num_queries):
    owner_client.get(reverse("calendar"))  # warm the session
    caches["dashboard"].clear()
    # session, user, unread-alerts count (banner), the data version (flare_version), the month with its red-flag
    # days, and for the flares, detected once per data version (trends/dashboard_cache.py): flare thresholds,
    # burden history
    with django_assert_num_queries(7) as empty:
        first = _page(owner_client)
    with django_assert_num_queries(4):  # the month's content from the cache (trends' calendar_cached)
        assert _page(owner_client) == first
    for offset in range(20):
        day_save(user=user, date=TODAY - dt.timedelta(days=offset), fields={}, twitches=[])
    with django_assert_num_queries(len(empty.captured_queries)):  # a new data version: read and detected again
        owner_client.get(reverse("calendar"))


def test_a_cached_month_follows_saves_deletions_flare_settings_and_today(owner_client, user, other_user):
    """The month's content is cached per person, month, local today and data version: a save, a deletion or new
    flare thresholds show at once, another person's month is their own, and the cached page is the page."""
    from bfs_tracker.days.services import day_delete
    from bfs_tracker.logbook.models import DailyLog
    from bfs_tracker.trends.models import FlareSettings

    caches["dashboard"].clear()
    url = reverse("calendar")
    before = _page(owner_client, url)
    assert "0 days logged this month" in before
    assert _page(owner_client, url) == before
    day_save(user=user, date=dt.date(2026, 11, 12), fields={"falls": True}, twitches=[Twitch("calf", "both", 10)])
    saved = owner_client.get(url).content.decode()
    assert "1 day logged this month" in saved
    assert "12 November: burden 20" in saved
    assert 'class="cal-flag"' in saved
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):  # a later save (the clock is frozen)
        day_save(user=user, date=dt.date(2026, 11, 12), fields={"falls": False}, twitches=[Twitch("calf", "left", 3)])
    edited = owner_client.get(url).content.decode()
    assert "12 November: burden 3" in edited
    assert 'class="cal-flag"' not in edited
    FlareSettings.objects.update_or_create(user=user, defaults={})
    assert "12 November: burden 3" in owner_client.get(url).content.decode()
    day_save(user=other_user, date=dt.date(2026, 11, 13), fields={}, twitches=[Twitch("calf", "left", 9)])
    assert "13 November: burden" not in owner_client.get(url).content.decode()
    day_delete(log=DailyLog.objects.get(user=user, date=dt.date(2026, 11, 12)))
    assert "0 days logged this month" in owner_client.get(url).content.decode()
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        tomorrow = _page(owner_client, url)
    assert tomorrow != before  # today's mark moved


def test_the_calendar_shades_and_labels_each_logged_day(owner_client, user):
    day_save(user=user, date=dt.date(2026, 11, 12), fields={}, twitches=[Twitch("calf", "both", 10)] * 1)
    day_save(
        user=user,
        date=dt.date(2026, 11, 13),
        fields={},
        twitches=[Twitch("calf", "both", 10), Twitch("thigh", "both", 7)],
    )
    day_save(user=user, date=dt.date(2026, 11, 14), fields={}, twitches=[])
    response = owner_client.get(reverse("calendar"))
    html = response.content.decode()
    assert "<h1>November 2026</h1>" in html
    assert "12 November: burden 20" in html
    assert "13 November: burden 34" in html
    assert "14 November: burden 0" in html
    assert "15 November: not logged" in html
    assert re.search(r'class="cal-day burden-2"[^>]*>\s*<a href="/days/2026-11-12/"', html)
    assert re.search(r'class="cal-day burden-3"[^>]*>\s*<a href="/days/2026-11-13/"', html)
    assert re.search(r'class="cal-day burden-0"[^>]*>\s*<a href="/days/2026-11-14/"', html)
    assert "3 days logged this month" in html
    for label in ["Not logged", "Burden 0", "Burden 1–10", "Burden over 100"]:
        assert label in html


def test_the_calendar_marks_today_and_does_not_link_the_future(owner_client):
    html = owner_client.get(reverse("calendar")).content.decode()
    assert 'href="/days/2026-11-25/" data-date="2026-11-25" aria-current="date"' in html
    assert "25 November: not logged (today)" in html
    assert "/days/2026-11-26/" not in html
    assert "26 November: not yet" in html
    assert 'href="/days/2026-11-01/"' in html  # past unlogged days are links, so they can be logged


def test_weekday_headers_start_on_monday(owner_client):
    html = owner_client.get(reverse("calendar")).content.decode()
    headers = re.findall(r'<abbr title="(\w+)">', html)
    assert headers == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def test_month_navigation_goes_back_but_not_past_this_month(owner_client):
    html = owner_client.get(reverse("calendar")).content.decode()
    assert reverse("calendar_month", kwargs={"year": 2026, "month": 10}) in html
    assert "/calendar/2026/12/" not in html
    earlier = owner_client.get(reverse("calendar_month", kwargs={"year": 2025, "month": 12})).content.decode()
    assert "<h1>December 2025</h1>" in earlier
    assert "/calendar/2026/1/" in earlier
    assert "/calendar/2025/11/" in earlier


def test_another_month_shows_only_that_months_logs(owner_client, user):
    day_save(user=user, date=dt.date(2026, 10, 31), fields={}, twitches=[Twitch("calf", "left", 3)])
    october = owner_client.get(reverse("calendar_month", kwargs={"year": 2026, "month": 10})).content.decode()
    assert "31 October: burden 3" in october
    assert "31 October" not in owner_client.get(reverse("calendar")).content.decode()


@pytest.mark.parametrize(("year", "month"), [(2026, 13), (2026, 0), (10000, 1), (0, 5)])
def test_an_invalid_month_is_404(owner_client, year, month):
    assert owner_client.get(f"/calendar/{year}/{month}/").status_code == 404


def test_the_calendar_follows_the_users_time_zone(client, user):
    user.time_zone = "Pacific/Tongatapu"
    user.save()
    client.force_login(user)
    with time_machine.travel(dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC), tick=False):
        html = client.get(reverse("calendar")).content.decode()
    assert "<h1>December 2026</h1>" in html
    assert "1 December: not logged (today)" in html


def test_red_flag_and_flare_days_are_marked_in_words_too(owner_client, user):
    for offset in range(40):  # a quiet baseline, then five strong days: a flare
        day = TODAY - dt.timedelta(days=40 - offset)
        strong = offset >= 35
        day_save(
            user=user, date=day, fields={}, twitches=[Twitch("calf", "both" if strong else "left", 9 if strong else 2)]
        )
    day_save(user=user, date=TODAY, fields={"weakness": True, "weakness_location": "left hand"}, twitches=[])
    page = owner_client.get(reverse("calendar")).content.decode()
    assert f"{TODAY.day} {TODAY:%B}: burden 0, a sign to tell a doctor about" in page
    strong_day = TODAY - dt.timedelta(days=2)
    if strong_day.month == TODAY.month:
        assert f"{strong_day.day} {strong_day:%B}: burden 18, in a flare" in page
    assert 'class="cal-flag"' in page


def test_the_flare_marks_follow_the_days_saved_since_they_were_cached(owner_client, user):
    """The flares are cached per data version: saving days changes the version, so the marks never lag."""
    for offset in range(40):
        day = TODAY - dt.timedelta(days=40 - offset)
        strong = offset >= 35
        day_save(
            user=user, date=day, fields={}, twitches=[Twitch("calf", "both" if strong else "left", 9 if strong else 2)]
        )
    assert ", in a flare" in owner_client.get(reverse("calendar")).content.decode()
    # The strong days made quiet again, a minute later (the key holds the latest save's time; the clock is frozen).
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        for offset in range(35, 40):
            day_save(
                user=user, date=TODAY - dt.timedelta(days=40 - offset), fields={}, twitches=[Twitch("calf", "left", 2)]
            )
        assert ", in a flare" not in owner_client.get(reverse("calendar")).content.decode()


def _luminance(hex_colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(hex_colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_neighbouring_burden_shades_can_be_told_apart_in_both_themes():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "app.css").read_text()
    light, dark = (
        dict(re.findall(r"--burden-(\d): (#[0-9a-f]{6})", part)) for part in css.split("prefers-color-scheme: dark")[:2]
    )
    for palette, least in ((light, 1.5), (dark, 1.35)):
        shades = [_luminance(palette[str(i)]) for i in range(6)]
        for a, b in zip(shades, shades[1:], strict=False):
            high, low = max(a, b), min(a, b)
            assert (high + 0.05) / (low + 0.05) >= least, palette
