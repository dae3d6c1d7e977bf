from django.contrib import admin

from bfs_tracker.lib.admin import ReadOnlyAdminMixin
from bfs_tracker.timeline.models import Event


@admin.register(Event)
class EventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "date", "kind"]
    list_filter = ["kind"]
