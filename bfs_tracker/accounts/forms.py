"""Account forms: they validate and say what is wrong next to the field; services do the writing."""

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import (
    AdminUserCreationForm,
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    UserChangeForm,
)
from django.contrib.auth.models import UserManager
from django.http import HttpRequest

from bfs_tracker.accounts.models import User
from bfs_tracker.accounts.time_zones import available_time_zones, validate_time_zone
from bfs_tracker.lib.forms import FocusFirstErrorMixin
from bfs_tracker.lib.mail import mail_send
from bfs_tracker.security.throttle import account_password_confirm, password_confirm

DEFAULT_TIME_ZONE = "UTC"
EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in available_time_zones()]


class PasswordField(forms.CharField):
    def __init__(self, *, label: str = "Your password", autocomplete: str = "current-password", **kwargs):
        kwargs.setdefault("strip", False)
        super().__init__(label=label, widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}), **kwargs)


class TimeZoneField(forms.ChoiceField):
    """A select of every zone we know. The message for an unknown name is the one the model uses."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Time zone")
        kwargs.setdefault("help_text", "Decides which date “today” is for you.")
        super().__init__(choices=time_zone_choices, **kwargs)

    def validate(self, value):
        forms.Field.validate(self, value)
        if value:
            validate_time_zone(value)


class SignupForm(FocusFirstErrorMixin, forms.Form):
    """Address, password, time zone. It never says whether the address has an account: the mail does."""

    email = forms.EmailField(
        label="Email",
        max_length=254,
        help_text="You log in with it, and we send a link to it to finish creating your account.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = PasswordField(
        label="Password",
        autocomplete="new-password",
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = PasswordField(label="Password again", autocomplete="new-password")
    time_zone = TimeZoneField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].initial = DEFAULT_TIME_ZONE
        if not self.is_bound:
            # static/js/timezone-default.js picks the browser's zone only on a fresh form, never over a choice.
            self.fields["time_zone"].widget.attrs["data-timezone-default"] = ""

    def clean_email(self) -> str:
        return UserManager.normalize_email(self.cleaned_data["email"])

    def clean_password2(self) -> str:
        first, second = self.cleaned_data.get("password1"), self.cleaned_data["password2"]
        if first is not None and first != second:
            raise forms.ValidationError("The two password fields didn’t match.", code="password_mismatch")
        password_validation.validate_password(second, User(email=self.cleaned_data.get("email", "")))
        return second

    def clean_time_zone(self) -> str:
        # Without JavaScript, or from a client that sends nothing, the account starts on UTC.
        return self.cleaned_data.get("time_zone") or DEFAULT_TIME_ZONE


class SignupConfirmForm(FocusFirstErrorMixin, forms.Form):
    """The last step of signing up: the password chosen at sign-up, so only its chooser can finish."""

    password = PasswordField(help_text="The password you chose when you signed up.")

    def __init__(self, *args, request, check_password, key: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.request, self.check_password, self.key = request, check_password, key

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        password_confirm(self.request, key=self.key, password=password, check=self.check_password, user_id=None)
        return password


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That email or username and password do not match an account. The password is case-sensitive.",
        "paused": "Sign-in to this account is paused on new devices, because of many wrong passwords from different "
        "places. Sign in on a phone or computer you have used before, or use “Forgot your password?”: the "
        "link in that email signs you in here.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email or username"
        self.fields["username"].widget.attrs["autocomplete"] = "username"

    def get_invalid_login_error(self):
        if getattr(self.request, "sign_in_paused", False):
            return forms.ValidationError(self.error_messages["paused"], code="paused")
        return super().get_invalid_login_error()


class PasswordConfirmMixin:
    """For forms that ask the signed-in person's password again: throttled like sign-in (security.throttle)."""

    cleaned_data: dict[str, Any]  # the form's, once this is mixed into one

    def __init__(self, *args, request: HttpRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def confirm_password(self, field: str) -> str:
        password = self.cleaned_data[field]
        account_password_confirm(self.request, user=self.request.user, password=password)
        return password


class PasswordChangeThrottledForm(PasswordConfirmMixin, PasswordChangeForm):
    def clean_old_password(self) -> str:
        return self.confirm_password("old_password")


class EmailChangeForm(FocusFirstErrorMixin, PasswordConfirmMixin, forms.Form):
    email = forms.EmailField(
        label="New email address",
        max_length=254,
        help_text="We send a link to it; your address changes when you open that link.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = PasswordField()

    def clean_email(self) -> str:
        return UserManager.normalize_email(self.cleaned_data["email"])

    def clean_password(self) -> str:
        return self.confirm_password("password")


class ResetForm(PasswordResetForm):
    """Django's reset form, sending its mail through lib.mail (registration/password_reset*.txt)."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        user = context["user"]
        try:
            mail_send(
                kind="password_reset",
                to=to_email,
                template="registration/password_reset",
                context=context,
                user_id=user.pk,
            )
        except OSError:
            # Logged by mail_send. The page says the same as for an unknown address, so an outage reveals nothing.
            pass


class DateOfBirthInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class SettingsForm(FocusFirstErrorMixin, forms.ModelForm):
    time_zone = TimeZoneField()

    class Meta:
        model = User
        fields = ("first_name", "last_name", "date_of_birth", "time_zone")
        labels = {"date_of_birth": "Date of birth"}
        help_texts = {
            "first_name": "Optional. Shown on your doctor's report.",
            "last_name": "Optional. Shown on your doctor's report.",
            "date_of_birth": "Optional. Shown on your doctor's report, nowhere else.",
        }
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "date_of_birth": DateOfBirthInput(attrs={"autocomplete": "bday"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date_of_birth"].error_messages["invalid"] = "Enter a date such as 1990-04-21."
        self.fields["date_of_birth"].widget.attrs.update(
            {"min": EARLIEST_BIRTH_DATE.isoformat(), "max": self.instance.today().isoformat()}
        )

    def clean_date_of_birth(self) -> dt.date | None:
        born = self.cleaned_data.get("date_of_birth")
        if born is None:
            return None
        if born > self.instance.today():
            raise forms.ValidationError("A date of birth cannot be in the future.", code="future")
        if born < EARLIEST_BIRTH_DATE:
            raise forms.ValidationError("Check the year: dates before 1900 are not accepted.", code="too_early")
        return born


class AdminUserChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):  # type: ignore[name-defined]
        model = User


class AdminUserAddForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):  # type: ignore[name-defined]
        model = User


class AccountDeleteForm(PasswordConfirmMixin, forms.Form):
    """Asks the password again, throttled like sign-in (security.throttle), before everything is deleted."""

    password = PasswordField()
    confirm = forms.BooleanField(label="I understand that every day I logged is deleted for good.")

    def clean_password(self) -> str:
        return self.confirm_password("password")
