"""Mixed load against gunicorn on PostgreSQL, with a zero-loss count at the end.

    python bench/mixed_load.py                      # 60 s, 30 people, one gunicorn with 2 workers
    python bench/mixed_load.py --restart-postgres   # the same, PostgreSQL restarted half-way through
    python bench/mixed_load.py --instances 2        # two gunicorns on two ports, requests spread over both

Dozens of simulated people sign in, log and edit days through the real day form, look at their pages and export,
for --duration seconds. Then the database is compared with what the load generator was told: every day whose save
was answered with the redirect that means "saved" must be there with the last notes sent, and no other day may
be (except saves whose answer never arrived, counted separately). Every stored log's burden must match its twitch
entries. Any 5xx other than the 503 "back in a moment" during a restart fails the run, as does any traceback.

Last, the log-save throughput is measured against the cheapest signed-in page (session_check) in the same run,
and reported as a ratio. Everything runs in a PostgreSQL cluster of its own ("15 bench", port 5439, created on
first use), so restarting it never disturbs anything else. Results: printed, and written to bench/results/.
"""

import argparse
import http.client
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PG_VERSION, PG_CLUSTER, PG_PORT = "15", "bench", 5439
DB_NAME = "bfs_bench"
HOST = "bfs.test"  # the name a load balancer would pass on; both app servers answer to it
PASSWORD = "bench passphrase that is long enough 2026"  # noqa: S105  (throwaway bench accounts)
VIEW_PAGES = ["/", "/calendar/", "/dashboard/", "/dashboard/data/", "/settings/", "/alerts/"]
EXPORT_PAGES = ["/export/csv/", "/export/json/", "/report/pdf/", "/export/fhir/"]


# --- PostgreSQL and the app servers -------------------------------------------------------------------------


def run(*command: str, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, env=env, check=check, capture_output=True, text=True)


def pg_ready() -> bool:
    return run("pg_isready", "-q", "-h", "127.0.0.1", "-p", str(PG_PORT), check=False).returncode == 0


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"Timed out waiting for {what}")
        time.sleep(0.2)


def ensure_cluster() -> None:
    clusters = run("pg_lsclusters", "--no-header").stdout.split()
    if PG_CLUSTER not in clusters:
        run(
            "pg_createcluster", PG_VERSION, PG_CLUSTER, "--port", str(PG_PORT), "--",
            "--auth-local=trust", "--auth-host=trust",
        )  # fmt: skip
    if not pg_ready():
        run("pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, PG_CLUSTER, "start")
    wait_for(pg_ready, 30, "the bench PostgreSQL cluster")


def restart_postgres() -> float:
    started = time.monotonic()
    run("pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, PG_CLUSTER, "restart")
    wait_for(pg_ready, 60, "PostgreSQL to come back")
    return time.monotonic() - started


def database_url(name: str = DB_NAME) -> str:
    return f"postgres://postgres@127.0.0.1:{PG_PORT}/{name}"


def reset_database() -> None:
    connection = psycopg2.connect(database_url("postgres"))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {DB_NAME}")
    connection.close()


def app_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="bfs_tracker.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=f"{HOST},127.0.0.1",
        DATABASE_URL=database_url(),
        # As behind a proxy that terminates TLS: the generator says "https" the way the proxy would.
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
    )
    return env


CREATE_USERS = """
from django.contrib.auth.hashers import make_password
from bfs_tracker.accounts.models import User
from bfs_tracker.accounts.services import user_create
hashed = make_password({password!r})  # one Argon2 hash for everyone: setup, not the thing measured
User.set_password = lambda self, raw: setattr(self, "password", hashed)
for i in range({count}):
    user_create(username=f"bench{{i}}", email=f"bench{{i}}@example.org", password="-", time_zone="Europe/London")
"""


def prepare(env: dict, people: int) -> None:
    run(sys.executable, "manage.py", "migrate", "--no-input", env=env)
    run(sys.executable, "manage.py", "collectstatic", "--no-input", env=env)
    # Enough people for the load plus one per throughput thread, so no two threads share a person.
    script = CREATE_USERS.format(password=PASSWORD, count=people)
    run(sys.executable, "manage.py", "shell", "--no-imports", "-c", script, env=env)


def start_gunicorn(env: dict, port: int, workers: int, threads: int) -> subprocess.Popen:
    RESULTS.mkdir(parents=True, exist_ok=True)
    log = open(RESULTS / f"gunicorn-{port}.log", "w")  # noqa: SIM115  (closed with the process)
    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "bfs_tracker.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--worker-class",
            "gthread",
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
        ],  # fmt: skip
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )

    def answering() -> bool:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/accounts/login/", headers={"Host": HOST, "X-Forwarded-Proto": "https"})
            return connection.getresponse().status == 200
        except OSError:
            return False

    wait_for(answering, 60, f"gunicorn on port {port}")
    return process


# --- One simulated person -----------------------------------------------------------------------------------


class FormReader(HTMLParser):
    """The fields of the POST form that posts to `path`, with the values a browser would send untouched."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        self.fields: list[tuple[str, str]] = []
        self.in_form = self.done = False
        self.select: str | None = None
        self.select_first: str | None = None
        self.select_chosen = False
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self.done:
            return
        if tag == "form" and (a.get("method") or "").lower() == "post" and a.get("action") in (None, "", self.path):
            self.in_form = True
        if not self.in_form or not a.get("name") and tag != "option":
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file"):
                self.fields.append((a["name"], a.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select":
            self.select, self.select_first, self.select_chosen = a["name"], None, False
        elif tag == "option" and self.select is not None:
            if self.select_first is None:
                self.select_first = a.get("value", "")
            if "selected" in a:
                self.fields.append((self.select, a.get("value", "")))
                self.select_chosen = True
        elif tag == "textarea":
            self.textarea = a["name"]
            self.fields.append((a["name"], ""))

    def handle_data(self, data):
        if self.textarea is not None:
            name, value = self.fields[-1]
            self.fields[-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "select" and self.select is not None:
            if not self.select_chosen:
                self.fields.append((self.select, self.select_first or ""))
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form" and self.in_form:
            self.in_form, self.done = False, True


def form_fields(html: str, path: str) -> list[tuple[str, str]]:
    reader = FormReader(path)
    reader.feed(html)
    return reader.fields


@dataclass
class Stats:
    statuses: Counter = field(default_factory=Counter)
    latencies: dict = field(default_factory=lambda: defaultdict(list))
    tracebacks: int = 0
    connection_errors: int = 0
    last_failure: float = 0.0

    def merge(self, other: "Stats") -> None:
        self.statuses.update(other.statuses)
        for key, values in other.latencies.items():
            self.latencies[key].extend(values)
        self.tracebacks += other.tracebacks
        self.connection_errors += other.connection_errors
        self.last_failure = max(self.last_failure, other.last_failure)


class Person:
    """One person with their own cookies, sending each request to one of the app servers at random."""

    def __init__(self, username: str, ports: list[int], stats: Stats) -> None:
        self.username, self.ports, self.stats = username, ports, stats
        self.cookies: dict[str, str] = {}
        self.connections: dict[int, http.client.HTTPConnection] = {}
        self.saved: dict[str, str] = {}  # date -> notes of the last save answered "saved"
        self.unknown: set[str] = set()  # dates whose save got no answer (connection lost mid-request)

    def request(self, method: str, path: str, body: dict | list | None = None, kind: str = "other", port=None):
        port = port or random.choice(self.ports)
        headers = {"Host": HOST, "X-Forwarded-Proto": "https", "Connection": "keep-alive"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body, doseq=True)
            headers.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Origin": f"https://{HOST}",
                    "Referer": f"https://{HOST}{path}",
                }
            )
        started = time.perf_counter()
        for attempt in (1, 2):
            reused = port in self.connections
            try:
                connection = self.connections.get(port) or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                self.connections[port] = connection
                connection.request(method, path, body=data, headers=headers)
                response = connection.getresponse()
                content = response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # A kept-alive connection the server had already closed: like a browser, send again on a new one.
                self.connections.pop(port, None)
                if reused and attempt == 1:
                    continue
                self.stats.connection_errors += 1
                self.stats.last_failure = time.monotonic()
                return None, {}, b""
            except (OSError, http.client.HTTPException):
                self.connections.pop(port, None)
                self.stats.connection_errors += 1
                self.stats.last_failure = time.monotonic()
                return None, {}, b""
        self.stats.latencies[kind].append(time.perf_counter() - started)
        self.stats.statuses[response.status] += 1
        if response.status >= 500:
            self.stats.last_failure = time.monotonic()
            if b"Traceback" in content:
                self.stats.tracebacks += 1
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                cookie_value = rest.split(";", 1)[0]
                if cookie_value in ("", '""') or "max-age=0" in value.lower():
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = cookie_value
        if response.will_close:
            self.connections.pop(port, None)
        return response.status, dict(response.getheaders()), content

    def sign_in(self, port=None) -> bool:
        status, _, page = self.request("GET", "/accounts/login/", kind="sign_in", port=port)
        if status != 200:
            return False
        fields = dict(form_fields(page.decode(), "/accounts/login/"))
        fields.update(username=self.username, password=PASSWORD)
        status, headers, _ = self.request("POST", "/accounts/login/", fields, kind="sign_in", port=port)
        return status == 302

    def save_day(self, date: str, sequence: int) -> None:
        path = f"/days/{date}/"
        status, _, page = self.request("GET", path, kind="day_form")
        if status != 200:
            return
        fields = [(k, v) for k, v in form_fields(page.decode(), path) if not k.startswith("twitches-0-")]
        fields = [(k, v) for k, v in fields if k not in ("stress", "notes")]
        notes = f"bench {self.username} {sequence} {random.random():.6f}"
        group = random.choice(["calf", "eyelid", "thigh", "forearm"])
        fields += [
            ("stress", str(random.randint(0, 10))),
            ("notes", notes),
            ("twitches-0-muscle_group", group),
            ("twitches-0-side", random.choice(["left", "right", "both"])),
            ("twitches-0-intensity", str(random.randint(1, 10))),
        ]
        status, headers, _ = self.request("POST", path, fields, kind="day_save")
        if status == 302 and "/accounts/login/" not in headers.get("Location", ""):
            self.saved[date] = notes
            self.unknown.discard(date)
        elif status is None or status >= 500:
            self.unknown.add(date)  # may or may not have been committed before the failure


def person_loop(person: Person, deadline: float, pages: dict, sequence_start: int) -> None:
    dates = [time.strftime("%Y-%m-%d", time.gmtime(time.time() - 86400 * d)) for d in range(1, 61)]
    sequence = sequence_start
    while time.monotonic() < deadline:
        roll = random.random()
        if roll < 0.30:
            person.save_day(random.choice(dates), sequence)
        elif roll < 0.40 and person.saved:
            person.save_day(random.choice(list(person.saved)), sequence)  # editing a day already logged
        elif roll < 0.88 or not pages["export"]:
            person.request("GET", random.choice(pages["view"]), kind="view")
        else:
            person.request("GET", random.choice(pages["export"]), kind="export")
        sequence += 1


# --- The run ------------------------------------------------------------------------------------------------


def usable_pages(person: Person, candidates: list[str]) -> list[str]:
    return [path for path in candidates if person.request("GET", path)[0] == 200]


def verify(people: list[Person]) -> dict:
    connection = psycopg2.connect(database_url())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT u.username, l.date::text, l.notes FROM logbook_dailylog l JOIN accounts_user u ON u.id = l.user_id"
        )
        stored = {(username, date): notes for username, date, notes in cursor.fetchall()}
        cursor.execute(
            """
            SELECT count(*) FROM logbook_dailylog l
            WHERE l.burden <> COALESCE((
                SELECT sum(e.intensity * CASE e.side WHEN 'both' THEN 2 ELSE 1 END)
                FROM logbook_twitchentry e WHERE e.log_id = l.id), 0)
            """
        )
        inconsistent = cursor.fetchone()[0]
    connection.close()
    acknowledged = {(p.username, date): notes for p in people for date, notes in p.saved.items()}
    unknown = {(p.username, date) for p in people for date in p.unknown}
    missing = [key for key, notes in acknowledged.items() if stored.get(key) != notes and key not in unknown]
    extra = [key for key in stored if key not in acknowledged and key not in unknown]
    return {
        "logs_in_database": len(stored),
        "logs_acknowledged_as_saved": len(acknowledged),
        "saves_with_unknown_outcome": len(unknown),
        "lost_or_overwritten": len(missing),
        "stored_but_never_acknowledged": len(extra),
        "logs_whose_burden_disagrees_with_entries": inconsistent,
    }


def throughput(ports: list[int], people: list[Person], seconds: float) -> dict:
    """Requests per second of the log-save POST and of the cheapest signed-in page, same threads, same run."""

    def hammer(kind: str) -> float:
        counts = [0] * len(people)
        deadline = time.monotonic() + seconds

        def work(index: int, person: Person) -> None:
            dates = [time.strftime("%Y-%m-%d", time.gmtime(time.time() - 86400 * d)) for d in range(61, 400)]
            if kind == "save":
                date = dates[0]
                _, _, page = person.request("GET", f"/days/{date}/")
                base = [(k, v) for k, v in form_fields(page.decode(), f"/days/{date}/") if k != "notes"]
            while time.monotonic() < deadline:
                if kind == "save":
                    date = random.choice(dates)
                    body = [*base, ("notes", f"throughput {index}")]
                    status, headers, _ = person.request("POST", f"/days/{date}/", body, kind="tp_save")
                    ok = status == 302
                    if ok:
                        person.saved[date] = f"throughput {index}"
                else:
                    status, _, _ = person.request("GET", "/accounts/session/", kind="tp_trivial")
                    ok = status == 204
                counts[index] += ok

        threads = [threading.Thread(target=work, args=(i, p)) for i, p in enumerate(people)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return sum(counts) / (time.monotonic() - started)

    trivial = hammer("trivial")
    save = hammer("save")
    return {
        "trivial_per_second": round(trivial, 1),
        "save_per_second": round(save, 1),
        "save_to_trivial_ratio": round(save / trivial, 3) if trivial else None,
    }


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    return round(statistics.quantiles(values, n=100)[int(q) - 1] * 1000, 1) if len(values) > 1 else values[0] * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=30, help="simultaneous simulated people (default 30)")
    parser.add_argument("--duration", type=float, default=60, help="seconds of mixed load (default 60)")
    parser.add_argument("--instances", type=int, default=1, help="gunicorn instances on separate ports")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per instance")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--restart-postgres", action="store_true", help="restart PostgreSQL half-way through")
    parser.add_argument("--throughput-seconds", type=float, default=10, help="seconds per throughput phase")
    parser.add_argument("--throughput-threads", type=int, default=8)
    parser.add_argument("--base-port", type=int, default=8701)
    args = parser.parse_args()

    ensure_cluster()
    reset_database()
    env = app_env()
    prepare(env, args.people + args.throughput_threads)
    ports = [args.base_port + i for i in range(args.instances)]
    servers = [start_gunicorn(env, port, args.workers, args.threads) for port in ports]
    mode = "restart-postgres" if args.restart_postgres else ("scale-out" if args.instances > 1 else "plain")
    report: dict = {"mode": mode, "people": args.people, "duration_s": args.duration, "app_servers": len(ports)}
    try:
        stats = [Stats() for _ in range(args.people)]
        people = [Person(f"bench{i}", ports, stats[i]) for i in range(args.people)]
        signed_in = sum(p.sign_in() for p in people)
        if signed_in != len(people):
            raise SystemExit(f"Only {signed_in} of {len(people)} people could sign in")
        if len(ports) > 1:
            # A session made on one app server works on the other.
            probe = Person("bench0", ports, Stats())
            probe.sign_in(port=ports[0])
            report["session_from_first_server_works_on_second"] = (
                probe.request("GET", "/accounts/session/", port=ports[1])[0] == 204
            )
        pages = {"view": usable_pages(people[0], VIEW_PAGES), "export": usable_pages(people[0], EXPORT_PAGES)}
        report["pages"] = pages

        deadline = time.monotonic() + args.duration
        threads = [
            threading.Thread(target=person_loop, args=(p, deadline, pages, i * 100_000)) for i, p in enumerate(people)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        restart_done = None
        if args.restart_postgres:
            time.sleep(args.duration / 2)
            report["postgres_restart_seconds"] = round(restart_postgres(), 2)
            restart_done = time.monotonic()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started

        total = Stats()
        for s in stats:
            total.merge(s)
        requests = sum(total.statuses.values())
        report["requests"] = requests
        report["requests_per_second"] = round(requests / elapsed, 1)
        report["statuses"] = dict(sorted(total.statuses.items()))
        report["connection_errors"] = total.connection_errors
        report["tracebacks_shown"] = total.tracebacks
        if restart_done is not None:
            # How long after PostgreSQL was back the app still failed a request (it must recover by itself).
            report["last_failure_after_restart_s"] = round(max(0.0, total.last_failure - restart_done), 2)
            report["run_seconds_after_restart"] = round(deadline - restart_done, 1)
        report["latency_ms"] = {
            kind: {"p50": percentile(v, 50), "p95": percentile(v, 95), "count": len(v)}
            for kind, v in sorted(total.latencies.items())
        }
        report["database"] = verify(people)

        tp_people = [Person(f"bench{args.people + i}", ports, Stats()) for i in range(args.throughput_threads)]
        for person in tp_people:
            person.sign_in()
        report["throughput"] = throughput(ports, tp_people, args.throughput_seconds)
        report["database_after_throughput"] = verify(people + tp_people)
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)

    five_hundreds = {s: n for s, n in report["statuses"].items() if s >= 500}
    allowed = {503} if args.restart_postgres else set()
    failures = []
    if set(five_hundreds) - allowed:
        failures.append(f"5xx answers: {five_hundreds}")
    if report["tracebacks_shown"]:
        failures.append("a traceback was shown")
    for phase in ("database", "database_after_throughput"):
        db = report[phase]
        if db["lost_or_overwritten"] or db["stored_but_never_acknowledged"]:
            failures.append(f"{phase}: saved days lost or unaccounted for: {db}")
        if db["logs_whose_burden_disagrees_with_entries"]:
            failures.append(f"{phase}: half-saved logs: {db}")
    if not args.restart_postgres and report["database"]["saves_with_unknown_outcome"]:
        failures.append("saves without an answer while nothing was restarted")
    if report.get("session_from_first_server_works_on_second") is False:
        failures.append("a session from one app server did not work on the other")
    report["verdict"] = "PASS" if not failures else "FAIL: " + "; ".join(failures)

    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"mixed_load-{mode}.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
