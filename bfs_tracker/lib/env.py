"""Typed readers for settings that come from the environment.

They fail loudly on a value they cannot parse, so a typo in a deployment stops the app at start-up instead of
quietly running with a default.
"""

import os
from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"The environment variable {name} must be set.")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# The local SQLite file beside manage.py: the development database, and the default when DATABASE_URL is unset.
BASE_DIR = Path(__file__).resolve().parent.parent.parent
LOCAL_SQLITE = BASE_DIR / "db.sqlite3"


def is_local_database_url(url: str | None) -> bool:
    """True for no DATABASE_URL at all, or one naming the local SQLite file beside manage.py."""
    if not url:
        return True
    return url.strip() in {f"sqlite:///{LOCAL_SQLITE}", "sqlite:///db.sqlite3"}


def development_fallback(environ: Mapping[str, str]) -> str:
    """What manage.py should do about settings: "use" development settings (DEBUG=true), "refuse" to, or "none".

    Development settings are a convenience for a checkout with no configuration at all. They are used only when
    neither SECRET_KEY nor DEBUG is set AND the database is the local SQLite file: with a DATABASE_URL pointing
    anywhere else, a forgotten SECRET_KEY must stop the command, not run it against that database in development
    mode (where, for example, mail goes to the console)."""
    if "SECRET_KEY" in environ or "DEBUG" in environ:
        return "none"
    return "use" if is_local_database_url(environ.get("DATABASE_URL")) else "refuse"
