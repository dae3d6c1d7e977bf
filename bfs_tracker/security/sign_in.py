"""The account a typed sign-in name points at.

One answer for everything that reads a sign-in name: the sign-in backend (accounts.backends), login throttling
(which counts attempts per account, whichever name was typed) and the security log. New accounts sign in with their
email address; accounts made before sign-up by email, and the demo account, can still use their username.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser


def user_for_login(typed: str | None) -> AbstractBaseUser | None:
    """The account a sign-in name points at: an email address (any case) first, else an exact username."""
    typed = (typed or "").strip()
    if not typed:
        return None
    users = get_user_model()._default_manager
    if "@" in typed:
        user = users.filter(email__iexact=typed).first()
        if user is not None:
            return user
    return users.filter(**{get_user_model().USERNAME_FIELD: typed}).first()
