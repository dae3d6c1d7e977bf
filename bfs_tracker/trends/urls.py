from django.urls import path

from bfs_tracker.trends import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/data/", views.dashboard_data, name="dashboard_data"),
    path("dashboard/how-flares-are-detected/", views.flare_rules, name="flare_rules"),
    path("settings/flares/", views.flare_settings, name="flare_settings"),
    path("ping/", views.ping, name="ping"),
]
