"""The security log: sign-ins, failed sign-ins, lockouts and denied access.

Each line says what happened, to which user id, from which address, at what UTC time. It never holds health data,
usernames, passwords or URLs with dates in them: only the name of the page.
"""

import logging
import time

from django.http import HttpRequest

from bfs_tracker.security.client_ip import client_ip

logger = logging.getLogger("bfs_tracker.security")


class UtcFormatter(logging.Formatter):
    converter = time.gmtime

    def __init__(self) -> None:
        super().__init__(fmt="%(asctime)s %(levelname)s %(name)s %(message)s", datefmt="%Y-%m-%dT%H:%M:%SZ")


def security_event(event: str, *, request: HttpRequest | None, user_id: int | None, **fields: object) -> None:
    ip = client_ip(request) if request is not None else "-"
    extra = "".join(f" {key}={value}" for key, value in sorted(fields.items()))
    logger.info("event=%s user_id=%s ip=%s%s", event, user_id if user_id is not None else "-", ip or "-", extra)


def page_name(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None and match.view_name else "unresolved"
