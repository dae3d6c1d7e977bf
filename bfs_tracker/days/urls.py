from django.urls import path, register_converter

from bfs_tracker.days import views
from bfs_tracker.logbook.converters import IsoDateConverter

register_converter(IsoDateConverter, "isodate")

urlpatterns = [
    path("", views.today, name="today"),
    path("days/<isodate:day>/", views.day, name="day"),
    path("days/<isodate:day>/delete/", views.day_delete, name="day_delete"),
]
