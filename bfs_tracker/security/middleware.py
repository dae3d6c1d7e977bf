"""Session lifetimes, the two-factor step, and privacy headers on every page a signed-in person sees."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_otp.middleware import is_verified

from bfs_tracker.security.log import page_name, security_event
from bfs_tracker.security.signals import SEEN_AT, SIGNED_IN_AT, TWO_FACTOR_PENDING


class SessionLifetimeMiddleware:
    """End a session 30 days after sign-in however active it is; push the 7-day inactivity clock forward.

    The inactivity clock is the session cookie's age (SESSION_COOKIE_AGE), renewed whenever the session is saved.
    Saving on every request would cost a write per page, so it is renewed at most once per refresh interval.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            session = request.session
            now = timezone.now().timestamp()
            signed_in_at = session.get(SIGNED_IN_AT)
            if signed_in_at is None:
                session[SIGNED_IN_AT] = now
            elif now - signed_in_at > settings.SESSION_ABSOLUTE_LIFETIME.total_seconds():
                security_event("session_expired", request=request, user_id=request.user.pk)
                session.flush()
                request.user = AnonymousUser()
                return self.get_response(request)
            if now - session.get(SEEN_AT, 0) > settings.SESSION_REFRESH_INTERVAL.total_seconds():
                session[SEEN_AT] = now
        return self.get_response(request)


class TwoFactorMiddleware:
    """After the password, a person with two-factor sign-in must enter a code before any other page."""

    ALLOWED = frozenset({"two_factor_verify", "logout"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and request.session.get(TWO_FACTOR_PENDING) and not is_verified(request.user):
            from django.urls import resolve
            from django.urls.exceptions import Resolver404

            try:
                name = resolve(request.path_info).url_name
            except Resolver404:
                name = None
            if name not in self.ALLOWED:
                target = reverse("two_factor_verify")
                return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class PrivateResponseMiddleware:
    """Health data never lands in a shared or browser cache, and access that was refused is logged.

    Every response to a signed-in person is `Cache-Control: no-store`; so is any other response (share links,
    login) unless the view chose its own caching (the service worker and manifest may).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        authenticated = request.user.is_authenticated
        if authenticated or not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        if authenticated and response.status_code in (403, 404) and not getattr(request, "security_logged", False):
            security_event(
                "access_denied",
                request=request,
                user_id=request.user.pk,
                status=response.status_code,
                page=page_name(request),
            )
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request body larger than REQUEST_MAX_BYTES before any of it is read.

    Django's own limit (DATA_UPLOAD_MAX_MEMORY_SIZE) leaves out uploaded files, which would otherwise be streamed to
    a temporary file whatever their size before the import form could say "too large".
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_MAX_BYTES:
            security_event("request_too_large", request=request, user_id=None, bytes=length)
            limit_mb = settings.REQUEST_MAX_BYTES // (1024 * 1024)
            body = render_to_string("413.html", {"limit_mb": limit_mb})
            return HttpResponse(body, status=413)
        return self.get_response(request)


class KnownDeviceMiddleware:
    """After a successful sign-in, remember this browser for that account (security/known_device.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user_id = getattr(request, "remember_device_for", None)
        if user_id is not None:
            from bfs_tracker.security.known_device import remember_device

            remember_device(request, response, user_id)
        return response


SESSION_HEADER = "BFS-Session"


def session_header(request: HttpRequest) -> str:
    """What the offline app (static/js/sw.js) learns from every answer: "none" when no one is signed in, else
    "tag=<t>; expires=<unix time>". The tag names this session of this person (a keyed hash: it reveals neither the
    session key nor who it is); `expires` is the latest moment the session can still be alive without the server
    seeing it again (7 days after it was last refreshed, and never past 30 days after sign-in).
    """
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    if user is None or not user.is_authenticated or session is None or not session.session_key:
        return "none"
    tag = salted_hmac("bfs_tracker.security.session_tag", f"{user.pk}:{session.session_key}").hexdigest()[:32]
    now = timezone.now().timestamp()
    idle_end = session.get(SEEN_AT, now) + settings.SESSION_COOKIE_AGE
    absolute_end = session.get(SIGNED_IN_AT, now) + settings.SESSION_ABSOLUTE_LIFETIME.total_seconds()
    return f"tag={tag}; expires={int(min(idle_end, absolute_end))}"


class SessionHeaderMiddleware:
    """Every answer says which session, if any, it was made for (session_header), so the service worker can drop
    pages it stored for a session that has ended and never show them to anyone else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response[SESSION_HEADER] = session_header(request)
        return response
