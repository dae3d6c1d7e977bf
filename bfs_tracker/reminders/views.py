from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from bfs_tracker.reminders.forms import ReminderSettingsForm
from bfs_tracker.reminders.selectors import reminder_settings_for
from bfs_tracker.reminders.services import reminder_settings_save


@login_required
def reminder_settings(request: HttpRequest) -> HttpResponse:
    current = reminder_settings_for(user=request.user)
    form = ReminderSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        saved = reminder_settings_save(
            user=request.user, enabled=form.cleaned_data["enabled"], time=form.cleaned_data["time"]
        )
        if saved.enabled:
            messages.success(request, f"We'll email you at {saved.time:%H:%M} on days you haven't logged yet.")
        else:
            messages.success(request, "Reminder emails are off.")
        return redirect("reminder_settings")
    return render(request, "reminders/settings.html", {"form": form, "nav": "settings"})
