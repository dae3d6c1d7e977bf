"""Account writes that touch more than one table, and the mails that confirm an address.

Signing up and changing the email address never tell whether an address already has an account: the page is
the same either way, and the difference is only in the mail that address receives (a link, or a notice that
someone tried).
"""

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.utils import timezone

from bfs_tracker.accounts.models import EmailConfirmation, User, confirmation_token_hash
from bfs_tracker.lib.mail import mail_send
from bfs_tracker.logbook.models import DataVersion
from bfs_tracker.logbook.reliefs import relief_methods_seed

Purpose = EmailConfirmation.Purpose


class ConfirmationInvalid(Exception):
    """The link is unknown, used or older than EMAIL_CONFIRMATION_LIFETIME."""


class AddressTaken(Exception):
    """The address got an account between the mail and the click (only the person who reads it can learn this)."""


def user_create(*, username: str, email: str, password: str, time_zone: str = "UTC", **extra) -> User:
    """A new account with its starter list of reliefs, in one transaction."""
    with transaction.atomic():
        user = User(username=username, email=email, time_zone=time_zone, **extra)
        user.set_password(password)
        user.save()
        relief_methods_seed(user=user)
    return user


def username_for(email: str) -> str:
    """A free username made from the address: "maria.lopez" for maria.lopez@example.org, with a random suffix when
    taken. Nobody types it (people sign in with their address); it names the account in the admin and, without a
    name in Settings, on the doctor's report."""
    local = email.rsplit("@", 1)[0].lower()
    base = re.sub(r"[^a-z0-9._+-]", "", local).strip("._+-")[:30] or "user"
    candidate = base
    while User.objects.filter(username__iexact=candidate).exists():
        candidate = f"{base}-{secrets.token_hex(2)}"
    return candidate


def _expired_before():
    return timezone.now() - settings.EMAIL_CONFIRMATION_LIFETIME


def email_confirmation_create(**fields) -> str:
    """Store a confirmation and return its token (shown once, in the mail)."""
    EmailConfirmation.objects.filter(created_at__lt=_expired_before()).delete()
    token = secrets.token_urlsafe(32)
    EmailConfirmation.objects.create(token_hash=confirmation_token_hash(token), **fields)
    return token


def _account_with(email: str) -> User | None:
    return User.objects.filter(email__iexact=email).first()


def signup_request(*, email: str, password: str, time_zone: str, link_for: Callable[[str], str], base_url: str):
    """Mail `email` a link that opens the account, or, when the address has an account, a notice saying so.

    The password is hashed either way, so both answers take as long. `link_for(token)` makes the absolute link.
    """
    password_hash = make_password(password)
    existing = _account_with(email)
    with transaction.atomic():
        if existing is not None:
            context = {"user": existing, "base_url": base_url}
            mail_send(
                kind="signup_existing",
                to=existing.email,
                template="accounts/mail/signup_existing",
                context=context,
                user_id=existing.pk,
            )
            return
        token = email_confirmation_create(
            purpose=Purpose.SIGNUP, email=email, password=password_hash, time_zone=time_zone
        )
        context = {"link": link_for(token), "hours": _lifetime_hours()}
        mail_send(kind="signup_confirm", to=email, template="accounts/mail/signup_confirm", context=context)


def _lifetime_hours() -> int:
    return int(settings.EMAIL_CONFIRMATION_LIFETIME.total_seconds() // 3600)


def confirmation_for(*, token: str, purpose: str, user: User | None = None) -> EmailConfirmation:
    """The live confirmation a link's token names; ConfirmationInvalid otherwise (and for another person's)."""
    found = (
        EmailConfirmation.objects.filter(
            token_hash=confirmation_token_hash(token), purpose=purpose, created_at__gte=_expired_before()
        )
        .select_related("user")
        .first()
    )
    if found is None or (user is not None and found.user_id != user.pk):
        raise ConfirmationInvalid
    return found


def signup_password_matches(confirmation: EmailConfirmation, password: str) -> bool:
    return check_password(password, confirmation.password)


def signup_confirm(*, confirmation: EmailConfirmation, password: str) -> User:
    """Open the account a sign-up link is for; the caller has checked the password (signup_password_matches)."""
    with transaction.atomic():
        if _account_with(confirmation.email) is not None:
            raise AddressTaken
        try:
            user = user_create(
                username=username_for(confirmation.email),
                email=confirmation.email,
                password=password,
                time_zone=confirmation.time_zone or "UTC",
            )
        except IntegrityError as exc:  # the same address or username created at this very moment
            raise AddressTaken from exc
        EmailConfirmation.objects.filter(purpose=Purpose.SIGNUP, email__iexact=confirmation.email).delete()
    return user


@dataclass(frozen=True)
class ChangeRequested:
    unchanged: bool  # the new address is the one the account already has: nothing was sent


def email_change_request(*, user: User, email: str, link_for: Callable[[str], str], base_url: str) -> ChangeRequested:
    """Mail the new address a link that moves the account there, or, if another account has it, a notice."""
    if email.lower() == user.email.lower():
        return ChangeRequested(unchanged=True)
    existing = _account_with(email)
    with transaction.atomic():
        if existing is not None:
            context = {"user": existing, "base_url": base_url}
            mail_send(
                kind="email_change_existing",
                to=existing.email,
                template="accounts/mail/email_change_existing",
                context=context,
                user_id=existing.pk,
            )
        else:
            token = email_confirmation_create(purpose=Purpose.CHANGE, email=email, user=user)
            context = {"user": user, "link": link_for(token), "hours": _lifetime_hours()}
            mail_send(
                kind="email_change_confirm",
                to=email,
                template="accounts/mail/email_change_confirm",
                context=context,
                user_id=user.pk,
            )
    return ChangeRequested(unchanged=False)


def email_change_confirm(*, confirmation: EmailConfirmation, base_url: str) -> User:
    """Move the account to the confirmed address and tell the old address, which may belong to someone who did not
    ask for this."""
    user = confirmation.user
    if user is None:  # a sign-up's confirmation: confirmation_for(purpose=CHANGE) never returns one
        raise ConfirmationInvalid
    old = user.email
    with transaction.atomic():
        if _account_with(confirmation.email) is not None:
            raise AddressTaken
        user.email = confirmation.email
        try:
            with transaction.atomic():
                user.save(update_fields=["email"])
        except IntegrityError as exc:
            raise AddressTaken from exc
        EmailConfirmation.objects.filter(purpose=Purpose.CHANGE, user=user).delete()
    if old:
        context = {"user": user, "old": old, "new": user.email, "base_url": base_url}
        try:
            mail_send(
                kind="email_changed_notice",
                to=old,
                template="accounts/mail/email_changed",
                context=context,
                user_id=user.pk,
            )
        except OSError:
            pass  # logged by mail_send; the change is made and shown on the page
    return user


def account_delete(*, user) -> None:
    """Remove the person and every row they own (each owning foreign key cascades from the user), then their data
    version (logbook.data_version: no foreign key, and each cascading delete changed it again)."""
    with transaction.atomic():
        pk = user.pk
        user.delete()
        DataVersion.objects.filter(user_id=pk).delete()
