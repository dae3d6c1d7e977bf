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
The pieces (clusters, gunicorn, people, the count) are in bench/loadkit.py, shared with the drills.
"""

import argparse
import json
import os
import sys
import time

from loadkit import (
    EXPORT_PAGES,
    RESULTS,
    VIEW_PAGES,
    Cluster,
    Person,
    Stats,
    app_env,
    percentile,
    prepare,
    sign_in_everyone,
    start_gunicorn,
    start_load,
    stop_gunicorn,
    throughput,
    total_stats,
    usable_pages,
    verify,
)

CLUSTER = Cluster("bench", 5439)
DB_NAME = "bfs_bench"


def ensure_cluster() -> None:
    if not CLUSTER.exists():
        CLUSTER.create()
    CLUSTER.start()


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
    parser.add_argument(
        "--one-cpu-each",
        action="store_true",
        help="pin instance i to CPU i (taskset): compare --instances 1 and 2 to see whether a second server adds up",
    )
    args = parser.parse_args()

    ensure_cluster()
    CLUSTER.reset_database(DB_NAME)
    env = app_env(CLUSTER.url(DB_NAME))
    prepare(env, args.people + args.throughput_threads)
    ports = [args.base_port + i for i in range(args.instances)]
    cpus = [i % (os.cpu_count() or 1) if args.one_cpu_each else None for i in range(len(ports))]
    servers = [
        start_gunicorn(env, port, args.workers, args.threads, cpu=cpu) for port, cpu in zip(ports, cpus, strict=True)
    ]
    mode = "restart-postgres" if args.restart_postgres else ("scale-out" if args.instances > 1 else "plain")
    if args.one_cpu_each:
        mode += "-one-cpu-each"
    report: dict = {"mode": mode, "people": args.people, "duration_s": args.duration, "app_servers": len(ports)}
    try:
        stats = [Stats() for _ in range(args.people)]
        people = [Person(f"bench{i}", ports, stats[i]) for i in range(args.people)]
        sign_in_everyone(people)
        if len(ports) > 1:
            # A session made on one app server works on the other.
            probe = Person("bench0", ports, Stats())
            probe.sign_in(port=ports[0])
            report["session_from_first_server_works_on_second"] = (
                probe.request("GET", "/accounts/session/", port=ports[1])[0] == 204
            )
        pages = {"view": usable_pages(people[0], VIEW_PAGES), "export": usable_pages(people[0], EXPORT_PAGES)}
        report["pages"] = pages

        started = time.monotonic()
        threads, deadline = start_load(people, args.duration, pages)
        restart_done = None
        if args.restart_postgres:
            time.sleep(args.duration / 2)
            report["postgres_restart_seconds"] = round(CLUSTER.restart(), 2)
            restart_done = time.monotonic()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started

        total = total_stats(stats)
        requests = sum(total.statuses.values())
        report["requests"] = requests
        report["requests_per_second"] = round(requests / elapsed, 1)
        report["statuses"] = dict(sorted(total.statuses.items()))
        report["connection_errors"] = total.connection_errors
        report["tracebacks_shown"] = total.tracebacks
        if restart_done is not None:
            # How long after PostgreSQL was back the app still failed a request (it must recover by itself).
            report["last_failure_after_restart_s"] = round(max(0.0, total.last_failure - restart_done), 2)
            report["run_seconds_after_restart"] = round(deadline.at - restart_done, 1)
        report["latency_ms"] = {
            kind: {"p50": percentile(v, 50), "p95": percentile(v, 95), "count": len(v)}
            for kind, v in sorted(total.latencies.items())
        }
        report["database"] = verify(people, env["DATABASE_URL"])

        tp_people = [Person(f"bench{args.people + i}", ports, Stats()) for i in range(args.throughput_threads)]
        for person in tp_people:
            person.sign_in()
        report["throughput"] = throughput(ports, tp_people, args.throughput_seconds)
        report["database_after_throughput"] = verify(people + tp_people, env["DATABASE_URL"])
    finally:
        for server in servers:
            stop_gunicorn(server)

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
