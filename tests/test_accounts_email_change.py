"""Changing the account's email address: the password, a link to the new address, a notice to the old one.

Issue 16: the address where password resets go could be changed from Settings with no password and no notice.
"""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bfs_tracker.accounts.models import EmailConfirmation

pytestmark = pytest.mark.django_db

URL = reverse("email_change")


def link_in(message) -> str:
    match = re.search(r"https?://testserver(/settings/email/confirm/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def ask(client, email="alice.new@example.org", password=None):
    from tests.conftest import PASSWORD

    return client.post(URL, {"email": email, "password": PASSWORD if password is None else password}, follow=True)


def test_it_needs_the_password(owner_client, user):
    response = owner_client.post(URL, {"email": "alice.new@example.org", "password": "a guess"})
    assert response.status_code == 200
    assert "That is not your password" in response.content.decode()
    assert mail.outbox == []
    user.refresh_from_db()
    assert user.email == "alice@example.org"


def test_the_new_address_gets_a_link_and_nothing_changes_until_it_is_opened(owner_client, user):
    response = ask(owner_client)
    assert response.redirect_chain[-1][0] == reverse("settings")
    assert "We sent a link to alice.new@example.org" in response.content.decode()
    (message,) = mail.outbox
    assert message.to == ["alice.new@example.org"]
    user.refresh_from_db()
    assert user.email == "alice@example.org"

    link = link_in(message)
    assert owner_client.get(link).status_code == 200
    done = owner_client.post(link, follow=True)
    assert "Your address is now alice.new@example.org" in done.content.decode()
    user.refresh_from_db()
    assert user.email == "alice.new@example.org"
    notice = mail.outbox[1]
    assert notice.to == ["alice@example.org"]
    assert "was changed" in notice.subject
    assert "alice.new@example.org" in notice.body
    assert "Log out everywhere" in notice.body
    assert owner_client.get(link).status_code == 404  # used


def test_another_persons_link_is_a_404_and_changes_nothing(owner_client, user, stranger_client, other_user):
    ask(owner_client)
    link = link_in(mail.outbox[0])
    assert stranger_client.get(link).status_code == 404
    assert stranger_client.post(link).status_code == 404
    other_user.refresh_from_db()
    user.refresh_from_db()
    assert (user.email, other_user.email) == ("alice@example.org", "bob@example.org")


def test_the_link_needs_a_signed_in_session(owner_client):
    ask(owner_client)
    response = Client().get(link_in(mail.outbox[0]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_address_with_an_account_gets_a_notice_and_the_page_says_the_same(owner_client, user, other_user):
    def page(email: str) -> str:
        html = ask(owner_client, email=email).content.decode().replace(email, "ADDRESS")
        return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", html)  # a fresh token on every page

    assert page("BOB@example.org") == page("free@example.org")
    notice = mail.outbox[0]
    assert notice.to == ["bob@example.org"]
    assert "/settings/email/confirm/" not in notice.body
    assert EmailConfirmation.objects.filter(email__iexact="bob@example.org").count() == 0
    user.refresh_from_db()
    assert user.email == "alice@example.org"


def test_the_link_expires_after_three_days(owner_client, user):
    ask(owner_client)
    link = link_in(mail.outbox[0])
    with time_machine.travel(timezone.now() + dt.timedelta(days=3, minutes=1)):
        assert owner_client.post(link).status_code == 404
    user.refresh_from_db()
    assert user.email == "alice@example.org"


def test_an_address_taken_meanwhile_is_not_given_to_a_second_account(owner_client, user, other_user):
    ask(owner_client)
    link = link_in(mail.outbox[0])
    other_user.email = "alice.new@example.org"
    other_user.save()
    response = owner_client.post(link, follow=True)
    assert "has an account now" in response.content.decode()
    user.refresh_from_db()
    assert user.email == "alice@example.org"


def test_the_same_address_again_changes_and_sends_nothing(owner_client):
    response = ask(owner_client, email="ALICE@example.org")
    assert "already your address" in response.content.decode()
    assert mail.outbox == []
