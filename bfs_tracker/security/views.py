import sys

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import defaults
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from bfs_tracker.security.forms import CodeForm, DisableForm
from bfs_tracker.security.log import security_event
from bfs_tracker.security.services import user_sessions_end
from bfs_tracker.security.signals import TWO_FACTOR_PENDING
from bfs_tracker.security.two_factor import confirmed_device, manual_key, pending_device, qr_code_data_uri

# What psycopg2 raises when PostgreSQL is restarting, down or unreachable (Django wraps them in these).
DatabaseUnavailable = (OperationalError, InterfaceError)


def csrf_failure(request, reason=""):
    """A form sent from a stale page or another site: say what to do, and log it (without the reason's details)."""
    user = getattr(request, "user", None)
    security_event(
        "csrf_failed", request=request, user_id=user.pk if user is not None and user.is_authenticated else None
    )
    request.security_logged = True
    return render(request, "security/csrf_failure.html", status=403)


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    device = confirmed_device(request.user)
    if device is None or not request.session.get(TWO_FACTOR_PENDING):
        return redirect("today")
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST":
        if form.is_valid():
            otp_login(request, device)
            del request.session[TWO_FACTOR_PENDING]
            security_event("two_factor_passed", request=request, user_id=request.user.pk)
            return redirect(_safe_next(request, "/"))
        security_event("two_factor_failed", request=request, user_id=request.user.pk)
    return render(request, "security/two_factor_verify.html", {"form": form, "next": _safe_next(request, "")})


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_settings(request):
    if confirmed_device(request.user) is not None:
        return render(request, "security/two_factor_on.html", {"form": DisableForm(request=request), "nav": "settings"})
    device = pending_device(request.user)
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        ended = user_sessions_end(user=request.user, keep_session_key=request.session.session_key)
        security_event("two_factor_enabled", request=request, user_id=request.user.pk, sessions_ended=ended)
        messages.success(request, "Two-factor sign-in is on. You will be asked for a code each time you sign in.")
        return redirect("two_factor")
    context = {
        "form": form,
        "qr_code": qr_code_data_uri(device.config_url),
        "manual_key": manual_key(device),
        "nav": "settings",
    }
    return render(request, "security/two_factor_setup.html", context)


@login_required
@require_http_methods(["POST"])
def two_factor_disable(request):
    device = confirmed_device(request.user)
    if device is None:
        return redirect("two_factor")
    form = DisableForm(request.POST, device=device, request=request)
    if not form.is_valid():
        return render(request, "security/two_factor_on.html", {"form": form, "nav": "settings"}, status=400)
    device.delete()
    security_event("two_factor_disabled", request=request, user_id=request.user.pk)
    messages.success(request, "Two-factor sign-in is off. Your password alone now signs you in.")
    return redirect("two_factor")


def _database_unavailable_response() -> HttpResponse:
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = "5"
    response["Cache-Control"] = "no-store"
    return response


def _caused_by_database_outage(error: BaseException | None) -> bool:
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, DatabaseUnavailable):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def bad_request(request, exception):
    """The 400 handler. Django reports a session it could not save as "bad request" even when the reason is that
    the database went away mid-request; that is a 503 "try again", like any other outage."""
    if _caused_by_database_outage(exception):
        security_event("database_unavailable", request=None, user_id=None, error="SessionInterrupted")
        return _database_unavailable_response()
    return defaults.bad_request(request, exception)


def server_error(request):
    """The 500 handler. A database that is down or restarting is a 503 with "try again", never a crash page.

    Called by Django inside the `except` that caught the error, so sys.exc_info() is the error itself. Renders
    without the request: nothing here may touch the database.
    """
    error = sys.exc_info()[1]
    if _caused_by_database_outage(error):
        security_event("database_unavailable", request=None, user_id=None, error=type(error).__name__)
        return _database_unavailable_response()
    response = HttpResponse(loader.render_to_string("500.html"), status=500)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def session_check(request):
    """204 while signed in (a redirect to sign in otherwise): for the offline app, and the cheapest signed-in page."""
    return HttpResponse(status=204)
