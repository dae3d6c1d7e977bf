from django.urls import path

from bfs_tracker.reminders import views

urlpatterns = [
    path("settings/reminders/", views.reminder_settings, name="reminder_settings"),
]
