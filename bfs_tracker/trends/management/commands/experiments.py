"""Print a person's planned self-experiments with their phases, result and warnings, exactly as the app shows them."""

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from bfs_tracker.trends.experiment_store import experiments_with_results


class Command(BaseCommand):
    help = (
        "List one user's experiments: plan, phases (start, end, logged days compared: flare days left out; mean "
        "outcome), estimate, interval, verdict and warnings. A result is given only once an experiment has finished."
    )

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="username")
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args, user, format, **options):
        try:
            person = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"No user named {user!r}") from exc
        views = experiments_with_results(person, person.today())
        if format == "json":
            self.stdout.write(json.dumps([v.as_dict() for v in views], indent=2))
            return
        if not views:
            self.stdout.write("No experiments.")
        for v in views:
            e = v.experiment
            self.stdout.write(f"{e.change} ({v.outcome_label.lower()}), {e.start} to {v.end}: {v.status}")
            for p in v.result.phases:
                mean = "-" if p.mean is None else f"{p.mean:.1f}"
                days = f"{p.logged_days:>3} logged days compared"
                self.stdout.write(f"  {p.label:<9} {p.start} to {p.end}  {days}  mean {mean}")
            if v.status == "finished":
                self.stdout.write(f"  {v.sentence}")
            for warning in v.warnings:
                self.stdout.write(f"  Warning: {warning}")
