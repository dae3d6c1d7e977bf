#!/usr/bin/env python
"""Django's command-line entry point for BFS Tracker."""

import os
import sys


def _settings_module(argv: list[str]) -> str:
    for i, arg in enumerate(argv):
        if arg.startswith("--settings="):
            return arg.split("=", 1)[1]
        if arg == "--settings" and i + 1 < len(argv):
            return argv[i + 1]
    return os.environ.get("DJANGO_SETTINGS_MODULE", "bfs_tracker.settings")


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bfs_tracker.settings")
    if _settings_module(sys.argv) == "bfs_tracker.settings":
        from bfs_tracker.lib.env import development_fallback

        # A checkout with no configuration at all is a developer's: run commands with development settings instead
        # of stopping on the missing SECRET_KEY. Never when DATABASE_URL names another database than the local
        # SQLite file: that is a deployment with a forgotten SECRET_KEY, and development mode there could touch real
        # data or real people (the demo account, reminder mail printed and marked sent). The web server (wsgi.py)
        # keeps the strict rule.
        decision = development_fallback(os.environ)
        if decision == "use":
            os.environ["DEBUG"] = "true"
            print("manage.py: no SECRET_KEY or DEBUG set, using development settings (DEBUG=true).", file=sys.stderr)
        elif decision == "refuse":
            sys.exit(
                "manage.py: DATABASE_URL names a database other than the local SQLite file, but neither SECRET_KEY "
                "nor DEBUG is set. Set SECRET_KEY (a deployment) or DEBUG=true (development, on purpose); "
                "development settings are not used by themselves against another database."
            )
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
