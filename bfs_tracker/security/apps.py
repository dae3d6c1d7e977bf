from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "bfs_tracker.security"
    label = "security"
    verbose_name = "Security"

    def ready(self) -> None:
        from bfs_tracker.security import signals  # noqa: F401  (connects the receivers)
