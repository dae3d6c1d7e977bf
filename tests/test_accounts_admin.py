"""A maintainer can read health records in the admin but not add, change or delete them."""

import datetime as dt

import pytest
from django.urls import reverse

from bfs_tracker.accounts.models import User
from bfs_tracker.accounts.services import user_create
from bfs_tracker.days.services import day_save
from bfs_tracker.logbook.models import DailyLog, ReliefMethod
from bfs_tracker.logbook.services import Twitch

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, db):
    admin = user_create(username="maintainer", email="maint@example.org", password="x", is_staff=True)
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    return client


@pytest.fixture
def log(user) -> DailyLog:
    magnesium = ReliefMethod.objects.get(user=user, name="Magnesium")
    log, _ = day_save(
        user=user,
        date=dt.date(2026, 2, 3),
        fields={"stress": 7, "notes": "Calf twitching after a long run"},
        twitches=[Twitch("calf", "left", 6), Twitch("eyelid", "right", 3)],
        reliefs=[magnesium],
    )
    return log


def test_the_changelist_shows_date_user_and_burden(admin_client, log):
    response = admin_client.get(reverse("admin:logbook_dailylog_changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "alice" in html
    assert str(log.burden) in html
    assert reverse("admin:logbook_dailylog_add") not in html


def test_the_changelist_searches_by_username(admin_client, log, other_user):
    day_save(user=other_user, date=dt.date(2026, 2, 3), fields={}, twitches=[])
    response = admin_client.get(reverse("admin:logbook_dailylog_changelist"), {"q": "bob"})
    assert [row.user.username for row in response.context["cl"].result_list] == ["bob"]


def test_the_detail_page_is_read_only_with_its_twitches(admin_client, log):
    response = admin_client.get(reverse("admin:logbook_dailylog_change", args=[log.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Calf twitching after a long run" in html
    assert "Calf" in html
    assert "Eyelid" in html
    assert 'name="notes"' not in html  # shown as text, not an input
    assert reverse("admin:logbook_dailylog_delete", args=[log.pk]) not in html
    assert response.context["has_change_permission"] is False


def test_add_and_delete_are_refused(admin_client, log):
    assert admin_client.get(reverse("admin:logbook_dailylog_add")).status_code == 403
    assert (
        admin_client.post(reverse("admin:logbook_dailylog_delete", args=[log.pk]), {"post": "yes"}).status_code == 403
    )
    assert DailyLog.objects.filter(pk=log.pk).exists()


def test_posting_a_change_is_refused(admin_client, log):
    response = admin_client.post(
        reverse("admin:logbook_dailylog_change", args=[log.pk]), {"notes": "edited by a maintainer", "stress": 0}
    )
    assert response.status_code == 403
    log.refresh_from_db()
    assert log.notes == "Calf twitching after a long run"
    assert log.stress == 7


def test_bulk_delete_is_not_offered(admin_client, log):
    changelist = admin_client.get(reverse("admin:logbook_dailylog_changelist"))
    assert "delete_selected" not in changelist.content.decode()
    admin_client.post(
        reverse("admin:logbook_dailylog_changelist"),
        {"action": "delete_selected", "_selected_action": [log.pk], "post": "yes"},
    )
    assert DailyLog.objects.filter(pk=log.pk).exists()


def test_reliefs_are_read_only_too(admin_client, user):
    magnesium = ReliefMethod.objects.get(user=user, name="Magnesium")
    assert admin_client.get(reverse("admin:logbook_reliefmethod_changelist")).status_code == 200
    response = admin_client.post(reverse("admin:logbook_reliefmethod_change", args=[magnesium.pk]), {"name": "X"})
    assert response.status_code == 403
    magnesium.refresh_from_db()
    assert magnesium.name == "Magnesium"


def test_the_user_admin_shows_time_zone_and_birth_date(admin_client, user):
    url = reverse("admin:accounts_user_change", args=[user.pk])
    html = admin_client.get(url).content.decode()
    assert 'name="time_zone"' in html
    assert 'name="date_of_birth"' in html


def test_the_user_admin_adds_an_account(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "dora",
            "email": "dora@example.org",
            "time_zone": "Europe/Paris",
            "usable_password": "true",
            "password1": "long enough words 77",
            "password2": "long enough words 77",
        },
    )
    assert response.status_code == 302
    dora = User.objects.get(username="dora")
    assert dora.time_zone == "Europe/Paris"
    assert dora.relief_methods.filter(name="Magnesium").exists()  # the same starter list as a sign-up


def test_non_staff_users_cannot_open_the_admin(owner_client, log):
    response = owner_client.get(reverse("admin:logbook_dailylog_change", args=[log.pk]))
    assert response.status_code == 302
    assert reverse("admin:login") in response.url
