"""Optional two-factor sign-in: turn it on with a scanned code, then every sign-in needs a code too."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

START = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


def code_for(device: TOTPDevice) -> str:
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def sign_in(client, password, username="alice"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR="10.0.0.9")


def turn_on(client, user, clock) -> TOTPDevice:
    client.get(reverse("two_factor"))
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("two_factor"), {"code": code_for(device)})
    assert response.status_code == 302
    clock.shift(dt.timedelta(seconds=31))
    return device


def test_the_setup_page_shows_a_qr_code_image_and_a_key_to_type(owner_client):
    text = owner_client.get(reverse("two_factor")).content.decode()
    assert '<img src="data:image/svg+xml;base64,' in text
    assert "Or type this key into the app" in text


def test_a_wrong_code_does_not_turn_it_on(owner_client, user, clock):
    owner_client.get(reverse("two_factor"))
    device = TOTPDevice.objects.get(user=user)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = owner_client.post(reverse("two_factor"), {"code": wrong})
    assert "That code did not match" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


def test_once_on_signing_in_asks_for_a_code_before_any_page(owner_client, user, password, clock):
    device = turn_on(owner_client, user, clock)
    phone = Client()
    assert sign_in(phone, password).status_code == 302
    response = phone.get(reverse("today"))
    assert response.status_code == 302
    assert response.url == reverse("two_factor_verify") + "?next=%2F"
    clock.shift(dt.timedelta(seconds=31))
    response = phone.post(reverse("two_factor_verify"), {"code": code_for(device), "next": "/"})
    assert response.status_code == 302
    assert response.url == "/"
    assert phone.get(reverse("today")).status_code == 200


def test_a_wrong_code_at_sign_in_keeps_the_person_out(owner_client, user, password, clock):
    device = turn_on(owner_client, user, clock)
    phone = Client()
    sign_in(phone, password)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = phone.post(reverse("two_factor_verify"), {"code": wrong})
    assert "That code did not match" in response.content.decode()
    assert phone.get(reverse("today")).status_code == 302


def test_turning_it_on_signs_out_other_devices(owner_client, user, clock):
    laptop = Client()
    laptop.force_login(user)
    turn_on(owner_client, user, clock)
    assert laptop.get(reverse("two_factor")).status_code == 302
    assert owner_client.get(reverse("two_factor")).status_code == 200


def test_turning_it_off_needs_the_password_and_a_code(owner_client, user, password, clock):
    device = turn_on(owner_client, user, clock)
    response = owner_client.post(reverse("two_factor_disable"), {"password": "not it", "code": code_for(device)})
    assert response.status_code == 400
    assert "That is not your password" in response.content.decode()
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    clock.shift(dt.timedelta(seconds=31))
    response = owner_client.post(reverse("two_factor_disable"), {"password": password, "code": code_for(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_without_two_factor_the_code_page_just_goes_home(owner_client):
    response = owner_client.get(reverse("two_factor_verify"))
    assert response.status_code == 302
    assert response.url == reverse("today")


def test_the_code_step_never_redirects_to_another_site(owner_client, user, password, clock):
    device = turn_on(owner_client, user, clock)
    phone = Client()
    sign_in(phone, password)
    response = phone.post(reverse("two_factor_verify"), {"code": code_for(device), "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response.url == "/"


def test_a_person_waiting_for_the_code_can_still_sign_out(owner_client, user, password, clock):
    turn_on(owner_client, user, clock)
    phone = Client()
    sign_in(phone, password)
    response = phone.post(reverse("logout"))
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert "_auth_user_id" not in phone.session
