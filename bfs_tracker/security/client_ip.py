"""The address a request came from, as login throttling and the security log see it."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or with TRUSTED_PROXY_COUNT proxies in front, the address the outermost trusted proxy saw.

    Each proxy appends the address it received the request from to X-Forwarded-For, so the client is the
    TRUSTED_PROXY_COUNT-th entry from the right; anything further left was written by the client and is ignored.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    return forwarded[-count] if len(forwarded) >= count else remote
