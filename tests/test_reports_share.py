import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bfs_tracker.reports.models import ShareLink, token_hash
from bfs_tracker.reports.services import share_link_create
from tests.reports_history import START, WEAKNESS_WORDS, build_history

END = START + dt.timedelta(days=59)


@pytest.fixture
def shared(user):
    build_history(user, days=60)
    link, token = share_link_create(
        user=user, start=START, end=END, expires_at=timezone.now() + dt.timedelta(days=14), label="Dr Smith"
    )
    return link, token


def test_a_doctor_without_an_account_sees_the_report_and_nothing_else(shared):
    link, token = shared
    response = Client().get(reverse("shared_report", args=[token]))
    assert response.status_code == 200
    content = response.content.decode()
    assert WEAKNESS_WORDS in content
    assert f"{START.isoformat()} to {END.isoformat()}" in content
    assert reverse("shared_report_pdf", args=[token]) in content
    for private in ("today", "calendar", "settings", "report", "export_json"):
        assert f'href="{reverse(private)}"' not in content
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_the_shared_pdf_downloads(shared):
    _, token = shared
    response = Client().get(reverse("shared_report_pdf", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_opening_a_link_records_when(shared):
    link, token = shared
    assert link.last_opened_at is None
    Client().get(reverse("shared_report", args=[token]))
    link.refresh_from_db()
    assert link.last_opened_at is not None


def test_only_a_hash_of_the_token_is_stored(shared):
    link, token = shared
    assert link.token_hash == token_hash(token)
    assert not ShareLink.objects.filter(token_hash=token).exists()


def test_an_expired_link_is_a_plain_404(shared):
    _, token = shared
    with time_machine.travel(timezone.now() + dt.timedelta(days=15)):
        assert Client().get(reverse("shared_report", args=[token])).status_code == 404
        assert Client().get(reverse("shared_report_pdf", args=[token])).status_code == 404


def test_a_revoked_link_is_a_plain_404(shared, owner_client):
    link, token = shared
    response = owner_client.post(reverse("share_link_revoke", args=[link.pk]))
    assert response.status_code == 302
    assert Client().get(reverse("shared_report", args=[token])).status_code == 404
    assert Client().get(reverse("shared_report_pdf", args=[token])).status_code == 404


def test_an_unknown_token_is_a_plain_404(db):
    assert Client().get(reverse("shared_report", args=["not-a-real-token"])).status_code == 404


def test_a_token_shows_only_its_owners_data(shared, other_user):
    other_user.first_name = "Bob"
    other_user.last_name = "Otherperson"
    other_user.save()
    _, token = shared
    content = Client().get(reverse("shared_report", args=[token])).content.decode()
    assert "Otherperson" not in content
    assert "alice" in content


def test_a_stranger_cannot_revoke_someone_elses_link(shared, stranger_client):
    link, token = shared
    assert stranger_client.post(reverse("share_link_revoke", args=[link.pk])).status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None


def test_creating_a_link_shows_it_once(owner_client, user):
    response = owner_client.post(
        reverse("share_links"), {"start": "2026-06-01", "end": "2026-08-29", "days": "30", "label": "Neuro"}
    )
    assert response.status_code == 200
    url = response.context["created"]["url"]
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert ShareLink.objects.get(user=user).token_hash == token_hash(token)
    assert Client().get(url).status_code == 200
    listing = owner_client.get(reverse("share_links")).content.decode()
    assert "Neuro" in listing
    assert token not in listing


@pytest.mark.parametrize("days", ["0", "91"])
def test_an_expiry_beyond_90_days_is_refused(owner_client, user, days):
    response = owner_client.post(reverse("share_links"), {"start": "2026-06-01", "end": "2026-06-30", "days": days})
    assert response.status_code == 200
    assert not ShareLink.objects.exists()


def test_the_service_refuses_an_expiry_beyond_90_days(user):
    with pytest.raises(ValueError, match="90 days"):
        share_link_create(user=user, start=START, end=END, expires_at=timezone.now() + dt.timedelta(days=91))


NEW_PASSWORD = "fresh unusual words 93"


def test_changing_the_password_ends_every_share_link(shared, owner_client, password):
    link, token = shared
    response = owner_client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert Client().get(reverse("shared_report", args=[token])).status_code == 404
    assert Client().get(reverse("shared_report_pdf", args=[token])).status_code == 404
    page = owner_client.get(reverse("share_links")).content.decode()
    assert "ended when you changed your password" in page


def test_a_password_set_any_other_way_ends_them_too(shared, user):
    _, token = shared
    user.set_password("set in the admin 77")
    user.save()
    assert Client().get(reverse("shared_report", args=[token])).status_code == 404


def test_a_link_made_after_the_change_works(shared, user):
    user.set_password("set in the admin 77")
    user.save()
    _, token = share_link_create(user=user, start=START, end=END, expires_at=timezone.now() + dt.timedelta(days=1))
    assert Client().get(reverse("shared_report", args=[token])).status_code == 200


def test_log_out_everywhere_ends_every_session_and_every_share_link(shared, user, owner_client):
    link, token = shared
    phone = Client()
    phone.force_login(user)
    page = owner_client.get(reverse("logout_everywhere"))
    assert page.status_code == 200
    assert "share link" in page.content.decode()
    response = owner_client.post(reverse("logout_everywhere"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "every device" in response.content.decode()
    assert Client().get(reverse("shared_report", args=[token])).status_code == 404
    assert owner_client.get(reverse("settings")).status_code == 302
    assert phone.get(reverse("settings")).status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None


def test_the_share_page_says_what_ends_a_link(owner_client):
    page = owner_client.get(reverse("share_links")).content.decode()
    assert "change your password" in page
    assert "Log out everywhere" in page


@time_machine.travel(dt.datetime(2026, 9, 28, 12, 0, tzinfo=dt.UTC), tick=False)
def test_a_link_made_with_a_later_end_shows_the_days_up_to_today(user):
    """A link for 15 September to 31 December, opened on 28 September: the report counted the days after today as
    days not logged and the PDF was named after 31 December."""
    from bfs_tracker.days.services import day_save

    for offset in range(14):
        day_save(user=user, date=dt.date(2026, 9, 15) + dt.timedelta(days=offset), fields={}, twitches=[])
    _, token = share_link_create(
        user=user,
        start=dt.date(2026, 9, 15),
        end=dt.date(2026, 12, 31),
        expires_at=timezone.now() + dt.timedelta(days=14),
    )
    content = Client().get(reverse("shared_report", args=[token])).content.decode()
    assert "2026-09-15 to 2026-09-28</strong> · 14 of 14 days logged" in content
    pdf = Client().get(reverse("shared_report_pdf", args=[token]))
    assert 'filename="bfs-report-2026-09-15-to-2026-09-28.pdf"' in pdf["Content-Disposition"]
