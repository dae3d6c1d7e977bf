from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "bfs_tracker.alerts"
    label = "alerts"
    verbose_name = "Red-flag alerts"
