"""Every main page under load, each as a ratio to the cheapest signed-in page measured in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bfs_bench make bench     (PostgreSQL, then SQLite)
    python bench/pages.py --databases sqlite --duration 5 --rounds 3            (quicker, SQLite only)

Never point it at a production database: it creates accounts and writes ten years of made-up logs.

For each database (PostgreSQL from DATABASE_URL when it is set, then SQLite with Django's defaults, the
configuration used when DATABASE_URL is unset, in its own file bench/results/bench.sqlite3):
1. In a child process with that database: migrate, collect static files, create bench_1 and bench_2 with --days of
   demo history (`seed_demo`, the same generator as the demo account; skipped when already there), VACUUM/ANALYZE,
   sign both in (a session each) and give bench_1 a share link for the last year.
2. Start gunicorn with the production settings (DEBUG off, secure cookies, HTTPS redirect) as behind a proxy that
   terminates TLS: SECURE_PROXY_SSL_HEADER is set and every request says `X-Forwarded-Proto: https`. The cookies
   are Secure, so no client would send them over plain HTTP: they are sent by hand, as one Cookie header.
3. Check every URL answers as it should (200; the save answers 302 back to its day and stores two muscle groups).
4. Warm up, then interleaved rounds: each round runs wrk on the baseline, then on every page in turn; the ratio of a
   page is its req/s over the mean of the baselines just before and just after its round, and the figures are the
   medians over rounds. p95 comes from wrk at --connections connections.

Reads are bench_1's; saves are bench_2's (so saving does not change the data the dashboard of bench_1 caches:
that cost shows in the save's own figure). Each save POSTs a whole day with two muscle groups through the day
form, cycling through the last 28 days.

Prints a table per database, writes bench/results/pages-<database>-<time>.json, and, with --write-docs (on by
default), replaces the block between the "make bench" markers in docs/performance.md with the figures and the
machine. The ratios are what to compare between machines; absolute numbers move with the machine and its load.
"""

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlencode

from loadkit import DAY_FORM, HOST, RESULTS, ROOT, app_env, form_fields, start_gunicorn, stop_gunicorn

DOCS = ROOT / "docs" / "performance.md"
DOC_START = "<!-- make bench: start (written by bench/pages.py; edit the script, not this block) -->"
DOC_END = "<!-- make bench: end -->"
SQLITE_FILE = RESULTS / "bench.sqlite3"
SAVE_DAYS = 28  # the save cycles through this many recent days
READER, WRITER = "bench_1", "bench_2"


# --- The pages and their goals --------------------------------------------------------------------------------


def pages(today: dt.date, share_token: str) -> list[dict]:
    """Name, method, path and goal (minimum ratio to the baseline; p95 limit in ms) of each page measured."""
    year_ago = today - dt.timedelta(days=364)
    year = urlencode({"start": year_ago.isoformat(), "end": today.isoformat()})
    day = today - dt.timedelta(days=3)
    return [
        {"name": "day_form", "label": "day form (GET)", "path": f"/days/{day}/", "ratio": 0.3},
        {"name": "day_save", "label": "saving a day (POST, two muscle groups)", "path": "POST", "ratio": 0.25},
        {"name": "calendar", "label": "calendar (this month)", "path": "/calendar/", "ratio": 0.5},
        {"name": "alerts", "label": "alerts", "path": "/alerts/", "ratio": 0.5},
        {"name": "dashboard_90", "label": "dashboard, 90 days", "path": "/dashboard/?range=90", "ratio": 0.5},
        {"name": "dashboard_all", "label": "dashboard, all ten years", "path": "/dashboard/?range=all", "ratio": 0.5},
        {
            "name": "dashboard_data",
            "label": "dashboard data (JSON), ten years",
            "path": "/dashboard/data/?range=all",
            "ratio": 0.7,
        },
        {"name": "report_html", "label": "report, one year (HTML)", "path": f"/report/?{year}", "ratio": 0.1},
        {
            "name": "report_pdf",
            "label": "report PDF, one year",
            "path": f"/report/pdf/?{year}",
            "ratio": 0.04,
            "p95": None,
        },
        {
            "name": "shared_report",
            "label": "shared report, one year (no sign-in)",
            "path": f"/shared/{share_token}/",
            "ratio": 0.1,
            "anonymous": True,
        },
        # Pages other branches add: measured when the URL exists (the check step drops a 404).
        {"name": "timeline", "label": "timeline", "path": "/timeline/", "ratio": 0.5, "optional": True},
        {"name": "experiments", "label": "experiments", "path": "/experiments/", "ratio": 0.5, "optional": True},
    ]


BASELINE = {"name": "baseline", "label": "baseline: signed-in trivial page", "path": "/ping/", "ratio": 1.0}
P95_LIMIT_MS = 100


# --- Preparing a database (runs in a child process, with that database's settings) ---------------------------

PREPARE = r"""
import datetime as dt, json, os, sys, time
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from bfs_tracker.accounts.models import User
from bfs_tracker.accounts.services import user_create
from bfs_tracker.logbook.models import DailyLog
from bfs_tracker.reports.services import share_link_create

days = int(os.environ["BENCH_DAYS"])
cookies, logged = {}, {}
for n, name in enumerate(["bench_1", "bench_2"], start=1):
    user = User.objects.filter(username=name).first() or user_create(
        username=name, email=f"{name}@example.org", password=f"bench-password-{n}-unused", time_zone="UTC"
    )
    if DailyLog.objects.filter(user=user, date__gt=user.today() - dt.timedelta(days=days)).count() < days * 0.85:
        started = time.perf_counter()
        call_command("seed_demo", user=name, days=days, seed=n, stdout=open(os.devnull, "w"))
        print(f"seeded {name}: {days} days in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    client = Client()
    client.force_login(user)
    cookies[name] = client.cookies[settings.SESSION_COOKIE_NAME].value
    logged[name] = DailyLog.objects.filter(user=user).count()
reader = User.objects.get(username="bench_1")
today = reader.today()
_, token = share_link_create(
    user=reader, start=today - dt.timedelta(days=364), end=today,
    expires_at=timezone.now() + dt.timedelta(days=1), label="bench",
)
with connection.cursor() as cursor:  # what autovacuum does after a bulk load: statistics and visibility map
    cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT 'SQLite ' || sqlite_version()")
    version = cursor.fetchone()[0]
print(json.dumps({
    "cookies": cookies, "logged": logged, "today": today.isoformat(), "share_token": token,
    "vendor": connection.vendor, "version": version,
}))
"""


def prepare(env: dict, days: int) -> dict:
    for command in (["migrate", "--no-input"], ["collectstatic", "--no-input"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", PREPARE],
        cwd=ROOT,
        env=env | {"BENCH_DAYS": str(days)},
        capture_output=True,
        text=True,
    )
    sys.stderr.write(result.stderr[-3000:])
    if result.returncode != 0:
        raise SystemExit(f"preparing the database failed:\n{result.stdout[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- Talking to the app -------------------------------------------------------------------------------------


def headers_for(cookies: dict[str, str]) -> dict[str, str]:
    headers = {"Host": HOST, "X-Forwarded-Proto": "https"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    return headers


def fetch(port: int, method: str, path: str, cookies: dict, body: str | None = None):
    headers = headers_for(cookies)
    if body is not None:
        headers |= post_headers(path)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    content = response.read()
    set_cookies = {}
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            set_cookies[name] = rest.split(";", 1)[0]
    return response.status, response.getheader("Location") or "", content, set_cookies


def post_headers(path: str) -> dict[str, str]:
    """What a browser adds to a form POST over HTTPS; Django's CSRF check compares Origin with the host."""
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": f"https://{HOST}",
        "Referer": f"https://{HOST}{path}",
    }


def save_body(port: int, cookies: dict, day: str) -> tuple[str, dict]:
    """The day form of `day` as a browser fills it: every field as shown, the twitch rows replaced by two muscle
    groups. Returns the urlencoded body and the cookies to send (session and CSRF)."""
    path = f"/days/{day}/"
    status, _, page, set_cookies = fetch(port, "GET", path, cookies)
    if status != 200:
        raise SystemExit(f"GET {path} answered {status}")
    cookies = cookies | set_cookies
    fields = [(k, v) for k, v in form_fields(page.decode(), path, DAY_FORM) if not k.startswith("twitches-")]
    management = {
        k: v for k, v in form_fields(page.decode(), path, DAY_FORM) if k.startswith("twitches-") and "FORMS" in k
    }
    management |= {"twitches-TOTAL_FORMS": "2", "twitches-INITIAL_FORMS": "0"}
    fields += list(management.items())
    fields += [
        ("twitches-0-muscle_group", "calf"),
        ("twitches-0-side", "left"),
        ("twitches-0-intensity", "5"),
        ("twitches-1-muscle_group", "eyelid"),
        ("twitches-1-side", "both"),
        ("twitches-1-intensity", "3"),
    ]
    fields = [(k, v) for k, v in fields if k != "notes"] + [("notes", "bench: two muscle groups")]
    return urlencode(fields), cookies


def check_pages(port: int, prepared: dict, urls: list[dict]) -> list[dict]:
    """Every page answers as it should before it is measured; optional pages that do not exist are dropped."""
    kept = []
    for page in urls:
        cookies = {} if page.get("anonymous") else page["cookies"]
        if page["name"] == "day_save":
            path = page["paths"][0]
            status, location, _, _ = fetch(port, "POST", path, cookies, body=page["body"])
            if status != 302 or location.rstrip("/").split("/")[-1] != path.rstrip("/").split("/")[-1]:
                raise SystemExit(f"saving {path} answered {status} {location!r}, expected 302 back to the day")
            status, _, html, _ = fetch(port, "GET", path, cookies)
            if html.count(b'value="calf"') + html.count(b'value="eyelid"') < 2 and b"eyelid" not in html:
                raise SystemExit(f"the day {path} does not show the muscle groups just saved")
            page["bytes"] = 0
        else:
            status, location, content, _ = fetch(port, "GET", page["path"], cookies)
            if status == 404 and page.get("optional"):
                print(f"  {page['path']}: 404, not on this branch; left out")
                continue
            if status != 200:
                raise SystemExit(f"{page['path']} answered {status} {location!r}: {content[:300]!r}")
            page["bytes"] = len(content)
        kept.append(page)
    return kept


def run_wrk(port: int, page: dict, args, duration: float) -> dict:
    cookies = {} if page.get("anonymous") else page["cookies"]
    env = os.environ.copy()
    command = ["wrk", "-t1", f"-c{args.connections}", f"-d{int(duration)}s", "--timeout", "30s"]
    command += ["-s", str(ROOT / "bench" / "wrk_report.lua")]
    header_dict = headers_for(cookies)
    if page["name"] == "day_save":
        header_dict |= post_headers(page["paths"][0])
        env |= {"BENCH_BODY": page["body"], "BENCH_PATHS": ",".join(page["paths"])}
        url_path = page["paths"][0]
    else:
        url_path = page["path"]
    for name, value in header_dict.items():
        if name != "Host":
            command += ["-H", f"{name}: {value}"]  # each header, the Cookie too, as ONE argument
    command += ["-H", f"Host: {HOST}", f"http://127.0.0.1:{port}{url_path}"]
    out = subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout
    result = json.loads([line for line in out.splitlines() if line.startswith("{")][-1])
    drain(port, BASELINE["cookies"], args.workers)
    return result


def drain(port: int, cookies: dict, workers: int) -> None:
    """wrk stops with up to one request per connection still queued or running on the server (a slow page under
    load can leave seconds of work): send one trivial request per worker at once and wait for every answer. A sync
    worker takes queued requests in turn, so when they have all answered, what wrk left behind is done and the next
    page measured does not pay for it."""
    threads = [threading.Thread(target=fetch, args=(port, "GET", BASELINE["path"], cookies)) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


# --- One database -------------------------------------------------------------------------------------------


def bench_database(kind: str, database_url: str, args) -> dict:
    print(f"\n== {kind}: preparing {args.days} days of history", flush=True)
    env = app_env(database_url)
    env["DB_CONN_MAX_AGE"] = "600"
    prepared = prepare(env, args.days)
    today = dt.date.fromisoformat(prepared["today"])
    urls = [BASELINE, *pages(today, prepared["share_token"])]
    save_days = [(today - dt.timedelta(days=d)).isoformat() for d in range(1, SAVE_DAYS + 1)]
    for page in urls:
        page["cookies"] = {"sessionid": prepared["cookies"][WRITER if page["name"] == "day_save" else READER]}
    server = start_gunicorn(env, args.port, args.workers, args.threads, worker_class=args.worker_class)
    try:
        for page in urls:
            if page["name"] == "day_save":
                page["body"], page["cookies"] = save_body(args.port, page["cookies"], save_days[0])
                page["paths"] = [f"/days/{day}/" for day in save_days]
        urls = check_pages(args.port, prepared, urls)
        for page in urls:  # warm-up: every worker fills its caches, imports, connections
            run_wrk(args.port, page, args, args.warmup)
        load_before = os.getloadavg()
        baselines, rounds = [], []
        for number in range(args.rounds):
            baselines.append(run_wrk(args.port, BASELINE, args, args.duration))
            rounds.append({p["name"]: run_wrk(args.port, p, args, args.duration) for p in urls if p is not BASELINE})
            print(f"  round {number + 1}/{args.rounds} done (load average {os.getloadavg()[0]:.1f})", flush=True)
        baselines.append(run_wrk(args.port, BASELINE, args, args.duration))
        load_after = os.getloadavg()
    finally:
        stop_gunicorn(server)
    results = {}
    for page in urls:
        name = page["name"]
        if name == "baseline":
            runs = baselines
            ratios = [1.0 for _ in baselines]
        else:
            runs = [r[name] for r in rounds]
            ratios = [run["rps"] / ((baselines[i]["rps"] + baselines[i + 1]["rps"]) / 2) for i, run in enumerate(runs)]
        figures = {key: statistics.median(run[key] for run in runs) for key in ("rps", "p50_ms", "p95_ms", "p99_ms")}
        figures["p95_max_ms"] = max(run["p95_ms"] for run in runs)
        figures["ratio"] = statistics.median(ratios)
        figures["ratios"] = [round(r, 3) for r in ratios]
        figures["errors"] = sum(run["errors"] for run in runs)
        figures["bytes"] = page["bytes"]
        p95_limit = page.get("p95", P95_LIMIT_MS)
        figures["goal_ratio"] = page["ratio"]
        figures["goal_p95_ms"] = p95_limit
        figures["met"] = (
            figures["ratio"] >= page["ratio"]
            and (p95_limit is None or figures["p95_ms"] < p95_limit)
            and figures["errors"] == 0
        )
        figures["label"] = page["label"]
        results[name] = figures
    return {
        "database": kind,
        "version": prepared["version"],
        "logged_days": prepared["logged"],
        "load_average": {"before": [round(x, 1) for x in load_before], "after": [round(x, 1) for x in load_after]},
        "results": results,
    }


# --- Reporting ----------------------------------------------------------------------------------------------


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f"{mem_kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, AttributeError):
        memory = "memory unknown"
    versions = []
    for module in ("django", "gunicorn", "reportlab"):
        try:
            versions.append(f"{module} {__import__(module).__version__}")
        except (ImportError, AttributeError):
            pass
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split(" [")[0].strip()
    return (
        f"{platform.node()}: {os.cpu_count()} CPUs ({cpu}), {memory}, {platform.platform(terse=True)}, "
        f"Python {platform.python_version()}, {', '.join(versions)}, {wrk}"
    )


def table(run: dict) -> list[str]:
    lines = [
        "| page | req/s | p50 ms | p95 ms | × baseline (rounds) | goal | met | bytes |",
        "| --- | ---: | ---: | ---: | --- | --- | --- | ---: |",
    ]
    for name, r in run["results"].items():
        goal = "" if name == "baseline" else f"≥ {r['goal_ratio']}"
        if name != "baseline" and r["goal_p95_ms"]:
            goal += f", p95 < {r['goal_p95_ms']}"
        met = "" if name == "baseline" else ("yes" if r["met"] else "**no**")
        if r["errors"]:
            met += f" ({r['errors']} errors)"
        rounds = ", ".join(f"{x:.2f}" for x in r["ratios"])
        lines.append(
            f"| {r['label']} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | "
            f"**{r['ratio']:.3f}** ({rounds}) | {goal} | {met} | {r['bytes']} |"
        )
    return lines


def print_run(run: dict) -> None:
    print(f"\n{run['database']} ({run['version'].split(' on ')[0]}); load average {run['load_average']}")
    print(f"{'page':<16}{'req/s':>8}{'p50':>8}{'p95':>8}{'ratio':>8}{'goal':>7}  met")
    for name, r in run["results"].items():
        print(
            f"{name:<16}{r['rps']:>8.1f}{r['p50_ms']:>8.1f}{r['p95_ms']:>8.1f}{r['ratio']:>8.3f}"
            f"{r['goal_ratio']:>7}  {'' if name == 'baseline' else ('yes' if r['met'] else 'NO')}"
            + (f" {r['errors']} errors" if r["errors"] else "")
        )


def write_docs(record: dict) -> None:
    args = record["args"]
    lines = [
        DOC_START,
        f"Last `make bench` run: {record['when']} UTC, on {record['machine']}.",
        "",
        f"gunicorn {args['workers']} {args['worker_class']} workers, production settings behind emulated TLS; wrk "
        f"1 thread, {args['connections']} connections; {args['rounds']} interleaved rounds of {args['duration']} s "
        f"per page after a {args['warmup']} s warm-up each; medians. Ten years of history: "
        f"{args['days']} days, of which the demo generator logs about 92 %.",
    ]
    for run in record["runs"]:
        before, after = run["load_average"]["before"], run["load_average"]["after"]
        busy = max(before[0], after[0]) > 1.5
        lines += [
            "",
            f"**{run['database']}** ({run['version'].split(' on ')[0]}; {run['logged_days']['bench_1']} logged days "
            f"read, saves into an account with {run['logged_days']['bench_2']}). Load average {before[0]} before, "
            f"{after[0]} after" + (": a busy machine, other work ran beside the benchmark." if busy else "."),
            "",
            *table(run),
        ]
    lines.append(DOC_END)
    text = DOCS.read_text()
    block = "\n".join(lines)
    if DOC_START in text and DOC_END in text:
        head, rest = text.split(DOC_START, 1)
        text = head + block + rest.split(DOC_END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    DOCS.write_text(text)
    print(f"\nfigures written to {DOCS.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--databases", default="postgresql,sqlite", help="postgresql, sqlite or both (default)")
    parser.add_argument("--days", type=int, default=3650)
    parser.add_argument("--duration", type=int, default=6, help="seconds of load per page and round")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per page")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds over all pages")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--worker-class", default="sync", help="gunicorn worker class (sync as in issue 15)")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (gthread only)")
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (default: a free one)")
    parser.add_argument("--no-docs", dest="write_docs", action="store_false", help="do not touch docs/")
    args = parser.parse_args()
    if not args.port:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    wanted = [d.strip() for d in args.databases.split(",") if d.strip()]
    targets = []
    for kind in wanted:
        if kind == "postgresql":
            url = os.environ.get("DATABASE_URL", "")
            if not url.startswith("postgres"):
                print("DATABASE_URL is not a PostgreSQL URL: PostgreSQL is left out of this run")
                continue
            targets.append(("PostgreSQL", url))
        elif kind == "sqlite":
            RESULTS.mkdir(parents=True, exist_ok=True)
            targets.append(("SQLite", f"sqlite:///{SQLITE_FILE}"))
        else:
            raise SystemExit(f"unknown database {kind!r}")
    record = {
        "when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M"),
        "machine": machine(),
        "args": vars(args),
        "runs": [],
    }
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    RESULTS.mkdir(parents=True, exist_ok=True)
    for kind, url in targets:
        record["runs"].append(bench_database(kind, url, args))
        (RESULTS / f"pages-{stamp}.json").write_text(json.dumps(record, indent=2))  # each database as it ends
    for run in record["runs"]:
        print_run(run)
    if args.write_docs:
        write_docs(record)


if __name__ == "__main__":
    main()
