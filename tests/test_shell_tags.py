"""The app shell's tags (pwa/templatetags/shell.py) give exactly what {% url %} and {% static %} give, whether kept
(DEBUG off) or worked out each time (DEBUG on)."""

import pytest
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
