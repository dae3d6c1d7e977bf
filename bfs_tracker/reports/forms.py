import datetime as dt

from django import forms

from bfs_tracker.reports.assembly import default_range
from bfs_tracker.reports.importers import MAX_IMPORT_BYTES
from bfs_tracker.reports.services import MAX_SHARE_DAYS

MAX_RANGE_DAYS = 366 * 5


class RangeForm(forms.Form):
    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                raise forms.ValidationError("The range must start on or before the day it ends.")
            if (end - start).days + 1 > MAX_RANGE_DAYS:
                raise forms.ValidationError("Pick a range of at most five years.")
        return data

    def range(self) -> tuple[dt.date, dt.date]:
        """The chosen range, or the default (last 90 days) when the form was not filled in or is invalid."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["start"], self.cleaned_data["end"]
        return default_range(self.today)


def range_form(request, today: dt.date) -> RangeForm:
    if "start" in request.GET or "end" in request.GET:
        return RangeForm(request.GET, today=today)
    start, end = default_range(today)
    return RangeForm(initial={"start": start, "end": end}, today=today)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Backup (.json) or CSV export (.csv)",
        help_text=f"Up to {MAX_IMPORT_BYTES // (1024 * 1024)} MB. Nothing is saved unless the whole file is valid.",
    )
    existing = forms.ChoiceField(
        label="Days you have already logged",
        choices=[("skip", "Keep mine, skip those days in the file"), ("replace", "Replace them with the file's")],
        initial="skip",
        widget=forms.RadioSelect,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB.")
        return upload


class ShareLinkForm(forms.Form):
    label = forms.CharField(label="Who is it for? (optional)", max_length=80, required=False)
    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    days = forms.IntegerField(
        label="Link works for (days)",
        min_value=1,
        max_value=MAX_SHARE_DAYS,
        initial=14,
        help_text=f"At most {MAX_SHARE_DAYS} days. You can revoke it at any time.",
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError("The range must start on or before the day it ends.")
        if start and end and (end - start).days + 1 > MAX_RANGE_DAYS:
            raise forms.ValidationError("Pick a range of at most five years.")
        return data


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label="Your password", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    confirm = forms.BooleanField(label="I understand that every day I logged is deleted for good.")

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self):
        from bfs_tracker.security.throttle import account_password_confirm

        password = self.cleaned_data["password"]
        account_password_confirm(self.request, user=self.request.user, password=password)  # throttled like sign-in
        return password
