import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_login_page_links_to_signup_and_reset(client):
    html = client.get(reverse("login")).content.decode()
    assert reverse("signup") in html
    assert reverse("password_reset") in html
    assert '<label for="id_username">' in html


def test_it_logs_in_with_the_right_password(client, user, password):
    response = client.post(reverse("login"), {"username": "alice", "password": password})
    assert response.status_code == 302
    assert response.url == reverse("today")
    assert int(client.session["_auth_user_id"]) == user.pk


def test_it_follows_next_after_login(client, user, password):
    response = client.post(reverse("login"), {"username": "alice", "password": password, "next": "/settings/"})
    assert response.url == "/settings/"


def test_it_refuses_a_wrong_password_with_a_clear_message(client, user):
    response = client.post(reverse("login"), {"username": "alice", "password": "not it"})
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logging_out_ends_the_session(owner_client):
    response = owner_client.post(reverse("logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "You have logged out." in response.content.decode()
    assert "_auth_user_id" not in owner_client.session
    assert owner_client.get(reverse("settings")).status_code == 302


def test_logout_by_get_is_refused(owner_client):
    assert owner_client.get(reverse("logout")).status_code == 405
    assert "_auth_user_id" in owner_client.session


def test_it_changes_the_password(owner_client, user, password):
    response = owner_client.post(
        reverse("password_change"),
        {
            "old_password": password,
            "new_password1": "fresh unusual words 93",
            "new_password2": "fresh unusual words 93",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password("fresh unusual words 93")
    # The session survives its own password change.
    assert owner_client.get(reverse("settings")).status_code == 200


def test_it_refuses_a_password_change_with_the_wrong_old_password(owner_client, user, password):
    response = owner_client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "fresh unusual words 93", "new_password2": "fresh unusual words 93"},
    )
    assert response.status_code == 200
    assert 'id="id_old_password_error"' in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(password)


def reset_link(message) -> str:
    match = re.search(r"https?://testserver(/accounts/password/reset/[^/\s]+/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_a_reset_mail_names_the_product_and_its_link_sets_a_new_password(client, user):
    response = client.post(reverse("password_reset"), {"email": "ALICE@example.org"})
    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    assert "BFS Tracker" in message.subject
    assert "BFS Tracker" in message.body

    form_page = client.get(reset_link(message), follow=True)
    assert form_page.context["validlink"] is True
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(set_password_url, {"new_password1": "brand new words 61", "new_password2": "brand new words 61"})
    assert done.url == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("brand new words 61")

    # The link works once.
    again = client.get(reset_link(message), follow=True)
    assert again.context["validlink"] is False
    assert "no longer works" in again.content.decode()


def test_a_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, user):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("password_reset_done")
    assert mail.outbox == []


def test_production_hashes_passwords_with_argon2():
    from bfs_tracker import settings as production_settings

    hasher = production_settings.PASSWORD_HASHERS[0]
    assert hasher == "django.contrib.auth.hashers.Argon2PasswordHasher"
    hashed = Argon2PasswordHasher().encode("a passphrase", Argon2PasswordHasher().salt())
    assert hashed.startswith("argon2$argon2id$")


@pytest.mark.parametrize(
    ("debug", "backend"),
    [
        ("true", "django.core.mail.backends.console.EmailBackend"),
        ("false", "django.core.mail.backends.smtp.EmailBackend"),
    ],
)
def test_mail_goes_to_the_console_in_development_and_smtp_in_production(debug, backend):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "DJANGO_SETTINGS"))}
    env.update(DEBUG=debug, SECRET_KEY="x" * 50)
    printed = subprocess.run(
        [sys.executable, "-c", "from bfs_tracker import settings; print(settings.EMAIL_BACKEND)"],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert printed.stdout.strip() == backend
