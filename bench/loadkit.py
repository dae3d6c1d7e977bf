"""The pieces of the mixed load, shared by bench/mixed_load.py and the drills (bench/drill_failover.py,
bench/drill_restore.py): PostgreSQL clusters of their own, the app under gunicorn with production settings,
simulated people who sign in and save days through the real forms, and the count of what the database holds.

Clusters are Debian's (pg_createcluster, pg_ctlcluster): each has its own name, port and data folder, so a drill
can stop, kill or drop one without disturbing anybody else's. Needs root (or the postgres user).
"""

import http.client
import os
import random
import secrets
import shutil
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
from drill_checks import SaveAttempt, zero_loss

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
HOST = "bfs.test"  # the name a load balancer would pass on; every app server answers to it
PASSWORD = "bench passphrase that is long enough 2026"  # noqa: S105  (throwaway bench accounts)
VIEW_PAGES = ["/", "/calendar/", "/dashboard/", "/dashboard/data/", "/settings/", "/alerts/"]
EXPORT_PAGES = ["/export/csv/", "/export/json/", "/report/pdf/", "/export/fhir/"]


# --- Processes ----------------------------------------------------------------------------------------------


def run(*command: str, env: dict | None = None, check: bool = True, input: str | None = None):
    """Run a command from the repository root; on failure, say what it printed (a drill must fail loudly)."""
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, input=input)
    if check and result.returncode != 0:
        raise SystemExit(
            f"Command failed ({result.returncode}): {' '.join(command)}\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
        )
    return result


class Progress:
    """Prints each step with the seconds since the start, so a slow step shows where the time went."""

    def __init__(self, name: str) -> None:
        self.name, self.started = name, time.monotonic()

    def __call__(self, message: str) -> None:
        print(f"{self.name} [{time.monotonic() - self.started:6.1f} s] {message}", flush=True)


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"Timed out waiting for {what}")
        time.sleep(0.2)


# --- PostgreSQL clusters ------------------------------------------------------------------------------------


def conf_quote(value) -> str:
    """A value for postgresql.conf: in single quotes, any single quote inside doubled."""
    return "'" + str(value).replace("'", "''") + "'"


class Cluster:
    """One Debian PostgreSQL cluster ("15 bench", "15 drill_primary", ...) on 127.0.0.1:port, trust auth locally."""

    def __init__(self, name: str, port: int, version: str = "15") -> None:
        self.name, self.port, self.version = name, port, version

    def __repr__(self) -> str:
        return f"cluster {self.version} {self.name} (port {self.port})"

    @property
    def conf_dir(self) -> Path:
        return Path("/etc/postgresql") / self.version / self.name

    @property
    def data_dir(self) -> Path:
        return Path("/var/lib/postgresql") / self.version / self.name

    @property
    def log_file(self) -> Path:
        return Path("/var/log/postgresql") / f"postgresql-{self.version}-{self.name}.log"

    def exists(self) -> bool:
        lines = run("pg_lsclusters", "--no-header").stdout.splitlines()
        return any(line.split()[:2] == [self.version, self.name] for line in lines if line.strip())

    def port_taken_by_another(self) -> str | None:
        for line in run("pg_lsclusters", "--no-header").stdout.splitlines():
            version, name, port = (line.split() + ["", "", ""])[:3]
            if port == str(self.port) and [version, name] != [self.version, self.name]:
                return f"{version} {name}"
        return None

    def create(self, settings: dict[str, str] | None = None) -> None:
        """pg_createcluster with trust auth on this machine only, plus `settings` in conf.d/bfs-bench.conf."""
        other = self.port_taken_by_another()
        if other:
            raise SystemExit(f"Port {self.port} is already used by cluster {other}; refusing to touch it")
        run(
            "pg_createcluster", self.version, self.name, "--port", str(self.port), "--",
            "--auth-local=trust", "--auth-host=trust",
        )  # fmt: skip
        self.configure({"listen_addresses": "127.0.0.1", **(settings or {})})

    def configure(self, settings: dict[str, str]) -> None:
        """Write settings to conf.d/bfs-bench.conf (in /etc, not the data folder: a base backup does not copy them)."""
        lines = [f"{key} = {conf_quote(value)}" for key, value in settings.items()]
        (self.conf_dir / "conf.d" / "bfs-bench.conf").write_text("\n".join(lines) + "\n")

    def ready(self) -> bool:
        return run("pg_isready", "-q", "-h", "127.0.0.1", "-p", str(self.port), check=False).returncode == 0

    def ctl(self, *args: str, check: bool = True):
        return run("pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name, *args, check=check)

    def start(self, seconds: float = 60) -> None:
        if not self.ready():
            self.ctl("start")
        wait_for(self.ready, seconds, f"{self} to accept connections")

    def restart(self) -> float:
        started = time.monotonic()
        self.ctl("restart")
        wait_for(self.ready, 60, f"{self} to come back")
        return time.monotonic() - started

    def stop(self, mode: str = "fast") -> None:
        self.ctl("stop", "-m", mode, check=False)

    def drop(self) -> None:
        """Stop (immediately) and delete the cluster, its configuration and its data folder, if it exists."""
        if self.exists():
            self.stop("immediate")
            run("pg_dropcluster", self.version, self.name, check=False)
        shutil.rmtree(self.data_dir, ignore_errors=True)
        shutil.rmtree(self.conf_dir, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def query(self, sql: str, params=(), database: str = "postgres", autocommit: bool = True) -> list[tuple]:
        connection = psycopg2.connect(self.url(database), connect_timeout=5)
        connection.autocommit = autocommit
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall() if cursor.description else []
        finally:
            connection.close()

    def value(self, sql: str, params=(), database: str = "postgres"):
        return self.query(sql, params, database)[0][0]

    def reset_database(self, name: str) -> None:
        self.query(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self.query(f"CREATE DATABASE {name}")

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def as_postgres(*command: str, check: bool = True, input: str | None = None):
    """Run a PostgreSQL client program as the postgres user (files it writes must belong to postgres)."""
    if os.geteuid() == 0:
        return run("runuser", "-u", "postgres", "--", *command, check=check, input=input)
    return run(*command, check=check, input=input)


# --- The app ------------------------------------------------------------------------------------------------


def app_env(database_url: str | None) -> dict[str, str]:
    """Production settings, as behind a TLS-terminating proxy. DATABASE_URL is left out when None (it then comes
    from a gunicorn config file, which a reload can change)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="bfs_tracker.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=f"{HOST},127.0.0.1",
        # As behind a proxy that terminates TLS: the generator says "https" the way the proxy would.
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


CREATE_USERS = """
from django.contrib.auth.hashers import make_password
from bfs_tracker.accounts.models import User
from bfs_tracker.accounts.services import user_create
hashed = make_password({password!r})  # one Argon2 hash for everyone: setup, not the thing measured
User.set_password = lambda self, raw: setattr(self, "password", hashed)
for name in {names!r}:
    user_create(username=name, email=f"{{name}}@example.org", password="-", time_zone="Europe/London")
"""


def manage(env: dict, *args: str, input: str | None = None):
    return run(sys.executable, "manage.py", *args, env=env, input=input)


def prepare(env: dict, people: int, extra_users: tuple[str, ...] = ()) -> None:
    """Migrate, collect static files, and create bench0..bench{people-1} plus `extra_users`, all with PASSWORD."""
    manage(env, "migrate", "--no-input")
    manage(env, "collectstatic", "--no-input")
    names = [f"bench{i}" for i in range(people)] + list(extra_users)
    manage(env, "shell", "--no-imports", "-c", CREATE_USERS.format(password=PASSWORD, names=names))


def gunicorn_answering(port: int) -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        connection.request("GET", "/accounts/login/", headers={"Host": HOST, "X-Forwarded-Proto": "https"})
        return connection.getresponse().status == 200
    except OSError:
        return False


def start_gunicorn(
    env: dict,
    port: int,
    workers: int,
    threads: int,
    config: Path | None = None,
    worker_class: str = "gthread",
    cpu: int | None = None,
) -> subprocess.Popen:
    """gunicorn as in production (gthread workers unless told otherwise), answering on 127.0.0.1:port; `config` is a
    gunicorn config file (read again on SIGHUP); `cpu` pins it and its workers to that one CPU (taskset), so two
    instances on one machine stand for two app servers that do not share cores."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    log = open(RESULTS / f"gunicorn-{port}.log", "w")  # noqa: SIM115  (closed with the process)
    command = [
        sys.executable, "-m", "gunicorn", "bfs_tracker.wsgi",
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--threads", str(threads), "--worker-class", worker_class,
        "--timeout", "60", "--graceful-timeout", "5",
    ]  # fmt: skip
    if config is not None:
        command += ["--config", str(config)]
    if cpu is not None:
        command = ["taskset", "-c", str(cpu), *command]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    wait_for(lambda: gunicorn_answering(port), 60, f"gunicorn on port {port}")
    return process


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


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
    # (time.monotonic() when the answer came, status or None when none came), for the outage figures.
    timeline: list = field(default_factory=list)
    # Signed-in requests answered with a redirect to the sign-in page: a session that did not survive.
    sent_to_sign_in: int = 0

    def merge(self, other: "Stats") -> None:
        self.statuses.update(other.statuses)
        for key, values in other.latencies.items():
            self.latencies[key].extend(values)
        self.tracebacks += other.tracebacks
        self.connection_errors += other.connection_errors
        self.last_failure = max(self.last_failure, other.last_failure)
        self.timeline.extend(other.timeline)
        self.sent_to_sign_in += other.sent_to_sign_in


class Person:
    """One person with their own cookies, sending each request to one of the app servers at random."""

    def __init__(self, username: str, ports: list[int], stats: Stats) -> None:
        self.username, self.ports, self.stats = username, ports, stats
        self.cookies: dict[str, str] = {}
        self.connections: dict[int, http.client.HTTPConnection] = {}
        self.saved: dict[str, str] = {}  # date -> notes of the last save answered "saved"
        self.unknown: set[str] = set()  # dates whose save got no answer (connection lost mid-request)
        self.attempts: list[SaveAttempt] = []  # every save, in order, with its times and outcome

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
                return self._no_answer()
            except (OSError, http.client.HTTPException):
                self.connections.pop(port, None)
                return self._no_answer()
        self.stats.latencies[kind].append(time.perf_counter() - started)
        self.stats.statuses[response.status] += 1
        self.stats.timeline.append((time.monotonic(), response.status))
        if response.status >= 500:
            self.stats.last_failure = time.monotonic()
            if b"Traceback" in content:
                self.stats.tracebacks += 1
        location = response.getheader("Location") or ""
        if response.status == 302 and "/accounts/login/" in location and self.cookies.get("sessionid"):
            self.stats.sent_to_sign_in += 1
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

    def _no_answer(self):
        self.stats.connection_errors += 1
        self.stats.last_failure = time.monotonic()
        self.stats.timeline.append((time.monotonic(), None))
        return None, {}, b""

    def sign_in(self, port=None) -> bool:
        status, _, page = self.request("GET", "/accounts/login/", kind="sign_in", port=port)
        if status != 200:
            return False
        fields = dict(form_fields(page.decode(), "/accounts/login/"))
        fields.update(username=self.username, password=PASSWORD)
        status, headers, _ = self.request("POST", "/accounts/login/", fields, kind="sign_in", port=port)
        return status == 302

    def signed_in(self, port=None) -> bool:
        """Whether the session still works: the cheapest signed-in page answers 204."""
        return self.request("GET", "/accounts/session/", kind="check", port=port)[0] == 204

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
        sent = time.time()
        status, headers, _ = self.request("POST", path, fields, kind="day_save")
        answered = time.time()
        if status == 302 and "/accounts/login/" not in headers.get("Location", ""):
            self.saved[date] = notes
            self.unknown.discard(date)
            outcome = "saved"
        elif status is None or status >= 500:
            self.unknown.add(date)  # may or may not have been committed before the failure
            outcome = "unknown"
        else:
            outcome = "refused"
        self.attempts.append(SaveAttempt((self.username, date), notes, sent, answered, outcome))


class Deadline:
    """When the load stops (time.monotonic()); a drill may move it, e.g. to run on for a while after a failover."""

    def __init__(self, at: float) -> None:
        self.at = at

    def left(self) -> float:
        return self.at - time.monotonic()


def person_loop(person: Person, deadline: Deadline, pages: dict, sequence_start: int) -> None:
    dates = [time.strftime("%Y-%m-%d", time.gmtime(time.time() - 86400 * d)) for d in range(1, 61)]
    sequence = sequence_start
    while deadline.left() > 0:
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


def usable_pages(person: Person, candidates: list[str]) -> list[str]:
    return [path for path in candidates if person.request("GET", path)[0] == 200]


def sign_in_everyone(people: list[Person]) -> None:
    signed_in = sum(p.sign_in() for p in people)
    if signed_in != len(people):
        raise SystemExit(f"Only {signed_in} of {len(people)} people could sign in")


def start_load(people: list[Person], seconds: float, pages: dict) -> tuple[list[threading.Thread], Deadline]:
    """Every person's loop in its own (daemon) thread until `seconds` from now; returns the threads and deadline."""
    deadline = Deadline(time.monotonic() + seconds)
    threads = [
        threading.Thread(target=person_loop, args=(p, deadline, pages, i * 100_000), daemon=True)
        for i, p in enumerate(people)
    ]
    for thread in threads:
        thread.start()
    return threads, deadline


# --- What the database holds --------------------------------------------------------------------------------

HALF_SAVED = """
    SELECT count(*) FROM logbook_dailylog l
    WHERE l.burden <> COALESCE((
        SELECT sum(e.intensity * CASE e.side WHEN 'both' THEN 2 ELSE 1 END)
        FROM logbook_twitchentry e WHERE e.log_id = l.id), 0)
"""


def stored_logs(database_url: str, usernames: list[str] | None = None) -> dict:
    """(username, date) -> notes of every stored day (of `usernames`, when given)."""
    connection = psycopg2.connect(database_url, connect_timeout=5)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT u.username, l.date::text, l.notes FROM logbook_dailylog l "
                "JOIN accounts_user u ON u.id = l.user_id"
            )
            stored = {(username, date): notes for username, date, notes in cursor.fetchall()}
    finally:
        connection.close()
    if usernames is not None:
        wanted = set(usernames)
        stored = {key: notes for key, notes in stored.items() if key[0] in wanted}
    return stored


def half_saved_logs(database_url: str) -> int:
    """Logs whose stored burden disagrees with their twitch entries: a day saved only in part."""
    connection = psycopg2.connect(database_url, connect_timeout=5)
    try:
        with connection.cursor() as cursor:
            cursor.execute(HALF_SAVED)
            return cursor.fetchone()[0]
    finally:
        connection.close()


def verify(people: list[Person], database_url: str) -> dict:
    """The zero-loss count (bench/drill_checks.py zero_loss) plus the half-saved count."""
    stored = stored_logs(database_url)
    acknowledged = {(p.username, date): notes for p in people for date, notes in p.saved.items()}
    unknown = {(p.username, date) for p in people for date in p.unknown}
    return {
        **zero_loss(acknowledged, unknown, stored),
        "logs_whose_burden_disagrees_with_entries": half_saved_logs(database_url),
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


def total_stats(stats: list[Stats]) -> Stats:
    total = Stats()
    for s in stats:
        total.merge(s)
    return total
