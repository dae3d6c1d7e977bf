"""Settings and commands that fail safe: nothing falls into development mode against a real database, the demo
account (published password) is made only in a development database, and reminders are never marked sent by a
mail backend that delivers nothing to real people."""

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from bfs_tracker.accounts.models import User
from bfs_tracker.lib.env import LOCAL_SQLITE, development_fallback, is_local_database_url
from bfs_tracker.lib.safety import demo_account_problem, reminder_mail_problem
from bfs_tracker.reminders.models import ReminderSettings

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = {"ENGINE": "django.db.backends.postgresql", "NAME": "bfs", "HOST": "db.internal"}
SQLITE = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(LOCAL_SQLITE)}
CONSOLE = "django.core.mail.backends.console.EmailBackend"
SMTP = "django.core.mail.backends.smtp.EmailBackend"


@pytest.mark.parametrize(
    ("environ", "decision"),
    [
        ({}, "use"),
        ({"DATABASE_URL": f"sqlite:///{LOCAL_SQLITE}"}, "use"),
        ({"DATABASE_URL": "postgres://bfs@db.internal:5432/bfs"}, "refuse"),
        ({"DATABASE_URL": "sqlite:////srv/other.sqlite3"}, "refuse"),
        ({"DATABASE_URL": "postgres://bfs@db.internal:5432/bfs", "SECRET_KEY": "x"}, "none"),
        ({"DATABASE_URL": "postgres://bfs@localhost/bfs", "DEBUG": "true"}, "none"),
        ({"DEBUG": "false"}, "none"),
    ],
)
def test_development_settings_only_for_a_checkout_with_nothing_configured(environ, decision):
    assert development_fallback(environ) == decision


def test_the_local_sqlite_file_is_recognised_whichever_way_it_is_written():
    assert is_local_database_url(None)
    assert is_local_database_url("")
    assert is_local_database_url("sqlite:///db.sqlite3")
    assert not is_local_database_url("postgres://postgres@127.0.0.1:5432/bfs")


def _manage(*args: str, **environ: str) -> subprocess.CompletedProcess:
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "PYTHONPATH"}}
    return subprocess.run(  # noqa: S603  (our own manage.py, arguments from this file)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**keep, **environ},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_manage_py_refuses_development_mode_against_another_database():
    result = _manage("check", DATABASE_URL="postgres://bfs@db.internal:5432/bfs")
    assert result.returncode != 0
    assert "names a database other than the local SQLite file" in result.stderr
    assert "using development settings" not in result.stderr


def test_manage_py_with_nothing_configured_still_runs_in_development_mode():
    result = _manage("check")
    assert result.returncode == 0, result.stderr
    assert "using development settings (DEBUG=true)" in result.stderr


def test_the_test_settings_are_not_affected(tmp_path):
    result = _manage("check", "--settings=bfs_tracker.settings_test", DATABASE_URL=f"sqlite:///{tmp_path}/x.db")
    assert result.returncode == 0, result.stderr


# --- ensure_demo ---


def test_the_demo_account_needs_debug_and_a_development_database():
    assert "DEBUG=true" in demo_account_problem(debug=False, database=SQLITE, confirmed_name=None)
    assert demo_account_problem(debug=True, database=SQLITE, confirmed_name=None) is None
    problem = demo_account_problem(debug=True, database=POSTGRES, confirmed_name=None)
    assert "bfs (postgresql on db.internal), not a local SQLite file" in problem
    assert demo_account_problem(debug=True, database=POSTGRES, confirmed_name="bfs") is None
    assert "You named the database 'dev'" in demo_account_problem(debug=True, database=POSTGRES, confirmed_name="dev")


def test_ensure_demo_refuses_a_database_that_is_not_sqlite(db, settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setitem(connection.settings_dict, "ENGINE", "django.db.backends.postgresql")
    with pytest.raises(CommandError, match="not a local SQLite file"):
        call_command("ensure_demo", stdout=io.StringIO())
    assert not User.objects.filter(username="demo").exists()


def test_ensure_demo_refuses_when_the_named_database_is_another(db, settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="You named the database 'production'"):
        call_command("ensure_demo", database_name="production", stdout=io.StringIO())
    assert not User.objects.filter(username="demo").exists()


# --- send_reminders ---


def test_reminders_are_not_marked_sent_by_a_backend_that_delivers_nothing():
    assert "delivers no mail" in reminder_mail_problem(email_backend=CONSOLE, database=POSTGRES)
    assert reminder_mail_problem(email_backend=CONSOLE, database=SQLITE) is None
    assert reminder_mail_problem(email_backend=SMTP, database=POSTGRES) is None


def test_send_reminders_refuses_to_print_real_peoples_mail(user, settings, monkeypatch):
    reminder = ReminderSettings.objects.create(user=user, enabled=True, time=dt.time(9, 0))
    settings.EMAIL_BACKEND = CONSOLE
    monkeypatch.setitem(connection.settings_dict, "ENGINE", "django.db.backends.postgresql")
    with time_machine.travel(dt.datetime(2026, 11, 12, 15, 0, tzinfo=dt.UTC), tick=False):
        with pytest.raises(CommandError, match="would mark real people's reminders as sent"):
            call_command("send_reminders", stdout=io.StringIO())
    reminder.refresh_from_db()
    assert reminder.last_sent_for is None


def test_send_reminders_prints_mail_in_development(user, settings, monkeypatch):
    ReminderSettings.objects.create(user=user, enabled=True, time=dt.time(9, 0))
    settings.EMAIL_BACKEND = CONSOLE
    monkeypatch.setitem(connection.settings_dict, "ENGINE", "django.db.backends.sqlite3")
    out = io.StringIO()
    with time_machine.travel(dt.datetime(2026, 11, 12, 15, 0, tzinfo=dt.UTC), tick=False):
        call_command("send_reminders", stdout=out)
    assert "Sent 1 reminder." in out.getvalue()
