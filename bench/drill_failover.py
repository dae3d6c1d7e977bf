"""Failover drill: the primary dies under load, the streaming replica is promoted, the app is pointed at it.

    python bench/drill_failover.py                         # both: asynchronous, then synchronous replication
    python bench/drill_failover.py --replication sync      # one run (async, sync or remote_apply)
    python bench/drill_failover.py --repoint restart       # restart gunicorn instead of reloading it

Each run builds, from nothing, two PostgreSQL clusters of their own: "15 drill_primary" (port 5441) and
"15 drill_replica" (port 5442), a pg_basebackup of the primary streaming from it through a replication slot. The
replica reaches the primary through bench/delay_link.py (port 5445), a relay that delays each chunk by
--link-delay-ms, as if the replica were another machine 20 ms away rather than microseconds. The app (gunicorn,
production settings; DATABASE_URL in database.env, read by the gunicorn config file) runs on the primary under the
mixed load of bench/mixed_load.py (the pieces are in bench/loadkit.py).

After --before-seconds, the primary's machine "dies": the link is cut and PostgreSQL is stopped hard at the same
instant (immediate shutdown: no checkpoint, no goodbye to the replica; whatever was still on its way over the link
is lost, as with a machine that loses power). After --detect-seconds (the time monitoring takes to notice), the
operator's steps from docs/deployment.md run: promote the replica, check it does not wait for a synchronous
standby, write its address into database.env, reload gunicorn (SIGHUP: it reads its config file again and starts
new workers with the new DATABASE_URL, while its listening socket stays open). The load goes on for
--after-seconds once the app answers again.

At the end, on the promoted server: every save answered "saved" must be there with its last notes (zero loss), no
day half-saved, every person still signed in (sessions are rows in the replicated database). Outage: how long
people could not use the app, and every answer they got meanwhile: the 503 "back in a moment"
page is allowed, any other 5xx fails the run. From the dead primary's own WAL (pg_waldump): the commits the replica
never received. Synchronous replication must lose nothing acknowledged; asynchronous replication may, and the
figures say how much. Both clusters are dropped afterwards, on failure too. The last line printed is the figures.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg2
from drill_checks import failures_outside, figures_line, lost_saves, lsn, outage, wal_tail
from loadkit import (
    EXPORT_PAGES,
    RESULTS,
    ROOT,
    VIEW_PAGES,
    Cluster,
    Person,
    Progress,
    Stats,
    app_env,
    as_postgres,
    percentile,
    prepare,
    run,
    sign_in_everyone,
    start_gunicorn,
    start_load,
    stop_gunicorn,
    stored_logs,
    total_stats,
    usable_pages,
    verify,
    wait_for,
)

PRIMARY = Cluster("drill_primary", 5441)
REPLICA = Cluster("drill_replica", 5442)
LINK_PORT = 5445  # the replica reaches the primary through bench/delay_link.py on this port
DB_NAME = "bfs_drill"
STANDBY_NAME = "drill_replica"  # the replica's application_name, and its replication slot
PG_BIN = Path("/usr/lib/postgresql/15/bin")

# What each mode sets on the primary (conf.d, which a base backup does not copy to the replica).
MODES = {
    "async": {"synchronous_standby_names": "", "synchronous_commit": "on"},
    "sync": {"synchronous_standby_names": STANDBY_NAME, "synchronous_commit": "on"},
    "remote_apply": {"synchronous_standby_names": STANDBY_NAME, "synchronous_commit": "remote_apply"},
}
SYNC_STATE = {"async": "async", "sync": "sync", "remote_apply": "sync"}


class DrillAborted(SystemExit):
    pass


def abort(signum, frame):
    raise DrillAborted(f"Drill stopped by signal {signal.Signals(signum).name}; cleaning up")


# The app servers' gunicorn config file, as in docs/deployment.md ("Replica and failover"): DATABASE_URL lives in
# database.env, which gunicorn reads again on every reload (SIGHUP), and which cron's manage.py commands also read.
GUNICORN_CONF = """from pathlib import Path

raw_env = [
    line.strip()
    for line in Path({env_file!r}).read_text().splitlines()
    if line.strip() and not line.startswith("#")
]
"""


def app_config(folder: Path, database_url: str) -> Path:
    """Write gunicorn.conf.py (once) and database.env (the file an operator edits to fail over); return the former."""
    config = folder / "gunicorn.conf.py"
    env_file = folder / "database.env"
    if not config.exists():
        config.write_text(GUNICORN_CONF.format(env_file=str(env_file)))
    env_file.write_text(f"DATABASE_URL={database_url}\n")
    return config


def start_link(delay_ms: float) -> subprocess.Popen:
    """The network between the two "machines": bench/delay_link.py, a relay that delays each chunk."""
    if socket.socket().connect_ex(("127.0.0.1", LINK_PORT)) == 0:
        raise SystemExit(f"Port {LINK_PORT} is already in use; the drill needs it for the replication link")
    link = subprocess.Popen(  # noqa: S603
        [sys.executable, str(ROOT / "bench" / "delay_link.py"), "--listen", str(LINK_PORT),
         "--to", str(PRIMARY.port), "--delay-ms", str(delay_ms)],
    )  # fmt: skip

    def listening() -> bool:
        try:
            socket.create_connection(("127.0.0.1", LINK_PORT), timeout=1).close()
            return True
        except OSError:
            return False

    wait_for(listening, 15, "the delay link")
    return link


def kill(process: subprocess.Popen | None) -> None:
    if process is not None and process.poll() is None:
        process.kill()
        process.wait(timeout=10)


def build_pair(mode: str, delay_ms: float) -> subprocess.Popen:
    """A primary and a streaming replica, both new, with the delaying link between them (returned)."""
    for cluster in (PRIMARY, REPLICA):
        cluster.drop()
    PRIMARY.create(MODES[mode])
    PRIMARY.start()
    PRIMARY.query("SELECT pg_create_physical_replication_slot(%s)", (STANDBY_NAME,))
    link = start_link(delay_ms)
    REPLICA.create({"hot_standby": "on"})
    shutil.rmtree(REPLICA.data_dir)
    run("install", "-d", "-o", "postgres", "-g", "postgres", "-m", "700", str(REPLICA.data_dir))
    as_postgres(
        "pg_basebackup",
        "-d", f"host=127.0.0.1 port={LINK_PORT} user=postgres application_name={STANDBY_NAME}",
        "-D", str(REPLICA.data_dir), "-R", "-S", STANDBY_NAME, "-X", "stream", "-c", "fast",
    )  # fmt: skip
    REPLICA.start()

    def streaming() -> bool:
        rows = PRIMARY.query(
            "SELECT sync_state FROM pg_stat_replication WHERE application_name = %s AND state = 'streaming'",
            (STANDBY_NAME,),
        )
        return bool(rows) and rows[0][0] == SYNC_STATE[mode]

    wait_for(streaming, 30, f"the replica to stream ({SYNC_STATE[mode]})")
    return link


class LagSampler(threading.Thread):
    """Every half second until stopped: how far the replica's flushed WAL trails the primary, in time and bytes.

    flush_lag is the time from a commit being flushed on the primary to the replica confirming it flushed it too.
    With asynchronous replication a save acknowledged within that window before the primary dies is lost.
    """

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.samples: list[tuple[float, int]] = []

    def run(self) -> None:
        while not self.stop.wait(0.5):
            try:
                rows = PRIMARY.query(
                    "SELECT (EXTRACT(epoch FROM flush_lag) * 1000)::float, "
                    "pg_wal_lsn_diff(pg_current_wal_lsn(), flush_lsn)::bigint FROM pg_stat_replication "
                    "WHERE application_name = %s",
                    (STANDBY_NAME,),
                )
            except psycopg2.Error:
                continue
            if rows:
                self.samples.append(rows[0])

    def figures(self) -> dict:
        # flush_lag is NULL once the replica has caught up and no WAL is waiting: left out of the lag figures.
        lags = sorted(ms for ms, _ in self.samples if ms is not None)
        behind = sorted(b for _, b in self.samples)
        if not lags:
            return {"samples": len(self.samples)}
        return {
            "samples": len(self.samples),
            "samples_caught_up": len(self.samples) - len(lags),
            "flush_lag_ms_median": round(statistics.median(lags), 1),
            "flush_lag_ms_max": round(lags[-1], 1),
            "bytes_behind_median": int(statistics.median(behind)),
            "bytes_behind_max": behind[-1],
        }


def primary_dies(link: subprocess.Popen) -> None:
    """The primary's machine dies: its network link is cut and PostgreSQL stops at once (SIGQUIT to the postmaster
    is exactly what `pg_ctl stop -m immediate` sends: no checkpoint, no goodbye to the replica), back to back."""
    postmaster = int((PRIMARY.data_dir / "postmaster.pid").read_text().split()[0])
    link.kill()
    os.kill(postmaster, signal.SIGQUIT)
    PRIMARY.stop("immediate")  # waits until it is down
    link.wait(timeout=10)


def fail_over(server, config: Path, repoint: str, env: dict, args, probe: Person) -> tuple[dict, object]:
    """The operator's steps once the primary is gone (docs/deployment.md, "Fail over, when db1 is lost")."""
    steps: dict = {}
    started = time.monotonic()
    if PRIMARY.ready():
        raise SystemExit("The primary still answers; never promote a replica while the primary may take writes")
    receive, replay = REPLICA.query("SELECT pg_last_wal_receive_lsn()::text, pg_last_wal_replay_lsn()::text")[0]
    steps["replica_received_lsn"], steps["replica_replayed_lsn"] = receive, replay
    REPLICA.ctl("promote")
    wait_for(lambda: not REPLICA.value("SELECT pg_is_in_recovery()"), 30, "the replica to be promoted")
    steps["promote_s"] = round(time.monotonic() - started, 2)
    # A promoted server that still named a synchronous standby would make every commit wait for one that does not
    # exist (here it cannot: that setting lives in the primary's own configuration, not in the data it streamed).
    steps["promoted_waits_for_standby"] = REPLICA.value("SHOW synchronous_standby_names") != ""
    app_config(config.parent, REPLICA.url(DB_NAME))
    if repoint == "reload":
        os.kill(server.pid, signal.SIGHUP)
    else:
        stop_gunicorn(server)
        server = start_gunicorn(env, args.port, args.workers, args.threads, config)
    # Back when a signed-in page that needs the database answers again.
    wait_for(probe.signed_in, 60, "the app to answer from the promoted server")
    steps["repoint_s"] = round(time.monotonic() - started - steps["promote_s"], 2)
    return steps, server


def unreceived_commits(received_lsn: str) -> dict:
    """What the dead primary had written beyond what the replica received, read from its own pg_wal."""
    result = as_postgres(
        str(PG_BIN / "pg_waldump"), "-p", str(PRIMARY.data_dir / "pg_wal"), "-s", received_lsn, check=False
    )
    tail = wal_tail(result.stdout + result.stderr)
    end = tail["end_lsn"] or received_lsn
    return {
        "primary_wal_end_lsn": end,
        "wal_bytes_not_received": max(0, lsn(end) - lsn(received_lsn)),
        "commits_not_received": tail["commits"],
    }


def one_run(mode: str, args, tmp: Path, say) -> dict:
    report: dict = {
        "replication": mode,
        "synchronous": MODES[mode],
        "repoint": args.repoint,
        "link_delay_ms": args.link_delay_ms,
        "load_s_before_fault": args.before_seconds,
        "load_s_after_app_back": args.after_seconds,
    }
    server = link = None
    try:
        say(f"{mode}: building the primary and its replica")
        link = build_pair(mode, args.link_delay_ms)
        say(f"{mode}: replica streaming; migrating, creating {args.people + 1} people")
        PRIMARY.reset_database(DB_NAME)
        folder = tmp / mode
        folder.mkdir()
        config = app_config(folder, PRIMARY.url(DB_NAME))
        env = app_env(None)  # DATABASE_URL comes from database.env through the config file; the failover rewrites it
        prepare({**env, "DATABASE_URL": PRIMARY.url(DB_NAME)}, args.people + 1)
        say(f"{mode}: starting gunicorn")
        server = start_gunicorn(env, args.port, args.workers, args.threads, config)

        stats = [Stats() for _ in range(args.people)]
        people = [Person(f"bench{i}", [args.port], stats[i]) for i in range(args.people)]
        probe = Person(f"bench{args.people}", [args.port], Stats())
        sign_in_everyone([*people, probe])
        pages = {"view": usable_pages(people[0], VIEW_PAGES), "export": usable_pages(people[0], EXPORT_PAGES)}

        say(f"{mode}: {args.people} people load the app for {args.before_seconds:.0f} s")
        started = time.monotonic()
        lag = LagSampler()
        lag.start()
        threads, deadline = start_load(people, args.before_seconds + args.time_limit, pages)
        time.sleep(args.before_seconds)
        lag.stop.set()
        lag.join(timeout=10)
        report["replica_lag_before_fault"] = lag.figures()
        fault, fault_wall = time.monotonic(), time.time()
        primary_dies(link)
        report["load_average_at_fault"] = round(os.getloadavg()[0], 1)
        say(f"{mode}: the primary died; noticing takes {args.detect_seconds:.0f} s")
        time.sleep(args.detect_seconds)  # monitoring notices
        say(f"{mode}: promoting the replica, pointing the app at it ({args.repoint})")
        steps, server = fail_over(server, config, args.repoint, env, args, probe)
        back = time.monotonic()
        say(f"{mode}: the app answers from the promoted server; load goes on for {args.after_seconds:.0f} s")
        deadline.at = back + args.after_seconds  # the load runs on for as long on the promoted server
        report["failover"] = {"detect_s": args.detect_seconds, **steps, "fault_to_app_back_s": round(back - fault, 2)}
        for thread in threads:
            thread.join(timeout=max(1.0, deadline.left() + 60))
        elapsed = time.monotonic() - started

        say(f"{mode}: counting")
        total = total_stats(stats)
        report["requests"] = sum(total.statuses.values())
        report["requests_per_second"] = round(report["requests"] / elapsed, 1)
        report["statuses"] = {str(k): v for k, v in sorted(total.statuses.items())}
        report["no_answer"] = total.connection_errors
        report["tracebacks_shown"] = total.tracebacks
        report["outage"] = outage(total.timeline, fault)
        report["failures_before_fault"] = dict(failures_outside(total.timeline, fault, float("inf")))
        report["sent_to_sign_in"] = total.sent_to_sign_in
        report["still_signed_in"] = sum(p.signed_in() for p in people)
        report["database"] = verify(people, REPLICA.url(DB_NAME))
        attempts = [a for p in people for a in p.attempts]
        stored = stored_logs(REPLICA.url(DB_NAME))
        report["saves"] = {
            "attempted": len(attempts),
            "acknowledged": sum(a.outcome == "saved" for a in attempts),
            "unknown_outcome": sum(a.outcome == "unknown" for a in attempts),
            "refused": sum(a.outcome == "refused" for a in attempts),
            "lost": lost_saves(attempts, stored),
            # Answered 503 ("nothing was saved") or not at all, yet committed and replicated: harmless, since saving
            # a day again writes the same day, but it is why the count says "unknown", not "refused".
            "unknown_outcome_but_stored": sum(
                a.outcome == "unknown" and stored.get(a.key) == a.notes for a in attempts
            ),
        }
        # What synchronous replication costs each save: the time to "saved" while the primary was alive.
        durations = [a.answered - a.sent for a in attempts if a.outcome == "saved" and a.answered < fault_wall]
        report["save_ms_before_fault"] = {"p50": percentile(durations, 50), "p95": percentile(durations, 95)}
        report["dead_primary"] = unreceived_commits(steps["replica_received_lsn"])
    finally:
        if server is not None:
            stop_gunicorn(server)
        kill(link)
        if not args.keep:
            for cluster in (PRIMARY, REPLICA):
                cluster.drop()
    report["verdict"] = verdict(mode, report, len(people))
    return report


def verdict(mode: str, report: dict, people: int) -> str:
    failures = []
    statuses = {int(k): v for k, v in report["statuses"].items()}
    others = {s: n for s, n in statuses.items() if s >= 500 and s != 503}
    if others:
        failures.append(f"5xx other than 503: {others}")
    if report["failures_before_fault"]:
        failures.append(f"failures before the primary died: {report['failures_before_fault']}")
    if report["tracebacks_shown"]:
        failures.append("a traceback was shown")
    db = report["database"]
    if db["logs_whose_burden_disagrees_with_entries"]:
        failures.append(f"half-saved days: {db['logs_whose_burden_disagrees_with_entries']}")
    if db["stored_but_never_acknowledged"]:
        failures.append(f"days stored that were never saved: {db['stored_but_never_acknowledged']}")
    if mode != "async" and (db["lost_or_overwritten"] or report["saves"]["lost"]):
        failures.append(f"acknowledged saves lost under synchronous replication: {report['saves']['lost']}")
    if report["sent_to_sign_in"] or report["still_signed_in"] != people:
        failures.append(f"sessions lost: {report['sent_to_sign_in']} sent to sign in, {report['still_signed_in']} ok")
    if report["failover"]["promoted_waits_for_standby"]:
        failures.append("the promoted server waits for a synchronous standby that does not exist")
    if report["outage"]["back_s"] is None:
        failures.append("the app never answered again after the failover")
    return "PASS" if not failures else "FAIL: " + "; ".join(failures)


def figures(reports: list[dict]) -> list[tuple[str, object]]:
    line = []
    for r in reports:
        m = r["replication"]
        during = r["outage"]["answers_during_outage"]
        line += [
            (f"{m}_unavailable_s", r["outage"]["unavailable_s"]),
            (f"{m}_saves_acknowledged", r["saves"]["acknowledged"]),
            (f"{m}_days_acknowledged", r["database"]["logs_acknowledged_as_saved"]),
            (f"{m}_saves_lost", r["saves"]["lost"]),
            (f"{m}_saves_unknown", r["saves"]["unknown_outcome"]),
            (f"{m}_commits_not_received", r["dead_primary"]["commits_not_received"]),
            (f"{m}_flush_lag_ms_median", r["replica_lag_before_fault"].get("flush_lag_ms_median")),
            (f"{m}_outage_answers", ",".join(f"{k}x{v}" for k, v in during.items()) or "none"),
            (f"{m}_500", sum(v for k, v in r["statuses"].items() if k == "500")),
            (f"{m}_save_p50_ms", r["save_ms_before_fault"]["p50"]),
            (f"{m}_half_saved", r["database"]["logs_whose_burden_disagrees_with_entries"]),
            (f"{m}_signed_in", f"{r['still_signed_in']}/{r['people']}"),
        ]
    return line


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replication", choices=["both", *MODES], default="both", help="both = async, then sync")
    parser.add_argument("--repoint", choices=["reload", "restart"], default="reload", help="how gunicorn is repointed")
    parser.add_argument("--people", type=int, default=15, help="simultaneous simulated people (default 15)")
    parser.add_argument("--before-seconds", type=float, default=15, help="seconds of load before the fault")
    parser.add_argument(
        "--after-seconds", type=float, default=15, help="seconds of load once the app answers from the promoted server"
    )
    parser.add_argument("--detect-seconds", type=float, default=3, help="simulated time to notice the dead primary")
    parser.add_argument(
        "--link-delay-ms", type=float, default=10, help="one-way delay between primary and replica (default 10)"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=8741, help="gunicorn's port")
    parser.add_argument("--time-limit", type=int, default=600, help="abort (and clean up) after this many seconds")
    parser.add_argument("--keep", action="store_true", help="leave the clusters behind for inspection")
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("The drill creates and kills PostgreSQL clusters: run it as root (pg_createcluster)")

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGALRM):
        signal.signal(signum, abort)
    signal.alarm(args.time_limit)
    began = time.monotonic()
    modes = ["async", "sync"] if args.replication == "both" else [args.replication]
    tmp = Path(tempfile.mkdtemp(prefix="bfs-drill-failover-"))
    reports = []
    say = Progress("drill-failover")
    try:
        for mode in modes:
            run_started = time.monotonic()
            report = one_run(mode, args, tmp, say)
            report["people"] = args.people
            report["run_s"] = round(time.monotonic() - run_started, 1)
            reports.append(report)
            print(json.dumps(report, indent=2), flush=True)
            say(f"{mode}: {report['verdict']}")
    finally:
        signal.alarm(0)
        shutil.rmtree(tmp, ignore_errors=True)
        for cluster in (PRIMARY, REPLICA):
            if not args.keep:
                cluster.drop()
    failed = [f"{r['replication']}: {r['verdict']}" for r in reports if r["verdict"] != "PASS"]
    verdict_all = "PASS" if not failed else "FAIL: " + " | ".join(failed)
    summary = {
        "verdict": verdict_all,
        "seconds": round(time.monotonic() - began, 1),
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "runs": reports,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "drill-failover.json").write_text(json.dumps(summary, indent=2) + "\n")
    if failed:
        print(verdict_all, file=sys.stderr)
    print(
        figures_line(
            "drill-failover",
            verdict_all,
            [*figures(reports), ("drill_s", summary["seconds"]), ("load_avg", summary["load_average"][1])],
        )
    )
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
