"""Account screens: sign up, log out, settings and the list of reliefs. Log in and passwords use Django's views."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from bfs_tracker.accounts.forms import LoginForm, SettingsForm, SignupForm
from bfs_tracker.accounts.reliefs import (
    ReliefForm,
    ReliefInUse,
    relief_days_used,
    relief_method_delete,
    relief_method_set_archived,
    reliefs_for_list,
)
from bfs_tracker.accounts.services import user_create
from bfs_tracker.logbook.models import ReliefMethod


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("today")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = user_create(
                username=data["username"],
                email=data["email"],
                password=data["password1"],
                time_zone=data["time_zone"],
            )
        except IntegrityError:
            # Someone signed up with the same username or email between the check and the insert.
            form.add_error(None, "That username or email address was taken a moment ago. Choose another, or log in.")
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Welcome to BFS Tracker. Log your first day below.")
            return redirect("today")
    return render(request, "accounts/signup.html", {"form": form})


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You have logged out.")
        return response


@login_required
def settings(request: HttpRequest) -> HttpResponse:
    form = SettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, "Your settings are saved.")
            return redirect("settings")
        messages.error(request, "Nothing was saved. Please correct the fields marked below.")
    return render(request, "accounts/settings.html", {"form": form, "nav": "settings"})


def _days(count: int) -> str:
    return f"{count} past day" if count == 1 else f"{count} past days"


def _own_relief(request: HttpRequest, pk: int) -> ReliefMethod:
    return get_object_or_404(ReliefMethod, pk=pk, user=request.user)


@login_required
def reliefs(request: HttpRequest) -> HttpResponse:
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
    return render(request, "accounts/reliefs.html", context)


@login_required
def relief_edit(request: HttpRequest, pk: int) -> HttpResponse:
    relief = _own_relief(request, pk)
    form = ReliefForm(request.POST or None, user=request.user, relief=relief)
    if request.method == "POST" and form.is_valid() and form.save():
        messages.success(request, f"Renamed to “{relief.name}”. Past days show the new name.")
        return redirect("reliefs")
    context = {"form": form, "relief": relief, "days_used": relief_days_used(relief=relief), "nav": "settings"}
    return render(request, "accounts/relief_edit.html", context)


@login_required
@require_POST
def relief_archive(request: HttpRequest, pk: int) -> HttpResponse:
    relief = _own_relief(request, pk)
    archived = request.POST.get("archived") == "1"
    relief_method_set_archived(relief=relief, archived=archived)
    if archived:
        messages.success(request, f"Archived “{relief.name}”. Past days keep it; the daily form no longer lists it.")
    else:
        messages.success(request, f"“{relief.name}” is back on your daily form.")
    return redirect("reliefs")


@login_required
def relief_delete(request: HttpRequest, pk: int) -> HttpResponse:
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
    return render(request, "accounts/relief_delete.html", context)
