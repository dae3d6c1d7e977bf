"""Admin for health records: look, never touch.

A maintainer can browse logs to answer a support question or check a bug, but cannot add, change or delete anyone's
days from here (the only writes go through logbook.services). Accounts are managed in the accounts admin.
"""

from django.contrib import admin

from bfs_tracker.lib.admin import ReadOnlyAdminMixin
from bfs_tracker.logbook.models import DailyLog, ReliefMethod, TwitchEntry


class TwitchEntryInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = TwitchEntry
    fields = ("muscle_group", "side", "intensity")
    extra = 0


@admin.register(DailyLog)
class DailyLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("date", "user", "burden", "weakness", "updated_at")
    list_filter = ("date", "weakness", "illness", "exertion")
    list_select_related = ("user",)
    search_fields = ("user__username",)
    date_hierarchy = "date"
    inlines = (TwitchEntryInline,)
    readonly_fields = ("burden", "created_at", "updated_at")


@admin.register(ReliefMethod)
class ReliefMethodAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "user", "archived")
    list_filter = ("archived",)
    list_select_related = ("user",)
    search_fields = ("user__username", "name")
