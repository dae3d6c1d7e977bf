"""Login throttling: five wrong passwords lock that username from that address for 15 minutes, no longer."""

import datetime as dt

import time_machine
from django.urls import reverse

HOME = "10.0.0.1"
ELSEWHERE = "10.0.0.2"


def sign_in(client, username, password, address=HOME):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def fail_five_times(client, username="alice", address=HOME):
    for _ in range(5):
        sign_in(client, username, "wrong password", address)


def test_a_wrong_password_just_asks_again(client, user):
    response = sign_in(client, "alice", "wrong password")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_five_wrong_passwords_lock_that_account_from_that_address_with_a_clear_message(client, user, password):
    fail_five_times(client)
    response = sign_in(client, "alice", password)
    assert response.status_code == 429
    text = response.content.decode()
    assert "Sign-in paused for 15 minutes" in text
    assert "sign-in from your other devices still works" in text
    assert "_auth_user_id" not in client.session


def test_the_same_account_can_still_sign_in_from_another_address(client, user, password):
    fail_five_times(client)
    response = sign_in(client, "alice", password, address=ELSEWHERE)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_another_account_from_the_locked_address_is_not_affected(client, user, other_user, password):
    fail_five_times(client)
    response = sign_in(client, "bob", password)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(other_user.pk)


def test_the_lock_ends_by_itself_after_the_cool_off(client, user, password):
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC), tick=False) as traveller:
        fail_five_times(client)
        assert sign_in(client, "alice", password).status_code == 429
        traveller.shift(dt.timedelta(minutes=14))
        assert sign_in(client, "alice", password).status_code == 429
        traveller.shift(dt.timedelta(minutes=16))
        response = sign_in(client, "alice", password)
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(user.pk)


def test_a_successful_sign_in_clears_earlier_failures(client, user, password):
    for _ in range(4):
        sign_in(client, "alice", "wrong password")
    assert sign_in(client, "alice", password).status_code == 302
    client.logout()
    for _ in range(4):
        sign_in(client, "alice", "wrong password")
    assert sign_in(client, "alice", password).status_code == 302


def test_the_axes_backend_checks_before_the_password_backend(settings):
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
