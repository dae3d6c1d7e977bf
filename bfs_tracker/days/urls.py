from django.urls import path

from bfs_tracker.days import views

urlpatterns = [
    path("", views.today, name="today"),
    path("days/<isodate:day>/", views.day, name="day"),
    path("days/<isodate:day>/delete/", views.day_delete, name="day_delete"),
]
