"""Alerts in the admin: look, never touch, like the logs they come from (lib/admin.py)."""

from django.contrib import admin

from bfs_tracker.alerts.models import Alert, AlertSettings, FunctionCheck
from bfs_tracker.lib.admin import ReadOnlyAdminMixin


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("date", "user", "rule_id", "severity", "status", "created_at", "acknowledged_at")
    list_filter = ("status", "severity", "rule_id")
    list_select_related = ("user",)
    search_fields = ("user__username",)
    date_hierarchy = "date"


@admin.register(FunctionCheck)
class FunctionCheckAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("taken_on", "user", "created_at")
    list_select_related = ("user",)
    search_fields = ("user__username",)


@admin.register(AlertSettings)
class AlertSettingsAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("user", "email_on_alert")
    list_select_related = ("user",)
