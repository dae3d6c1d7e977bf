"""Print a person's flares and remissions, detected exactly as the dashboard does."""

import datetime as dt
import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from bfs_tracker.trends import selectors
from bfs_tracker.trends.flares import NOT_ENOUGH_DATA


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from exc


class Command(BaseCommand):
    help = "List flares and remissions of one user: periods that touch --start..--end (default: all history)."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="username")
        parser.add_argument("--start", type=_date, help="first day, YYYY-MM-DD")
        parser.add_argument("--end", type=_date, help="last day, YYYY-MM-DD")
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args, user, start, end, format, **options):
        try:
            person = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"No user named {user!r}") from exc
        if start and end and start > end:
            raise CommandError("--start must be on or before --end")
        # Detection always runs on the whole history, as on the dashboard: the baseline needs the weeks before.
        found = selectors.periods_in_range(person, start, end)
        rows = [item.as_dict() for item in found.items]
        if format == "json":
            # The JSON stays a list of periods (other tools read it); the state goes to stderr for a person.
            self.stdout.write(json.dumps(rows, indent=2))
            if found.state.kind == NOT_ENOUGH_DATA:
                self.stderr.write(found.state.text)
            return
        if found.state.kind == NOT_ENOUGH_DATA:
            self.stdout.write(f"{found.state.text}. Nothing is detected before that.")
            return
        if not rows:
            self.stdout.write("No flares or remissions.")
        for row in rows:
            line = (
                f"{row['kind']:<9} {row['start']} to {row['end']}  {row['days']:>3} days "
                f"({row['logged_days']} logged)  peak {row['peak']:g}  mean {row['mean']:g}"
            )
            if row.get("unusual_before"):
                line += "  before: " + "; ".join(row["unusual_before"])
            self.stdout.write(line)
