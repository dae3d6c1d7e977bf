"""Password guessing beyond the sign-in page (issue 16).

- Forms that ask for the password again are throttled like sign-in: 5 wrong from one address, 15 minutes.
- Across addresses, an account that had many wrong sign-in passwords is refused on browsers it never signed in on;
  its own devices and a password reset still work, and an unknown name behaves the same (nothing is revealed).
"""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from bfs_tracker.accounts.models import User
from bfs_tracker.reports.models import ShareLink
from bfs_tracker.security.known_device import COOKIE

pytestmark = pytest.mark.django_db

HOME = "10.0.0.1"
ELSEWHERE = "10.0.0.2"
NEW = "brand new words 61"


@pytest.fixture
def clock():
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC), tick=False) as traveller:
        yield traveller


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Forms that confirm the password: one poster per form, (client, password, address) -> (response, done?) ---


def delete_account(client, user, password, address):
    response = client.post(reverse("account_delete"), {"password": password, "confirm": "on"}, REMOTE_ADDR=address)
    return response, not User.objects.filter(pk=user.pk).exists()


def change_password(client, user, password, address):
    data = {"old_password": password, "new_password1": NEW, "new_password2": NEW}
    response = client.post(reverse("password_change"), data, REMOTE_ADDR=address)
    user.refresh_from_db()
    return response, user.check_password(NEW)


def change_email(client, user, password, address):
    data = {"email": "alice.new@example.org", "password": password}
    response = client.post(reverse("email_change"), data, REMOTE_ADDR=address)
    return response, any(m.to == ["alice.new@example.org"] for m in mail.outbox)


def turn_off_two_factor(client, user, password, address):
    device = TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "app"})[0]
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    device.last_t = -1
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    response = client.post(reverse("two_factor_disable"), {"password": password, "code": code}, REMOTE_ADDR=address)
    return response, not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


FORMS = [delete_account, change_password, change_email, turn_off_two_factor]


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.__name__)
def test_five_wrong_passwords_pause_the_form_from_that_address_for_15_minutes(form, user, password, clock):
    client = signed_in(user)
    for _ in range(5):
        response, done = form(client, user, "a wrong guess", HOME)
        assert "That is not your password" in response.content.decode()
        assert not done
    response, done = form(client, user, password, HOME)
    assert not done, "the right password is refused while paused"
    assert "Too many wrong passwords" in response.content.decode()
    clock.shift(dt.timedelta(minutes=16))
    _, done = form(client, user, password, HOME)
    assert done


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.__name__)
def test_the_pause_is_for_that_address_only(form, user, password, clock):
    client = signed_in(user)
    for _ in range(5):
        form(client, user, "a wrong guess", HOME)
    _, done = form(client, user, password, ELSEWHERE)
    assert done


def test_four_wrong_passwords_do_not_pause(user, password, clock):
    client = signed_in(user)
    for _ in range(4):
        delete_account(client, user, "a wrong guess", HOME)
    _, done = delete_account(client, user, password, HOME)
    assert done


def test_finishing_a_sign_up_is_throttled_too(db, clock):
    Client().post(
        reverse("signup"),
        {"email": "carol@example.org", "password1": "quiet river lantern 5", "password2": "quiet river lantern 5"},
    )
    link = re.search(r"testserver(/accounts/confirm/\S+/)", mail.outbox[0].body).group(1)
    client = Client()
    for _ in range(5):
        client.post(link, {"password": "a wrong guess"}, REMOTE_ADDR=HOME)
    response = client.post(link, {"password": "quiet river lantern 5"}, REMOTE_ADDR=HOME)
    assert "Too many wrong passwords" in response.content.decode()
    assert not User.objects.exists()
    assert client.post(link, {"password": "quiet river lantern 5"}, REMOTE_ADDR=ELSEWHERE).status_code == 302


# --- Sign-in: the per-account limit across addresses ---


def sign_in(client, name, password, address):
    return client.post(reverse("login"), {"username": name, "password": password}, REMOTE_ADDR=address)


def guess_from_many_addresses(name: str, count: int = 20) -> None:
    for n in range(count):
        sign_in(Client(), name, f"guess number {n}", f"198.51.100.{n}")


PAUSED = "Sign-in to this account is paused on new devices"


def test_twenty_wrong_passwords_from_twenty_addresses_pause_sign_in_on_new_browsers(user, password, clock):
    guess_from_many_addresses("alice")
    response = sign_in(Client(), "alice", password, "203.0.113.7")
    assert response.status_code == 200
    assert PAUSED in response.content.decode()
    assert "_auth_user_id" not in Client().session


def test_nineteen_do_not(user, password, clock):
    guess_from_many_addresses("alice", 19)
    assert sign_in(Client(), "alice", password, "203.0.113.7").status_code == 302


def test_the_email_and_the_username_count_as_one_account(user, password, clock):
    for n in range(20):
        name = ["alice", "ALICE@example.org", "alice@Example.Org"][n % 3]
        sign_in(Client(), name, f"guess {n}", f"198.51.100.{n}")
    assert PAUSED in sign_in(Client(), "alice@example.org", password, "203.0.113.7").content.decode()


def test_while_paused_the_password_is_not_even_checked_so_guesses_gain_nothing(user, password, clock):
    guess_from_many_addresses("alice")
    response = sign_in(Client(), "alice", "guess number 3", "203.0.113.8")
    assert PAUSED in response.content.decode()


def test_a_browser_that_signed_in_before_still_signs_in(user, password, clock):
    phone = Client()
    assert sign_in(phone, "alice", password, HOME).status_code == 302
    assert COOKIE in phone.cookies
    phone.post(reverse("logout"))
    guess_from_many_addresses("alice")
    response = sign_in(phone, "alice", password, "203.0.113.9")
    assert response.status_code == 302
    assert int(phone.session["_auth_user_id"]) == user.pk


def test_a_forged_or_another_accounts_device_cookie_does_not_help(user, other_user, password, clock):
    bobs = Client()
    sign_in(bobs, "bob", password, HOME)
    bobs.post(reverse("logout"))
    assert COOKIE in bobs.cookies
    guess_from_many_addresses("alice")
    assert PAUSED in sign_in(bobs, "alice", password, HOME).content.decode()
    forged = Client()
    forged.cookies[COOKIE] = f"[{user.pk}]"
    assert PAUSED in sign_in(forged, "alice", password, HOME).content.decode()


def test_a_password_reset_signs_in_and_makes_the_browser_known(user, password, clock):
    guess_from_many_addresses("alice")
    browser = Client()
    browser.post(reverse("password_reset"), {"email": "alice@example.org"})
    link = re.search(r"testserver(/accounts/password/reset/\S+/)", mail.outbox[-1].body).group(1)
    form = browser.get(link, follow=True)
    done = browser.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}, follow=True)
    assert "you are signed in" in done.content.decode()
    assert int(browser.session["_auth_user_id"]) == user.pk
    browser.post(reverse("logout"))
    assert sign_in(browser, "alice@example.org", NEW, "203.0.113.10").status_code == 302


def test_the_pause_ends_a_day_after_the_guessing_stops(user, password, clock):
    guess_from_many_addresses("alice")
    clock.shift(dt.timedelta(hours=23))
    assert PAUSED in sign_in(Client(), "alice", password, "203.0.113.7").content.decode()
    clock.shift(dt.timedelta(hours=1, minutes=1))
    assert sign_in(Client(), "alice", password, "203.0.113.7").status_code == 302


def test_a_name_with_no_account_answers_exactly_like_a_real_one(user, clock):
    guess_from_many_addresses("alice")
    guess_from_many_addresses("nobody-here")
    real = sign_in(Client(), "alice", "another guess", "203.0.113.7")
    fake = sign_in(Client(), "nobody-here", "another guess", "203.0.113.7")
    strip = re.compile(r'name="csrfmiddlewaretoken" value="\w+"|value="(alice|nobody-here)"')
    assert real.status_code == fake.status_code == 200
    assert strip.sub("", real.content.decode()) == strip.sub("", fake.content.decode())


def test_the_per_address_lock_counts_the_email_and_username_together(user, password, clock):
    for name in ["alice", "ALICE@example.org", "alice", "Alice@Example.org", "alice"]:
        sign_in(Client(), name, "wrong", HOME)
    assert sign_in(Client(), "alice@example.org", password, HOME).status_code == 429


def test_deleting_the_account_deletes_its_throttling_records(user, password, clock):
    from bfs_tracker.security.models import ThrottleEvent

    guess_from_many_addresses("alice", 3)
    delete_account(signed_in(user), user, "wrong", HOME)
    assert ThrottleEvent.objects.count() == 4
    delete_account(signed_in(user), user, password, HOME)
    assert ThrottleEvent.objects.count() == 0
    assert not ShareLink.objects.exists()


def test_a_wrong_password_and_an_unknown_name_get_the_same_answer(user):
    strip = re.compile(r'name="csrfmiddlewaretoken" value="\w+"|value="(alice@example.org|nobody@example.org)"')
    real = sign_in(Client(), "alice@example.org", "a wrong guess", HOME)
    fake = sign_in(Client(), "nobody@example.org", "a wrong guess", HOME)
    assert real.status_code == fake.status_code == 200
    assert strip.sub("", real.content.decode()) == strip.sub("", fake.content.decode())
