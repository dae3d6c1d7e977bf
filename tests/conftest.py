"""Fixtures every test module can use: an owner, a stranger, and clients signed in as each."""

import pytest

from bfs_tracker.accounts.services import user_create

# Fixtures of the security tests (security_log), available to every module.
pytest_plugins = ["tests.security_helpers"]

PASSWORD = "correct horse battery staple 42"


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def user(db):
    return user_create(username="alice", email="alice@example.org", password=PASSWORD, time_zone="Europe/London")


@pytest.fixture
def other_user(db):
    return user_create(username="bob", email="bob@example.org", password=PASSWORD, time_zone="America/New_York")


@pytest.fixture
def owner_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def stranger_client(db, other_user):
    from django.test import Client

    stranger = Client()
    stranger.force_login(other_user)
    return stranger
