from django.urls import path, register_converter
from django.views.generic import TemplateView

from bfs_tracker.logbook.converters import IsoDateConverter

register_converter(IsoDateConverter, "isodate")

# Placeholder views until the daily-log screens land; the names are the contract base.html relies on.
_todo = TemplateView.as_view(template_name="base.html")

urlpatterns = [
    path("", _todo, name="today"),
    path("days/<isodate:day>/", _todo, name="day"),
    path("days/<isodate:day>/delete/", _todo, name="day_delete"),
    path("calendar/", _todo, name="calendar"),
    path("calendar/<int:year>/<int:month>/", _todo, name="calendar_month"),
]
