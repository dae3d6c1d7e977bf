from django.contrib import admin

from bfs_tracker.trends.models import FlareSettings


@admin.register(FlareSettings)
class FlareSettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "flare_ratio", "flare_margin", "flare_min_days", "remission_min_days", "updated_at"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]
