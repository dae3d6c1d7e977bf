import pytest
from django.urls import reverse

from bfs_tracker.accounts.models import User
from bfs_tracker.logbook.models import ReliefMethod
from bfs_tracker.logbook.taxonomy import DEFAULT_RELIEF_METHODS

pytestmark = pytest.mark.django_db

URL = reverse("signup")


def signup_data(**overrides) -> dict:
    data = {
        "username": "carol",
        "email": "carol@example.org",
        "password1": "a long and unusual passphrase 7",
        "password2": "a long and unusual passphrase 7",
        "time_zone": "Pacific/Auckland",
    }
    data.update(overrides)
    return data


def test_the_form_starts_on_utc_and_asks_the_browser_for_its_zone(client):
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<option value="UTC" selected>' in html
    assert "data-timezone-default" in html
    assert "js/timezone-default.js" in html
    assert "<script>" not in html


def test_it_creates_the_account_logs_in_and_opens_today(client):
    response = client.post(URL, signup_data())
    assert response.status_code == 302
    assert response.url == reverse("today")
    user = User.objects.get(username="carol")
    assert user.email == "carol@example.org"
    assert user.time_zone == "Pacific/Auckland"
    assert user.check_password("a long and unusual passphrase 7")
    assert user.password.startswith("md5$")  # the test hasher; production uses Argon2 (see settings)
    assert sorted(ReliefMethod.objects.filter(user=user).values_list("name", flat=True)) == sorted(
        DEFAULT_RELIEF_METHODS
    )
    assert int(client.session["_auth_user_id"]) == user.pk


def test_an_empty_time_zone_means_utc(client):
    client.post(URL, signup_data(time_zone=""))
    assert User.objects.get(username="carol").time_zone == "UTC"


def test_a_missing_time_zone_means_utc(client):
    data = signup_data()
    del data["time_zone"]
    client.post(URL, data)
    assert User.objects.get(username="carol").time_zone == "UTC"


def assert_refused(response, field: str, text: str) -> None:
    assert response.status_code == 200
    form = response.context["form"]
    assert text in " ".join(form.errors[field])
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert 'aria-invalid="true"' in html
    assert not User.objects.filter(username="carol").exists()


def test_it_rejects_mismatched_passwords(client):
    response = client.post(URL, signup_data(password2="something else entirely 8"))
    assert_refused(response, "password2", "didn’t match")


def test_it_rejects_a_weak_password(client):
    response = client.post(URL, signup_data(password1="password", password2="password"))
    assert_refused(response, "password2", "too common")


def test_it_rejects_a_username_that_exists_in_another_case(client, user):
    response = client.post(URL, signup_data(username="ALICE"))
    assert response.status_code == 200
    assert "already exists" in " ".join(response.context["form"].errors["username"])
    assert User.objects.count() == 1


def test_it_rejects_an_email_that_exists_in_another_case(client, user):
    response = client.post(URL, signup_data(email="Alice@Example.ORG"))
    assert_refused(response, "email", "already exists")


def test_it_rejects_an_unknown_time_zone(client):
    response = client.post(URL, signup_data(time_zone="Mars/Olympus_Mons"))
    assert_refused(response, "time_zone", "not a time zone we know")


def test_it_rejects_a_malformed_email(client):
    response = client.post(URL, signup_data(email="carol-at-example"))
    assert_refused(response, "email", "valid email")


def test_a_refused_form_keeps_the_chosen_zone_and_lets_the_script_alone(client):
    response = client.post(URL, signup_data(password2="nope", time_zone="Asia/Tokyo"))
    html = response.content.decode()
    assert '<option value="Asia/Tokyo" selected>' in html
    assert "data-timezone-default" not in html


def test_a_signed_in_user_is_sent_to_today(owner_client):
    response = owner_client.get(URL)
    assert response.status_code == 302
    assert response.url == reverse("today")
