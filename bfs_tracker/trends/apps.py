from django.apps import AppConfig


class TrendsConfig(AppConfig):
    name = "bfs_tracker.trends"
    label = "trends"
    verbose_name = "Trends and flares"
