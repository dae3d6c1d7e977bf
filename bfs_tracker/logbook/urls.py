from django.urls import path

from bfs_tracker.logbook import views

urlpatterns = [
    path("calendar/", views.calendar_current, name="calendar"),
    path("calendar/<year:year>/<month:month>/", views.calendar_month, name="calendar_month"),
    path("settings/reliefs/", views.reliefs, name="reliefs"),
    path("settings/reliefs/<int:pk>/", views.relief_edit, name="relief_edit"),
    path("settings/reliefs/<int:pk>/archive/", views.relief_archive, name="relief_archive"),
    path("settings/reliefs/<int:pk>/delete/", views.relief_delete, name="relief_delete"),
    path("settings/remedies/", views.remedies, name="remedies"),
    path("settings/remedies/add/", views.remedy_add, name="remedy_add"),
    path("settings/remedies/<int:pk>/", views.remedy_edit, name="remedy_edit"),
    path("settings/remedies/<int:pk>/stop/", views.remedy_stop_view, name="remedy_stop"),
    path("settings/remedies/<int:pk>/dose/", views.remedy_dose, name="remedy_dose"),
    path("settings/remedies/<int:pk>/delete/", views.remedy_delete_view, name="remedy_delete"),
]
