"""The doctor's report, cached per data version: its ReportData, its HTML section and its PDF.

A one-year report takes a few hundred milliseconds to build (a year of days with their twitch entries and reliefs,
flares over the whole history, insights) and about as long again to lay out as a PDF; it changes only when the
person's data changes. So each is cached under a key made of everything the report reads:

- the logs: how many, and when one was last saved (`trends.selectors.log_span`, with the flare settings' time);
  a day's twitch entries and reliefs are saved with the day, so they move its `updated_at` too;
- the alerts and function checks (`alerts.selectors.alerts_version`);
- the things tried, as (id, name, archived), since renaming one changes the report's words;
- the medical timeline's events (`timeline.selectors.timeline_version`): they are marked on the chart and page 1;
- remedies and experiments, how many and when one was last saved (`log_span`'s `plans`, read in the same query):
  page 1 lists remedies with their doses and dates, the chart marks their starts, stops and dose changes, and the
  report gives each experiment's verdict (which moves with the days logged and with "today");
- the person's name, date of birth and local today (the report is "generated on" that day);
- the range, and the code's version (bump CODE_VERSION when the report's content or layout changes).

A stale entry is never read: any change makes a new key, and old entries expire. The key costs four small queries,
which is why a cached report is cheap but not free. Writes that bypass the model's save() (queryset.update() on
logs) would not move `updated_at`; the app has none. The cache is per process ("reports" in settings.CACHES), like
the dashboard's (docs/deployment.md says why that is safe).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from bfs_tracker.alerts.selectors import alerts_version
from bfs_tracker.lib.cache import cached
from bfs_tracker.logbook.selectors import reliefs_version
from bfs_tracker.reports.assembly import NOTE_CUT, ReportData, build_report
from bfs_tracker.reports.charts import burden_chart
from bfs_tracker.reports.pdf import render_pdf
from bfs_tracker.timeline.selectors import timeline_version
from bfs_tracker.trends.change import describe_rule as change_rule
from bfs_tracker.trends.selectors import log_span

T = TypeVar("T")
CACHE_ALIAS = "reports"
CACHE_SECONDS = 60 * 60
CODE_VERSION = "4"


def report_key(user, start: dt.date, end: dt.date) -> str:
    """The cache key of this person's report for start..end as their data stands now (four queries)."""
    span = log_span(user)
    parts = (
        CODE_VERSION,
        user.pk,
        start,
        end,
        user.today(),
        user.get_full_name(),
        user.date_of_birth,
        span.count,
        span.last_updated,
        span.settings_updated,
        span.plans,  # remedies and experiments: how many, and when last saved
        alerts_version(user),
        reliefs_version(user),
        timeline_version(user),
    )
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:40]
    return f"reports:report:{user.pk}:{digest}"


def _cached(key: str, build: Callable[[], T]) -> T:
    return cached(CACHE_ALIAS, key, build, CACHE_SECONDS)


def report_data(user, start: dt.date, end: dt.date, *, key: str) -> ReportData:
    return _cached(key + ":data", lambda: build_report(user, start, end))


def report_html(user, start: dt.date, end: dt.date, *, key: str | None = None) -> SafeString:
    """The report's section (templates/reports/_report_body.html), as the report page and the shared page show it."""
    key = key or report_key(user, start, end)

    def build() -> str:
        return report_body(report_data(user, start, end, key=key))

    return mark_safe(_cached(key + ":html", build))  # noqa: S308  # nosec B308 B703: rendered by the template


def report_body(data: ReportData) -> SafeString:
    """The report's section for data built elsewhere, uncached (the visit-ready report builds its own)."""
    context = {"report": data, "chart": burden_chart(data), "change_rule": change_rule(), "note_cut": NOTE_CUT}
    return mark_safe(render_to_string("reports/_report_body.html", context))  # noqa: S308  # nosec B308 B703


def report_pdf(user, start: dt.date, end: dt.date, *, key: str | None = None) -> bytes:
    """The report as a PDF (reports/pdf.py)."""
    key = key or report_key(user, start, end)
    return _cached(key + ":pdf", lambda: render_pdf(report_data(user, start, end, key=key)))
