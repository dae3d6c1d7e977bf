from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "bfs_tracker.reports"
    label = "reports"
    verbose_name = "Reports, exports and sharing"
