"""Sign-up: address, password and time zone; the account opens from a link mailed to the address.

The page answers the same whether or not the address has an account (issue 16): only the mail differs.
"""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bfs_tracker.accounts import services
from bfs_tracker.accounts.models import EmailConfirmation, User
from bfs_tracker.logbook.models import ReliefMethod
from bfs_tracker.logbook.taxonomy import DEFAULT_RELIEF_METHODS

pytestmark = pytest.mark.django_db

URL = reverse("signup")
CAROLS = "a long and unusual passphrase 7"


def signup_data(**overrides) -> dict:
    data = {
        "email": "carol@example.org",
        "password1": CAROLS,
        "password2": CAROLS,
        "time_zone": "Pacific/Auckland",
    }
    data.update(overrides)
    return data


def link_in(message) -> str:
    match = re.search(r"https?://testserver(/accounts/confirm/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def sign_up(client, **overrides):
    return client.post(URL, signup_data(**overrides), follow=True)


def test_the_form_asks_for_an_address_not_a_username_and_starts_on_utc(client):
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="username"' not in html
    assert 'name="email"' in html
    assert '<option value="UTC" selected>' in html
    assert "data-timezone-default" in html
    assert "js/timezone-default.js" in html
    assert "<script>" not in html


def test_signing_up_mails_a_link_and_makes_no_account_yet(client):
    response = sign_up(client)
    assert response.redirect_chain == [(reverse("signup_sent"), 302)]
    assert "carol@example.org" in response.content.decode()
    assert not User.objects.exists()
    assert "_auth_user_id" not in client.session
    (message,) = mail.outbox
    assert message.to == ["carol@example.org"]
    assert "Finish creating" in message.subject
    pending = EmailConfirmation.objects.get()
    assert pending.password.startswith("md5$")  # the chosen password's hash, never the password
    assert CAROLS not in str(EmailConfirmation.objects.values())
    token = link_in(message).split("/")[-2]
    assert token not in str(EmailConfirmation.objects.values())  # only a hash of the link's token


def test_the_link_and_the_password_open_the_account_and_sign_in(client):
    sign_up(client)
    link = link_in(mail.outbox[0])
    page = client.get(link)
    assert page.status_code == 200
    assert "carol@example.org" in page.content.decode()
    response = client.post(link, {"password": CAROLS})
    assert response.status_code == 302
    assert response.url == reverse("today")
    user = User.objects.get(email="carol@example.org")
    assert user.username == "carol"
    assert user.time_zone == "Pacific/Auckland"
    assert user.check_password(CAROLS)
    assert sorted(ReliefMethod.objects.filter(user=user).values_list("name", flat=True)) == sorted(
        DEFAULT_RELIEF_METHODS
    )
    assert int(client.session["_auth_user_id"]) == user.pk
    assert not EmailConfirmation.objects.exists()
    # The link works once.
    assert Client().get(link).status_code == 404


def test_the_new_account_signs_in_with_its_address_in_any_case(client):
    sign_up(client)
    Client().post(link_in(mail.outbox[0]), {"password": CAROLS})
    response = Client().post(reverse("login"), {"username": "Carol@EXAMPLE.org", "password": CAROLS})
    assert response.status_code == 302


def test_the_link_without_the_password_opens_nothing(client):
    sign_up(client)
    link = link_in(mail.outbox[0])
    response = client.post(link, {"password": "a guess at the password"})
    assert response.status_code == 200
    assert "That is not your password" in response.content.decode()
    assert not User.objects.exists()


def test_a_sign_up_someone_else_made_with_your_address_cannot_be_finished_by_you_or_them(client):
    sign_up(client, password1="attackers secret words 1", password2="attackers secret words 1")
    theirs = link_in(mail.outbox[0])
    # The owner of the mailbox does not know that password; the other person never sees the link.
    assert client.post(theirs, {"password": CAROLS}).status_code == 200
    assert not User.objects.exists()
    # Signing up again sends a second link, which opens with the owner's own password; the first one then dies.
    sign_up(Client())
    mine = link_in(mail.outbox[1])
    assert Client().post(mine, {"password": CAROLS}).status_code == 302
    assert User.objects.get().check_password(CAROLS)
    assert Client().get(theirs).status_code == 404


def test_a_link_older_than_three_days_no_longer_works(client):
    sign_up(client)
    link = link_in(mail.outbox[0])
    with time_machine.travel(timezone.now() + dt.timedelta(days=3, minutes=1)):
        response = client.post(link, {"password": CAROLS})
    assert response.status_code == 404
    assert "no longer works" in response.content.decode()
    assert not User.objects.exists()


# --- Issue 16: sign-up told whether an address or username had an account ---


def visible(response) -> tuple:
    return response.redirect_chain, response.status_code, response.content.decode()


def test_a_known_address_gets_the_same_page_and_a_notice_instead_of_a_link(user, password):
    unknown = sign_up(Client(), email="nobody.yet@example.org")
    known = sign_up(Client(), email="alice@example.org")
    assert visible(known) == tuple(
        part.replace("nobody.yet@example.org", "alice@example.org") if isinstance(part, str) else part
        for part in visible(unknown)
    )
    notice = mail.outbox[1]
    assert notice.to == ["alice@example.org"]
    assert "tried to sign up" in notice.subject
    assert "/accounts/confirm/" not in notice.body
    assert "/accounts/password/reset/" in notice.body
    assert EmailConfirmation.objects.filter(email="alice@example.org").count() == 0
    user.refresh_from_db()
    assert user.check_password(password)


def test_a_known_address_in_another_case_is_known_too(user):
    sign_up(Client(), email="ALICE@Example.org")
    assert "tried to sign up" in mail.outbox[0].subject
    assert mail.outbox[0].to == ["alice@example.org"]


def test_both_answers_hash_the_password_so_they_take_as_long(user, monkeypatch):
    calls = []
    real = services.make_password
    monkeypatch.setattr(services, "make_password", lambda raw: calls.append(raw) or real(raw))
    sign_up(Client(), email="nobody.yet@example.org")
    sign_up(Client(), email="alice@example.org")
    assert calls == [CAROLS, CAROLS]


def test_a_username_cannot_be_probed_because_sign_up_takes_none(user):
    response = sign_up(Client(), username="alice")
    assert response.redirect_chain == [(reverse("signup_sent"), 302)]
    assert "alice" not in response.content.decode().replace("alice@", "")


def test_a_username_made_from_a_taken_one_gets_a_suffix(user):
    sign_up(Client(), email="Alice@elsewhere.example")
    Client().post(link_in(mail.outbox[0]), {"password": CAROLS})
    second = User.objects.get(email="Alice@elsewhere.example")
    assert re.fullmatch(r"alice-[0-9a-f]{4}", second.username)


def test_an_address_that_got_an_account_meanwhile_is_not_opened_twice(client, other_user):
    sign_up(client, email="late@example.org")
    link = link_in(mail.outbox[0])
    other_user.email = "late@example.org"
    other_user.save()
    response = client.post(link, {"password": CAROLS}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert User.objects.filter(email__iexact="late@example.org").count() == 1


# --- The form's own checks ---


def assert_refused(response, field: str, text: str) -> None:
    assert response.status_code == 200
    form = response.context["form"]
    assert text in " ".join(form.errors[field])
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert 'aria-invalid="true"' in html
    assert mail.outbox == []
    assert not EmailConfirmation.objects.exists()


def test_it_rejects_mismatched_passwords(client):
    assert_refused(client.post(URL, signup_data(password2="something else entirely 8")), "password2", "didn’t match")


def test_it_rejects_a_weak_password(client):
    assert_refused(client.post(URL, signup_data(password1="password", password2="password")), "password2", "too common")


def test_it_rejects_a_password_like_the_address(client):
    data = signup_data(email="marigold.lantern@example.org", password1="marigold.lantern", password2="marigold.lantern")
    assert_refused(client.post(URL, data), "password2", "too similar")


def test_it_rejects_an_unknown_time_zone(client):
    assert_refused(client.post(URL, signup_data(time_zone="Mars/Olympus_Mons")), "time_zone", "not a time zone we know")


def test_it_rejects_a_malformed_email(client):
    assert_refused(client.post(URL, signup_data(email="carol-at-example")), "email", "valid email")


def test_an_empty_or_missing_time_zone_means_utc(client):
    sign_up(client, time_zone="")
    Client().post(link_in(mail.outbox[0]), {"password": CAROLS})
    assert User.objects.get().time_zone == "UTC"


def test_a_refused_form_keeps_the_chosen_zone_and_lets_the_script_alone(client):
    response = client.post(URL, signup_data(password2="nope", time_zone="Asia/Tokyo"))
    html = response.content.decode()
    assert '<option value="Asia/Tokyo" selected>' in html
    assert "data-timezone-default" not in html


def test_a_signed_in_user_is_sent_to_today(owner_client):
    response = owner_client.get(URL)
    assert response.status_code == 302
    assert response.url == reverse("today")


# --- Mail floods ---


def test_one_address_gets_at_most_three_sign_up_mails_an_hour(client):
    for _ in range(5):
        assert sign_up(Client()).redirect_chain == [(reverse("signup_sent"), 302)]
    assert len(mail.outbox) == 3


def test_one_network_gets_at_most_twenty_sign_ups_an_hour(settings):
    settings.SIGNUP_REQUESTS_PER_IP = 2
    for n in range(2):
        sign_up(Client(), email=f"person{n}@example.org")
    response = Client().post(URL, signup_data(email="person9@example.org"))
    assert response.status_code == 200
    assert "Too many sign-ups from your network" in response.content.decode()
    assert len(mail.outbox) == 2


class DownBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError


@pytest.mark.parametrize("email", ["nobody.yet@example.org", "alice@example.org"])
def test_a_mail_outage_says_so_the_same_way_for_any_address(client, user, settings, email):
    settings.EMAIL_BACKEND = "tests.test_accounts_signup.DownBackend"
    response = client.post(URL, signup_data(email=email))
    assert response.status_code == 200
    assert "could not send the email" in response.content.decode()
    assert not EmailConfirmation.objects.exists()
