"""Slowing down password guessing beyond django-axes, and sign-up mail floods.

django-axes locks one account from one address after 5 wrong sign-in passwords (settings.AXES_*). This module adds:

- **The same limit on forms that ask for the password again** (deleting the account, changing the password or the
  email, turning two-factor off, finishing a sign-up): 5 wrong passwords for one account from one address refuse
  further tries from there for 15 minutes. A signed-in session that is not the owner's (a borrowed phone, a stolen
  cookie) cannot use those forms to guess the password quickly.
- **A limit per account across all addresses**: after ACCOUNT_FAILURE_LIMIT wrong sign-in passwords within
  ACCOUNT_FAILURE_WINDOW, from anywhere, sign-in to that account is refused on browsers it has not signed in on
  before (known_device.py), without checking the password. Guessing from thousands of addresses then gains
  at most ACCOUNT_FAILURE_LIMIT tries a day; the person keeps signing in on their own devices, and a password
  reset signs them in (and so makes the browser known). Names that match no account are counted the same way,
  so the answer never tells whether an account exists.
- **Sign-up and change-of-address mail**: at most SIGNUP_MAILS_PER_ADDRESS mails to one address per hour (further
  requests get the same page, and no mail), and at most SIGNUP_REQUESTS_PER_IP requests from one address.
"""

import datetime as dt
import hashlib

from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from bfs_tracker.security.client_ip import client_ip
from bfs_tracker.security.log import security_event
from bfs_tracker.security.models import ThrottleEvent

Kind = ThrottleEvent.Kind

WRONG_ANSWER = "That is not your password."
CONFIRM_PAUSED = (
    "Too many wrong passwords from this device: this form is paused for 15 minutes. "
    "If you forgot your password, log out and use “Forgot your password?”."
)
SIGNUP_HOUR = dt.timedelta(hours=1)


def throttle_key(value: str) -> str:
    return hashlib.sha256(f"bfs_tracker.throttle:{value}".encode()).hexdigest()


def account_key(user) -> str:
    return throttle_key(f"user:{user.pk}")


def name_key(typed: str) -> str:
    """The key for a name or address that matches no account (case and surrounding spaces ignored)."""
    return throttle_key(f"name:{typed.strip().lower()}")


def event_record(*, kind: str, key: str, request: HttpRequest | None) -> None:
    now = timezone.now()
    # Nothing older than the longest window is ever counted again.
    ThrottleEvent.objects.filter(at__lt=now - max(settings.ACCOUNT_FAILURE_WINDOW, SIGNUP_HOUR)).delete()
    ThrottleEvent.objects.create(kind=kind, key=key, ip=client_ip(request) if request else "", at=now)


def event_count(*, kind: str, since: dt.datetime, key: str | None = None, ip: str | None = None) -> int:
    events = ThrottleEvent.objects.filter(kind=kind, at__gte=since)
    if key is not None:
        events = events.filter(key=key)
    if ip is not None:
        events = events.filter(ip=ip)
    return events.count()


def sign_in_paused(*, key: str) -> bool:
    """True when this account (or unknown name) had too many wrong sign-in passwords lately, from anywhere."""
    since = timezone.now() - settings.ACCOUNT_FAILURE_WINDOW
    return event_count(kind=Kind.SIGN_IN_FAILED, key=key, since=since) >= settings.ACCOUNT_FAILURE_LIMIT


def password_confirm(request: HttpRequest, *, key: str, password: str, check, user_id: int | None) -> None:
    """Check a password typed into a form that asks for it again; ValidationError if wrong or paused.

    `check(password)` says whether it is right; `key` is what the limit counts (account_key(user) for an account).
    """
    ip = client_ip(request)
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    if event_count(kind=Kind.CONFIRM_FAILED, key=key, ip=ip, since=since) >= settings.AXES_FAILURE_LIMIT:
        security_event("password_confirm_paused", request=request, user_id=user_id)
        raise forms.ValidationError(CONFIRM_PAUSED, code="paused")
    if not check(password):
        event_record(kind=Kind.CONFIRM_FAILED, key=key, request=request)
        security_event("password_confirm_failed", request=request, user_id=user_id)
        raise forms.ValidationError(WRONG_ANSWER, code="wrong_password")


def account_password_confirm(request: HttpRequest, *, user, password: str) -> None:
    """password_confirm for a signed-in person's own password."""
    password_confirm(request, key=account_key(user), password=password, check=user.check_password, user_id=user.pk)


def signup_mail_allowed(request: HttpRequest, *, email: str) -> bool:
    """Whether another sign-up or change-of-address mail may go to this address now (and count it if so)."""
    key = throttle_key(f"mail:{email.strip().lower()}")
    since = timezone.now() - SIGNUP_HOUR
    if event_count(kind=Kind.SIGNUP_MAIL, key=key, since=since) >= settings.SIGNUP_MAILS_PER_ADDRESS:
        return False
    event_record(kind=Kind.SIGNUP_MAIL, key=key, request=request)
    return True


def signup_requests_exceeded(request: HttpRequest) -> bool:
    since = timezone.now() - SIGNUP_HOUR
    return event_count(kind=Kind.SIGNUP_MAIL, ip=client_ip(request), since=since) >= settings.SIGNUP_REQUESTS_PER_IP
