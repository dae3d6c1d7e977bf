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
    flares cached per data version, dashboard_cache.flare_spans; inside calendar_cached, its version)."""
    user = context["request"].user
    return flare_days(user, first, last, dashboard_cache.flare_spans(user, context.get("flare_version")))


@register.tag
def calendar_cached(parser, token):
    """{% calendar_cached first today %}…{% endcalendar_cached %}: the month's content rendered once per person,
    month, today and data version (dashboard_cache.calendar_content); on a hit nothing inside is evaluated."""
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError("calendar_cached takes the month's first day and today")
    nodelist = parser.parse(("endcalendar_cached",))
    parser.delete_first_token()
    return CalendarCachedNode(nodelist, parser.compile_filter(bits[1]), parser.compile_filter(bits[2]))


class CalendarCachedNode(template.Node):
    def __init__(self, nodelist, first, today):
        self.nodelist, self.first, self.today = nodelist, first, today

    def render(self, context) -> str:
        def build(version: str) -> str:
            with context.push(flare_version=version):
                return self.nodelist.render(context)

        user = context["request"].user
        first, today = self.first.resolve(context), self.today.resolve(context)
        return dashboard_cache.calendar_content(user, first, today, build)


@register.simple_tag
def calendar_rows(weeks, day_url: str, flares, red_flags):
    """{% calendar_rows weeks day_url flares red_flag_days %}: the month table's rows (logbook.calendar.rows_html)."""
    return rows_html(weeks, day_url, flares, red_flags)
