"""Browsers a person has signed in on before: a signed cookie listing the accounts that signed in there.

Sign-in to an account that is under a distributed guessing attack (throttle.sign_in_paused) still works from these
browsers. The cookie is signed with SECRET_KEY, so it cannot be forged, and it says nothing by itself: it holds
account ids, not names. It is set on every successful sign-in and kept for a year.
"""

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

COOKIE = "bfs_known_device"
SALT = "bfs_tracker.security.known_device"
MAX_ACCOUNTS = 5  # a shared family computer; the most recent sign-ins are kept


def known_accounts(request: HttpRequest) -> list[int]:
    value = request.COOKIES.get(COOKIE)
    if not value:
        return []
    try:
        ids = signing.loads(value, salt=SALT, max_age=settings.KNOWN_DEVICE_AGE)
    except signing.BadSignature:
        return []
    return [i for i in ids if isinstance(i, int)] if isinstance(ids, list) else []


def is_known_device(request: HttpRequest, user) -> bool:
    return user.pk in known_accounts(request)


def remember_device(request: HttpRequest, response: HttpResponse, user_id: int) -> None:
    ids = [user_id, *(i for i in known_accounts(request) if i != user_id)][:MAX_ACCOUNTS]
    response.set_cookie(
        COOKIE,
        signing.dumps(ids, salt=SALT),
        max_age=int(settings.KNOWN_DEVICE_AGE.total_seconds()),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
