from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "bfs_tracker.reminders"
    label = "reminders"
    verbose_name = "Daily reminder emails"
