from html import escape

from django import template
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import linebreaks_filter
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # not in django-stubs

from bfs_tracker.alerts.selectors import alerts_for_day

register = template.Library()


@register.simple_tag(takes_context=True)
def day_alerts(context, day, just_saved=False, any_known=None) -> SafeString:
    """The red-flag panel for the top of a day page: `{% load alerts_tags %}{% day_alerts day just_saved %}`.

    Shown whenever the day has alerts that are not withdrawn (so it is there right after saving and on every later
    visit until read); `just_saved` adds a sentence saying the save raised it. A day with none (nearly every day)
    renders nothing, without loading the panel's template (alerts/_day_panel.html). `any_known`: whether the day has
    any, when the view already asked (alerts.selectors.day_page_alerts); then a day with none costs no query.
    """
    request = context["request"]
    if not isinstance(any_known, bool):  # unset in the context reads as "": ask
        any_known = None
    alerts = alerts_for_day(request.user, day, any_known=any_known) if request.user.is_authenticated else []
    if not alerts:
        return mark_safe("")  # noqa: S308  # nosec B308 B703: empty
    panel = {
        "alerts": alerts,
        "any_open": any(a.is_open for a in alerts),
        "just_saved": just_saved,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
    return mark_safe(render_to_string("alerts/_day_panel.html", panel))  # noqa: S308  # nosec B308 B703: a template


@register.simple_tag(takes_context=True)
def alert_card(context, alert, full: bool = False, detail: bool = False) -> SafeString:
    """{% alert_card alert full=True detail=True %}: {% include "alerts/_alert_card.html" with full=... %}, written
    in Python with that template's markup (it cost about half a millisecond per alert through the template, on the
    alerts page and the day's panel). The template stays the reference: tests/test_alerts_views.py renders both for
    open, read and withdrawn alerts, full or not, on the detail page or not, and requires the same bytes. `next`,
    `ack_errors`, `request` and `csrf_token` come from the context, as the include's did."""
    return mark_safe(  # noqa: S308  # nosec B308 B703: every value escaped, or Django's own filters' safe output
        card_html(
            alert,
            full=full,
            detail=detail,
            next_url=context.get("next") or context["request"].get_full_path(),
            ack_errors=context.get("ack_errors") or (),
            csrf_token=context.get("csrf_token"),
        )
    )


def _when(value, fmt: str) -> str:
    """`{{ value|date:fmt }}`: in the current time zone, as the template filter shows it."""
    return escape(str(date_filter(template_localtime(value), fmt)))


def card_html(alert, *, full: bool, detail: bool, next_url: str, ack_errors, csrf_token) -> str:
    pk = alert.pk
    status_class = f" alert-{escape(alert.status)}" if alert.status != "open" else ""
    labelled = "page-title" if detail else f"alert-{pk}-title"
    title = (
        ""
        if detail
        else f'<h3 id="alert-{pk}-title"><a href="{escape(reverse("alert_detail", args=[pk]))}">'
        f"{escape(str(alert.title))}</a></h3>"
    )
    when = ""
    if alert.acknowledged_at:
        when = f" on {_when(alert.acknowledged_at, 'j M Y, H:i')}"
    elif alert.withdrawn_at:
        when = f" on {_when(alert.withdrawn_at, 'j M Y, H:i')}"
    why = alert.withdrawn_because
    why_html = f'<p class="alert-withdrawn-why">{escape(str(why))}</p>' if why else ""
    words = (
        '<blockquote class="alert-words"><p class="visually-hidden">In your own words:</p>'
        f"{linebreaks_filter(alert.details, autoescape=True)}</blockquote>"
        if alert.details
        else ""
    )
    if full:
        rule_html = "\n    " + "".join(f"<p>{escape(str(p))}</p>" for p in alert.rule.paragraphs) + "\n  "
    else:
        rule_html = f"\n    <p>{escape(str(alert.rule.todo))}</p>\n  "
    form = ""
    if alert.status == "open":
        csrf = (
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(str(csrf_token))}">'
            if csrf_token and csrf_token != "NOTPROVIDED"  # noqa: S105  # nosec B105: Django's word for "no token here"
            else ""
        )  # what {% csrf_token %} writes
        errors = (
            '<ul class="errorlist">' + "".join(f"<li>{escape(str(e))}</li>" for e in ack_errors) + "</ul>"
            if ack_errors
            else ""
        )
        form = (
            f'\n  <form method="post" action="{escape(reverse("alert_acknowledge", args=[pk]))}" class="ack-form">'
            f"{csrf}\n"
            f'    <input type="hidden" name="next" value="{escape(str(next_url))}">\n'
            f'    <label class="check" for="ack-{pk}"><input type="checkbox" name="confirm" id="ack-{pk}" required>'
            " I have read this alert</label>\n"
            f"    {errors}\n"
            '    <button type="submit" class="secondary">Mark as read</button>\n'
            "  </form>\n  "
        )
    return (
        f'<article class="alert-card alert-{escape(alert.severity)}{status_class}" aria-labelledby="{labelled}">\n'
        f'  <p class="alert-severity">{escape(str(alert.get_severity_display()))}</p>\n'
        f"  {title}\n"
        f'  <p class="alert-meta"><time datetime="{_when(alert.date, "Y-m-d")}">{_when(alert.date, "l j F Y")}</time>\n'
        f'    · <span class="alert-status">{escape(str(alert.get_status_display()))}{when}</span></p>\n'
        f"  {why_html}\n"
        f"  {words}\n"
        f"  {rule_html}\n"
        f"  {form}\n"
        "</article>\n"
    )
