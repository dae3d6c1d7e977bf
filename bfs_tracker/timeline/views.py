"""The timeline screens: the list, adding, editing and deleting an event. Thin: form -> service -> redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods

from bfs_tracker.lib.http import SignedInRequest
from bfs_tracker.logbook import data_version
from bfs_tracker.logbook.remedies import remedies_in_range
from bfs_tracker.timeline import rules, selectors
from bfs_tracker.timeline.forms import EventForm
from bfs_tracker.timeline.models import Event
from bfs_tracker.timeline.services import event_delete, event_save


def _own_event(request: SignedInRequest, pk: int) -> Event:
    """The person's own event; another person's is a 404, never a 403 (it does not exist for them)."""
    return get_object_or_404(Event.objects.for_user(request.user), pk=pk)


@login_required
def timeline(request: SignedInRequest) -> HttpResponse:
    today = request.user.today()
    content = data_version.cached(
        request.user, f"timeline:content:v1:{today.isoformat()}", lambda: _timeline_content(request.user, today)
    )
    return render(request, "timeline/list.html", {"content": content, "nav": "timeline"})


def _timeline_content(user, today) -> str:
    """The timeline's content (timeline/_content.html): built only from the person's events and remedies and their
    today, so it is cached per data version and today (a planned visit becomes a past one at midnight)."""
    events = list(selectors.events_between(user))
    planned = [e for e in events if rules.is_planned(e.kind, e.date, today)]
    past = [e for e in reversed(events) if not rules.is_planned(e.kind, e.date, today)]
    plan = selectors.visit_plan_of(events, today=today)
    # Medication and remedy changes (start, dose change, stop) are kept on the remedies page; the timeline lists
    # them among the visits and tests, newest first, so the whole medical story reads in one place. One query.
    changes = [change for course in remedies_in_range(user) for change in course.events]
    past_items = [("event", e.date, e) for e in past] + [("remedy", c.date, c) for c in changes if c.date <= today]
    past_items.sort(key=lambda item: item[1], reverse=True)
    planned_items = [("event", e.date, e) for e in planned] + [("remedy", c.date, c) for c in changes if c.date > today]
    planned_items.sort(key=lambda item: item[1])
    context = {"planned": planned_items, "past": past_items, "plan": plan, "kinds": rules.KINDS}
    return render_to_string("timeline/_content.html", context)


def _edit(request: SignedInRequest, event: Event, kind: str, *, added: bool) -> HttpResponse:
    form = EventForm(request.POST or None, instance=event, kind=kind, today=request.user.today())
    if request.method == "POST" and form.is_valid():
        saved = event_save(user=request.user, event=form.save(commit=False))
        messages.success(request, f"{'Added' if added else 'Saved'}: {saved.summary}.")
        return redirect("timeline")
    context = {"form": form, "event": event, "kind": kind, "kind_label": rules.KIND_LABELS[kind], "added": added}
    return render(request, "timeline/edit.html", {**context, "nav": "timeline"})


@login_required
@require_http_methods(["GET", "POST"])
def event_add(request: SignedInRequest, kind: str) -> HttpResponse:
    if kind not in rules.KIND_LABELS:
        raise Http404("No such kind of event")
    return _edit(request, Event(kind=kind), kind, added=True)


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    event = _own_event(request, pk)
    return _edit(request, event, event.kind, added=False)


@login_required
@require_http_methods(["GET", "POST"])
def event_delete_view(request: SignedInRequest, pk: int) -> HttpResponse:
    event = _own_event(request, pk)
    if request.method == "POST":
        event_delete(event=event)
        messages.success(request, f"Deleted: {event.summary}.")
        return redirect("timeline")
    return render(request, "timeline/delete.html", {"event": event, "nav": "timeline"})
