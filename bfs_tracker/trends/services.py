"""Writes of the trends app."""

from bfs_tracker.trends.models import FlareSettings


def flare_settings_reset(*, user) -> None:
    """Back to the standard thresholds: the person's row goes, and with no row the defaults apply."""
    FlareSettings.objects.filter(user=user).delete()
