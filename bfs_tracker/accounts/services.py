"""Account writes that touch more than one table."""

from django.db import transaction

from bfs_tracker.accounts.models import User
from bfs_tracker.logbook.reliefs import relief_methods_seed


def user_create(*, username: str, email: str, password: str, time_zone: str = "UTC", **extra) -> User:
    """A new account with its starter list of reliefs, in one transaction."""
    with transaction.atomic():
        user = User(username=username, email=email, time_zone=time_zone, **extra)
        user.set_password(password)
        user.save()
        relief_methods_seed(user=user)
    return user


def account_delete(*, user) -> None:
    """Remove the person and every row they own (each owning foreign key cascades from the user)."""
    with transaction.atomic():
        user.delete()
