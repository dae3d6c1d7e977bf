from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from bfs_tracker.accounts.services import user_create

USERNAME = "demo"
# Published on purpose: the demo account exists in development only.
PASSWORD = "demo-twitch-2026"  # noqa: S105  # nosec B105
URL = "http://127.0.0.1:8000/"


class Command(BaseCommand):
    help = (
        'Development only (DEBUG=true): create the "demo" account with 120 days of demo history if it does not '
        "exist, then print its login. Does nothing else when it exists. Used by `make run`."
    )

    def handle(self, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "ensure_demo only runs with DEBUG=true: it creates an account whose password is published."
            )
        if not get_user_model().objects.filter(username=USERNAME).exists():
            user_create(
                username=USERNAME,
                email="demo@example.org",
                password=PASSWORD,
                time_zone="Europe/London",
                first_name="Demo",
                last_name="User",
            )
            call_command("seed_demo", user=USERNAME, days=120, seed=1, stdout=self.stdout)
        self.stdout.write(f"Demo login: {URL}  username: {USERNAME}  password: {PASSWORD}")
