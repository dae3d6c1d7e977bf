from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "bfs_tracker.accounts"
    label = "accounts"
    verbose_name = "Accounts"
