"""Point-in-time restore drill: an encrypted WAL archive and base backup, a bad import under load, and a restore to
just before it into a fresh cluster.

    python bench/drill_restore.py                  # restores twice: to the bad moment's time, then to its name
    python bench/drill_restore.py --target time    # recovery_target_time only (or: --target name)
    python bench/drill_restore.py --target latest  # negative control: replay everything; the checks must object

1. A PostgreSQL cluster of its own, "15 drill_source" (port 5444), archives every WAL segment to a folder, each
   encrypted with age (scripts/ensure-age installs it) to a public key; the private key is needed only to restore.
2. The app's database is migrated there, and two quiet accounts get a demo history: "untouched" and "victim".
3. A base backup (pg_basebackup, tar, compressed) is piped straight into age: no plain copy ever touches the disk.
4. The exports (CSV, JSON backup, FHIR, through `manage.py export_report`) of both quiet accounts are taken.
5. The mixed load of bench/mixed_load.py runs on gunicorn. Half-way through comes the bad moment: its time is
   read from PostgreSQL and a named restore point is made (pg_create_restore_point), then `manage.py import_logs
   --replace` writes untouched's backup over the victim's days (the wrong account). The load goes on.
6. The source is stopped after its last WAL segment is archived. Into a fresh cluster, "15 drill_restore" (port
   5443): the base backup is decrypted and unpacked, checked with pg_verifybackup, and recovered with a
   restore_command that decrypts each archived segment, up to recovery_target_time (exclusive) or
   recovery_target_name, then promoted.
7. The checks: every save answered "saved" before the bad moment is there with its last notes; nothing sent after
   it is; the victim's and untouched's exports are byte-identical to those taken before the load. The JSON backup
   and the FHIR bundle each say when they were generated ("exported_at", the bundle's "timestamp"): exactly that
   one value is replaced by a placeholder on both sides before comparing (bench/drill_checks.py
   normalise_generated); everything else, and the whole CSV, is compared as the command wrote it.

Both clusters and the temporary folder (archive, backup, key, exports) are removed afterwards, on failure too.
The last line printed is the figures.
"""

import argparse
import json
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from drill_checks import figures_line, normalise_generated, point_in_time_check
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
    half_saved_logs,
    manage,
    prepare,
    run,
    sign_in_everyone,
    start_gunicorn,
    start_load,
    stop_gunicorn,
    stored_logs,
    total_stats,
    usable_pages,
    wait_for,
)

SOURCE = Cluster("drill_source", 5444)
TARGET = Cluster("drill_restore", 5443)
DB_NAME = "bfs_drill_restore"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
RESTORE_POINT = "bfs-drill-before-bad-import"
UNTOUCHED, VICTIM = "untouched", "victim"
FORMATS = {"csv": "csv", "json": "json", "fhir": "json"}  # export format -> file extension (import needs it)

EXPORTS = """
from django.core.management import call_command
for user in {users!r}:
    for fmt, ext in {formats!r}.items():
        call_command("export_report", user=user, format=fmt, out=f"{folder}/{{user}}-{{fmt}}.{{ext}}")
"""


class DrillAborted(SystemExit):
    pass


def abort(signum, frame):
    raise DrillAborted(f"Drill stopped by signal {signal.Signals(signum).name}; cleaning up")


def postgres_owns(path: Path, mode: int = 0o700) -> None:
    entry = pwd.getpwnam("postgres")
    os.chown(path, entry.pw_uid, entry.pw_gid)
    path.chmod(mode)


def make_key(tmp: Path) -> tuple[Path, Path]:
    """An age key pair: the private key (only a restore needs it; in production it is kept off the database
    machines) and a recipients file with the public key (all that archiving and backups need)."""
    key, recipients = tmp / "backup-key.txt", tmp / "backup-recipients.txt"
    as_postgres("age-keygen", "-o", str(key))
    recipients.write_text(as_postgres("age-keygen", "-y", str(key)).stdout)
    return key, recipients


def archive_settings(archive: Path, recipients: Path) -> dict:
    """WAL archiving into `archive`, each segment encrypted; never overwrite a segment already archived."""
    command = (
        f"test ! -f {archive}/%f.age && age -R {recipients} -o {archive}/%f.age.part %p "
        f"&& mv {archive}/%f.age.part {archive}/%f.age"
    )
    return {"archive_mode": "on", "archive_command": command, "archive_timeout": "60"}


def restore_settings(archive: Path, key: Path, target: str, moment: dict) -> dict:
    settings = {
        "restore_command": f"test -f {archive}/%f.age && age -d -i {key} -o %p {archive}/%f.age",
        "recovery_target_action": "promote",
    }
    if target == "time":
        settings.update(recovery_target_time=moment["time"], recovery_target_inclusive="off")
    elif target == "name":
        settings.update(recovery_target_name=RESTORE_POINT)
    # "latest": no target, every archived segment is replayed (the negative control)
    return settings


def pipe(first: list[str], second: list[str]) -> None:
    """first | second, failing loudly if either fails."""
    producer = subprocess.Popen(first, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # noqa: S603
    consumer = subprocess.Popen(second, stdin=producer.stdout, stderr=subprocess.PIPE)  # noqa: S603
    producer.stdout.close()
    _, consumer_err = consumer.communicate(timeout=300)
    producer_err = producer.stderr.read()
    producer.wait(timeout=60)
    if producer.returncode or consumer.returncode:
        raise SystemExit(
            f"{' '.join(first)} | {' '.join(second)} failed ({producer.returncode}, {consumer.returncode}):\n"
            f"{producer_err.decode(errors='replace')}{consumer_err.decode(errors='replace')}"
        )


def postgres_command(*command: str) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else list(command)


def base_backup(path: Path, recipients: Path) -> float:
    """pg_basebackup (tar, gzip, with the WAL it needs) piped straight into age: never a plain copy on disk."""
    started = time.monotonic()
    pipe(
        postgres_command(
            "pg_basebackup", "-d", f"host=127.0.0.1 port={SOURCE.port} user=postgres",
            "-D", "-", "-F", "tar", "-z", "-X", "fetch", "-c", "fast",
        ),
        ["age", "-R", str(recipients), "-o", str(path)],
    )  # fmt: skip
    return time.monotonic() - started


def export_all(env: dict, folder: Path, users: tuple[str, ...]) -> dict[str, bytes]:
    folder.mkdir(parents=True, exist_ok=True)
    manage(env, "shell", "--no-imports", "-c", EXPORTS.format(users=list(users), formats=FORMATS, folder=folder))
    return {
        f"{user}.{fmt}": (folder / f"{user}-{fmt}.{ext}").read_bytes() for user in users for fmt, ext in FORMATS.items()
    }


def compare_exports(before: dict[str, bytes], after: dict[str, bytes]) -> dict:
    """name -> "identical" (raw bytes), "identical apart from the generation time", or "DIFFERENT"."""
    result = {}
    for name, content in before.items():
        fmt = name.rsplit(".", 1)[1]
        if after.get(name) == content:
            result[name] = "identical"
        elif after.get(name) is not None and normalise_generated(fmt, after[name]) == normalise_generated(fmt, content):
            result[name] = "identical apart from the generation time"
        else:
            result[name] = "DIFFERENT"
    return result


def wait_archived(cluster: Cluster, archive: Path) -> str:
    """Close the current WAL segment and wait until it is in the archive: the restore needs everything so far."""
    segment = cluster.value("SELECT pg_walfile_name(pg_switch_wal())")
    wait_for(lambda: (archive / f"{segment}.age").exists(), 60, f"WAL segment {segment} to be archived")
    return segment


def restore(target: str, moment: dict, tmp: Path, key: Path, env_for, people: list[Person], before: dict) -> dict:
    """Recover the encrypted base backup plus archive into a fresh cluster, to just before the bad moment."""
    started = time.monotonic()
    TARGET.drop()
    TARGET.create(restore_settings(tmp / "wal-archive", key, target, moment))
    shutil.rmtree(TARGET.data_dir)
    run("install", "-d", "-o", "postgres", "-g", "postgres", "-m", "700", str(TARGET.data_dir))
    pipe(
        ["age", "-d", "-i", str(key), str(tmp / "base.tar.gz.age")],
        postgres_command("tar", "-x", "-z", "-C", str(TARGET.data_dir)),
    )
    verified = as_postgres(str(PG_BIN / "pg_verifybackup"), str(TARGET.data_dir), check=False)
    if verified.returncode:
        raise SystemExit(f"pg_verifybackup: the decrypted base backup is damaged:\n{verified.stdout}{verified.stderr}")
    as_postgres("touch", str(TARGET.data_dir / "recovery.signal"))
    result = TARGET.ctl("start", check=False)
    if result.returncode:
        raise SystemExit(f"The restore did not start:\n{result.stdout}{result.stderr}\n{TARGET.log_tail()}")
    wait_for(TARGET.ready, 120, f"{TARGET} to recover")
    wait_for(lambda: not TARGET.value("SELECT pg_is_in_recovery()"), 120, "recovery to reach its target")
    report = {
        "target": target,
        "recovery_target": {"time": moment["time"], "name": RESTORE_POINT}.get(target, "end of the archive"),
        "restore_s": round(time.monotonic() - started, 1),
        "timeline": TARGET.value("SELECT timeline_id FROM pg_control_checkpoint()"),
        "recovery_stopped": next(
            (
                line.split("LOG:", 1)[-1].strip()
                for line in TARGET.log_tail(200).splitlines()
                if "recovery stopping" in line
            ),
            None,
        ),
    }
    url = TARGET.url(DB_NAME)
    stored = stored_logs(url, [p.username for p in people])
    attempts = [a for p in people for a in p.attempts]
    report["saves"] = point_in_time_check(attempts, stored, moment["before"], moment["after"])
    report["half_saved"] = half_saved_logs(url)
    report["exports"] = compare_exports(
        before, export_all(env_for(url), tmp / f"exports-{target}", (UNTOUCHED, VICTIM))
    )
    TARGET.drop()
    return report


def verdict(report: dict) -> str:
    failures = []
    if report["damage"] != "victim's exports changed":
        failures.append("the bad import did not change the victim's data: nothing to undo")
    for status, count in report["statuses"].items():
        if int(status) >= 500:
            failures.append(f"{count} answers {status} during the load")
    for r in report["restores"]:
        s = r["saves"]
        if r["target"] == "latest":
            # The negative control: replaying everything must bring back the bad import and the later saves, or
            # the checks could not tell a restore to the right moment from any other.
            if not s["days_from_after_target"] or r["exports"][f"{VICTIM}.csv"] != "DIFFERENT":
                failures.append(f"latest: the checks did not notice a restore past the bad moment: {s}")
            continue
        if s["days_lost_or_wrong"] or s["days_from_after_target"] or s["days_never_saved_but_stored"]:
            failures.append(f"{r['target']}: the restored days are not those of the target: {s}")
        if not s["saves_acknowledged_before_target"] or not s["saves_sent_after_target"]:
            failures.append(f"{r['target']}: the load did not save on both sides of the target: {s}")
        if r["half_saved"]:
            failures.append(f"{r['target']}: half-saved days: {r['half_saved']}")
        different = [name for name, result in r["exports"].items() if result == "DIFFERENT"]
        if different:
            failures.append(f"{r['target']}: exports differ from before: {different}")
    return "PASS" if not failures else "FAIL: " + "; ".join(failures)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--target",
        choices=["both", "time", "name", "latest"],
        default="both",
        help="both = time, then name; latest = replay everything, a negative control the checks must catch",
    )
    parser.add_argument("--people", type=int, default=15, help="simultaneous simulated people (default 15)")
    parser.add_argument("--duration", type=float, default=30, help="seconds of load; the bad moment at half")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=8742, help="gunicorn's port")
    parser.add_argument("--time-limit", type=int, default=480, help="abort (and clean up) after this many seconds")
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("The drill creates and drops PostgreSQL clusters: run it as root (pg_createcluster)")
    run(str(ROOT / "scripts" / "ensure-age"))  # fails loudly when age cannot be installed

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGALRM):
        signal.signal(signum, abort)
    signal.alarm(args.time_limit)
    began = time.monotonic()
    say = Progress("drill-restore")
    tmp = Path(tempfile.mkdtemp(prefix="bfs-drill-restore-"))
    report: dict = {"people": args.people, "duration_s": args.duration}
    server = None
    try:
        postgres_owns(tmp)
        archive = tmp / "wal-archive"
        as_postgres("install", "-d", "-m", "700", str(archive))
        key, recipients = make_key(tmp)
        backup = tmp / "base.tar.gz.age"
        say("creating the source cluster, archiving (encrypted) to " + str(archive))
        for cluster in (SOURCE, TARGET):
            cluster.drop()
        SOURCE.create(archive_settings(archive, recipients))
        SOURCE.start()
        SOURCE.reset_database(DB_NAME)

        def env_for(url: str) -> dict:
            return app_env(url)

        env = env_for(SOURCE.url(DB_NAME))
        say(f"migrating, creating {args.people} people, {UNTOUCHED} and {VICTIM} with 120 days each")
        prepare(env, args.people, extra_users=(UNTOUCHED, VICTIM))
        manage(env, "seed_demo", "--user", UNTOUCHED, "--days", "120", "--seed", "11", "--fast")
        manage(env, "seed_demo", "--user", VICTIM, "--days", "120", "--seed", "12", "--fast")
        say("base backup, piped into age")
        report["base_backup_s"] = round(base_backup(backup, recipients), 1)
        report["base_backup_bytes"] = backup.stat().st_size
        say("exports before the load (manage.py export_report)")
        before = export_all(env, tmp / "exports-before", (UNTOUCHED, VICTIM))

        server = start_gunicorn(env, args.port, args.workers, args.threads)
        stats = [Stats() for _ in range(args.people)]
        people = [Person(f"bench{i}", [args.port], stats[i]) for i in range(args.people)]
        sign_in_everyone(people)
        pages = {"view": usable_pages(people[0], VIEW_PAGES), "export": usable_pages(people[0], EXPORT_PAGES)}
        say(f"{args.people} people load the app for {args.duration:.0f} s; the bad moment at half")
        threads, deadline = start_load(people, args.duration, pages)
        time.sleep(args.duration / 2)

        # The bad moment: note the time (and a named restore point), then import into the wrong account.
        moment_before = time.time()
        moment_time, point = SOURCE.query(
            "SELECT clock_timestamp()::text, pg_create_restore_point(%s)::text", (RESTORE_POINT,), DB_NAME
        )[0]
        moment = {"time": moment_time, "restore_point_lsn": point, "before": moment_before, "after": time.time()}
        say(f"bad moment at {moment_time}: importing {UNTOUCHED}'s backup into {VICTIM} with --replace")
        manage(
            env, "import_logs", "--user", VICTIM, str(tmp / "exports-before" / f"{UNTOUCHED}-json.json"), "--replace"
        )
        report["bad_moment"] = {k: moment[k] for k in ("time", "restore_point_lsn")}
        for thread in threads:
            thread.join(timeout=max(1.0, deadline.left() + 60))
        stop_gunicorn(server)
        server = None

        total = total_stats(stats)
        report["statuses"] = {str(k): v for k, v in sorted(total.statuses.items())}
        attempts = [a for p in people for a in p.attempts]
        report["saves_acknowledged"] = sum(a.outcome == "saved" for a in attempts)
        after_bad = export_all(env, tmp / "exports-after-bad-import", (VICTIM,))
        changed = all(after_bad[name] != before[name] for name in after_bad)
        report["damage"] = "victim's exports changed" if changed else "victim's exports unchanged"
        say("archiving the last WAL segment, stopping the source")
        report["last_archived_segment"] = wait_archived(SOURCE, archive)
        report["archive_segments"] = len(list(archive.glob("*.age")))
        SOURCE.stop("fast")  # from here on, only the encrypted backup and archive exist

        targets = ["time", "name"] if args.target == "both" else [args.target]
        report["restores"] = []
        for target in targets:
            say(f"restoring into a fresh cluster to the {target} target")
            report["restores"].append(restore(target, moment, tmp, key, env_for, people, before))
    finally:
        signal.alarm(0)
        if server is not None:
            stop_gunicorn(server)
        for cluster in (SOURCE, TARGET):
            cluster.drop()
        shutil.rmtree(tmp, ignore_errors=True)
    report["load_average"] = [round(x, 1) for x in os.getloadavg()]
    report["verdict"] = verdict(report)
    report["seconds"] = round(time.monotonic() - began, 1)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "drill-restore.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    line = []
    for r in report["restores"]:
        t, s = r["target"], r["saves"]
        identical = sum(v != "DIFFERENT" for v in r["exports"].values())
        line += [
            (f"{t}_acknowledged_before", s["saves_acknowledged_before_target"]),
            (f"{t}_sent_after", s["saves_sent_after_target"]),
            (f"{t}_days_ok", s["days_as_expected"]),
            (f"{t}_days_lost", s["days_lost_or_wrong"]),
            (f"{t}_days_from_after", s["days_from_after_target"]),
            (f"{t}_exports_identical", f"{identical}/{len(r['exports'])}"),
            (f"{t}_restore_s", r["restore_s"]),
        ]
    line += [
        ("saves_acknowledged", report["saves_acknowledged"]),
        ("drill_s", report["seconds"]),
        ("load_avg", report["load_average"][1]),
    ]
    print(figures_line("drill-restore", report["verdict"], line))
    return 0 if report["verdict"] == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
