from django.urls import path

from bfs_tracker.logbook import own_factor_views, views

urlpatterns = [
    path("calendar/", views.calendar_current, name="calendar"),
    path("calendar/<year:year>/<month:month>/", views.calendar_month, name="calendar_month"),
    path("settings/reliefs/", views.reliefs, name="reliefs"),
    path("settings/reliefs/<int:pk>/", views.relief_edit, name="relief_edit"),
    path("settings/reliefs/<int:pk>/archive/", views.relief_archive, name="relief_archive"),
    path("settings/reliefs/<int:pk>/delete/", views.relief_delete, name="relief_delete"),
    path("settings/factors/", own_factor_views.own_factors, name="own_factors"),
    path("settings/factors/<int:pk>/", own_factor_views.own_factor_edit, name="own_factor_edit"),
    path("settings/factors/<int:pk>/archive/", own_factor_views.own_factor_archive, name="own_factor_archive"),
]
