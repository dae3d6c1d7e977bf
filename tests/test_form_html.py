"""The day form written in Python (bfs_tracker/lib/form_html.py, the widgets in logbook/forms.py, the twitch rows
and the management form in logbook/templatetags/day_form.py, the body map kept per process) gives the very HTML its
templates give: the day page is rendered both ways, for a day not logged yet, a logged day with twitches, things
tried (one archived), weakness and notes, and a refused save, and must match byte for byte. The browser tests and
axe checks were written against the template markup."""

import datetime as dt
import re

import pytest
import time_machine
from django import forms
from django.template.loader import render_to_string
from django.urls import reverse

from bfs_tracker.days.services import day_save
from bfs_tracker.lib import form_html
from bfs_tracker.lib.form_html import FieldGroup, PythonRender, attrs_html, esc
from bfs_tracker.logbook.forms import DailyLogForm
from bfs_tracker.logbook.models import ReliefMethod
from bfs_tracker.logbook.services import Twitch
from bfs_tracker.logbook.templatetags import day_form
from bfs_tracker.pwa.templatetags import body_map
from tests.logbook_helpers import day_data

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 25)


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def _template_render(self, name, value, attrs=None, renderer=None):
    return forms.Widget.render(self, name, value, attrs, renderer)


def _template_field_group(self, hide_label=False):
    return forms.BoundField.as_field_group(self)


def _template_row(row):
    return render_to_string("logbook/_twitch_row.html", {"row": row})


def _page(client, method: str, url: str, data=None) -> str:
    response = client.post(url, data) if method == "POST" else client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value=""', html)


def _both_ways(client, monkeypatch, method: str, url: str, data=None) -> tuple[str, str]:
    python = _page(client, method, url, data)
    with monkeypatch.context() as patch:
        patch.setattr(PythonRender, "render", _template_render)
        patch.setattr(form_html.Select, "render", _template_render)  # its own fast path for flat choices
        patch.setattr(FieldGroup, "as_field_group", _template_field_group)
        patch.setattr(body_map, "_input_map", body_map._input_map.__wrapped__)
        patch.setattr(day_form, "row_html", _template_row)
        patch.setattr(day_form, "management_html", lambda form: str(form))
        templates = _page(client, method, url, data)
    return python, templates


def _logged_day(user) -> None:
    magnesium = ReliefMethod.objects.get(user=user, name="Magnesium")
    old = ReliefMethod.objects.create(user=user, name='Old "cream" <b>', archived=False)
    day_save(
        user=user,
        date=TODAY - dt.timedelta(days=1),
        fields={
            "stress": 7,
            "sleep_hours": 6.5,
            "caffeine_mg": 190,
            "weakness": True,
            "weakness_location": 'left <hand> & "grip"',
            "notes": "Long day <script>x</script> & more",
        },
        twitches=[Twitch("calf", "left", 6), Twitch("eyelid", "both", 3)],
        reliefs=[magnesium, old],
    )
    old.archived = True
    old.save()


@pytest.mark.parametrize("days_ago", [0, 1])
def test_the_day_form_is_the_same_html_as_its_templates_give(owner_client, user, monkeypatch, days_ago):
    _logged_day(user)
    url = reverse("day", kwargs={"day": TODAY - dt.timedelta(days=days_ago)})
    python, templates = _both_ways(owner_client, monkeypatch, "GET", url)
    for mark in ("data-twitch-row", 'class="segments"', 'class="check-list"', 'class="chip-choices"'):
        assert mark in python
    assert python == templates


def test_a_refused_day_is_the_same_html_as_its_templates_give(owner_client, user, monkeypatch):
    _logged_day(user)
    data = day_data(
        [("calf", "", "55"), ("nowhere", "both", "3")],
        stress="44",
        sleep_hours="abc",
        caffeine_mg="-5",
        weakness="on",
        notes="x" * 5000,
        reliefs=["999999"],
    )
    python, templates = _both_ways(owner_client, monkeypatch, "POST", reverse("day", kwargs={"day": TODAY}), data)
    assert "Nothing was saved" in python
    assert 'aria-invalid="true"' in python
    assert python == templates


def test_values_are_escaped_as_a_template_escapes_them():
    assert esc("a <b> & \"c\" 'd'") == "a &lt;b&gt; &amp; &quot;c&quot; &#x27;d&#x27;"
    assert esc(form_html.mark_safe("<b>kept</b>")) == "<b>kept</b>"
    assert attrs_html({"id": 'x"y', "required": True, "hidden": False, "min": 0}) == ' id="x&quot;y" required min="0"'


def test_every_field_of_the_day_form_is_written_in_python():
    """A field added to the form with a stock Django widget would fall back to templates (correct, but the cost
    this module removes would creep back): every widget of the day form renders in Python."""
    form = DailyLogForm()
    for name, field in form.fields.items():
        assert isinstance(field.widget, PythonRender), name
        assert isinstance(form[name], FieldGroup), name


def test_remembered_field_html_is_the_html_written_afresh():
    """The table's and the twitch rows' fields are built once per process, and their HTML on a page shown (a form
    not bound to data) is remembered by name, id and value: every field, for several values of every type (7.5 and
    7.50, 1 and True apart), read twice, is what field_group_html writes for it anew; a bound form is written
    each time (its errors and the posted text belong to that request alone)."""
    from decimal import Decimal

    from bfs_tracker.logbook.forms import TwitchFormSet

    values = [
        {},
        {"stress": 7, "sleep_hours": Decimal("6.5"), "caffeine_mg": 190, "weakness": True, "exertion": "hard"},
        {"stress": 0, "sleep_hours": Decimal("6.50"), "caffeine_mg": 1, "weakness": False, "nicotine": True},
        {"weakness_location": 'left <hand> & "grip"', "notes": "x" * 100, "alcohol_units": Decimal("1.5")},
    ]
    for _ in range(2):
        for initial in values:
            form = DailyLogForm(initial=initial)
            for name in form.fields:
                for hide in (False, True):
                    written = form_html.field_group_html(form[name], hide_label=hide)
                    assert str(form[name].as_field_group(hide_label=hide)) == written, (name, initial)
            rows = TwitchFormSet(initial=[{"muscle_group": "calf", "side": "left", "intensity": 6}], prefix="twitches")
            for row in [*rows, rows.empty_form]:
                assert day_form.row_html(row) == _template_row(row) == day_form._row_html(row)
    assert form.fields["stress"].html_cache, "remembered"
    refused = DailyLogForm({"stress": "44"})
    assert not refused.is_valid()
    assert 'aria-invalid="true"' in str(refused["stress"].as_field_group())
    assert str(refused["stress"].as_field_group()) == form_html.field_group_html(refused["stress"])


# The loops of logbook/day.html that the day_form tags replaced, as they were.
_LOOPS = """    {% for field in factor_fields %}{{ field.as_field_group }}
    {% if field.name == "caffeine_mg" %}<div class="chips caffeine-chips" data-caffeine-buttons hidden>
      {% for drink, mg in caffeine_drinks %}<button type="button" class="chip" data-caffeine-add="{{ mg }}" aria-controls="{{ field.id_for_label }}">{{ drink }} +{{ mg }}<span class="visually-hidden"> mg</span></button>{% endfor %}
      <button type="button" class="chip" data-caffeine-clear aria-controls="{{ field.id_for_label }}">None</button>
    </div>{% endif %}
    {% endfor %}
({% for field in folded_fields %}{{ field.label|lower }}{% if not forloop.last %}, {% endif %}{% endfor %})
{% for field in folded_fields %}{{ field.as_field_group }}{% endfor %}
({% for field in symptom_fields %}{{ field.label|lower }}{% if not forloop.last %}, {% endif %}{% endfor %})
{% for field in symptom_fields %}{{ field.as_field_group }}{% endfor %}"""  # noqa: E501
_TAGS = """{% load day_form %}    {% factor_field_groups factor_fields caffeine_drinks %}
({% field_labels folded_fields %})
{% field_groups folded_fields %}
({% field_labels symptom_fields %})
{% field_groups symptom_fields %}"""


@pytest.mark.parametrize("data", [None, {"caffeine_mg": "-5", "stress": "44", "pain": "3", "sleep_hours": "6.5"}])
def test_the_field_list_tags_write_what_the_template_loops_wrote(data):
    from django.template import Context, Template

    from bfs_tracker.logbook.factors import Role
    from bfs_tracker.logbook.taxonomy import CAFFEINE_DRINKS

    form = DailyLogForm(data, initial={"caffeine_mg": 190, "stress": 7})
    if data is not None:
        assert not form.is_valid()
    context = {
        "factor_fields": form.fields_of(Role.FACTOR, folded=False),
        "folded_fields": form.fields_of(Role.FACTOR, folded=True),
        "symptom_fields": form.fields_of(Role.SYMPTOM),
        "caffeine_drinks": CAFFEINE_DRINKS,
    }
    written = Template(_TAGS).render(Context(context))
    assert "data-caffeine-add" in written
    assert written == Template(_LOOPS).render(Context(context))
