from django.apps import AppConfig


class LogbookConfig(AppConfig):
    name = "bfs_tracker.logbook"
    label = "logbook"
    verbose_name = "Daily logs"
