"""Helpers for models shared by every app."""

from typing import TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def settings_row(model: type[M], *, user) -> M:
    """A person's settings row (flare thresholds, reminders, alert mail), or an unsaved one holding the defaults
    when they never saved any.

    The one pattern for per-user settings: reading never writes (a GET stays a read, and a person who never opens a
    settings page never gets a row), and the row is created when the person saves."""
    return model._default_manager.filter(user=user).first() or model(user=user)
