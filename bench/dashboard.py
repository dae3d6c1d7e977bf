"""Dashboard benchmark: ten years of daily logs, gunicorn with 2 workers, wrk against three signed-in URLs.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bfs_bench python bench/dashboard.py   (or: make bench)

Never point it at a production database: it creates accounts and writes ten years of made-up logs.
Seeds --users accounts (bench_1, bench_2, ...) with --days of demo history into the configured database (the same
generator as `manage.py seed_demo`; skipped when already there), collects static files, starts gunicorn on a free
local port and runs wrk for --duration seconds on each URL with the session cookie of bench_1:
  baseline  /ping/                    the smallest signed-in view: session, user, a few bytes
  page      /dashboard/?range=all     the dashboard page for the whole history
  data      /dashboard/data/?range=all  its JSON
It prints requests per second, p50/p95/p99 latency and each ratio to the baseline, and saves the figures as JSON in
bench/results/. Goal (issue 3): the data for ten years at >= 0.5 x the baseline's throughput, p95 < 100 ms on a
2-core machine; the page's figures are reported beside it.
The ratio is what to compare between machines; the absolute numbers depend on the machine and its load.
"""

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bfs_tracker.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")

URLS = {
    "baseline": "/ping/",
    "page": "/dashboard/?range=all",
    "data": "/dashboard/data/?range=all",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed(users: int, days: int) -> tuple[str, float]:
    """Create and fill the bench accounts if needed; return bench_1's session cookie and the cache-miss time (ms)."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from bfs_tracker.accounts.models import User
    from bfs_tracker.accounts.services import user_create
    from bfs_tracker.logbook.models import DailyLog

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    first = None
    for n in range(1, users + 1):
        name = f"bench_{n}"
        user = User.objects.filter(username=name).first() or user_create(
            username=name, email=f"{name}@example.org", password=f"bench-password-{n}-unused", time_zone="UTC"
        )
        if DailyLog.objects.filter(user=user).count() < days * 0.85:
            started = time.perf_counter()
            call_command("seed_demo", user=name, days=days, seed=n, stdout=open(os.devnull, "w"))  # noqa: SIM115
            print(f"seeded {name}: {days} days in {time.perf_counter() - started:.1f} s")
        first = first or user
    with connection.cursor() as cursor:  # what autovacuum does after a bulk load: statistics and visibility map
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    # What a cache miss costs: computing the whole ten-year dashboard once, in this process.
    from bfs_tracker.trends.dashboard import build_dashboard
    from bfs_tracker.trends.selectors import log_span

    span = log_span(first)
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        build_dashboard(first, span.first, first.today(), span=span)
        timings.append((time.perf_counter() - started) * 1000)
    print(f"computing the full-range dashboard (a cache miss): best of 3 {min(timings):.0f} ms")
    client = Client()
    client.force_login(first)
    logged = DailyLog.objects.filter(user=first).count()
    print(f"{users} users; bench_1 has {logged} logged days; database {settings.DATABASES['default']['ENGINE']}")
    return client.cookies[settings.SESSION_COOKIE_NAME].value, min(timings)


def wait_until_up(port: int, cookie: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            check(port, cookie, URLS["baseline"])
            return
        except (ConnectionError, OSError):
            time.sleep(0.3)
    raise SystemExit("gunicorn did not start")


def check(port: int, cookie: str, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
    response = conn.getresponse()
    body = response.read()
    if response.status != 200:
        raise SystemExit(f"{path} answered {response.status}, expected 200: {body[:300]!r}")
    return len(body)


def run_wrk(port: int, cookie: str, path: str, args) -> dict:
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "-s",
        str(ROOT / "bench" / "wrk_report.lua"),
        "-H",
        f"Cookie: sessionid={cookie}",
        f"http://127.0.0.1:{port}{path}",
    ]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads([line for line in out.splitlines() if line.startswith("{")][-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=2)
    parser.add_argument("--days", type=int, default=3650)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per URL")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds over the three URLs")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    cookie, miss_ms = seed(args.users, args.days)
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "bfs_tracker.wsgi",
            "-w",
            str(args.workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    try:
        wait_until_up(port, cookie)
        sizes = {name: check(port, cookie, path) for name, path in URLS.items()}
        # Warm up every worker (each has its own in-memory cache and database connection) with a short load.
        for path in URLS.values():
            run_wrk(port, cookie, path, argparse.Namespace(**(vars(args) | {"duration": 3})))
        # The machine is shared, so its load drifts: measure in interleaved rounds and compare each URL with the
        # baseline of the same round, then report medians.
        rounds = []
        for _ in range(args.rounds):
            rounds.append({name: run_wrk(port, cookie, path, args) for name, path in URLS.items()})
    finally:
        server.terminate()
        server.wait(timeout=30)
    results = {}
    for name in URLS:
        runs = [r[name] for r in rounds]
        results[name] = {
            key: statistics.median(run[key] for run in runs) for key in ("rps", "p50_ms", "p95_ms", "p99_ms")
        }
        results[name]["ratio"] = statistics.median(r[name]["rps"] / r["baseline"]["rps"] for r in rounds)
        for key in ("errors", "timeouts", "bad_status"):
            results[name][key] = sum(run[key] for run in runs)
        results[name]["bytes"] = sizes[name]
        results[name]["rounds"] = runs
    print(f"\nmedians of {args.rounds} rounds of {args.duration} s per URL ({args.connections} connections)")
    print(
        f"{'url':<10} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7} {'x base':>7} {'bytes':>9}"
    )
    for name, r in results.items():
        print(
            f"{name:<10} {r['rps']:>8.1f} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f} {r['p99_ms']:>8.1f} "
            f"{r['errors']:>7} {r['ratio']:>7.2f} {r['bytes']:>9}"
        )
    data = results["data"]
    verdict = data["ratio"] >= 0.5 and data["p95_ms"] < 100
    print(
        f"\ngoal for the ten-year dashboard data (>= 0.5 x baseline, p95 < 100 ms): {'met' if verdict else 'NOT met'}"
    )
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    record = {
        "when": stamp,
        "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "args": vars(args),
        "cache_miss_ms": round(miss_ms),
        "results": results,
    }
    (out_dir / f"dashboard-{stamp}.json").write_text(json.dumps(record, indent=2))


if __name__ == "__main__":
    main()
