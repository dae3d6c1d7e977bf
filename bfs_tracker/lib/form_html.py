"""The day form's fields written in Python, with the markup of the templates they replace.

Django renders a field as templates: templates/includes/field.html for label, help text and errors, a widget
template, and for choice widgets one more per option. The day form has about thirty fields and up to five twitch
rows, which came to about a thousand small templates per request, nearly all of the day page's server time
(docs/performance.md, issue 15). The form's own fields use `FieldGroup` (a BoundField that writes
includes/field.html in Python) and widgets with `PythonRender` (each writes its own template in Python).

The templates stay the reference: every other form still renders through them, and
tests/test_form_html.py renders every field of the day form both ways, blank, filled and refused, and requires the
same HTML. Change a template and its writer here together.
"""

import html
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe


def esc(value: Any) -> str:
    """`{{ value }}` (escaped unless already safe) for the strings and small numbers the form holds: what
    django.utils.html.conditional_escape does, without its lazy-string wrapper (it ran a thousand times a page)."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def attrs_html(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html: ` name="value"`, a True value as a bare name, a False one left out."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {esc(name)}")
        else:
            parts.append(f' {esc(name)}="{esc(str(value))}"')
    return "".join(parts)


def input_html(widget: dict[str, Any]) -> str:
    """django/forms/widgets/input.html for a widget (or option) context."""
    value = "" if widget["value"] is None else f' value="{esc(str(widget["value"]))}"'
    return f'<input type="{esc(widget["type"])}" name="{esc(widget["name"])}"{value}{attrs_html(widget["attrs"])}>'


class PythonRender:
    """For a widget class: render() writes the HTML in Python (`html(context)`) instead of through its template.
    get_context() is Django's own, so attributes (id, aria-invalid, aria-describedby, required) come out the same."""

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer=None) -> SafeString:
        context = self.get_context(name, value, attrs)  # type: ignore[attr-defined]
        return mark_safe(self.html(context["widget"]))  # noqa: S308  # nosec B308 B703: every value escaped

    def html(self, widget: dict[str, Any]) -> str:
        raise NotImplementedError


class TextInput(PythonRender, forms.TextInput):
    def html(self, widget: dict[str, Any]) -> str:
        return input_html(widget)


class NumberInput(PythonRender, forms.NumberInput):
    def html(self, widget: dict[str, Any]) -> str:
        return input_html(widget)


class CheckboxInput(PythonRender, forms.CheckboxInput):
    def html(self, widget: dict[str, Any]) -> str:
        return input_html(widget)


class Textarea(PythonRender, forms.Textarea):
    def html(self, widget: dict[str, Any]) -> str:
        value = esc(widget["value"]) if widget["value"] else ""
        return f'<textarea name="{esc(widget["name"])}"{attrs_html(widget["attrs"])}>\n{value}</textarea>'


class Select(PythonRender, forms.Select):
    def render(self, name: str, value: Any, attrs: dict | None = None, renderer=None) -> SafeString:
        """A single choice among flat choices (the muscle group, thirty-odd options in every twitch row) is written
        straight from the choices, without a dictionary per option (ChoiceWidget.optgroups); anything else as
        html() below."""
        if self.allow_multiple_selected or any(isinstance(label, list | tuple) for _, label in self.choices):
            return super().render(name, value, attrs, renderer)
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        chosen = widget["value"]
        parts = [f'<select name="{esc(name)}"{attrs_html(widget["attrs"])}>']
        choices = tuple(self.choices)
        # Plain-text labels (not lazy translations, which must be read in the language of each request): each
        # option written and escaped once per process, as a pair (not selected, selected).
        options = (
            _options(choices) if all(type(label) is str for _, label in choices) else _options.__wrapped__(choices)
        )
        found = False
        for text, plain, selected_html in options:
            selected = not found and text in chosen
            found |= selected
            parts.append(selected_html if selected else plain)
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703: every value escaped

    def html(self, widget: dict[str, Any]) -> str:
        parts = [f'<select name="{esc(widget["name"])}"{attrs_html(widget["attrs"])}>']
        for group_name, options, _ in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{esc(group_name)}">')
            for option in options:
                parts.append(
                    f'\n  <option value="{esc(str(option["value"]))}"{attrs_html(option["attrs"])}>'
                    f"{esc(option['label'])}</option>\n"  # the option template's own last newline
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return "".join(parts)


@lru_cache(maxsize=64)
def _options(choices: tuple) -> tuple[tuple[str, str, str], ...]:
    """Each flat choice as (value as text, its option not selected, selected), escaped, for Select.render."""
    options = []
    for option_value, label in choices:
        text = "" if option_value is None else str(option_value)
        start, end = f'\n  <option value="{esc(text)}"', f">{esc(label)}</option>\n"
        options.append((text, start + end, start + " selected" + end))
    return tuple(options)


def errors_html(field: forms.BoundField) -> str:
    """`{{ field.errors }}` (django/forms/errors/list/ul.html): nothing when there are none, without a template."""
    errors = field.errors
    return str(errors) if errors else ""


# Values whose field HTML may be remembered: plain scalars (their type and text are the key's, so 7.5 and 7.50, or
# 1 and True, never share an entry).
_PLAIN_VALUES = (type(None), str, int, bool, float, Decimal)
HTML_CACHE_SIZE = 2048  # entries per field at most; a full cache starts again (a handful of values per field in use)
HTML_CACHE_TEXT = 40  # longer values are not remembered


def share_html(field: forms.Field) -> forms.Field:
    """Mark a field object shared by many forms (built once per process) so that FieldGroup remembers its HTML on
    forms that are not bound: for such a field the HTML is a function of its name, id and value alone."""
    field.html_cache = {}  # type: ignore[attr-defined]
    return field


class FieldGroup(forms.BoundField):
    """A bound field whose as_field_group() writes templates/includes/field.html in Python; for a field marked with
    share_html, on a form not bound to data (a page shown, not a refused save: no errors, the value is the initial
    one), the HTML written for the same name, id and value is remembered per process and reused."""

    def as_field_group(self, hide_label: bool = False) -> SafeString:
        cache = getattr(self.field, "html_cache", None)
        if cache is None or self.form.is_bound:
            return mark_safe(field_group_html(self, hide_label=hide_label))  # noqa: S308  # nosec B308 B703: escaped
        value = self.value()
        if not isinstance(value, _PLAIN_VALUES):
            return mark_safe(field_group_html(self, hide_label=hide_label))  # noqa: S308  # nosec B308 B703: escaped
        text = str(value)
        if len(text) > HTML_CACHE_TEXT:  # free text (a place, notes) is rarely shown twice: written each time
            return mark_safe(field_group_html(self, hide_label=hide_label))  # noqa: S308  # nosec B308 B703: escaped
        key = (self.html_name, self.auto_id, hide_label, type(value), text)
        written = cache.get(key)
        if written is None:
            written = field_group_html(self, hide_label=hide_label)
            if len(cache) >= HTML_CACHE_SIZE:
                cache.clear()
            cache[key] = written
        return mark_safe(written)  # noqa: S308  # nosec B308 B703: escaped when written


def field_group_html(field: forms.BoundField, *, hide_label: bool = False) -> str:
    """templates/includes/field.html for one bound field (see that template for the why of each part)."""
    if field.is_hidden:
        return str(field)
    errors = errors_html(field)
    error_class = " field-error" if errors else ""
    help_text = field.help_text
    help_html = (
        f'<div class="helptext" id="{esc(field.auto_id)}_helptext">{help_text}</div>' if help_text else ""
    )  # help text is the developers' own HTML, as the template's |safe
    label = esc(field.label)
    if field.use_fieldset:
        described = ""
        if help_text or errors:
            ids = [f"{field.auto_id}_helptext"] if help_text else []
            ids += [f"{field.auto_id}_error"] if errors else []
            described = f' aria-describedby="{esc(" ".join(ids))}"'
        legend_class = ' class="visually-hidden"' if hide_label else ""
        return (
            f'<fieldset class="field{error_class}"{described}>\n'
            f"  <legend{legend_class}>{label}</legend>\n"
            f"  {help_html}\n  {errors}\n  {field}\n</fieldset>"
        )
    if field.widget_type == "checkbox":
        span_class = ' class="visually-hidden"' if hide_label else ""
        return (
            f'<div class="field check{error_class}">\n'
            f'  <label for="{esc(field.id_for_label)}">{field} <span{span_class}>{label}</span></label>\n'
            f"  {help_html}\n  {errors}\n</div>"
        )
    label_class = ' class="visually-hidden"' if hide_label else ""
    return (
        f'<div class="field{error_class}">\n'
        f'  <label for="{esc(field.id_for_label)}"{label_class}>{label}</label>\n'
        f"  {field}\n  {help_html}\n  {errors}\n</div>"
    )
