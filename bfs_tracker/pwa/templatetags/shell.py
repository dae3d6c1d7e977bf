"""Tags of the app shell (base.html, around every page): its links and static files' addresses are the same for
every page and every person, so with DEBUG off each is worked out once per process and kept, like the day form's
body map. `{% url %}` and `{% static %}` redo it on every use (a dozen times a page, about a third of base.html's
rendering time). With DEBUG on they are worked out each time, as the stock tags do.

The site header (brand, main and account navigation) is written in Python by shell_header_start/_end, around the
nav_extra block, with the markup the template had: a dozen links, each with its own condition, were most of the
rest of base.html's time. tests/test_shell_tags.py renders that template (kept there) and requires the same bytes
for a signed-in and a signed-out person, every section and the unread count. Change both together."""

from functools import lru_cache
from html import escape  # what django.utils.html.escape does, without its lazy-string wrapper

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def shell_url(name: str) -> str:
    """{% shell_url 'today' %}: {% url 'today' %} for a URL without arguments."""
    if settings.DEBUG:
        return reverse(name)
    return _url(name, get_script_prefix(), get_urlconf())


@register.simple_tag
def shell_static(path: str) -> str:
    """{% shell_static 'css/app.css' %}: {% static 'css/app.css' %}."""
    if settings.DEBUG:
        return static(path)
    return _static(path)


# (section, address name, link text): the main navigation before the nav_extra block, and after it.
_MAIN: tuple[tuple[str, str], ...] = (
    ("today", "Today"),
    ("calendar", "Calendar"),
    ("dashboard", "Dashboard"),
    ("alerts", "Alerts"),
)
_MAIN += (("timeline", "Timeline"),)
_CURRENT = ' aria-current="page"'


def _link(name: str, text: str, nav) -> str:
    current = _CURRENT if nav == name else ""
    return f'        <li><a href="{escape(shell_url(name))}"{current}>{text}</a></li>\n'


def _signed_in(context) -> bool:
    """Whether the page is for a signed-in person. Error pages (the 500 and 503 handlers) render without the
    context processors, so there may be no `user` at all: then no one is signed in, as {% if user... %} read it."""
    user = context.get("user")
    return bool(user is not None and user.is_authenticated)


@register.simple_tag(takes_context=True)
def shell_header_start(context) -> SafeString:
    """The header up to the nav_extra block: the brand link and, for a signed-in person, the main navigation with
    the unread-alerts count (`open_alerts_count`, a number or the context processor's callable)."""
    signed_in = _signed_in(context)
    brand = f'<a class="brand" href="{escape(shell_url("today" if signed_in else "login"))}">BFS Tracker</a>\n    '
    if not signed_in:
        return mark_safe(brand)  # noqa: S308  # nosec B308 B703: an address escaped, the rest constant
    nav = context.get("nav")
    count = context.get("open_alerts_count")
    if callable(count):
        count = count()
    badge = (
        f' <span class="badge">{escape(str(count))}<span class="visually-hidden"> unread</span></span>' if count else ""
    )
    links = "".join(_link(name, text + (badge if name == "alerts" else ""), nav) for name, text in _MAIN)
    return mark_safe(  # noqa: S308  # nosec B308 B703: addresses and the count escaped, the rest constant
        f'{brand}\n    <nav aria-label="Main" class="nav-main">\n      <ul class="nav">\n{links}        '
    )


@register.simple_tag(takes_context=True)
def shell_header_end(context) -> SafeString:
    """The header after the nav_extra block: the report link and the account navigation (settings, log out)."""
    if not _signed_in(context):
        return SafeString("")
    nav = context.get("nav")
    csrf_value = context.get("csrf_token")
    csrf = (
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(str(csrf_value))}">'
        if csrf_value and csrf_value != "NOTPROVIDED"  # noqa: S105  # Django's word for "no token here"
        else ""
    )  # what {% csrf_token %} writes
    logout = escape(shell_url("logout"))
    return mark_safe(  # noqa: S308  # nosec B308 B703: addresses and the token escaped, the rest constant
        "\n"
        + _link("report", "Report", nav)
        + '      </ul>\n    </nav>\n    <nav aria-label="Account" class="nav-account">\n      <ul class="nav">\n'
        + _link("settings", "Settings", nav)
        + "        <li>\n"
        + f'          <form method="post" action="{logout}" class="inline-form" data-logout>{csrf}\n'
        + '            <button type="submit" class="link-button">Log out</button>\n'
        + "          </form>\n        </li>\n      </ul>\n    </nav>\n    "
    )


@lru_cache(maxsize=256)
def _url(name: str, prefix: str, urlconf) -> str:
    # The script prefix and URLconf are in the key: reverse() reads both.
    return reverse(name, urlconf=urlconf)


@lru_cache(maxsize=256)
def _static(path: str) -> str:
    return static(path)


def _forget(**kwargs) -> None:
    """A test that changes the settings (static storage, URLs) gets fresh addresses."""
    _url.cache_clear()
    _static.cache_clear()


setting_changed.connect(_forget)
