"""Account screens: sign up, log in and out, settings, email and password, and deleting the account."""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_http_methods

from bfs_tracker.accounts.forms import (
    AccountDeleteForm,
    EmailChangeForm,
    LoginForm,
    PasswordChangeThrottledForm,
    SettingsForm,
    SignupConfirmForm,
    SignupForm,
)
from bfs_tracker.accounts.models import EmailConfirmation, User
from bfs_tracker.accounts.services import (
    AddressTaken,
    ConfirmationInvalid,
    confirmation_for,
    email_change_confirm,
    email_change_request,
    signup_confirm,
    signup_password_matches,
    signup_request,
)
from bfs_tracker.accounts.services import account_delete as account_delete_service
from bfs_tracker.security.log import security_event
from bfs_tracker.security.throttle import signup_mail_allowed, signup_requests_exceeded, throttle_key

SENT_TO = "accounts_confirmation_sent_to"
MAIL_DOWN = "We could not send the email just now. Nothing was saved; please try again in a few minutes."
BACKEND = "bfs_tracker.accounts.backends.EmailOrUsernameBackend"


class AccountRequest(HttpRequest):
    """The request of an accounts view behind @login_required: its user is an account (lib.http.SignedInRequest,
    with this app's own User)."""

    user: User


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _link_maker(request: HttpRequest, url_name: str):
    return lambda token: request.build_absolute_uri(reverse(url_name, args=[token]))


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """The answer is the same whether or not the address has an account; only the mail differs."""
    if request.user.is_authenticated:
        return redirect("today")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if signup_requests_exceeded(request):
            form.add_error(None, "Too many sign-ups from your network in the last hour. Please try again later.")
        else:
            data = form.cleaned_data
            try:
                if signup_mail_allowed(request, email=data["email"]):
                    signup_request(
                        email=data["email"],
                        password=data["password1"],
                        time_zone=data["time_zone"],
                        link_for=_link_maker(request, "signup_confirm"),
                        base_url=_base_url(request),
                    )
            except OSError:
                form.add_error(None, MAIL_DOWN)
            else:
                request.session[SENT_TO] = data["email"]
                return redirect("signup_sent")
    return render(request, "accounts/signup.html", {"form": form})


def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signup_sent.html", {"email": request.session.get(SENT_TO, "")})


@require_http_methods(["GET", "POST"])
def signup_confirm_view(request: HttpRequest, token: str) -> HttpResponse:
    """A sign-up link: typing the password chosen at sign-up opens the account and signs in."""
    if request.user.is_authenticated:
        return redirect("today")
    try:
        confirmation = confirmation_for(token=token, purpose=EmailConfirmation.Purpose.SIGNUP)
    except ConfirmationInvalid:
        return render(request, "accounts/confirmation_invalid.html", status=404)
    form = SignupConfirmForm(
        request.POST or None,
        request=request,
        check_password=lambda password: signup_password_matches(confirmation, password),
        key=throttle_key(f"signup:{confirmation.pk}"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = signup_confirm(confirmation=confirmation, password=form.cleaned_data["password"])
        except AddressTaken:
            messages.info(request, "This address already has an account. Log in, or reset your password.")
            return redirect("login")
        login(request, user, backend=BACKEND)
        security_event("sign_up", request=request, user_id=user.pk)
        messages.success(request, "Welcome to BFS Tracker. Log your first day below.")
        return redirect("today")
    return render(request, "accounts/signup_confirm.html", {"form": form, "email": confirmation.email})


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You have logged out.")
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeThrottledForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view, signing the person in once the new password is set: on a browser that was never signed in
    this makes it a known device, so sign-in keeps working while someone else is guessing (security.throttle)."""

    post_reset_login = True
    post_reset_login_backend = BACKEND
    success_url = reverse_lazy("password_reset_complete")


@login_required
@require_http_methods(["GET", "POST"])
def email_change(request: AccountRequest) -> HttpResponse:
    form = EmailChangeForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            sent = (
                email_change_request(
                    user=request.user,
                    email=email,
                    link_for=_link_maker(request, "email_change_confirm"),
                    base_url=_base_url(request),
                )
                if signup_mail_allowed(request, email=email)
                else None
            )
        except OSError:
            form.add_error(None, MAIL_DOWN)
        else:
            if sent is not None and sent.unchanged:
                messages.info(request, f"{email} is already your address.")
                return redirect("settings")
            messages.success(
                request,
                f"We sent a link to {email}. Open it while signed in here to finish; until then your address stays "
                f"{request.user.email}.",
            )
            return redirect("settings")
    return render(request, "accounts/email_change.html", {"form": form, "nav": "settings"})


@login_required
@require_http_methods(["GET", "POST"])
def email_change_confirm_view(request: AccountRequest, token: str) -> HttpResponse:
    try:
        confirmation = confirmation_for(token=token, purpose=EmailConfirmation.Purpose.CHANGE, user=request.user)
    except ConfirmationInvalid:
        raise Http404("No such link for this account") from None
    if request.method == "POST":
        try:
            email_change_confirm(confirmation=confirmation, base_url=_base_url(request))
        except AddressTaken:
            messages.error(request, "That address has an account now, so yours was not changed.")
            return redirect("settings")
        security_event("email_changed", request=request, user_id=request.user.pk)
        messages.success(request, f"Your address is now {confirmation.email}. We told your old address.")
        return redirect("settings")
    return render(request, "accounts/email_change_confirm.html", {"email": confirmation.email, "nav": "settings"})


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
    form = AccountDeleteForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        account_delete_service(user=request.user)
        logout(request)
        messages.success(request, "Your account and everything you logged have been deleted.")
        return redirect("login")
    return render(request, "accounts/account_delete.html", {"form": form, "nav": "settings"})
