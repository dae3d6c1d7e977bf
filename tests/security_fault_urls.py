"""The app's URLs plus two that fail on purpose, for tests/test_security_faults.py."""

from django.db import OperationalError
from django.urls import path

from bfs_tracker.urls import handler400, handler500  # noqa: F401
from bfs_tracker.urls import urlpatterns as app_urlpatterns


def database_down(request):
    raise OperationalError("server closed the connection unexpectedly")


def session_lost_with_the_database(request):
    from django.contrib.sessions.exceptions import SessionInterrupted

    try:
        raise OperationalError("terminating connection due to administrator command")
    except OperationalError:
        raise SessionInterrupted("The request's session was deleted before the request completed.") from None


def plain_bad_request(request):
    from django.core.exceptions import SuspiciousOperation

    raise SuspiciousOperation("nope")


def bug(request):
    raise ZeroDivisionError("division by zero")


urlpatterns = [
    *app_urlpatterns,
    path("test-database-down/", database_down),
    path("test-bug/", bug),
    path("test-session-lost/", session_lost_with_the_database),
    path("test-bad-request/", plain_bad_request),
]
