from django.apps import AppConfig


class DaysConfig(AppConfig):
    name = "bfs_tracker.days"
    label = "days"
    verbose_name = "Days"
