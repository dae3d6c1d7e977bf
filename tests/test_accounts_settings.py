import datetime as dt

import pytest
import time_machine
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = reverse("settings")


def settings_data(**overrides) -> dict:
    data = {
        "first_name": "Alice",
        "last_name": "Liddell",
        "date_of_birth": "1988-05-04",
        "time_zone": "Europe/London",
    }
    data.update(overrides)
    return data


def test_it_shows_the_current_values_with_the_zone_preselected(owner_client):
    html = owner_client.get(URL).content.decode()
    assert '<option value="Europe/London" selected>' in html
    assert "alice@example.org" in html
    assert reverse("email_change") in html
    assert "doctor&#x27;s report" in html or "doctor's report" in html
    assert reverse("reliefs") in html
    assert reverse("password_change") in html


def test_it_saves_name_birth_date_and_zone(owner_client, user):
    response = owner_client.post(URL, settings_data(time_zone="Asia/Tokyo"), follow=True)
    assert "Your settings are saved." in response.content.decode()
    user.refresh_from_db()
    assert user.report_name == "Alice Liddell"
    assert user.date_of_birth == dt.date(1988, 5, 4)
    assert user.time_zone == "Asia/Tokyo"


def test_the_settings_form_cannot_change_the_email_without_the_password(owner_client, user):
    """Issue 16: the address password resets go to changed with no password and no notice to the old address."""
    response = owner_client.post(URL, settings_data(email="attacker@example.net"))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "alice@example.org"


def test_name_and_birth_date_are_optional(owner_client, user):
    response = owner_client.post(URL, settings_data(first_name="", last_name="", date_of_birth=""))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.date_of_birth is None
    assert user.report_name == "alice"


def assert_refused(response, user, field: str, text: str) -> None:
    assert response.status_code == 200
    assert text in " ".join(response.context["form"].errors[field])
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert "Nothing was saved" in html
    user.refresh_from_db()
    assert user.first_name == ""
    assert user.time_zone == "Europe/London"


@time_machine.travel(dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC), tick=False)
def test_it_rejects_a_birth_date_in_the_future(owner_client, user):
    response = owner_client.post(URL, settings_data(date_of_birth="2026-03-11"))
    assert_refused(response, user, "date_of_birth", "cannot be in the future")


@time_machine.travel(dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC), tick=False)
def test_today_is_an_acceptable_birth_date(owner_client, user):
    assert owner_client.post(URL, settings_data(date_of_birth="2026-03-10")).status_code == 302


def test_it_rejects_a_birth_date_before_1900(owner_client, user):
    response = owner_client.post(URL, settings_data(date_of_birth="1850-01-01"))
    assert_refused(response, user, "date_of_birth", "before 1900")


def test_it_rejects_a_birth_date_that_is_not_a_date(owner_client, user):
    response = owner_client.post(URL, settings_data(date_of_birth="2001-02-30"))
    assert_refused(response, user, "date_of_birth", "Enter a date")


def test_it_rejects_an_unknown_time_zone(owner_client, user):
    response = owner_client.post(URL, settings_data(time_zone="Europe/Atlantis"))
    assert_refused(response, user, "time_zone", "not a time zone we know")
