from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bfs_tracker.accounts.services import user_create
from bfs_tracker.lib.safety import demo_account_problem

USERNAME = "demo"
# Published on purpose: the demo account exists in development only.
PASSWORD = "demo-twitch-2026"  # noqa: S105  # nosec B105
URL = "http://127.0.0.1:8000/"


class Command(BaseCommand):
    help = (
        'Development only (DEBUG=true, a SQLite database or one named with --database): create the "demo" account '
        "with 120 days of demo history if it does not exist, then print its login. Does nothing else when it "
        "exists. Used by `make run`."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--database",
            dest="database_name",
            help="the name of the development database, required when it is not SQLite (a safety check)",
        )

    def handle(self, *, database_name: str | None = None, **options) -> None:
        problem = demo_account_problem(
            debug=settings.DEBUG, database=connection.settings_dict, confirmed_name=database_name
        )
        if problem:
            raise CommandError(problem)
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
