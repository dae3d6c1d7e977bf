"""Signing in with an email address or a username, and the name login throttling counts attempts under.

New accounts sign in with their email address (sign-up no longer asks for a username, so it cannot reveal which
usernames are taken); accounts made before that, and the demo account, can still use their username.
"""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from bfs_tracker.accounts.models import User
from bfs_tracker.security.known_device import is_known_device
from bfs_tracker.security.sign_in import user_for_login
from bfs_tracker.security.throttle import account_key, name_key, sign_in_paused


def _account_for(typed: str | None) -> User | None:
    """The account a sign-in name points at (security.sign_in.user_for_login), as this app's User."""
    user = user_for_login(typed)
    return user if isinstance(user, User) else None


def throttle_username(request, credentials: dict | None = None) -> str:
    """AXES_USERNAME_CALLABLE: attempts on one account count together whether its email (in any case) or its
    username was typed; a name that matches no account counts under itself, lower-cased."""
    if credentials:
        typed = credentials.get("username") or ""
    else:
        typed = getattr(request, "POST", {}).get("username", "") if request is not None else ""
    user = _account_for(typed)
    return user.get_username() if user is not None else typed.strip().lower()


class EmailOrUsernameBackend(ModelBackend):
    """Checks every sign-in password. A refusal raises PermissionDenied, which ends the check at once (Django asks
    no later backend), so ModelBackend, listed after this one only so that sessions made before this backend
    existed stay valid, never checks a password itself.

    An account under a distributed guessing attack (security.throttle.sign_in_paused) is refused on browsers it
    has not signed in on before, without checking the password; `request.sign_in_paused` tells the form why.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = _account_for(username)
        key = account_key(user) if user is not None else name_key(username)
        if sign_in_paused(key=key) and (user is None or request is None or not is_known_device(request, user)):
            if request is not None:
                request.sign_in_paused = True
            raise PermissionDenied("Sign-in to this account is paused on new devices.")
        if user is None:
            User().set_password(password)  # as long as a real check, so the time taken does not tell
            raise PermissionDenied("No such account.")
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        raise PermissionDenied("Wrong password.")
