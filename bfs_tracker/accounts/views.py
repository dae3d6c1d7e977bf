"""Account screens: sign up, log out, settings and deleting the account. Log in and passwords use Django's views."""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from bfs_tracker.accounts.forms import AccountDeleteForm, LoginForm, SettingsForm, SignupForm
from bfs_tracker.accounts.services import account_delete as account_delete_service
from bfs_tracker.accounts.services import user_create


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


@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        account_delete_service(user=request.user)
        logout(request)
        messages.success(request, "Your account and everything you logged have been deleted.")
        return redirect("login")
    return render(request, "accounts/account_delete.html", {"form": form, "nav": "settings"})
