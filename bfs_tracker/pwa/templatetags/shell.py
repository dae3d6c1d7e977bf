"""Tags of the app shell (base.html, around every page): its links and static files' addresses are the same for
every page and every person, so with DEBUG off each is worked out once per process and kept, like the day form's
body map. `{% url %}` and `{% static %}` redo it on every use (a dozen times a page, about a third of base.html's
rendering time). With DEBUG on they are worked out each time, as the stock tags do."""

from functools import lru_cache

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse

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
