"""Each person's data version: a number the database changes on every write to the tables their pages are built from.

The dashboard, the calendar, the experiments and the report are cached (trends.dashboard_cache, reports.cache) under
keys that change whenever the person's data does. Those keys start from `log_span`, which reads how many rows of
each kind there are and when each was last saved. On PostgreSQL that read costs about 0.8 ms per request (a count
over every day of the person, and planning fifteen subqueries), as much as the cached page itself. So log_span is
itself cached, under this number, and a cached page costs one primary-key read (`current`).

Triggers keep the number (installed by migration logbook 0007 with `install`), so every way of writing changes it:
the day form's hand-written statements, imports, cascading deletes, the admin, a maintainer's shell. Each write
stores a new random 63-bit number rather than adding one: a counter would repeat its numbers after a database is
restored from a backup (or, in the tests, after a rolled-back person's id is used again), and a cached page of the
old numbers would be served for different data. A missing row reads as 0.

A maintainer who rebuilds one of these tables must install the triggers again: on SQLite Django alters a table by
copying it into a new one, which drops its triggers. Call `install` from that migration (after the change);
tests/test_logbook_data_version.py fails for any table whose writes stop raising the number.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import connection

from bfs_tracker.lib.cache import cached as lib_cached

T = TypeVar("T")

# The tables log_span reads, each with its owner's column. Keep in step with trends.selectors.log_span.
TABLES = (
    "logbook_dailylog",
    "trends_flaresettings",
    "timeline_event",
    "logbook_remedy",
    "trends_experiment",
    "logbook_ownfactor",
    "alerts_functioncheck",
)
_FUNCTION = "logbook_data_version_bump"

# A new number per write: 53 random bits on PostgreSQL (random() is a double), 64 on SQLite. The statements are
# written out in full (no names formatted in) so that no reader has to check where a name comes from.
# PostgreSQL: one function, one row trigger per table. An update that moved a row to another person (the app never
# does) changes both people's numbers.
_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION logbook_data_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO logbook_dataversion AS v (user_id, version)
        VALUES (OLD.user_id, (random() * 9007199254740991)::bigint)
        ON CONFLICT (user_id) DO UPDATE SET version = EXCLUDED.version;
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.user_id IS DISTINCT FROM OLD.user_id) THEN
        INSERT INTO logbook_dataversion AS v (user_id, version)
        VALUES (NEW.user_id, (random() * 9007199254740991)::bigint)
        ON CONFLICT (user_id) DO UPDATE SET version = EXCLUDED.version;
    END IF;
    RETURN NULL;
END
$$;
"""
# SQLite: three triggers per table, each with a body of these.
_SQLITE_BUMP = {
    "NEW": "INSERT INTO logbook_dataversion (user_id, version) VALUES (NEW.user_id, random()) "
    "ON CONFLICT (user_id) DO UPDATE SET version = excluded.version;",
    "OLD": "INSERT INTO logbook_dataversion (user_id, version) VALUES (OLD.user_id, random()) "
    "ON CONFLICT (user_id) DO UPDATE SET version = excluded.version;",
    # After an update: the new owner's too, if the row moved (the app never does).
    "MOVED": "INSERT INTO logbook_dataversion (user_id, version) SELECT NEW.user_id, random() "
    "WHERE NEW.user_id IS NOT OLD.user_id ON CONFLICT (user_id) DO UPDATE SET version = excluded.version;",
}


def _trigger_name(table: str, operation: str = "") -> str:
    return f"{table}_data_version{'_' + operation if operation else ''}"


def install_statements(vendor: str) -> list[str]:
    """The statements that (re)create the triggers on every table of TABLES for the database `vendor`."""
    if vendor == "postgresql":
        statements = [_PG_FUNCTION]
        for table in TABLES:
            name = _trigger_name(table)
            statements.append(f"DROP TRIGGER IF EXISTS {name} ON {table};")
            statements.append(
                f"CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {_FUNCTION}();"
            )
        return statements
    if vendor == "sqlite":
        statements = []
        for table in TABLES:
            for operation, bumps in (("insert", ["NEW"]), ("update", ["OLD", "MOVED"]), ("delete", ["OLD"])):
                name = _trigger_name(table, operation)
                body = " ".join(_SQLITE_BUMP[bump] for bump in bumps)
                statements.append(f"DROP TRIGGER IF EXISTS {name};")
                statements.append(f"CREATE TRIGGER {name} AFTER {operation.upper()} ON {table} BEGIN {body} END;")
        return statements
    raise NotImplementedError(f"no data-version triggers for {vendor}")


def uninstall_statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {_trigger_name(t)} ON {t};" for t in TABLES] + [
            f"DROP FUNCTION IF EXISTS {_FUNCTION}();"
        ]
    return [f"DROP TRIGGER IF EXISTS {_trigger_name(t, op)};" for t in TABLES for op in ("insert", "update", "delete")]


def install(schema_editor) -> None:
    """Create (or re-create) the triggers; for a migration's RunPython(lambda apps, se: install(se))."""
    for statement in install_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement)


def uninstall(schema_editor) -> None:
    for statement in uninstall_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement)


def current(user) -> int:
    """The person's data version now (0 before their first write; otherwise a random number that changes with
    every write). One primary-key read."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM logbook_dataversion WHERE user_id = %s", [user.pk])
        row = cursor.fetchone()
    return row[0] if row else 0


def cached(user, name: str, build: Callable[[], T], *, alias: str = "dashboard", seconds: int = 60 * 60) -> T:
    """`build()`'s value for this person, cached under `name` (which must carry whatever else the value depends on,
    such as the person's today) and their data version: for a page built only from the tables of TABLES. One
    primary-key read on a hit. The version is read before building, so what is cached is never older than its key."""
    return lib_cached(alias, f"{name}:{user.pk}:{current(user)}", build, seconds)
