from django import template

from bfs_tracker.alerts.selectors import alerts_for_day

register = template.Library()


@register.inclusion_tag("alerts/_day_panel.html", takes_context=True)
def day_alerts(context, day, just_saved=False):
    """The red-flag panel for the top of a day page: `{% load alerts_tags %}{% day_alerts day just_saved %}`.

    Shown whenever the day has alerts that are not withdrawn (so it is there right after saving and on every later
    visit until read); `just_saved` adds a sentence saying the save raised it.
    """
    request = context["request"]
    alerts = alerts_for_day(request.user, day) if request.user.is_authenticated else []
    return {
        "alerts": alerts,
        "any_open": any(a.is_open for a in alerts),
        "just_saved": just_saved,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
