"""When the database is restarting, people get "back in a moment" (503), never a crash page or a traceback."""

import pytest
from django.test import Client
from django.urls import reverse


@pytest.fixture
def failing_client(settings, db):
    settings.ROOT_URLCONF = "tests.security_fault_urls"
    return Client(raise_request_exception=False)


def test_a_database_that_is_down_gives_a_503_with_try_again(failing_client):
    response = failing_client.get("/test-database-down/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    text = response.content.decode()
    assert "Nothing is ever half-saved" in text
    assert "open it again first" in text
    assert "Traceback" not in text
    assert "OperationalError" not in text


def test_any_other_crash_is_a_plain_500_without_details(failing_client):
    response = failing_client.get("/test-bug/")
    assert response.status_code == 500
    text = response.content.decode()
    assert "Something went wrong on our side" in text
    assert "ZeroDivisionError" not in text


def test_the_session_check_answers_204_only_when_signed_in(client, owner_client):
    assert owner_client.get(reverse("session_check")).status_code == 204
    anonymous = Client().get(reverse("session_check"))
    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("login"))


def test_a_body_over_the_limit_is_refused_before_it_is_read(owner_client, settings):
    settings.REQUEST_MAX_BYTES = 1000
    response = owner_client.post(reverse("settings"), data=b"x" * 1001, content_type="application/octet-stream")
    assert response.status_code == 413
    assert "We accept at most" in response.content.decode()


def test_a_body_within_the_limit_goes_through(owner_client, settings):
    settings.REQUEST_MAX_BYTES = 10_000
    response = owner_client.post(reverse("settings"), {"email": "alice@example.org"})
    assert response.status_code != 413


def test_a_session_lost_because_the_database_went_away_is_a_503_too(failing_client):
    response = failing_client.get("/test-session-lost/")
    assert response.status_code == 503
    assert "Nothing is ever half-saved" in response.content.decode()


def test_other_bad_requests_stay_400(failing_client):
    assert failing_client.get("/test-bad-request/").status_code == 400
