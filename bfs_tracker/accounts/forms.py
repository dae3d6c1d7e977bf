"""Account forms: they validate and say what is wrong next to the field; services do the writing."""

import datetime as dt

from django import forms
from django.contrib.auth.forms import (
    AdminUserCreationForm,
    AuthenticationForm,
    UserChangeForm,
    UserCreationForm,
)
from django.contrib.auth.models import UserManager

from bfs_tracker.accounts.models import User
from bfs_tracker.accounts.time_zones import available_time_zones, validate_time_zone
from bfs_tracker.lib.forms import FocusFirstErrorMixin

DEFAULT_TIME_ZONE = "UTC"
EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)

EMAIL_TAKEN = "An account with this email address already exists. Log in, or reset your password if you forgot it."


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in available_time_zones()]


def email_in_use(email: str, *, exclude_pk: int | None = None) -> bool:
    """Emails are unique regardless of case (the database enforces it too); this finds the clash first."""
    taken = User.objects.filter(email__iexact=email)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    return taken.exists()


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


class SignupForm(FocusFirstErrorMixin, UserCreationForm):
    email = forms.EmailField(
        label="Email",
        max_length=254,
        help_text="Only used to reset your password.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    time_zone = TimeZoneField(required=False)

    class Meta(UserCreationForm.Meta):  # type: ignore[name-defined]  # django-stubs does not declare it
        model = User
        fields = ("username", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].help_text = "Letters, digits and @ . + - _ only. You log in with it."
        self.fields["password2"].label = "Password again"
        self.fields["time_zone"].initial = DEFAULT_TIME_ZONE
        if not self.is_bound:
            # static/js/timezone-default.js picks the browser's zone only on a fresh form, never over a choice.
            self.fields["time_zone"].widget.attrs["data-timezone-default"] = ""

    def clean_email(self) -> str:
        email = UserManager.normalize_email(self.cleaned_data["email"])
        if email_in_use(email):
            raise forms.ValidationError(EMAIL_TAKEN, code="email_taken")
        return email

    def clean_time_zone(self) -> str:
        # Without JavaScript, or from a client that sends nothing, the account starts on UTC.
        return self.cleaned_data.get("time_zone") or DEFAULT_TIME_ZONE


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That username and password do not match an account. Both are case-sensitive.",
    }


class DateOfBirthInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class SettingsForm(FocusFirstErrorMixin, forms.ModelForm):
    time_zone = TimeZoneField()

    class Meta:
        model = User
        fields = ("first_name", "last_name", "date_of_birth", "email", "time_zone")
        labels = {"date_of_birth": "Date of birth"}
        help_texts = {
            "first_name": "Optional. Shown on your doctor's report.",
            "last_name": "Optional. Shown on your doctor's report.",
            "date_of_birth": "Optional. Shown on your doctor's report, nowhere else.",
            "email": "Used to reset your password.",
        }
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "date_of_birth": DateOfBirthInput(attrs={"autocomplete": "bday"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["date_of_birth"].error_messages["invalid"] = "Enter a date such as 1990-04-21."
        self.fields["date_of_birth"].widget.attrs.update(
            {"min": EARLIEST_BIRTH_DATE.isoformat(), "max": self.instance.today().isoformat()}
        )

    def clean_email(self) -> str:
        email = UserManager.normalize_email(self.cleaned_data["email"])
        if email_in_use(email, exclude_pk=self.instance.pk):
            raise forms.ValidationError("Another account already uses this email address.", code="email_taken")
        return email

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


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label="Your password", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    confirm = forms.BooleanField(label="I understand that every day I logged is deleted for good.")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password
