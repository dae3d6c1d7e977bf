"""The day page: one day's form, saving it, and deleting it. Every view is the signed-in user's own data; dates
after the user's local today are 404. Saving and deleting go through days.services, so a day's alerts follow."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from bfs_tracker.alerts.selectors import day_page_alerts
from bfs_tracker.days.services import day_delete as day_delete_service
from bfs_tracker.days.services import day_save
from bfs_tracker.lib.http import SignedInRequest
from bfs_tracker.logbook import selectors
from bfs_tracker.logbook.day_read import day_read
from bfs_tracker.logbook.factors import Role
from bfs_tracker.logbook.forms import TWITCH_PREFIX, DailyLogForm, TwitchFormSet, log_initial
from bfs_tracker.logbook.models import DailyLog
from bfs_tracker.logbook.own_factors import own_factors_for
from bfs_tracker.logbook.taxonomy import CAFFEINE_DRINKS
from bfs_tracker.logbook.validation import FIRST_DAY

# A short-lived signed cookie, scoped to the day's own page, that the page reads (and forgets) to know it is being
# shown straight after a save. A cookie rather than a session key: the session is then not written on the save nor
# on the page after it (three queries each; docs/performance.md).
JUST_SAVED_COOKIE = "just_saved"
JUST_SAVED_SALT = "bfs_tracker.days.just_saved"
JUST_SAVED_SECONDS = 300
# The name of the "Quiet day" button: saves a day not logged yet with no twitching and the defaults, in one tap.
QUIET_DAY = "quiet"


def _human_date(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _past_or_today(request: SignedInRequest, day: dt.date) -> dt.date:
    today = request.user.today()
    if day > today:
        raise Http404("That date has not happened yet in your time zone.")
    return today


def _log_or_404(request: SignedInRequest, day: dt.date) -> DailyLog:
    log = day_read(user=request.user, day=day).log
    if log is None:
        raise Http404("No log for that date.")
    return log


def _error_summary(form: DailyLogForm, formset) -> list[dict]:
    """Every error on the page as (anchor, text), in page order, for the summary box at the top."""
    items = []
    for error in form.non_field_errors():
        items.append({"anchor": "day-form", "text": error})
    for field in form:
        for error in field.errors:
            items.append({"anchor": field.id_for_label or field.auto_id, "text": f"{field.label}: {error}"})
    for error in formset.non_form_errors():
        items.append({"anchor": "twitching", "text": error})
    for number, row in enumerate(formset.forms, start=1):
        for field in row:
            for error in field.errors:
                anchor = field.id_for_label or field.auto_id
                items.append({"anchor": anchor, "text": f"Twitching, row {number}: {error}"})
    return items


def _twitch_initial(log: DailyLog | None) -> list[dict]:
    if log is None:
        return []
    return [{"muscle_group": t.muscle_group, "side": t.side, "intensity": t.intensity} for t in log.twitches.all()]


def _saved(request: SignedInRequest, day: dt.date, text: str) -> HttpResponse:
    """Back to the day's page, which will know it was just saved (JUST_SAVED_COOKIE)."""
    messages.success(request, text)
    response = redirect("day", day=day)
    response.set_signed_cookie(
        JUST_SAVED_COOKIE,
        day.isoformat(),
        salt=JUST_SAVED_SALT,
        max_age=JUST_SAVED_SECONDS,
        path=reverse("day", kwargs={"day": day}),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _render_day(request: SignedInRequest, day: dt.date, *, nav: str) -> HttpResponse:
    today = _past_or_today(request, day)
    log: DailyLog | None
    if request.method == "POST":
        if QUIET_DAY in request.POST:
            return _save_quiet_day(request, day, selectors.daily_log_on(user=request.user, day=day))
        # A save reads no log here: day_save locks and reads it, and the twitch rows and things tried come from
        # the form. The things tried offered are the person's current ones and those recorded on this day; with
        # none ticked the field checks nothing against them (an empty answer is valid), so they are looked up only
        # when something is ticked or the page is shown again (building that query cost 1-2 ms of every save).
        ticked = bool(request.POST.getlist("reliefs"))
        form = DailyLogForm(
            request.POST,
            reliefs_queryset=selectors.relief_choices_on(user=request.user, day=day) if ticked else None,
            own_factors=own_factors_for(request.user),
        )
        formset = TwitchFormSet(request.POST, prefix=TWITCH_PREFIX)
        form_ok, formset_ok = form.is_valid(), formset.is_valid()  # both, so every error shows in one round
        if form_ok and formset_ok:
            day_save(
                user=request.user,
                date=day,
                fields=form.log_fields(),
                twitches=formset.twitches(),
                reliefs=form.cleaned_data["reliefs"],
                own=form.own_values(),
            )
            return _saved(request, day, f"Saved your log for {_human_date(day)}.")
        log = selectors.daily_log_on(user=request.user, day=day)  # refused: the page is shown again
        if not ticked:
            form.fields["reliefs"].queryset = selectors.relief_choices_on(user=request.user, day=day)  # type: ignore[attr-defined]
    else:
        read = day_read(user=request.user, day=day)  # the day and the person's lists, one query
        log = read.log
        initial = log_initial(log) | {f"own_{pk}": value for pk, value in read.own_values.items()}
        form = DailyLogForm(initial=initial, reliefs_offered=read.reliefs_offered, own_factors=read.own_factors)
        formset = TwitchFormSet(initial=_twitch_initial(log), prefix=TWITCH_PREFIX)

    folded = form.fields_of(Role.FACTOR, folded=True)
    symptoms = form.fields_of(Role.SYMPTOM)
    just_saved = (
        request.method == "GET"
        and request.get_signed_cookie(JUST_SAVED_COOKIE, default=None, salt=JUST_SAVED_SALT) == day.isoformat()
    )
    if log is not None:
        title = f"Edit {_human_date(day)}"
    elif day == today:
        title = "Log today"
    else:
        title = f"Log {_human_date(day)}"
    context = {
        "nav": nav,
        "title": title,
        "day": day,
        "today": today,
        "is_today": day == today,
        "log": log,
        "just_saved": just_saved,
        "form": form,
        "formset": formset,
        "errors": _error_summary(form, formset) if request.method == "POST" else [],
        "day_word": "today" if day == today else "that day",
        # Nothing to copy unless the day before was logged; asked only while this day is still empty.
        "can_copy_previous": log is None and bool(selectors.logged_dates(request.user, [day - dt.timedelta(days=1)])),
        "factor_fields": form.fields_of(Role.FACTOR, folded=False),
        "folded_fields": folded,
        "folded_open": form.holds_something(folded),
        "symptom_fields": symptoms,
        "own_fields": form.own_fields(),
        "symptoms_open": form.holds_something(symptoms),
        "red_flag_fields": form.fields_of(Role.RED_FLAG),
        "reliefs_open": bool(form["reliefs"].errors or form["reliefs"].value()),
        "notes_open": bool(form["notes"].errors or form["notes"].value()),
        "caffeine_drinks": CAFFEINE_DRINKS,
        "previous_day": day - dt.timedelta(days=1) if day > FIRST_DAY else None,
        "next_day": day + dt.timedelta(days=1) if day < today else None,
    }
    # The navigation's unread count and whether the day has alerts for its panel: one query, not one each.
    context["open_alerts_count"], context["day_has_alerts"] = day_page_alerts(request.user, day)
    response = render(request, "logbook/day.html", context)
    if JUST_SAVED_COOKIE in request.COOKIES:
        response.delete_cookie(JUST_SAVED_COOKIE, path=reverse("day", kwargs={"day": day}), samesite="Lax")
    return response


def _save_quiet_day(request: SignedInRequest, day: dt.date, log: DailyLog | None) -> HttpResponse:
    """A day with no twitching and every factor at its default or "not recorded". Never over a logged day: a stale
    page or a second tap must not wipe what is there."""
    if log is not None:
        messages.info(request, f"{_human_date(day)} is already logged, so nothing was changed.")
        return redirect("day", day=day)
    form = DailyLogForm({})
    if not form.is_valid():  # the defaults always pass the day's rules; a failure here is a bug worth a 500
        raise ValueError(f"the quiet day's defaults are refused: {form.errors.as_text()}")
    day_save(user=request.user, date=day, fields=form.log_fields(), twitches=[], reliefs=[])
    return _saved(request, day, f"Saved {_human_date(day)} as a quiet day: no twitching.")


@login_required
@require_http_methods(["GET", "HEAD"])
def today(request: SignedInRequest) -> HttpResponse:
    return _render_day(request, request.user.today(), nav="today")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def day(request: SignedInRequest, day: dt.date) -> HttpResponse:
    return _render_day(request, day, nav="today" if day == request.user.today() else "calendar")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def day_delete(request: SignedInRequest, day: dt.date) -> HttpResponse:
    log = _log_or_404(request, day)
    if request.method == "POST":
        day_delete_service(log=log)
        messages.success(request, f"Deleted your log for {_human_date(day)}.")
        return redirect("calendar_month", year=day.year, month=day.month)
    return render(
        request,
        "logbook/day_delete.html",
        {"nav": "calendar", "log": log, "day": day, "human_date": _human_date(day)},
    )
