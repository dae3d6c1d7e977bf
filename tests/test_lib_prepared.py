"""lib.prepared: a statement prepared once per PostgreSQL connection gives what the plain statement gives, and a new
connection prepares it again; on SQLite the statement runs as it is."""

import pytest
from django.db import connection

from bfs_tracker.lib import prepared

SQL = "SELECT %s + 1, %s || '!'"
TYPES = ("bigint", "text")
POSTGRESQL_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL: prepared statements belong to its sessions"
)


def _run(values):
    with connection.cursor() as cursor:
        prepared.execute(cursor, "bfs_test_sum", SQL, TYPES, values)
        return cursor.fetchone()


def _session_has(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE name = %s", [name])
        return cursor.fetchone()[0] == 1


@pytest.mark.django_db
def test_the_prepared_statement_answers_as_the_plain_one(django_assert_num_queries):
    with connection.cursor() as cursor:
        cursor.execute(SQL, [41, "yes"])
        plain = cursor.fetchone()
    with django_assert_num_queries(1):  # preparing is the connection's own setup, not a query of the page
        assert _run([41, "yes"]) == plain == (42, "yes!")
    with django_assert_num_queries(1):
        assert _run([1, "again"]) == (2, "again!")


@POSTGRESQL_ONLY
@pytest.mark.django_db
def test_each_postgresql_connection_prepares_its_statements_once():
    _run([1, "a"])
    assert _session_has("bfs_test_sum")
    assert "bfs_test_sum" in connection.bfs_prepared
    _run([2, "b"])  # no second PREPARE: it would fail with "already exists"


@POSTGRESQL_ONLY
@pytest.mark.django_db(transaction=True)
def test_a_new_connection_forgets_what_the_old_one_prepared():
    _run([1, "a"])
    connection.close()
    assert _run([5, "b"]) == (6, "b!")  # prepared again on the new session
    assert _session_has("bfs_test_sum")


@POSTGRESQL_ONLY
def test_names_types_and_placeholders_must_agree():
    with pytest.raises(ValueError, match="prepared statement"):
        prepared.execute(None, "bad name;", SQL, TYPES, [1, "a"])
    with pytest.raises(ValueError, match="one type and one value"):
        prepared.execute(None, "bfs_ok", SQL, ("bigint",), [1, "a"])
