from django.urls import path

from bfs_tracker.timeline import views

urlpatterns = [
    path("timeline/", views.timeline, name="timeline"),
    path("timeline/add/<slug:kind>/", views.event_add, name="timeline_add"),
    path("timeline/<int:pk>/edit/", views.event_edit, name="timeline_edit"),
    path("timeline/<int:pk>/delete/", views.event_delete_view, name="timeline_delete"),
]
