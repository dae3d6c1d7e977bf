"""The app shell's tags (pwa/templatetags/shell.py) give exactly what {% url %} and {% static %} give, whether kept
(DEBUG off) or worked out each time (DEBUG on), and the header written in Python is the one its template wrote."""

from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import override_settings

NAMES = ("today", "calendar", "dashboard", "alerts", "timeline", "report", "settings", "logout", "manifest")
PATHS = ("css/app.css", "css/alerts.css", "js/pwa.js", "icons/favicon-32.png")


def _render(source: str) -> str:
    return Template("{% load shell static %}" + source).render(Context({}))


@pytest.mark.parametrize("debug", [False, True])
def test_shell_tags_write_what_the_stock_tags_write(debug):
    with override_settings(DEBUG=debug):
        for _ in range(2):  # the second time from what was kept
            for name in NAMES:
                assert _render(f"{{% shell_url '{name}' %}}") == _render(f"{{% url '{name}' %}}")
            for path in PATHS:
                assert _render(f"{{% shell_static '{path}' %}}") == _render(f"{{% static '{path}' %}}")
            kept = _render("{% shell_url 'alerts' as a %}[{{ a }}]")
            assert kept == _render("{% url 'alerts' as a %}[{{ a }}]") != "[]"


def test_a_changed_setting_is_followed():
    with override_settings(DEBUG=False):
        before = _render("{% shell_static 'css/app.css' %}")
        with override_settings(STATIC_URL="/elsewhere/"):
            assert _render("{% shell_static 'css/app.css' %}") == _render("{% static 'css/app.css' %}")
            assert _render("{% shell_static 'css/app.css' %}") != before
        assert _render("{% shell_static 'css/app.css' %}") == before


# The header as base.html wrote it with template tags, the reference for shell_header_start/_end.
REFERENCE_HEADER = """{% load shell %}  <header class="site-header">
    <a class="brand" href="{% if user.is_authenticated %}{% shell_url 'today' %}{% else %}{% shell_url 'login' %}{% endif %}">BFS Tracker</a>
    {% if user.is_authenticated %}
    <nav aria-label="Main" class="nav-main">
      <ul class="nav">
        <li><a href="{% shell_url 'today' %}"{% if nav == 'today' %} aria-current="page"{% endif %}>Today</a></li>
        <li><a href="{% shell_url 'calendar' %}"{% if nav == 'calendar' %} aria-current="page"{% endif %}>Calendar</a></li>
        <li><a href="{% shell_url 'dashboard' %}"{% if nav == 'dashboard' %} aria-current="page"{% endif %}>Dashboard</a></li>
        <li><a href="{% shell_url 'alerts' %}"{% if nav == 'alerts' %} aria-current="page"{% endif %}>Alerts{% if open_alerts_count %} <span class="badge">{{ open_alerts_count }}<span class="visually-hidden"> unread</span></span>{% endif %}</a></li>
        <li><a href="{% shell_url 'timeline' %}"{% if nav == 'timeline' %} aria-current="page"{% endif %}>Timeline</a></li>
        {% block nav_extra %}{{ extra }}{% endblock %}
        <li><a href="{% shell_url 'report' %}"{% if nav == 'report' %} aria-current="page"{% endif %}>Report</a></li>
      </ul>
    </nav>
    <nav aria-label="Account" class="nav-account">
      <ul class="nav">
        <li><a href="{% shell_url 'settings' %}"{% if nav == 'settings' %} aria-current="page"{% endif %}>Settings</a></li>
        <li>
          <form method="post" action="{% shell_url 'logout' %}" class="inline-form" data-logout>{% csrf_token %}
            <button type="submit" class="link-button">Log out</button>
          </form>
        </li>
      </ul>
    </nav>
    {% endif %}
  </header>"""  # noqa: E501

PYTHON_HEADER = """{% load shell %}  <header class="site-header">
    {% shell_header_start %}{% if user.is_authenticated %}{% block nav_extra %}{{ extra }}{% endblock %}{% endif %}{% shell_header_end %}
  </header>"""  # noqa: E501


def test_the_header_written_in_python_is_the_templates_header(user):
    from django.contrib.auth.models import AnonymousUser

    base = Path(settings.BASE_DIR / "templates" / "base.html").read_text()
    assert PYTHON_HEADER.removeprefix("{% load shell %}").replace("{{ extra }}", "") in base
    calls = []

    def counted():
        calls.append(1)
        return 3

    cases = [{"user": AnonymousUser(), "nav": "today"}]
    for nav in (None, "today", "calendar", "dashboard", "alerts", "timeline", "report", "settings", "elsewhere"):
        for count in (0, 2, counted):
            for token in ("abc<&>", "NOTPROVIDED", None):
                cases.append({"user": user, "nav": nav, "open_alerts_count": count, "csrf_token": token})
    cases.append({"user": user, "nav": "dashboard", "extra": "<li>More</li>", "csrf_token": "t"})
    for debug in (False, True):
        with override_settings(DEBUG=debug):
            for case in cases:
                context = {k: v for k, v in case.items() if v is not None}
                python = Template(PYTHON_HEADER).render(Context(context))
                assert python == Template(REFERENCE_HEADER).render(Context(context)), case
    assert calls  # the unread count's callable was called, as a template calls it
