"""Evaluate flare detection on the labelled made-up corpus (trends/synthetic.py); see docs/trends.md."""

from django.core.management.base import BaseCommand, CommandError

from bfs_tracker.trends import ceiling as _ceiling
from bfs_tracker.trends import evaluation


class Command(BaseCommand):
    help = (
        "Precision, recall and edge errors of flare and remission detection per category of made-up histories, "
        "and false flares per year of flat noisy data. Needs no database."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--seeds", type=int, default=100, help="histories per category (default 100)")
        parser.add_argument(
            "--seed-start",
            type=int,
            default=0,
            help="first seed (default 0): seeds SEED_START .. SEED_START + SEEDS - 1, e.g. 100 for held-out histories",
        )
        parser.add_argument(
            "--compare", action="store_true", help="also score the other methods and print the comparison"
        )
        parser.add_argument(
            "--ceiling",
            action="store_true",
            help="instead, what an oracle knowing the true usual level and flare spans could reach (trends/ceiling.py)",
        )
        parser.add_argument(
            "--scale",
            choices=sorted(_ceiling.SCALES),
            default="log",
            help="with --ceiling: the scale days are judged on",
        )

    def handle(self, *args, seeds, compare, ceiling: bool = False, scale: str = "log", seed_start: int = 0, **options):
        if seeds < 1:
            raise CommandError("--seeds must be at least 1")
        if seed_start < 0:
            raise CommandError("--seed-start must be at least 0")
        chosen = range(seed_start, seed_start + seeds)
        which = f"{seeds} histories per category" + (f", seeds {chosen[0]}-{chosen[-1]}" if seed_start else "")
        if ceiling:
            self.stdout.write(f"### Oracle ceiling, {scale} scale, {which}\n")
            self.stdout.write(_ceiling.table(_ceiling.collect(chosen, scale)))
            return
        methods = evaluation.METHODS if compare else {evaluation.ADOPTED: evaluation.METHODS[evaluation.ADOPTED]}
        overall = {}
        for name, detector in methods.items():
            scores = evaluation.evaluate(detector, seeds=chosen)
            overall[name] = evaluation.total(scores)
            self.stdout.write(evaluation.table(scores, title=f"{name}, {which}"))
        if compare:
            self.stdout.write(evaluation.table(overall, title="Overall, by method", totals=False))
