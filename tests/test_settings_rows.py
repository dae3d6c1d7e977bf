"""One pattern for per-user settings rows (lib.models.settings_row): opening a settings page writes nothing; the row
appears when the person saves, and a reset removes it (no row means the defaults)."""

import pytest
from django.urls import reverse

from bfs_tracker.alerts.models import AlertSettings
from bfs_tracker.reminders.models import ReminderSettings
from bfs_tracker.trends.models import FlareSettings

PAGES = [
    ("flare_settings", FlareSettings),
    ("reminder_settings", ReminderSettings),
    ("alert_settings", AlertSettings),
]


@pytest.mark.parametrize(("page", "model"), PAGES)
def test_opening_a_settings_page_writes_no_row(owner_client, user, page, model):
    assert owner_client.get(reverse(page)).status_code == 200
    assert not model.objects.filter(user=user).exists()


def test_saving_creates_the_row_and_resetting_removes_it(owner_client, user):
    owner_client.post(reverse("reminder_settings"), {"enabled": "on", "time": "07:45"})
    reminder = ReminderSettings.objects.get(user=user)
    assert (reminder.enabled, reminder.time.strftime("%H:%M")) == (True, "07:45")
    owner_client.post(reverse("reminder_settings"), {"time": "08:00"})
    assert ReminderSettings.objects.filter(user=user).count() == 1
    assert ReminderSettings.objects.get(user=user).enabled is False

    fields = {"baseline_days": 21, "min_baseline_days": 7, "flare_ratio": 1.8, "flare_margin": 8}
    fields |= {"flare_min_days": 4, "max_dip_days": 2, "remission_min_days": 7, "remission_level": 2}
    owner_client.post(reverse("flare_settings"), {**fields, "remission_ratio": 0.25})
    assert FlareSettings.objects.get(user=user).baseline_days == 21
    owner_client.post(reverse("flare_settings"), {"reset": "1"})
    assert not FlareSettings.objects.filter(user=user).exists()
    assert 'value="28"' in owner_client.get(reverse("flare_settings")).content.decode()
