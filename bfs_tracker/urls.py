from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("bfs_tracker.accounts.urls")),
    path("", include("bfs_tracker.logbook.urls")),
    path("", include("bfs_tracker.security.urls")),
]
