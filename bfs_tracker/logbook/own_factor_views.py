"""The page where a person manages their own factors (add, rename, archive), linked from Settings and the day form.
Every view is the signed-in user's own data: another person's factor is a 404. The rules and writes are in
logbook/own_factors.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from bfs_tracker.lib.http import SignedInRequest
from bfs_tracker.logbook.models import OwnFactor
from bfs_tracker.logbook.own_factors import OwnFactorForm, own_factor_set_archived, own_factors_for_list


def _own(request: SignedInRequest, pk: int) -> OwnFactor:
    return get_object_or_404(OwnFactor, pk=pk, user=request.user)


@login_required
def own_factors(request: SignedInRequest) -> HttpResponse:
    form = OwnFactorForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid() and (factor := form.save()):
        messages.success(request, f"Added “{factor.name}”. It is on your day form now.")
        return redirect("own_factors")
    items = list(own_factors_for_list(user=request.user))
    context = {
        "form": form,
        "active": [f for f in items if not f.archived],
        "archived": [f for f in items if f.archived],
        "nav": "settings",
    }
    return render(request, "logbook/own_factors.html", context)


@login_required
def own_factor_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    factor = _own(request, pk)
    form = OwnFactorForm(request.POST or None, user=request.user, factor=factor)
    if request.method == "POST" and form.is_valid() and form.save():
        messages.success(request, f"Renamed to “{factor.name}”. Past days and insights show the new name.")
        return redirect("own_factors")
    return render(request, "logbook/own_factor_edit.html", {"form": form, "factor": factor, "nav": "settings"})


@login_required
@require_POST
def own_factor_archive(request: SignedInRequest, pk: int) -> HttpResponse:
    factor = _own(request, pk)
    archived = request.POST.get("archived") == "1"
    own_factor_set_archived(factor=factor, archived=archived)
    if archived:
        messages.success(request, f"Archived “{factor.name}”. Past days keep it; the day form no longer shows it.")
    else:
        messages.success(request, f"“{factor.name}” is back on your day form.")
    return redirect("own_factors")
