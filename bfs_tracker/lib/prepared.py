"""Server-side prepared statements on PostgreSQL, for the few hand-written queries a page runs on every visit.

Why: PostgreSQL parses and plans every statement it receives. For the day page's one read (logbook.day_read) that
was most of the database's work: 0.16 ms of planning against 0.06 ms of execution (EXPLAIN ANALYZE), and the
database's CPU is shared with the app's on a small server. A statement prepared once per connection is planned
once (or, after five runs, with a generic plan PostgreSQL keeps), then only executed. On SQLite (in-process, no
planning worth saving) `execute` runs the statement as it is.

Each connection prepares its statements itself, the first time it runs them: PREPARE lasts as long as the session
(a rolled-back transaction keeps it), and a new connection (Django reconnects after CONN_MAX_AGE or a failed health
check) starts with none, so the names known to be prepared are forgotten on `connection_created`. The PREPARE
goes through the driver's own cursor, as Django's own per-connection setup does (SET TIME ZONE), so it is not
counted among a page's queries: it happens once per connection, not per request. No connection pooler that hands
one session to several clients (PgBouncer in transaction mode) may sit between the app and PostgreSQL, or a
prepared name may be missing; docs/deployment.md says so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.db import connection
from django.db.backends.signals import connection_created
from django.dispatch import receiver

_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


@receiver(connection_created)
def _forget(sender, connection, **kwargs) -> None:
    """A new session has no prepared statements."""
    connection.bfs_prepared = set()


def execute(cursor, name: str, sql: str, types: Sequence[str], params: Sequence) -> None:
    """Run `sql` (with %s placeholders, one per entry of `params`) on `cursor`. On PostgreSQL as the prepared
    statement `name` with parameter types `types` (SQL type names, one per placeholder), preparing it first on this
    connection if it is not yet; elsewhere as it is. `name`, `sql` and `types` are written in the code, never from
    input."""
    if connection.vendor != "postgresql":
        cursor.execute(sql, params)
        return
    if not _NAME.match(name) or len(types) != len(params) or sql.count("%s") != len(params):
        raise ValueError(f"prepared statement {name!r}: a name, one type and one value per %s")
    # On the connection itself (django.db.connection is a proxy to this thread's): set again by _forget.
    prepared = getattr(connection, "bfs_prepared", None)
    if prepared is None:
        prepared = set()
        connection.bfs_prepared = prepared  # type: ignore[attr-defined]  # ours, on the wrapper
    if name not in prepared:
        numbered = iter(range(1, len(params) + 1))
        body = re.sub(r"%s", lambda _: f"${next(numbered)}", sql)
        with connection.connection.cursor() as driver:  # the session's own cursor: see the module's docstring
            driver.execute(f"PREPARE {name} ({', '.join(types)}) AS {body}")
        prepared.add(name)
    cursor.execute(f"EXECUTE {name} ({', '.join(['%s'] * len(params))})", params)
