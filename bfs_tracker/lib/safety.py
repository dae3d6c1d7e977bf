"""Guards for commands that could touch real data or real people by mistake (`ensure_demo`, `send_reminders`).

Each answers with the reason to refuse, or None. They look at the database and mail settings actually in use, so a
command refuses whatever mix of environment variables led there (a forgotten SECRET_KEY, DEBUG set by habit).
"""

from collections.abc import Mapping
from typing import Any

# Mail backends that never reach a person: the mail is printed, written to a file or dropped.
UNDELIVERED_MAIL = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}


def is_sqlite(database: Mapping[str, Any]) -> bool:
    return str(database.get("ENGINE", "")).endswith("sqlite3")


def describe(database: Mapping[str, Any]) -> str:
    host = database.get("HOST") or "local socket"
    return f"{database.get('NAME')} ({database.get('ENGINE', '').rsplit('.', 1)[-1]} on {host})"


def demo_account_problem(*, debug: bool, database: Mapping[str, Any], confirmed_name: str | None) -> str | None:
    """The demo account has a published password: only in development, and only in a SQLite database unless the
    person names the database they mean (so a DATABASE_URL left pointing at a real one stops the command)."""
    if not debug:
        return "ensure_demo only runs with DEBUG=true: it creates an account whose password is published."
    if confirmed_name is not None and confirmed_name != str(database.get("NAME")):
        return f"You named the database {confirmed_name!r}, but the one configured is {describe(database)}."
    if not is_sqlite(database) and confirmed_name is None:
        return (
            f"The database is {describe(database)}, not a local SQLite file. If it really is a development "
            "database, say so with --database NAME."
        )
    return None


def reminder_mail_problem(*, email_backend: str, database: Mapping[str, Any]) -> str | None:
    """Reminders are marked sent as they go: with a backend that delivers nothing, a real database's people would
    get no reminder that day and nobody would know. Only the local development database may do that."""
    if email_backend in UNDELIVERED_MAIL and not is_sqlite(database):
        return (
            f"EMAIL_BACKEND is {email_backend}, which delivers no mail, and the database is {describe(database)}: "
            "sending would mark real people's reminders as sent without sending them. Configure SMTP (EMAIL_*), "
            "or use the local SQLite database for development."
        )
    return None
