from django.urls import path

from bfs_tracker.security import views

urlpatterns = [
    path("accounts/two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("settings/two-factor/", views.two_factor_settings, name="two_factor"),
    path("settings/two-factor/disable/", views.two_factor_disable, name="two_factor_disable"),
    path("accounts/session/", views.session_check, name="session_check"),
]
