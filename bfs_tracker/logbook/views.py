"""The month calendar (every logged day of a month, shaded by its twitch burden) and the list of things a person
tries. Every view shows the signed-in user's own data; another person's entry is 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.decorators.http import require_http_methods, require_POST

from bfs_tracker.lib.http import SignedInRequest
from bfs_tracker.logbook import calendar, selectors
from bfs_tracker.logbook.models import OwnFactor, ReliefMethod, Remedy
from bfs_tracker.logbook.own_factors import (
    OwnFactorForm,
    OwnFactorRenameForm,
    own_factor_archive,
    own_factor_create,
    own_factor_rename,
    own_factors_for,
)
from bfs_tracker.logbook.reliefs import (
    ReliefForm,
    ReliefInUse,
    relief_days_used,
    relief_method_delete,
    relief_method_set_archived,
    reliefs_for_list,
)
from bfs_tracker.logbook.remedies import (
    UNITS,
    DoseChangeForm,
    RemedyForm,
    StopForm,
    remedies_for_list,
    remedy_change_dose,
    remedy_delete,
    remedy_experiments,
    remedy_stop,
)
from bfs_tracker.logbook.validation import FIRST_DAY


class _Month:
    """A month's logged days (burdens, red-flag days, the weeks' cells), read when the page's content is rendered:
    a month whose content is cached for this data version (trends' calendar_cached tag) reads nothing."""

    def __init__(self, user, year: int, month: int, today) -> None:
        self.user, self.year, self.month, self.today = user, year, month, today

    @cached_property
    def _days(self) -> tuple[dict, set]:
        first, last = calendar.month_bounds(self.year, self.month)
        return selectors.calendar_month(user=self.user, first=first, last=last)

    @cached_property
    def weeks(self):
        return calendar.month_weeks(self.year, self.month, self._days[0], self.today)

    @property
    def red_flag_days(self) -> set:
        return self._days[1]

    @property
    def logged_count(self) -> int:
        return len(self._days[0])


def _render_month(request: SignedInRequest, year: int, month: int) -> HttpResponse:
    today = request.user.today()
    if not (FIRST_DAY.year, FIRST_DAY.month) <= (year, month) <= (today.year, today.month):
        raise Http404("The log holds no days in that month.")  # the converters keep year and month in range
    first, last = calendar.month_bounds(year, month)
    previous = calendar.shift_month(year, month, -1)
    following = calendar.shift_month(year, month, 1)
    context = {
        "nav": "calendar",
        "first": first,
        "today": today,
        "month": _Month(request.user, year, month, today),
        "last": last,
        "day_url": reverse("day", kwargs={"day": first}).replace(first.isoformat(), "DATE"),
        "weekday_cells": calendar.WEEKDAY_CELLS,
        "previous_url": reverse("calendar_month", kwargs={"year": previous[0], "month": previous[1]})
        if previous >= (FIRST_DAY.year, FIRST_DAY.month)
        else None,
        "next_url": reverse("calendar_month", kwargs={"year": following[0], "month": following[1]})
        if following <= (today.year, today.month)
        else None,
        "this_month_url": reverse("calendar") if (year, month) != (today.year, today.month) else None,
        "legend_items": calendar.LEGEND_ITEMS,
    }
    return render(request, "logbook/calendar.html", context)


@login_required
@require_http_methods(["GET", "HEAD"])
def calendar_current(request: SignedInRequest) -> HttpResponse:
    today = request.user.today()
    return _render_month(request, today.year, today.month)


@login_required
@require_http_methods(["GET", "HEAD"])
def calendar_month(request: SignedInRequest, year: int, month: int) -> HttpResponse:
    return _render_month(request, year, month)


def _days(count: int) -> str:
    return f"{count} past day" if count == 1 else f"{count} past days"


def _own_relief(request: SignedInRequest, pk: int) -> ReliefMethod:
    return get_object_or_404(ReliefMethod, pk=pk, user=request.user)


@login_required
def reliefs(request: SignedInRequest) -> HttpResponse:
    form = ReliefForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid() and (relief := form.save()):
        messages.success(request, f"Added “{relief.name}”. It is on your daily form now.")
        return redirect("reliefs")
    items = list(reliefs_for_list(user=request.user))
    context = {
        "form": form,
        "active": [r for r in items if not r.archived],
        "archived": [r for r in items if r.archived],
        "nav": "settings",
    }
    return render(request, "logbook/reliefs.html", context)


@login_required
def relief_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    relief = _own_relief(request, pk)
    form = ReliefForm(request.POST or None, user=request.user, relief=relief)
    if request.method == "POST" and form.is_valid() and form.save():
        messages.success(request, f"Renamed to “{relief.name}”. Past days show the new name.")
        return redirect("reliefs")
    context = {"form": form, "relief": relief, "days_used": relief_days_used(relief=relief), "nav": "settings"}
    return render(request, "logbook/relief_edit.html", context)


@login_required
@require_POST
def relief_archive(request: SignedInRequest, pk: int) -> HttpResponse:
    relief = _own_relief(request, pk)
    archived = request.POST.get("archived") == "1"
    relief_method_set_archived(relief=relief, archived=archived)
    if archived:
        messages.success(request, f"Archived “{relief.name}”. Past days keep it; the daily form no longer lists it.")
    else:
        messages.success(request, f"“{relief.name}” is back on your daily form.")
    return redirect("reliefs")


@login_required
def relief_delete(request: SignedInRequest, pk: int) -> HttpResponse:
    relief = _own_relief(request, pk)
    if request.method == "POST":
        try:
            relief_method_delete(relief=relief)
        except ReliefInUse as exc:
            messages.error(
                request,
                f"“{relief.name}” is on {_days(exc.days)}, so it cannot be deleted. Archive it instead.",
            )
            return redirect("relief_delete", pk=relief.pk)
        messages.success(request, f"Deleted “{relief.name}”.")
        return redirect("reliefs")
    context = {"relief": relief, "days_used": relief_days_used(relief=relief), "nav": "settings"}
    return render(request, "logbook/relief_delete.html", context)


# Remedies and medication -----------------------------------------------------------------------------------------


def _own_remedy(request: SignedInRequest, pk: int) -> Remedy:
    return get_object_or_404(Remedy, pk=pk, user=request.user)


@login_required
@require_http_methods(["GET", "HEAD"])
def remedies(request: SignedInRequest) -> HttpResponse:
    current, stopped = remedies_for_list(user=request.user)
    context = {"current": current, "stopped": stopped, "nav": "settings", "units": UNITS}
    return render(request, "logbook/remedies.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def remedy_add(request: SignedInRequest) -> HttpResponse:
    form = RemedyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        remedy = form.save()
        messages.success(request, f"Added {remedy.name}, {remedy.dose_text}, from {remedy.start:%-d %b %Y}.")
        return redirect("remedies")
    return render(
        request, "logbook/remedy_form.html", {"form": form, "remedy": None, "nav": "settings", "units": UNITS}
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def remedy_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    remedy = _own_remedy(request, pk)
    form = RemedyForm(request.POST or None, user=request.user, instance=remedy)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Saved {remedy.name}.")
        return redirect("remedies")
    return render(
        request, "logbook/remedy_form.html", {"form": form, "remedy": remedy, "nav": "settings", "units": UNITS}
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def remedy_stop_view(request: SignedInRequest, pk: int) -> HttpResponse:
    remedy = _own_remedy(request, pk)
    form = StopForm(request.POST or None, remedy=remedy, initial={"stop": request.user.today()})
    if request.method == "POST" and form.is_valid():
        remedy_stop(remedy=remedy, on=form.cleaned_data["stop"])
        messages.success(request, f"Stopped {remedy.name} on {remedy.stop:%-d %b %Y}.")
        return redirect("remedies")
    return render(request, "logbook/remedy_stop.html", {"form": form, "remedy": remedy, "nav": "settings"})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def remedy_dose(request: SignedInRequest, pk: int) -> HttpResponse:
    remedy = _own_remedy(request, pk)
    form = DoseChangeForm(request.POST or None, remedy=remedy, initial={"on": request.user.today()})
    if request.method == "POST" and form.is_valid():
        new = remedy_change_dose(remedy=remedy, dose=form.cleaned_data["dose"], on=form.cleaned_data["on"])
        messages.success(request, f"{new.name}: {new.dose_text} from {new.start:%-d %b %Y}.")
        return redirect("remedies")
    return render(request, "logbook/remedy_dose.html", {"form": form, "remedy": remedy, "nav": "settings"})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def remedy_delete_view(request: SignedInRequest, pk: int) -> HttpResponse:
    remedy = _own_remedy(request, pk)
    experiments = remedy_experiments(remedy=remedy)
    if request.method == "POST":
        remedy_delete(remedy=remedy)
        kept = " Your experiments keep their own record of it." if experiments else ""
        messages.success(request, f"Deleted {remedy.name}.{kept}")
        return redirect("remedies")
    context = {"remedy": remedy, "experiments": experiments, "nav": "settings"}
    return render(request, "logbook/remedy_delete.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def own_factors(request: SignedInRequest) -> HttpResponse:
    """The person's own factors: the list, and a form to add one (the rules in logbook/own_factors.py)."""
    form = OwnFactorForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        factor = own_factor_create(user=request.user, name=form.cleaned_data["name"], kind=form.cleaned_data["kind"])
        messages.success(request, f"Added “{factor.name}”: it is on the day form from now on.")
        return redirect("own_factors")
    context = {
        "form": form,
        "current": own_factors_for(request.user),
        "archived": own_factors_for(request.user, archived=True),
        "nav": "settings",
    }
    return render(request, "logbook/own_factors.html", context)


@login_required
@require_http_methods(["POST"])
def own_factor_archive_view(request: SignedInRequest, pk: int) -> HttpResponse:
    """Stop (or start again) asking a factor on the day form; its values are kept either way."""
    factor = get_object_or_404(OwnFactor, pk=pk, user=request.user)
    own_factor_archive(factor=factor, archived=not factor.archived)
    messages.success(request, f"“{factor.name}” is {'no longer' if factor.archived else 'again'} on the day form.")
    return redirect("own_factors")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def own_factor_rename_view(request: SignedInRequest, pk: int) -> HttpResponse:
    """Rename one of the person's own factors (another person's is a 404); a refused name is shown by its field and
    nothing changes. Past answers keep their values and show the new name."""
    factor = get_object_or_404(OwnFactor, pk=pk, user=request.user)
    form = OwnFactorRenameForm(request.POST or None, factor=factor)
    if request.method == "POST" and form.is_valid():
        own_factor_rename(factor=factor, name=form.cleaned_data["name"])
        messages.success(request, f"Renamed to “{factor.name}”. Past days, insights and the backup use the new name.")
        return redirect("own_factors")
    return render(request, "logbook/own_factor_rename.html", {"form": form, "factor": factor, "nav": "settings"})
