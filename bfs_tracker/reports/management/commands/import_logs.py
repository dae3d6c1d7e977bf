from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from bfs_tracker.reports.importers import ImportError_, parse_file
from bfs_tracker.reports.services import ImportBusy, import_apply, import_running


class Command(BaseCommand):
    help = "Import a BFS Tracker JSON backup or CSV export into a user's log (checked whole, then one transaction)."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="username")
        parser.add_argument("file")
        parser.add_argument("--replace", action="store_true", help="replace days already logged (default: skip)")

    def handle(self, *args, user, file, replace, **options):
        try:
            person = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {user!r}") from None
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file at {file}")
        try:
            with import_running(user=person):
                plan = parse_file(path.name, path.read_bytes(), today=person.today())
                result = import_apply(user=person, plan=plan, replace=replace)
        except ImportBusy as busy:
            raise CommandError(
                f"Nothing was imported: another import for {user} started at {busy.started_at:%Y-%m-%d %H:%M} UTC "
                "and is still running."
            ) from None
        except ImportError_ as error:
            raise CommandError(f"Nothing was imported. {error}") from None
        self.stdout.write(result.summary())
