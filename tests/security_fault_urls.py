"""The app's URLs plus two that fail on purpose, for tests/test_security_faults.py."""

from django.db import OperationalError
from django.urls import path

from bfs_tracker.urls import handler500  # noqa: F401
from bfs_tracker.urls import urlpatterns as app_urlpatterns


def database_down(request):
    raise OperationalError("server closed the connection unexpectedly")


def bug(request):
    raise ZeroDivisionError("division by zero")


urlpatterns = [*app_urlpatterns, path("test-database-down/", database_down), path("test-bug/", bug)]
