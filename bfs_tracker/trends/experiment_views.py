"""The experiment screens: the list, planning one (with the flare warning), its page, edit, stop, delete. Every view
shows the signed-in person's own experiments; another person's is 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from bfs_tracker.lib.http import SignedInRequest
from bfs_tracker.trends import experiment_store as store
from bfs_tracker.trends.dashboard_cache import experiments_all
from bfs_tracker.trends.experiment_forms import EditForm, PlanForm, StopForm
from bfs_tracker.trends.experiments import MIN_PHASE_DAYS, SUGGESTED_DAYS
from bfs_tracker.trends.models import Experiment


def _own(request: SignedInRequest, pk: int) -> Experiment:
    return get_object_or_404(Experiment, pk=pk, user=request.user)


def _view_of(request: SignedInRequest, experiment: Experiment) -> store.ExperimentView:
    return next(v for v in experiments_all(request.user) if v.experiment.pk == experiment.pk)


@login_required
@require_http_methods(["GET", "HEAD"])
def experiments(request: SignedInRequest) -> HttpResponse:
    views = experiments_all(request.user)
    context = {"views": views, "nav": "dashboard", "min_days": MIN_PHASE_DAYS, "suggested": SUGGESTED_DAYS}
    return render(request, "trends/experiments.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def experiment_plan(request: SignedInRequest) -> HttpResponse:
    initial = {"start": request.user.today(), "days": SUGGESTED_DAYS, "outcome": "burden", "design": "ab"}
    form = PlanForm(request.POST or None, user=request.user, outcomes=store.outcome_choices(), initial=initial)
    check = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            experiment, check = store.experiment_plan(
                user=request.user,
                change=data["change"],
                remedy=data["remedy"],
                design=data["design"],
                outcome=data["outcome"],
                start=data["start"],
                days=data["days"],
                go_ahead=request.POST.get("go_ahead") == "1",
            )
        except ValidationError as error:
            for name, problems in error.message_dict.items():
                form.add_error(name if name in form.fields else None, problems)
        else:
            if experiment is not None:
                messages.success(request, f"Planned: “{experiment.change}” from {experiment.start:%-d %b %Y}.")
                return redirect("experiment_detail", pk=experiment.pk)
    context = {"form": form, "check": check, "nav": "dashboard", "min_days": MIN_PHASE_DAYS}
    return render(request, "trends/experiment_plan.html", context)


@login_required
@require_http_methods(["GET", "HEAD"])
def experiment_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    view = _view_of(request, _own(request, pk))
    return render(request, "trends/experiment_detail.html", {"view": view, "nav": "dashboard"})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def experiment_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    experiment = _own(request, pk)
    today = request.user.today()
    finished = store.is_finished(experiment, today)
    form = EditForm(request.POST or None, instance=Experiment.objects.get(pk=experiment.pk))
    if finished:
        form.fields["start"].disabled = True
        form.fields["days"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            store.experiment_edit(
                experiment=experiment, today=today, change=data["change"], start=data["start"], days=data["days"]
            )
        except ValidationError as error:
            for name, problems in error.message_dict.items():
                form.add_error(name if name in form.fields else None, problems)
        else:
            messages.success(request, "Saved.")
            return redirect("experiment_detail", pk=experiment.pk)
    context = {"form": form, "experiment": experiment, "finished": finished, "nav": "dashboard"}
    return render(request, "trends/experiment_edit.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def experiment_stop(request: SignedInRequest, pk: int) -> HttpResponse:
    experiment = _own(request, pk)
    today = request.user.today()
    form = StopForm(request.POST or None, initial={"stopped_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            store.experiment_stop(experiment=experiment, on=form.cleaned_data["stopped_on"], today=today)
        except ValidationError as error:
            for problems in error.message_dict.values():
                form.add_error("stopped_on", problems)
        else:
            messages.success(request, f"Stopped on {experiment.stopped_on:%-d %b %Y}.")
            return redirect("experiment_detail", pk=experiment.pk)
    return render(request, "trends/experiment_stop.html", {"form": form, "experiment": experiment, "nav": "dashboard"})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def experiment_delete(request: SignedInRequest, pk: int) -> HttpResponse:
    experiment = _own(request, pk)
    if request.method == "POST":
        experiment.delete()
        messages.success(request, f"Deleted the experiment “{experiment.change}”.")
        return redirect("experiments")
    return render(request, "trends/experiment_delete.html", {"experiment": experiment, "nav": "dashboard"})
