"""The security log: sign-ins, failed sign-ins, lockouts and denied access.

Each line says what happened, to which user id, from which address, at what UTC time. It never holds health data,
usernames, passwords or URLs with dates in them: only the name of the page.
"""

import logging
import re
import time

from django.http import HttpRequest

from bfs_tracker.security.client_ip import client_ip

logger = logging.getLogger("bfs_tracker.security")


class UtcFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__(fmt="%(asctime)s %(levelname)s %(name)s %(message)s", datefmt="%Y-%m-%dT%H:%M:%SZ")
        self.converter = time.gmtime  # on the instance: as a class attribute it would be bound like a method


# What a URL may hold that must never reach a log: which day or month someone looked at (it says when they had
# symptoms), a share link's token (it opens their report), and the secrets in confirmation and reset links.
_SEGMENT = r"[^/\s?#\"'<]+"  # never starts inside a replacement, so redacting twice changes nothing
REDACTIONS = [
    (re.compile(rf"(/days/){_SEGMENT}"), r"\1<date>"),
    (re.compile(rf"(/calendar/){_SEGMENT}(/{_SEGMENT})?"), r"\1<month>"),
    (re.compile(rf"(/shared/){_SEGMENT}"), r"\1<token>"),
    (re.compile(rf"(/accounts/password/reset/)(?!sent/|complete/){_SEGMENT}(/{_SEGMENT})?"), r"\1<token>"),
    (re.compile(rf"(/accounts/confirm/){_SEGMENT}"), r"\1<token>"),
    (re.compile(rf"(/settings/email/confirm/){_SEGMENT}"), r"\1<token>"),
    # Query strings carry date ranges (?start=...&end=...) and next= links to dated pages.
    (re.compile(r"\?[^\s\"']+"), "?<query>"),
    (re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b"), "<date>"),
]


def redact(text: str) -> str:
    for pattern, replacement in REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


class RedactFilter(logging.Filter):
    """Rewrites every record so it holds no dated path, share token or confirmation secret (see REDACTIONS).

    Attached to each handler in settings.LOGGING, so whatever logger a record comes from (django.request's "Not
    Found: /days/2026-03-10/", django.server's request lines, a traceback), what is written is redacted. It never
    drops a record.
    """

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def security_event(event: str, *, request: HttpRequest | None, user_id: int | None, **fields: object) -> None:
    ip = client_ip(request) if request is not None else "-"
    extra = "".join(f" {key}={value}" for key, value in sorted(fields.items()))
    logger.info("event=%s user_id=%s ip=%s%s", event, user_id if user_id is not None else "-", ip or "-", extra)


def page_name(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None and match.view_name else "unresolved"
