#!/usr/bin/env python
"""Django's command-line entry point for BFS Tracker."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bfs_tracker.settings")
    # A checkout with no configuration at all is a developer's: run commands with development settings instead of
    # stopping on the missing SECRET_KEY. Production sets SECRET_KEY, so this never applies there, and the web
    # server (wsgi.py) keeps the strict rule.
    if "SECRET_KEY" not in os.environ and "DEBUG" not in os.environ:
        os.environ["DEBUG"] = "true"
        print("manage.py: no SECRET_KEY or DEBUG set, using development settings (DEBUG=true).", file=sys.stderr)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
