"""Types for views: what a signed-in request carries, for the type checker."""

import datetime as dt
from typing import Any, Protocol

from django.http import HttpRequest


class Person(Protocol):
    """The signed-in user as views use it (accounts.User has these)."""

    pk: Any
    email: str
    username: str

    def today(self) -> dt.date: ...


class SignedInRequest(HttpRequest):
    """The request of a view behind @login_required: its user is a person, never AnonymousUser."""

    user: Person  # type: ignore[assignment]
