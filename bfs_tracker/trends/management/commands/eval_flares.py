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

    def handle(self, *args, seeds, compare, ceiling: bool = False, scale: str = "log", **options):
        if seeds < 1:
            raise CommandError("--seeds must be at least 1")
        if ceiling:
            self.stdout.write(f"### Oracle ceiling, {scale} scale, {seeds} histories per category\n")
            self.stdout.write(_ceiling.table(_ceiling.collect(range(seeds), scale)))
            return
        methods = evaluation.METHODS if compare else {evaluation.ADOPTED: evaluation.METHODS[evaluation.ADOPTED]}
        overall = {}
        for name, detector in methods.items():
            scores = evaluation.evaluate(detector, seeds=range(seeds))
            overall[name] = evaluation.total(scores)
            self.stdout.write(evaluation.table(scores, title=f"{name}, {seeds} histories per category"))
        if compare:
            self.stdout.write(evaluation.table(overall, title="Overall, by method", totals=False))
