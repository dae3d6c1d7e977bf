"""The dashboard, rendered and cached: the page's HTML and the JSON endpoint's bytes, each built only when asked.

A ten-year dashboard takes a few hundred milliseconds to assemble, and it only changes when the person saves or
deletes a day, a timeline event, a remedy or an experiment, or changes their flare thresholds. So three things are
cached under a key made of exactly those (the number of logs, events, remedies and experiments, the latest
`updated_at` of each and of the settings, the range and the person's today): the assembled Dashboard, its HTML and
its JSON. A stale entry is never read: any change makes a new key, and old entries simply expire. A miss of the
HTML builds only the HTML (from the cached Dashboard when the JSON was asked first), and the reverse.

The cache is Django's "dashboard" cache (settings.CACHES; docs/deployment.md says why a per-process cache is safe
here). Writes that bypass DailyLog.save() (queryset.update()) would not change updated_at; the app has none.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import TypeVar

from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils.html import json_script

from bfs_tracker.lib.cache import cached
from bfs_tracker.trends import selectors
from bfs_tracker.trends.dashboard import Dashboard, build_dashboard
from bfs_tracker.trends.experiment_store import ExperimentView, experiments_with_results
from bfs_tracker.trends.stability import Fact

T = TypeVar("T")
CACHE_ALIAS = "dashboard"
CACHE_SECONDS = 60 * 60


def _key(user, start: dt.date, end: dt.date, span: selectors.LogSpan) -> str:
    stamps = [s.isoformat() if s else "-" for s in (span.last_updated, span.settings_updated, span.events_updated)]
    data = f"{span.count}:{stamps[0]}:{stamps[1]}:{span.events_count}:{stamps[2]}:{span.plans}"
    # The user's today too: a planned visit becomes a past one at midnight, and the chart marks the difference (and
    # an experiment's status moves from planned to running to finished with the days).
    return f"trends:dashboard:v7:{user.pk}:{start}:{end}:{user.today()}:{data}"


def _cached(key: str, build: Callable[[], T]) -> T:
    """The cached value under `key`, or `build()`'s, cached now."""
    return cached(CACHE_ALIAS, key, build, CACHE_SECONDS)


def dashboard_for(user, start: dt.date, end: dt.date, *, span: selectors.LogSpan) -> Dashboard:
    """The assembled dashboard for this data version, from the cache or built (and cached) now."""
    return _cached(_key(user, start, end, span) + ":board", lambda: build_dashboard(user, start, end, span=span))


def render_html(board: Dashboard) -> str:
    return render_to_string(
        "trends/_board.html", {"board": board, "chart_script": json_script(board.chart, "dashboard-data")}
    )


def render_json(board: Dashboard) -> bytes:
    return json.dumps(board.as_json(), cls=DjangoJSONEncoder, separators=(",", ":")).encode()


def dashboard_html(user, start: dt.date, end: dt.date, *, span: selectors.LogSpan) -> str:
    """The page's text and chart sections for the range. On a cache hit it costs no query beyond `span`'s."""
    key = _key(user, start, end, span) + ":html"
    return _cached(key, lambda: render_html(dashboard_for(user, start, end, span=span)))


def dashboard_json(user, start: dt.date, end: dt.date, *, span: selectors.LogSpan) -> bytes:
    """Dashboard.as_json() for the range, serialised once per data version."""
    key = _key(user, start, end, span) + ":json"
    return _cached(key, lambda: render_json(dashboard_for(user, start, end, span=span)))


def flare_spans(user, version: str | None = None) -> list[tuple[dt.date, dt.date]]:
    """selectors.flare_spans (detection over the whole history, for the calendar's flare marks), cached per data
    version like the dashboard: the days' count and latest save and the flare settings' (one query,
    selectors.flare_version, or `version` when the caller has just read it), which is all detection depends on. A
    month of the calendar then costs one query for its flares, not a detection over ten years."""
    key = f"trends:flare_spans:v2:{user.pk}:{version or selectors.flare_version(user)}"
    return _cached(key, lambda: selectors.flare_spans(user))


def calendar_content(user, first: dt.date, today: dt.date, build: Callable[[str], str]) -> str:
    """A calendar month's content (logbook/calendar.html: the heading, month links, the count, the table with its
    burdens, flares and red-flag marks, the key), `build(version)`'s, cached per person, month, local today and
    flare_version: the month's days and signs change only with the days' count or latest save, its flares with
    those and the flare settings, its links and today's mark with today. It holds no form (no CSRF token)."""
    version = selectors.flare_version(user)
    key = f"trends:calendar:v1:{user.pk}:{first.isoformat()}:{today.isoformat()}:{version}"
    return _cached(key, lambda: build(version))


def stability_facts(user, *, span: selectors.LogSpan, board: Callable[[], Dashboard]) -> list[Fact]:
    """selectors.stability_for ("What has not changed" on the dashboard), cached per data version: it reads the
    whole history's red-flag days and function checks, which change only when a day is saved or deleted (the days'
    count and latest save) or a function check is added or removed (their count and newest id: they are never
    edited), and the longest remission ever, from detection over the whole history (the days and the flare
    settings). `board` gives the dashboard (cached), read only on a miss for that remission: unpickling a ten-year
    dashboard costs more than the rest of a cached page. No query on a hit beyond `span`'s."""
    stamps = [s.isoformat() if s else "-" for s in (span.last_updated, span.settings_updated)]
    data = f"{span.first}:{span.last}:{span.count}:{stamps[0]}:{stamps[1]}:{span.checks}"
    key = f"trends:facts:v2:{user.pk}:{user.today()}:{data}"
    return _cached(
        key, lambda: selectors.stability_for(user, span=span, longest_remission=board().longest_remission_ever)
    )


def page_content(
    user, start: dt.date, end: dt.date, *, span: selectors.LogSpan, query: str, build: Callable[[], str]
) -> str:
    """The dashboard page's content (trends/_dashboard_content.html: the range links, the custom dates, the board
    and "What has not changed"), `build()`'s, cached under the dashboard's key, the function checks' version and the
    page's query string (the custom dates' values are written back into the page). Only for a valid range: a page
    with errors is built each time. It holds no form to post, so no CSRF token."""
    digest = hashlib.sha256(query.encode()).hexdigest()[:32]
    return _cached(f"{_key(user, start, end, span)}:page:{span.checks}:{digest}", build)


def experiments_all(user) -> list[ExperimentView]:
    """Every experiment of the person with its phases, progress and result (experiment_store.experiments_with_results,
    for the experiments list and an experiment's page), cached under the dashboard's key for the whole history: it
    carries the days, the remedies, the experiments and the person's today, which is all a result depends on. A
    result reads the days around each experiment and runs the flare detector and the interval's bootstrap, tens of
    milliseconds that the page would otherwise spend on every visit."""
    span = selectors.log_span(user)
    key = _key(user, dt.date.min, dt.date.max, span) + ":experiments"
    return _cached(key, lambda: experiments_with_results(user, user.today()))
