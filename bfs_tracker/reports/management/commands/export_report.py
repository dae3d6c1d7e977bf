import datetime as dt
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from bfs_tracker.reports.assembly import build_report, default_range
from bfs_tracker.reports.exporters import backup_data, csv_rows, remedy_csv_rows, render_csv
from bfs_tracker.reports.fhir import fhir_bundle
from bfs_tracker.reports.pdf import render_pdf


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date like 2026-03-31") from None


class Command(BaseCommand):
    help = (
        "Write a user's report (pdf), days or remedies (csv, --table), full backup (json) or HL7 FHIR bundle (fhir) "
        "to a file."
    )

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="username")
        parser.add_argument("--format", required=True, choices=["pdf", "csv", "json", "fhir"])
        parser.add_argument("--start", type=_date, help="first day (YYYY-MM-DD); pdf default: 90 days ago")
        parser.add_argument("--end", type=_date, help="last day (YYYY-MM-DD); pdf default: today")
        parser.add_argument("--out", required=True, help="file to write")
        parser.add_argument(
            "--table",
            choices=["days", "remedies"],
            default="days",
            help="csv only: one row per logged day (default) or one row per remedy dose",
        )

    def handle(self, *args, user, format, start, end, out, table="days", **options):
        try:
            person = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {user!r}") from None
        if start and end and start > end:
            raise CommandError("--start is after --end")
        if table != "days" and format != "csv":
            raise CommandError("--table is for --format csv.")
        if format == "pdf":
            default_start, default_end = default_range(person.today())
            content = render_pdf(build_report(person, start or default_start, end or default_end))
        elif format == "csv":
            content = render_csv((remedy_csv_rows if table == "remedies" else csv_rows)(person, start, end)).encode()
        elif format == "json":
            if start or end:
                raise CommandError("The JSON backup always holds everything; leave out --start and --end.")
            content = json.dumps(backup_data(person), indent=1, ensure_ascii=False).encode()
        else:
            content = json.dumps(fhir_bundle(person, start or dt.date.min, end or dt.date.max)).encode()
        Path(out).write_bytes(content)
        self.stdout.write(f"Wrote {len(content)} bytes to {out}")
