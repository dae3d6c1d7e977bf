"""How long importing a long history takes: a ten-year CSV export into an empty account, then again with "replace".

Usage: python bench/import_days.py [--days 3700] [--format csv|json]
Uses DATABASE_URL when set (e.g. PostgreSQL), otherwise a throwaway SQLite file. Seeds one account with the
deterministic demo history (seed_demo --fast), exports it, then times in a second account:
  parse     reading and checking the file (stages 1 and 2 of reports/importers.py)
  new       import_apply into the empty account (every day created)
  replace   import_apply of the same plan again, replacing every day
Reports seconds and the queries each write ran. No assertions: docs/performance.md records the figures.
"""

import argparse
import json
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bfs_tracker.settings_test")
    if "DATABASE_URL" not in os.environ:
        handle, path = tempfile.mkstemp(suffix=".sqlite3", prefix="bench-import-")
        os.close(handle)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=3700)
    parser.add_argument("--format", choices=["csv", "json"], default="csv")
    args = parser.parse_args()
    _setup()

    from django.core.management import call_command
    from django.db import connection

    from bfs_tracker.accounts.models import User
    from bfs_tracker.accounts.services import user_create
    from bfs_tracker.logbook.models import DailyLog
    from bfs_tracker.reports.exporters import backup_data, csv_rows, render_csv
    from bfs_tracker.reports.importers import parse_file
    from bfs_tracker.reports.services import import_apply

    User.objects.filter(username__in=["bench-import-from", "bench-import-to"]).delete()
    source = user_create(username="bench-import-from", email="from@example.org", password=secrets.token_urlsafe(16))
    target = user_create(username="bench-import-to", email="to@example.org", password=secrets.token_urlsafe(16))
    call_command("seed_demo", user=source.username, days=args.days, fast=True, verbosity=0)
    if args.format == "csv":
        name, data = "days.csv", render_csv(csv_rows(source)).encode()
    else:
        name, data = "days.json", json.dumps(backup_data(source), default=str).encode()

    results = {"vendor": connection.vendor, "format": args.format, "bytes": len(data)}
    started = time.perf_counter()
    plan = parse_file(name, data, today=target.today())
    results["parse_s"] = round(time.perf_counter() - started, 2)
    results["days"] = len(plan.days)
    for label, replace in (("new", False), ("replace", True)):
        queries = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            started = time.perf_counter()
            import_apply(user=target, plan=plan, replace=replace)
            results[f"{label}_s"] = round(time.perf_counter() - started, 2)
        results[f"{label}_queries"] = len(queries)
    results["stored"] = DailyLog.objects.filter(user=target).count()
    results["load_average"] = round(os.getloadavg()[0], 1)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
