"""Template tags for pages of apps below trends (the calendar): they may show what trends knows without importing
it, as the day form shows the body map through pwa's tag."""

import datetime as dt

from django import template

from bfs_tracker.logbook.calendar import rows_html
from bfs_tracker.trends import dashboard_cache
from bfs_tracker.trends.selectors import flare_days

register = template.Library()


@register.simple_tag(takes_context=True)
def calendar_flare_days(context, first: dt.date, last: dt.date) -> set[dt.date]:
    """{% calendar_flare_days first last as flares %}: the signed-in person's flare days in first..last (the
    flares cached per data version, dashboard_cache.flare_spans)."""
    user = context["request"].user
    return flare_days(user, first, last, dashboard_cache.flare_spans(user))


@register.simple_tag
def calendar_rows(weeks, day_url: str, flares, red_flags):
    """{% calendar_rows weeks day_url flares red_flag_days %}: the month table's rows (logbook.calendar.rows_html)."""
    return rows_html(weeks, day_url, flares, red_flags)
