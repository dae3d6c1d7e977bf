from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("bfs_tracker.reports.urls")),
    path("", include("bfs_tracker.accounts.urls")),
    path("", include("bfs_tracker.logbook.urls")),
    path("", include("bfs_tracker.pwa.urls")),
    path("", include("bfs_tracker.reminders.urls")),
    path("", include("bfs_tracker.trends.urls")),
    path("", include("bfs_tracker.alerts.urls")),
]
