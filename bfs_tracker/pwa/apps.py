from django.apps import AppConfig


class PwaConfig(AppConfig):
    name = "bfs_tracker.pwa"
    label = "pwa"
    verbose_name = "Installable app (manifest, service worker, offline page)"
