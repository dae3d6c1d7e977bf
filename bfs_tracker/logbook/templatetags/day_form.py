"""The day form's twitch rows and its formset's management form, written in Python with the markup of
templates/logbook/_twitch_row.html and Django's form template, as lib/form_html.py writes the fields: the day page
has five rows (four and the blank one JavaScript copies), and an include per row plus four hidden inputs each
through a template were about a quarter of the page's time. tests/test_form_html.py renders the day page both ways
(these writers, and the templates) and requires the same bytes. Change the template and its writer together."""

from django import forms, template
from django.utils.safestring import SafeString, mark_safe

from bfs_tracker.lib.form_html import errors_html, esc, input_html

register = template.Library()


@register.simple_tag
def twitch_row(row: forms.Form) -> SafeString:
    """{% twitch_row row %}: {% include "logbook/_twitch_row.html" %} for one row of the twitch formset."""
    return row_html(row)


@register.simple_tag
def management_form(formset: forms.BaseFormSet) -> SafeString:
    """{% management_form formset %}: {{ formset.management_form }}, its hidden inputs written in Python. A form
    with errors (a tampered POST) goes through Django's template, which lists them."""
    return management_html(formset.management_form)


@register.simple_tag
def field_groups(fields) -> SafeString:
    """{% field_groups fields %}: `{% for field in fields %}{{ field.as_field_group }}{% endfor %}` without the
    template loop (the day page has four such lists)."""
    return mark_safe("".join(field.as_field_group() for field in fields))  # noqa: S308  # nosec B308 B703: written escaped


@register.simple_tag
def field_labels(fields) -> str:
    """{% field_labels fields %}: the fields' labels in lower case joined by commas, as
    `{% for field in fields %}{{ field.label|lower }}{% if not forloop.last %}, {% endif %}{% endfor %}`."""
    return mark_safe(", ".join(esc(str(field.label).lower()) for field in fields))  # noqa: S308  # nosec B308 B703: escaped


@register.simple_tag
def factor_field_groups(fields, drinks) -> SafeString:
    """{% factor_field_groups factor_fields caffeine_drinks %}: the day's factors, the caffeine field followed by
    its drink buttons, with the markup and white space of the template loop it replaces (logbook/day.html)."""
    parts = []
    for field in fields:
        chips = ""
        if field.name == "caffeine_mg":
            id_ = esc(field.id_for_label)
            buttons = "".join(
                f'<button type="button" class="chip" data-caffeine-add="{esc(mg)}" aria-controls="{id_}">'
                f'{esc(drink)} +{esc(mg)}<span class="visually-hidden"> mg</span></button>'
                for drink, mg in drinks
            )
            chips = (
                '<div class="chips caffeine-chips" data-caffeine-buttons hidden>\n'
                f"      {buttons}\n"
                f'      <button type="button" class="chip" data-caffeine-clear aria-controls="{id_}">None</button>\n'
                "    </div>"
            )
        parts.append(f"{field.as_field_group()}\n    {chips}\n    ")
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703: every value escaped


# Rows of a form shown (not bound to data: no errors, the values are the initial ones), written once per process for
# each prefix and values: their fields are shared by every row (logbook.forms.SharedFields), so nothing else enters.
_ROWS: dict[tuple, SafeString] = {}
ROWS_REMEMBERED = 4096
_ROW_FIELDS = ("muscle_group", "side", "intensity")
_PLAIN = (type(None), str, int)


def row_html(row: forms.Form) -> SafeString:
    """A twitch row (logbook/_twitch_row.html), remembered for a row not bound to data with plain values."""
    if row.is_bound:
        return _row_html(row)
    values = [row[name].value() for name in _ROW_FIELDS]
    if not all(isinstance(value, _PLAIN) for value in values):
        return _row_html(row)
    key = (type(row), row.prefix, row.auto_id, row.use_required_attribute, *((type(v), str(v)) for v in values))
    written = _ROWS.get(key)
    if written is None:
        written = _row_html(row)
        if len(_ROWS) >= ROWS_REMEMBERED:
            _ROWS.clear()
        _ROWS[key] = written
    return written


def _row_html(row: forms.Form) -> SafeString:
    intensity = row["intensity"]
    value = intensity.value()
    label_id = esc(intensity.id_for_label)
    non_field = "".join(f'<p class="errorlist">{esc(error)}</p>' for error in row.non_field_errors())
    return mark_safe(  # noqa: S308  # nosec B308 B703: every value escaped, the fields written by form_html
        "\n\n"  # the template's two comment lines
        f'<div class="twitch-row{" twitch-row-error" if row.errors else ""}" data-twitch-row>\n'
        f"  {non_field}\n"
        '  <div class="twitch-head">\n'
        f"    {row['muscle_group'].as_field_group()}\n"
        '    <button type="button" class="secondary remove-button" data-twitch-remove hidden>Remove'
        '<span class="visually-hidden"> this row</span></button>\n'
        "  </div>\n"
        '  <div class="twitch-detail" data-twitch-detail>\n'
        f"    {row['side'].as_field_group()}\n"
        f'    <div class="field intensity{" field-error" if intensity.errors else ""}">\n'
        f'      <label for="{label_id}">Intensity: <output for="{label_id}" data-intensity-output>'
        f"{'' if value is None else esc(value)}</output> of 10</label>\n"
        f'      <p class="helptext" id="{esc(intensity.auto_id)}_helptext">{esc(intensity.help_text)}</p>\n'
        f"      {errors_html(intensity)}\n"
        f"      {intensity}\n"
        "    </div>\n"
        "  </div>\n"
        "</div>\n"
    )


def management_html(form: forms.Form) -> SafeString:
    if form.is_bound and form.errors:
        return mark_safe(str(form))  # noqa: S308  # nosec B308 B703: Django's own rendering
    parts = []
    for field in form:
        widget = field.field.widget
        attrs = field.build_widget_attrs({}, widget)  # as BoundField.as_widget() does
        if field.auto_id and "id" not in widget.attrs:
            attrs.setdefault("id", field.auto_id)
        context = widget.get_context(field.html_name, field.value(), attrs)
        parts.append(input_html(context["widget"]))
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703: every value escaped by input_html
