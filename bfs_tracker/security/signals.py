"""Record sign-ins and sign-outs, and end a user's sessions when they sign out or their account is deleted.

A password change needs nothing here: Django stores a hash of the password in each session and rejects sessions
whose hash no longer matches, so every other session ends; the view that changed it keeps its own session alive.
"""

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils import timezone

from bfs_tracker.security.log import security_event
from bfs_tracker.security.services import user_session_record, user_sessions_end
from bfs_tracker.security.sign_in import user_for_login

SIGNED_IN_AT = "security_signed_in_at"
SEEN_AT = "security_seen_at"
TWO_FACTOR_PENDING = "security_two_factor_pending"


def _user_for(credentials: dict):
    return user_for_login(credentials.get("username"))


def _user_id_for(credentials: dict) -> int | None:
    user = _user_for(credentials)
    return user.pk if user is not None else None


@receiver(user_logged_in, dispatch_uid="security_signed_in")
def signed_in(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    now = timezone.now().timestamp()
    request.session[SIGNED_IN_AT] = now
    request.session[SEEN_AT] = now
    from bfs_tracker.security.two_factor import has_two_factor

    if has_two_factor(user):
        request.session[TWO_FACTOR_PENDING] = True
    if request.session.session_key is None:
        request.session.save()
    user_session_record(user=user, session_key=request.session.session_key)
    request.remember_device_for = user.pk  # KnownDeviceMiddleware sets the cookie on the response
    security_event("sign_in", request=request, user_id=user.pk)


@receiver(user_login_failed, dispatch_uid="security_sign_in_failed")
def sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    user = _user_for(credentials)
    paused = request is not None and (
        getattr(request, "sign_in_paused", False) or getattr(request, "axes_locked_out", False)
    )
    if not paused and credentials.get("username"):
        # Counted per account from every address (throttle.sign_in_paused); refused tries checked no password.
        from bfs_tracker.security.throttle import Kind, account_key, event_record, name_key

        key = account_key(user) if user is not None else name_key(credentials["username"])
        event_record(kind=Kind.SIGN_IN_FAILED, key=key, request=request)
    security_event(
        "sign_in_paused" if request is not None and getattr(request, "sign_in_paused", False) else "sign_in_failed",
        request=request,
        user_id=user.pk if user is not None else None,
    )


@receiver(user_locked_out, dispatch_uid="security_locked_out")
def locked_out(sender, request, username=None, ip_address=None, **kwargs) -> None:
    security_event("locked_out", request=request, user_id=_user_id_for({"username": username}))


@receiver(user_logged_out, dispatch_uid="security_signed_out")
def signed_out(sender, request, user, **kwargs) -> None:
    if user is None or user.pk is None:  # no one signed in, or the account was just deleted (sessions ended then)
        return
    ended = user_sessions_end(user=user)
    security_event("sign_out", request=request, user_id=user.pk, sessions_ended=ended)


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="security_account_deleted")
def account_deleted(sender, instance, **kwargs) -> None:
    ended = user_sessions_end(user=instance)
    # Login throttling keeps sign-in records by username (no foreign key), with addresses and browsers: they go too.
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username=instance.get_username()).delete()
    from bfs_tracker.security.models import ThrottleEvent
    from bfs_tracker.security.throttle import account_key

    ThrottleEvent.objects.filter(key=account_key(instance)).delete()
    security_event("account_deleted", request=None, user_id=instance.pk, sessions_ended=ended)
