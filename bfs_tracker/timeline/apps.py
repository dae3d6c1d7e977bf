from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "bfs_tracker.timeline"
    label = "timeline"
    verbose_name = "Medical timeline"
