from django.urls import path

from bfs_tracker.alerts import views

urlpatterns = [
    path("alerts/", views.alert_list, name="alerts"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert_detail"),
    path("alerts/<int:pk>/acknowledge/", views.alert_acknowledge_view, name="alert_acknowledge"),
    path("alerts/function-check/", views.function_check, name="function_check"),
    path("alerts/settings/", views.alert_settings, name="alert_settings"),
    path("about-bfs/", views.about_bfs, name="about_bfs"),
]
