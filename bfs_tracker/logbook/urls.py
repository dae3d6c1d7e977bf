from django.urls import path

from bfs_tracker.logbook import views

urlpatterns = [
    path("calendar/", views.calendar_current, name="calendar"),
    path("calendar/<year:year>/<month:month>/", views.calendar_month, name="calendar_month"),
    path("settings/reliefs/", views.reliefs, name="reliefs"),
    path("settings/reliefs/<int:pk>/", views.relief_edit, name="relief_edit"),
    path("settings/reliefs/<int:pk>/archive/", views.relief_archive, name="relief_archive"),
    path("settings/reliefs/<int:pk>/delete/", views.relief_delete, name="relief_delete"),
]
