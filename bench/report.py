"""How long a one-year doctor's report takes, as a ratio to baselines measured in the same run.

Usage: python bench/report.py [--days 365] [--repeat 7]
Uses DATABASE_URL when set (e.g. PostgreSQL), otherwise a throwaway SQLite file. Seeds one user with the
deterministic demo history (seed_demo --fast), then times, each as the median of --repeat runs:
  baseline_trivial_pdf   a one-paragraph ReportLab document (what any PDF costs on this machine)
  baseline_empty_report  build_report + render_pdf over a range with no logged days
  year_build             build_report over the year (database reads and summaries)
  year_render            render_pdf of that ReportData (layout, chart, day-by-day table)
  year_total             both, as the PDF view does
  year_csv, year_fhir    the CSV export and the FHIR bundle (built, not validated) of the same year
Results go to stdout and bench/results/report.json. No assertions: docs/performance.md records the figures.
"""

import argparse
import datetime as dt
import io
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bfs_tracker.settings_test")
    if "DATABASE_URL" not in os.environ:
        handle, path = tempfile.mkstemp(suffix=".sqlite3", prefix="bench-report-")
        os.close(handle)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    _setup()

    from django.core.management import call_command
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from bfs_tracker.accounts.models import User
    from bfs_tracker.accounts.services import user_create
    from bfs_tracker.reports.assembly import build_report
    from bfs_tracker.reports.exporters import csv_rows, render_csv
    from bfs_tracker.reports.fhir import fhir_bundle
    from bfs_tracker.reports.pdf import render_pdf

    User.objects.filter(username="bench-report").delete()
    user = user_create(username="bench-report", email="bench-report@example.org", password=secrets.token_urlsafe(16))
    call_command("seed_demo", user=user.username, days=args.days, fast=True, verbosity=0)
    end = user.today()
    start = end - dt.timedelta(days=args.days - 1)
    empty_start, empty_end = start - dt.timedelta(days=400), start - dt.timedelta(days=310)

    def trivial_pdf() -> bytes:
        out = io.BytesIO()
        SimpleDocTemplate(out, pagesize=A4).build([Paragraph("BFS Tracker", getSampleStyleSheet()["Normal"])])
        return out.getvalue()

    report = build_report(user, start, end)
    pdf = render_pdf(report)
    results = {
        "baseline_trivial_pdf": _median_ms(trivial_pdf, args.repeat),
        "baseline_empty_report": _median_ms(
            lambda: render_pdf(build_report(user, empty_start, empty_end)), args.repeat
        ),
        "year_build": _median_ms(lambda: build_report(user, start, end), args.repeat),
        "year_render": _median_ms(lambda: render_pdf(report), args.repeat),
        "year_total": _median_ms(lambda: render_pdf(build_report(user, start, end)), args.repeat),
        "year_csv": _median_ms(lambda: render_csv(csv_rows(user, start, end)), args.repeat),
        "year_fhir": _median_ms(lambda: fhir_bundle(user, start, end), args.repeat),
    }
    base = results["baseline_empty_report"]
    trivial = results["baseline_trivial_pdf"]
    from django.db import connection

    print(f"database: {connection.vendor}; {report.days_logged} days logged of {args.days}; PDF {len(pdf)} bytes")
    print(f"{'measure':<24}{'ms':>9}{'× empty report':>16}{'× trivial pdf':>15}")
    for name, ms in results.items():
        print(f"{name:<24}{ms:>9.1f}{ms / base:>16.1f}{ms / trivial:>15.1f}")
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = {
        "database": connection.vendor,
        "days": args.days,
        "days_logged": report.days_logged,
        "pdf_bytes": len(pdf),
        "ms": {k: round(v, 1) for k, v in results.items()},
        "ratio_to_empty_report": {k: round(v / base, 2) for k, v in results.items()},
    }
    (out_dir / "report.json").write_text(json.dumps(summary, indent=2))
    User.objects.filter(pk=user.pk).delete()


if __name__ == "__main__":
    main()
