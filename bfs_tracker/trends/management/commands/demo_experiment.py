"""Plan the demo's finished experiment on a remedy (used by seed_demo, which cannot import trends)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from bfs_tracker.logbook.models import Remedy
from bfs_tracker.trends.experiment_store import experiment_plan
from bfs_tracker.trends.models import Experiment


class Command(BaseCommand):
    help = "Demo data: a 28-day before-and-after experiment on one of the user's remedies, from its start date."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="username")
        parser.add_argument("--remedy", type=int, required=True, help="the remedy's id")

    def handle(self, *args, user, remedy, **options):
        person = get_user_model().objects.filter(username=user).first()
        taken = Remedy.objects.filter(pk=remedy, user=person).first()
        if person is None or taken is None:
            raise CommandError("No such user or remedy.")
        if Experiment.objects.filter(user=person).exists():
            return
        experiment, _ = experiment_plan(
            user=person,
            change=f"{taken.name} {taken.dose_text}",
            remedy=taken,
            design="ab",
            outcome="burden",
            start=taken.start,
            days=28,
            go_ahead=True,
        )
        if experiment is not None:
            self.stdout.write(f"Planned the demo experiment “{experiment.change}” from {taken.start}.")
