import datetime as dt

from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from bfs_tracker.accounts.models import User
from bfs_tracker.accounts.services import user_create
from bfs_tracker.reports.services import share_link_create
from tests.reports_history import START, build_history


def _counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def _give_everything(person) -> None:
    build_history(person, days=20)
    share_link_create(user=person, start=START, end=START, expires_at=timezone.now() + dt.timedelta(days=1))


def test_deleting_removes_every_row_the_person_owns_and_nothing_else(client, other_user, password):
    _give_everything(other_user)
    before_without_me = _counts()
    person = user_create(username="erin", email="erin@example.org", password=password)
    _give_everything(person)
    assert _counts() != before_without_me
    client.force_login(person)
    response = client.post(reverse("account_delete"), {"password": password, "confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    after = _counts()
    changed = {
        label: (before_without_me[label], after[label]) for label in after if before_without_me[label] != after[label]
    }
    # Only the session table may differ: the person was logged out.
    assert set(changed) <= {"sessions.Session"}
    assert not User.objects.filter(username="erin").exists()
    assert User.objects.filter(username="bob").exists()


def test_a_wrong_password_deletes_nothing(owner_client, user):
    response = owner_client.post(reverse("account_delete"), {"password": "wrong", "confirm": "on"})
    assert response.status_code == 200
    assert "That is not your password" in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()


def test_deleting_logs_the_person_out(owner_client, password):
    owner_client.post(reverse("account_delete"), {"password": password, "confirm": "on"})
    assert owner_client.get(reverse("report")).status_code == 302
