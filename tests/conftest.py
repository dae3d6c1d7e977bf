"""Fixtures every test module can use: an owner, a stranger, and clients signed in as each."""

import pytest
from hypothesis import settings

from bfs_tracker.accounts.services import user_create

# Fixtures of the security tests (security_log), available to every module.
pytest_plugins = ["tests.security_helpers"]

# No per-example time limit: on a shared 2-core machine under load, Hypothesis's default 200 ms deadline fails
# tests for the machine's sake, not the code's. Tests that need a limit set their own.
settings.register_profile("bfs", deadline=None)
settings.load_profile("bfs")

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


@pytest.fixture(autouse=True)
def _empty_page_caches():
    """Each test starts with empty page caches (settings.CACHES: per process, kept between tests otherwise). A cached
    page is keyed by its person's id and data version, and the ids of rolled-back people are used again on SQLite."""
    from django.core.cache import caches

    for alias in ("dashboard", "reports"):
        caches[alias].clear()
