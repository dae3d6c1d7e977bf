from django.urls import path

from bfs_tracker.trends import experiment_views, views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/data/", views.dashboard_data, name="dashboard_data"),
    path("dashboard/how-flares-are-detected/", views.flare_rules, name="flare_rules"),
    path("settings/flares/", views.flare_settings, name="flare_settings"),
    path("ping/", views.ping, name="ping"),
    path("experiments/", experiment_views.experiments, name="experiments"),
    path("experiments/plan/", experiment_views.experiment_plan, name="experiment_plan"),
    path("experiments/<int:pk>/", experiment_views.experiment_detail, name="experiment_detail"),
    path("experiments/<int:pk>/edit/", experiment_views.experiment_edit, name="experiment_edit"),
    path("experiments/<int:pk>/stop/", experiment_views.experiment_stop, name="experiment_stop"),
    path("experiments/<int:pk>/delete/", experiment_views.experiment_delete, name="experiment_delete"),
]
