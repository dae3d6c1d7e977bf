"""Main pages (the day form, saving a day, calendar, alerts, dashboard) and the trivial page, timed inside one
process with Django's test client.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bfs_bench .venv/bin/python bench/inprocess.py
    .venv/bin/python bench/inprocess.py --pages day_form,day_save --rounds 7 --requests 20

A focused check for work on one page, cheaper than `make bench` (no gunicorn, no wrk, one database): it prepares
the database and static files as bench/pages.py does, and two people with ten years of `seed_demo` history each
(once; never point it at a production database): reads are the first's, saves the second's. Then interleaved
rounds, each timing --requests requests of the baseline (/ping/) and of every page chosen. For each page it prints
the median over rounds of the milliseconds per request, wall clock (this process and the database) and CPU (this
process alone), and the ratio baseline / page (what `make bench` calls the ratio, without HTTP and gunicorn around
each request, so not the same figure as under wrk). Production settings (DEBUG off), as a request behind the
TLS-terminating proxy. Saves POST the day form as a browser fills it with two muscle groups, cycling over the last
28 days, as bench/pages.py does. On a shared machine read the CPU column: wall time moves with the load.
"""

import argparse
import datetime as dt
import os
import secrets
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
os.environ.update(
    DJANGO_SETTINGS_MODULE="bfs_tracker.settings",
    DEBUG="false",
    SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
    ALLOWED_HOSTS="testserver",
    SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from loadkit import form_fields  # noqa: E402

from bfs_tracker.accounts.models import User  # noqa: E402
from bfs_tracker.accounts.services import user_create  # noqa: E402

PERSON, WRITER = "inprocess_1", "inprocess_2"  # reads are the first's, saves the second's (as bench/pages.py)
SAVE_DAYS = 28
HEADERS = {"HTTP_X_FORWARDED_PROTO": "https"}


def person(days: int, name: str = PERSON) -> User:
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    user = User.objects.filter(username=name).first()
    if user is None:
        user = user_create(username=name, email=f"{name}@example.org", password="-", time_zone="UTC")  # noqa: S106
        call_command("seed_demo", user=name, days=days, fast=True, verbosity=0)
    return user


def save_body(client: Client, day: dt.date) -> dict:
    """The day form of `day` as shown, its twitch rows replaced by two muscle groups (as bench/pages.py)."""
    path = f"/days/{day}/"
    page = client.get(path, **HEADERS).content.decode()
    fields = dict(form_fields(page, path))
    body = {k: v for k, v in fields.items() if not k.startswith("twitches-") or "FORMS" in k}
    body |= {"twitches-TOTAL_FORMS": "2", "twitches-INITIAL_FORMS": "0"}
    body |= {"twitches-0-muscle_group": "calf", "twitches-0-side": "left", "twitches-0-intensity": "5"}
    body |= {"twitches-1-muscle_group": "eyelid", "twitches-1-side": "both", "twitches-1-intensity": "3"}
    body["notes"] = "bench: two muscle groups"
    return body


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=3650)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=20, help="requests per page and round")
    parser.add_argument(
        "--pages",
        default="day_form,day_save",
        help="day_form, day_save, calendar, alerts, dashboard_90, dashboard_all, dashboard_data",
    )
    args = parser.parse_args()

    user = person(args.days)
    client = Client()
    client.force_login(user)
    client.get("/ping/", **HEADERS)
    # Saves are another person's, so they do not change the data version the reader's cached pages are keyed on.
    writer = Client()
    writer.force_login(person(args.days, WRITER))
    writer.get("/ping/", **HEADERS)
    today = user.today()
    save_dates = [today - dt.timedelta(days=n) for n in range(1, SAVE_DAYS + 1)]
    bodies = {day: save_body(writer, day) for day in save_dates}
    saves = iter(range(10**9))

    def day_save() -> None:
        day = save_dates[next(saves) % SAVE_DAYS]
        # Form-encoded, as a browser sends it (the test client would send multipart).
        body = urlencode(bodies[day], doseq=True)
        response = writer.post(f"/days/{day}/", body, content_type="application/x-www-form-urlencoded", **HEADERS)
        if response.status_code != 302:
            raise SystemExit(f"saving {day} answered {response.status_code}")

    def getter(path: str):
        def get() -> None:
            response = client.get(path, **HEADERS)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}")

        return get

    every = {
        "day_form": getter(f"/days/{today - dt.timedelta(days=3)}/"),
        "day_save": day_save,
        "calendar": getter("/calendar/"),
        "alerts": getter("/alerts/"),
        "dashboard_90": getter("/dashboard/?range=90"),
        "dashboard_all": getter("/dashboard/?range=all"),
        "dashboard_data": getter("/dashboard/data/?range=all"),
    }
    chosen = {"baseline": getter("/ping/")} | {name: every[name] for name in args.pages.split(",")}
    for run in chosen.values():  # warm up: templates compiled, caches filled
        for _ in range(3):
            run()
    wall: dict[str, list[float]] = {name: [] for name in chosen}
    cpu: dict[str, list[float]] = {name: [] for name in chosen}
    for _ in range(args.rounds):
        for name, run in chosen.items():
            started, started_cpu = time.perf_counter(), time.process_time()
            for _ in range(args.requests):
                run()
            wall[name].append((time.perf_counter() - started) * 1000 / args.requests)
            cpu[name].append((time.process_time() - started_cpu) * 1000 / args.requests)
    base_wall, base_cpu = statistics.median(wall["baseline"]), statistics.median(cpu["baseline"])
    print(f"{'page':<12} {'wall ms':>8} {'cpu ms':>8} {'ratio (wall)':>13} {'ratio (cpu)':>12}")
    for name in chosen:
        w, c = statistics.median(wall[name]), statistics.median(cpu[name])
        print(f"{name:<12} {w:8.2f} {c:8.2f} {base_wall / w:13.3f} {base_cpu / c:12.3f}")
    print(f"{args.rounds} rounds of {args.requests} requests; history {args.days} days; load: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
