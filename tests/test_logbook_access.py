"""Who may see and change which day: sign-in, strangers, deletion and the user's own "today"."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from bfs_tracker.accounts.services import user_create
from bfs_tracker.days.services import day_save
from bfs_tracker.logbook.models import DailyLog, TwitchEntry
from bfs_tracker.logbook.services import Twitch
from tests.logbook_helpers import day_data

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 25)  # in London (alice) and New York (bob) alike at NOW
DAY = dt.date(2026, 11, 12)

URLS = [
    reverse("today"),
    reverse("day", kwargs={"day": DAY}),
    reverse("day_delete", kwargs={"day": DAY}),
    reverse("calendar"),
    reverse("calendar_month", kwargs={"year": 2026, "month": 11}),
]


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def owners_day(user):
    log, _ = day_save(
        user=user,
        date=DAY,
        fields={"stress": 9, "notes": "Alice's private note", "weakness": True, "weakness_location": "left hand"},
        twitches=[Twitch("calf", "left", 7)],
    )
    return log


@pytest.mark.parametrize("url", URLS)
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("url", [reverse("day", kwargs={"day": DAY}), reverse("day_delete", kwargs={"day": DAY})])
def test_anonymous_posts_save_and_delete_nothing(client, owners_day, url):
    response = client.post(url, day_data([("thigh", "right", "2")]))
    assert response.status_code == 302
    owners_day.refresh_from_db()
    assert owners_day.stress == 9
    assert DailyLog.objects.count() == 1


def test_a_stranger_sees_their_own_empty_form_for_the_same_date(stranger_client, owners_day):
    response = stranger_client.get(reverse("day", kwargs={"day": DAY}))
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["log"] is None
    assert "Alice's private note" not in html
    assert "left hand" not in html
    assert "<h1>Log 12 Nov 2026</h1>" in html


def test_a_stranger_saving_the_same_date_writes_to_their_own_account(stranger_client, other_user, user, owners_day):
    response = stranger_client.post(reverse("day", kwargs={"day": DAY}), day_data([("thigh", "right", "2")]))
    assert response.status_code == 302
    owners_day.refresh_from_db()
    assert owners_day.stress == 9
    assert [(t.muscle_group, t.intensity) for t in owners_day.twitches.all()] == [("calf", 7)]
    strangers = DailyLog.objects.get(user=other_user, date=DAY)
    assert [t.muscle_group for t in strangers.twitches.all()] == ["thigh"]


def test_a_stranger_cannot_delete_or_see_the_owners_day(stranger_client, owners_day):
    url = reverse("day_delete", kwargs={"day": DAY})
    assert stranger_client.get(url).status_code == 404
    assert stranger_client.post(url).status_code == 404
    assert DailyLog.objects.filter(pk=owners_day.pk).exists()


def test_a_stranger_calendar_does_not_show_the_owners_days(stranger_client, owners_day):
    html = stranger_client.get(reverse("calendar")).content.decode()
    assert "12 November: not logged" in html
    assert "burden 7" not in html


def test_a_stranger_cannot_tick_the_owners_reliefs(stranger_client, other_user, user):
    alices = user.relief_methods.first()
    response = stranger_client.post(reverse("day", kwargs={"day": DAY}), day_data(reliefs=[str(alices.pk)]))
    assert "Select a valid choice" in response.context["form"].errors["reliefs"][0]
    assert not DailyLog.objects.filter(user=other_user).exists()


def test_delete_asks_first_and_then_removes_the_day_and_its_twitches(owner_client, owners_day):
    url = reverse("day_delete", kwargs={"day": DAY})
    page = owner_client.get(url).content.decode()
    assert "Delete your log for 12 Nov 2026?" in page
    assert "This removes its twitch entries too" in page
    assert DailyLog.objects.filter(pk=owners_day.pk).exists()

    response = owner_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("calendar_month", kwargs={"year": 2026, "month": 11})
    assert not DailyLog.objects.exists()
    assert not TwitchEntry.objects.exists()
    assert "Deleted your log for 12 Nov 2026." in owner_client.get(response["Location"]).content.decode()


def test_deleting_a_day_without_a_log_is_404(owner_client):
    assert owner_client.get(reverse("day_delete", kwargs={"day": DAY})).status_code == 404
    assert owner_client.post(reverse("day_delete", kwargs={"day": DAY})).status_code == 404


def test_the_day_page_offers_delete_only_for_a_logged_day(owner_client, owners_day):
    delete_url = reverse("day_delete", kwargs={"day": DAY})
    assert delete_url in owner_client.get(reverse("day", kwargs={"day": DAY})).content.decode()
    assert "/delete/" not in owner_client.get(reverse("today")).content.decode()


class TestTimeZoneBoundary:
    """At 11:00 UTC on 25 Nov 2026 it is already 26 Nov in Tonga (UTC+13) and still 25 Nov in Honolulu (UTC−10)."""

    INSTANT = dt.datetime(2026, 11, 25, 11, 0, tzinfo=dt.UTC)

    @pytest.fixture
    def tonga(self, db):
        client = Client()
        client.force_login(
            user_create(username="tonga", email="t@example.org", password="x" * 20, time_zone="Pacific/Tongatapu")
        )
        return client

    @pytest.fixture
    def honolulu(self, db):
        client = Client()
        client.force_login(
            user_create(username="hono", email="h@example.org", password="x" * 20, time_zone="Pacific/Honolulu")
        )
        return client

    def test_each_user_gets_their_own_today(self, tonga, honolulu):
        with time_machine.travel(self.INSTANT, tick=False):
            assert tonga.get(reverse("today")).context["day"] == dt.date(2026, 11, 26)
            assert honolulu.get(reverse("today")).context["day"] == dt.date(2026, 11, 25)

    def test_each_can_log_their_own_today_at_the_same_instant(self, tonga, honolulu):
        with time_machine.travel(self.INSTANT, tick=False):
            assert tonga.post("/days/2026-11-26/", day_data([("calf", "left", "4")])).status_code == 302
            assert honolulu.post("/days/2026-11-25/", day_data([("eyelid", "both", "2")])).status_code == 302
        assert DailyLog.objects.get(user__username="tonga").date == dt.date(2026, 11, 26)
        assert DailyLog.objects.get(user__username="hono").date == dt.date(2026, 11, 25)

    def test_tongas_today_is_still_the_future_in_honolulu(self, tonga, honolulu):
        with time_machine.travel(self.INSTANT, tick=False):
            assert honolulu.get("/days/2026-11-26/").status_code == 404
            assert honolulu.post("/days/2026-11-26/", day_data()).status_code == 404
            assert tonga.get("/days/2026-11-25/").context["title"] == "Log 25 Nov 2026"  # yesterday in Tonga
        assert not DailyLog.objects.exists()
