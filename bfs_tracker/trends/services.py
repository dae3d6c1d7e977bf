"""Writes of the trends app."""

from django.db import transaction

from bfs_tracker.trends.models import FlareSettings


def flare_settings_get_or_create(*, user) -> FlareSettings:
    """The person's flare settings row, created with the defaults the first time they open the settings page."""
    settings, _ = FlareSettings.objects.get_or_create(user=user)
    return settings


@transaction.atomic
def flare_settings_reset(*, user) -> FlareSettings:
    FlareSettings.objects.filter(user=user).delete()
    return FlareSettings.objects.create(user=user)
