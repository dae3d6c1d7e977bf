"""The embedded SQLite database is configured for more than one worker (bfs_tracker/settings.py)."""

import sqlite3
import threading

from django.conf import settings
from django.db import connection


def test_sqlite_takes_the_write_lock_when_a_transaction_begins_and_waits_for_it():
    options = settings.DATABASES["default"].get("OPTIONS", {})
    if connection.vendor != "sqlite":  # PostgreSQL's connection gets none of the SQLite-only options
        assert "transaction_mode" not in options
        assert "init_command" not in options
        return
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 20
    assert "journal_mode=WAL" in options["init_command"]


def test_two_writers_with_these_settings_queue_instead_of_failing(tmp_path):
    """What the settings buy (settings.SQLITE_OPTIONS, the embedded database's), on a real file: two connections
    that each read and then write inside a transaction. With SQLite's default (deferred) transactions the second one
    to upgrade its lock can fail at once with "database is locked"; begun IMMEDIATE, with a wait, every write
    lands."""
    path = tmp_path / "two.sqlite3"
    setup = sqlite3.connect(path)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE days (n INTEGER)")
    setup.commit()
    setup.close()
    failures: list[str] = []

    def writer(begin: str) -> None:
        db = sqlite3.connect(path, timeout=settings.SQLITE_OPTIONS["timeout"], isolation_level=None)
        for _ in range(100):
            try:
                db.execute(begin)
                db.execute("SELECT COUNT(*) FROM days").fetchone()
                db.execute("INSERT INTO days VALUES (1)")
                db.execute("COMMIT")
            except sqlite3.OperationalError as error:
                failures.append(str(error))
                db.execute("ROLLBACK")
        db.close()

    threads = [
        threading.Thread(target=writer, args=(f"BEGIN {settings.SQLITE_OPTIONS['transaction_mode']}",))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    check = sqlite3.connect(path)
    assert failures == []
    assert check.execute("SELECT COUNT(*) FROM days").fetchone()[0] == 200
    check.close()
