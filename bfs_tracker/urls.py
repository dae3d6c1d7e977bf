from django.contrib import admin
from django.urls import include, path

from bfs_tracker.logbook import converters

# The log's date and month converters (isodate, year, month), before the apps' URLconfs that use them.
converters.register()

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("bfs_tracker.reports.urls")),
    path("", include("bfs_tracker.accounts.urls")),
    path("", include("bfs_tracker.days.urls")),
    path("", include("bfs_tracker.logbook.urls")),
    path("", include("bfs_tracker.pwa.urls")),
    path("", include("bfs_tracker.reminders.urls")),
    path("", include("bfs_tracker.security.urls")),
    path("", include("bfs_tracker.trends.urls")),
    path("", include("bfs_tracker.alerts.urls")),
    path("", include("bfs_tracker.timeline.urls")),
]

# A database that is restarting answers 503 "try again" instead of a crash page (bfs_tracker/security/views.py).
handler500 = "bfs_tracker.security.views.server_error"
handler400 = "bfs_tracker.security.views.bad_request"
