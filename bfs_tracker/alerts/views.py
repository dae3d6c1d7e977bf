from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from bfs_tracker.alerts.forms import AcknowledgeForm, AlertSettingsForm, FunctionCheckForm
from bfs_tracker.alerts.models import Alert
from bfs_tracker.alerts.selectors import alert_settings_for, alerts_for_page, function_check_status
from bfs_tracker.alerts.services import (
    FunctionCheckTooSoon,
    alert_acknowledge,
    alert_settings_update,
    function_check_record,
)
from bfs_tracker.lib.http import SignedInRequest


def _alert_for(request: SignedInRequest, pk: int) -> Alert:
    return get_object_or_404(Alert, pk=pk, user=request.user)


@login_required
def alert_list(request: SignedInRequest) -> HttpResponse:
    alerts = list(alerts_for_page(request.user))
    return render(
        request,
        "alerts/list.html",
        {
            "nav": "alerts",
            "alerts": alerts,
            # Every alert is on this page, so the banner's count comes from them rather than another query.
            "open_alerts_count": sum(1 for alert in alerts if alert.status == Alert.Status.OPEN),
            "fc": function_check_status(request.user, request.user.today()),
            "ack_form": AcknowledgeForm(),
        },
    )


@login_required
def alert_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    alert = _alert_for(request, pk)
    return render(request, "alerts/detail.html", {"nav": "alerts", "alert": alert, "ack_form": AcknowledgeForm()})


@login_required
@require_POST
def alert_acknowledge_view(request: SignedInRequest, pk: int) -> HttpResponse:
    alert = _alert_for(request, pk)
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        return render(request, "alerts/detail.html", {"nav": "alerts", "alert": alert, "ack_form": form}, status=400)
    alert_acknowledge(alert=alert)
    messages.success(request, f"Marked as read: {alert.title} ({alert.date:%d %b %Y}). It stays in your history.")
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        return redirect(next_url)
    return redirect("alerts")


@login_required
def function_check(request: SignedInRequest) -> HttpResponse:
    status = function_check_status(request.user, request.user.today())
    context: dict[str, Any] = {"nav": "alerts", "fc": status}
    if not status["due"]:
        # Refused, not just hidden: a check repeated until it "feels right" is what the weekly limit prevents.
        refused = request.method == "POST"
        context["refused"] = refused
        return render(request, "alerts/function_check.html", context, status=409 if refused else 200)
    form = FunctionCheckForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            _check, created = function_check_record(user=request.user, answers=form.cleaned_data)
        except FunctionCheckTooSoon:
            return redirect("function_check")
        if created:
            messages.warning(request, "Your check is saved. Some tasks were harder on two checks in a row: see below.")
        else:
            messages.success(request, "Your check is saved as a record for your doctor.")
        return redirect("alerts")
    context["form"] = form
    return render(request, "alerts/function_check.html", context)


@login_required
def alert_settings(request: SignedInRequest) -> HttpResponse:
    current = alert_settings_for(request.user)
    form = AlertSettingsForm(request.POST if request.method == "POST" else None, instance=current)
    if request.method == "POST" and form.is_valid():
        alert_settings_update(user=request.user, email_on_alert=form.cleaned_data["email_on_alert"])
        messages.success(request, "Alert settings saved.")
        return redirect("alert_settings")
    return render(request, "alerts/settings.html", {"nav": "alerts", "form": form})


@login_required
def about_bfs(request: SignedInRequest) -> HttpResponse:
    """Background and natural-history facts with their sources, on a page the person opens on purpose: never inside
    an alert, where reassurance would blunt the one message that sends them to a doctor (domain rule 9)."""
    return render(request, "alerts/about_bfs.html", {"nav": "about"})
