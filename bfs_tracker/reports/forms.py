import datetime as dt

from django import forms

from bfs_tracker.lib.forms import DateRangeForm
from bfs_tracker.reports.assembly import default_range
from bfs_tracker.reports.importers import MAX_IMPORT_BYTES
from bfs_tracker.reports.services import MAX_SHARE_DAYS


class RangeForm(DateRangeForm):
    """The report's range (at most five years), starting by the person's today; a later end is read up to today
    (reports.assembly.build_report)."""

    starts_by_today = True

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


class ShareLinkForm(DateRangeForm):
    starts_by_today = True
    label = forms.CharField(label="Who is it for? (optional)", max_length=80, required=False)
    days = forms.IntegerField(
        label="Link works for (days)",
        min_value=1,
        max_value=MAX_SHARE_DAYS,
        initial=14,
        help_text=f"At most {MAX_SHARE_DAYS} days. You can revoke it at any time.",
    )
    field_order = ["label", "start", "end", "days"]
