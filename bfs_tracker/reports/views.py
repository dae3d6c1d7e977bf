import datetime as dt
import json
import zoneinfo
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from bfs_tracker.reports import cache as report_cache
from bfs_tracker.reports.assembly import build_report, default_range, report_range
from bfs_tracker.reports.exporters import backup_data, csv_rows, remedy_csv_rows, render_csv
from bfs_tracker.reports.fhir import fhir_bundle
from bfs_tracker.reports.forms import ImportForm, RangeForm, ShareLinkForm, range_form
from bfs_tracker.reports.importers import ImportError_, parse_file
from bfs_tracker.reports.models import ShareLink
from bfs_tracker.reports.pdf import render_pdf
from bfs_tracker.reports.services import (
    ImportBusy,
    import_apply,
    import_running,
    share_link_create,
    share_link_open,
    share_link_revoke,
    share_links_end,
)
from bfs_tracker.security.log import security_event
from bfs_tracker.security.services import user_sessions_end
from bfs_tracker.timeline.selectors import visit_plan


def _download(content, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _optional_range(request) -> tuple[dt.date | None, dt.date | None] | None:
    """The range in the query string, (None, None) for all data, or None when the range is not valid."""
    if "start" not in request.GET and "end" not in request.GET:
        return None, None
    form = RangeForm(request.GET, today=request.user.today())
    if not form.is_valid():
        return None
    return form.cleaned_data["start"], form.cleaned_data["end"]


def _range_suffix(start, end) -> str:
    return f"-{start.isoformat()}-to-{end.isoformat()}" if start and end else ""


@login_required
def report(request):
    form = range_form(request, request.user.today())
    start, end = form.range()
    query = urlencode({"start": start.isoformat(), "end": end.isoformat()})
    body = report_cache.report_html(request.user, start, end)
    context = {"report_html": body, "form": form, "query": query, "nav": "report"}
    return render(request, "reports/report.html", context)


def _visit_range(request):
    """ "Prepare for my visit": the last visit recorded on the timeline to today (the last 90 days without one)."""
    today = request.user.today()
    plan = visit_plan(request.user, today=today)
    start = plan.last.date if plan.last is not None else default_range(today)[0]
    return plan, start, today


@login_required
def visit_report(request):
    """The report from the last visit to today, with the person's questions for the coming visit on page 1."""
    plan, start, end = _visit_range(request)
    data = build_report(request.user, start, end, visit=plan)
    form = RangeForm(initial={"start": start, "end": end}, today=end)
    query = urlencode({"start": start.isoformat(), "end": end.isoformat()})
    body = report_cache.report_body(data)
    context = {"report_html": body, "form": form, "query": query, "nav": "report", "visit_view": True}
    return render(request, "reports/report.html", context)


@login_required
def visit_report_pdf(request):
    plan, start, end = _visit_range(request)
    pdf = render_pdf(build_report(request.user, start, end, visit=plan))
    return _download(pdf, "application/pdf", f"bfs-visit-report-{start.isoformat()}-to-{end.isoformat()}.pdf")


@login_required
def report_pdf(request):
    form = range_form(request, request.user.today())
    if form.is_bound and not form.is_valid():
        return HttpResponseBadRequest("The date range is not valid.", content_type="text/plain")
    start, end = form.range()
    pdf = report_cache.report_pdf(request.user, start, end)
    start, end = report_range(start, end, request.user.today())  # the file is named after the range it covers
    return _download(pdf, "application/pdf", f"bfs-report-{start.isoformat()}-to-{end.isoformat()}.pdf")


def _export(request, content_type: str, name: str, build) -> HttpResponse:
    """An export of the range in the query string (all data without one), or 400 for a range that is not valid."""
    chosen = _optional_range(request)
    if chosen is None:
        return HttpResponseBadRequest("The date range is not valid.", content_type="text/plain")
    return _download(build(*chosen), content_type, name.format(suffix=_range_suffix(*chosen)))


# The CSV files, by `?table=`: the days (one row per logged day, the default) and the remedies (one row per dose).
CSV_TABLES = {"days": csv_rows, "remedies": remedy_csv_rows}


@login_required
def export_csv(request):
    table = request.GET.get("table", "days")
    rows = CSV_TABLES.get(table)
    if rows is None:
        return HttpResponseBadRequest("table is days or remedies.", content_type="text/plain")

    def build(start, end) -> str:
        return render_csv(rows(request.user, start, end))

    return _export(request, "text/csv; charset=utf-8", f"bfs-tracker-{table}{{suffix}}.csv", build)


@login_required
def export_json(request):
    data = json.dumps(backup_data(request.user), indent=1, ensure_ascii=False)
    today = request.user.today().isoformat()
    return _download(data, "application/json; charset=utf-8", f"bfs-tracker-backup-{today}.json")


@login_required
def export_fhir(request):
    def build(start, end) -> str:
        return json.dumps(fhir_bundle(request.user, start or dt.date.min, end or dt.date.max), ensure_ascii=False)

    return _export(request, "application/fhir+json", "bfs-tracker-fhir{suffix}.json", build)


@login_required
def import_data(request):
    result = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                with import_running(user=request.user):
                    plan = parse_file(upload.name, upload.read(), today=request.user.today())
                    replace = form.cleaned_data["existing"] == "replace"
                    result = import_apply(user=request.user, plan=plan, replace=replace)
            except ImportBusy as busy:
                started = busy.started_at.astimezone(zoneinfo.ZoneInfo(request.user.time_zone)).strftime("%H:%M")
                form.add_error(
                    "file",
                    f"Nothing was imported. Another import of yours started at {started} and is still running; "
                    "when it has finished, look at your days, then import this file again if it is still needed.",
                )
            except ImportError_ as error:
                form.add_error("file", f"Nothing was imported. {error}")
            else:
                messages.success(request, result.summary())
                return redirect("import_data")
    else:
        form = ImportForm()
    return render(request, "reports/import.html", {"form": form, "nav": "report"})


@login_required
def share_links(request):
    created = None
    today = request.user.today()
    if request.method == "POST":
        form = ShareLinkForm(request.POST, today=today)
        if form.is_valid():
            data = form.cleaned_data
            link, token = share_link_create(
                user=request.user,
                start=data["start"],
                end=data["end"],
                expires_at=timezone.now() + dt.timedelta(days=data["days"]),
                label=data["label"],
            )
            created = {"link": link, "url": request.build_absolute_uri(reverse("shared_report", args=[token]))}
            form = ShareLinkForm(
                initial={"start": data["start"], "end": data["end"], "days": data["days"]}, today=today
            )
    else:
        form = ShareLinkForm(initial={"start": today - dt.timedelta(days=89), "end": today, "days": 14}, today=today)
    now = timezone.now()
    links = list(ShareLink.objects.for_user(request.user))
    for link in links:
        link.user = request.user  # the stamp is checked against this user's password, without a query per link
        link.live = link.is_live(now)
    context = {"form": form, "links": links, "created": created, "now": now, "nav": "settings"}
    return render(request, "reports/share_links.html", context)


@login_required
@require_POST
def share_link_revoke_view(request, pk: int):
    link = get_object_or_404(ShareLink, pk=pk, user=request.user)
    share_link_revoke(link=link)
    messages.success(request, "The link is revoked: it no longer opens.")
    return redirect("share_links")


@login_required
@require_http_methods(["GET", "POST"])
def logout_everywhere(request):
    """End every session of this person, this one too, and every share link they gave out.

    Here rather than in the security app, which owns sessions, because it ends share links too: reports sits above
    security (docs/architecture.md), so this is the one place that can call both."""
    if request.method == "POST":
        user = request.user
        links = share_links_end(user=user)
        sessions = user_sessions_end(user=user)
        security_event("logout_everywhere", request=request, user_id=user.pk, sessions_ended=sessions, links=links)
        logout(request)
        messages.info(request, "You are logged out on every device, and every share link you gave out is turned off.")
        return redirect("login")
    return render(request, "reports/logout_everywhere.html", {"nav": "settings"})


def _shared(token: str) -> ShareLink:
    link = share_link_open(token=token)
    if link is None:
        raise Http404
    return link


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def shared_report(request, token: str):
    link = _shared(token)
    context = {"report_html": report_cache.report_html(link.user, link.start, link.end), "token": token, "link": link}
    return _private(render(request, "reports/shared_report.html", context))


def shared_report_pdf(request, token: str):
    link = _shared(token)
    pdf = report_cache.report_pdf(link.user, link.start, link.end)
    start, end = report_range(link.start, link.end, link.user.today())
    name = f"bfs-report-{start.isoformat()}-to-{end.isoformat()}.pdf"
    return _private(_download(pdf, "application/pdf", name))
