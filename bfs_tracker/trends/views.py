from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_http_methods

from bfs_tracker.trends import selectors
from bfs_tracker.trends.dashboard_cache import (
    dashboard_for,
    dashboard_html,
    dashboard_json,
    page_content,
    stability_facts,
)
from bfs_tracker.trends.flares import FlareParams, describe_rule
from bfs_tracker.trends.forms import DEFAULT_RANGE, RANGE_CHOICES, FlareSettingsForm, RangeForm
from bfs_tracker.trends.services import flare_settings_reset


def _range_form(request, span) -> RangeForm:
    data = request.GET if request.GET else {"range": DEFAULT_RANGE}
    return RangeForm(data, today=request.user.today(), first_logged=span.first)


@login_required
@require_GET
def dashboard(request):
    span = selectors.log_span(request.user)
    form = _range_form(request, span)
    context = {
        "form": form,
        "range_choices": RANGE_CHOICES,
        "selected_range": request.GET.get("range", DEFAULT_RANGE),
        "board_html": "",
        "facts": [],
    }
    if not form.is_valid():
        errors = render_to_string("trends/_dashboard_content.html", context, request)
        return render(request, "trends/dashboard.html", {"nav": "dashboard", "content": errors}, status=400)
    start, end = form.cleaned_data["range_start"], form.cleaned_data["range_end"]

    def build() -> str:
        board_html = dashboard_html(request.user, start, end, span=span)
        # On a miss, the dashboard comes from the cache the line above filled.
        board = lambda: dashboard_for(request.user, start, end, span=span)  # noqa: E731
        context.update(board_html=board_html, facts=stability_facts(request.user, span=span, board=board))
        return render_to_string("trends/_dashboard_content.html", context, request)

    content = page_content(request.user, start, end, span=span, query=request.GET.urlencode(), build=build)
    return render(request, "trends/dashboard.html", {"nav": "dashboard", "content": content, "charts": True})


@login_required
@require_GET
def dashboard_data(request):
    span = selectors.log_span(request.user)
    form = _range_form(request, span)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    body = dashboard_json(request.user, form.cleaned_data["range_start"], form.cleaned_data["range_end"], span=span)
    return HttpResponse(body, content_type="application/json")


@login_required
@require_GET
def flare_rules(request):
    params = selectors.flare_params_for(request.user)
    return render(
        request,
        "trends/flare_rules.html",
        {"nav": "dashboard", "rule": describe_rule(params), "is_default": params == FlareParams()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def flare_settings(request):
    settings = selectors.flare_settings_for(request.user)  # unsaved defaults until the person saves
    if request.method == "POST" and "reset" in request.POST:
        flare_settings_reset(user=request.user)
        messages.success(request, "Flare detection is back to the standard thresholds.")
        return redirect("flare_settings")
    form = FlareSettingsForm(request.POST or None, instance=settings)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Saved. Your dashboard now uses these thresholds.")
        return redirect("flare_settings")
    return render(
        request,
        "trends/flare_settings.html",
        {"nav": "dashboard", "form": form, "rule": describe_rule(settings.as_params())},
    )


@login_required
@require_GET
def ping(request):
    """The smallest signed-in page: the baseline the dashboard benchmark is measured against."""
    return HttpResponse("ok", content_type="text/plain")
