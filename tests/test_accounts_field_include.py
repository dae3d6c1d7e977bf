"""templates/includes/field.html and FocusFirstErrorMixin, which every app's forms use."""

import re

from django import forms
from django.template.loader import render_to_string

from bfs_tracker.lib.forms import FocusFirstErrorMixin


class SampleForm(FocusFirstErrorMixin, forms.Form):
    name = forms.CharField(help_text="What to call it.", widget=forms.TextInput(attrs={"autofocus": True}))
    amount = forms.IntegerField(min_value=0)
    daily = forms.BooleanField(required=False, help_text="Tick if every day.")
    sides = forms.MultipleChoiceField(
        choices=[("left", "Left"), ("right", "Right")], widget=forms.CheckboxSelectMultiple, help_text="Pick any."
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)


def render(form: forms.Form, name: str, **extra) -> str:
    return render_to_string("includes/field.html", {"field": form[name], **extra})


def test_a_valid_field_has_a_label_help_text_and_no_error():
    html = render(SampleForm(), "name")
    assert '<label for="id_name">Name</label>' in html
    assert '<div class="helptext" id="id_name_helptext">What to call it.</div>' in html
    assert 'aria-describedby="id_name_helptext"' in html
    assert "aria-invalid" not in html
    assert "errorlist" not in html


def test_a_field_with_an_error_points_to_its_message():
    form = SampleForm(data={"name": "", "amount": "-1", "sides": ["left"]})
    assert not form.is_valid()
    html = render(form, "amount")
    assert 'class="field field-error"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_amount_error"' in html
    assert re.search(r'<ul class="errorlist" id="id_amount_error"><li>Ensure this value is greater than', html)


def test_a_checkbox_is_labelled_beside_the_box():
    html = render(SampleForm(), "daily")
    assert re.search(r'<label for="id_daily"><input type="checkbox"[^>]*id="id_daily"[^>]*> <span>Daily</span>', html)
    assert 'id="id_daily_helptext"' in html


def test_a_group_of_choices_is_a_fieldset_described_by_its_help_and_error():
    form = SampleForm(data={"name": "x", "amount": "1"})
    form.is_valid()
    html = render(form, "sides")
    assert html.lstrip().startswith(
        '<fieldset class="field field-error" aria-describedby="id_sides_helptext id_sides_error"'
    )
    assert "<legend>Sides</legend>" in html


def test_a_label_can_be_kept_for_screen_readers_only():
    assert '<label for="id_name" class="visually-hidden">' in render(SampleForm(), "name", hide_label=True)


def test_a_hidden_field_is_only_the_input():
    assert render(SampleForm(), "token").strip() == '<input type="hidden" name="token" id="id_token">'


def test_the_first_field_with_an_error_gets_the_focus():
    form = SampleForm(data={"name": "ok", "amount": "lots"})
    assert not form.is_valid()
    assert "autofocus" not in form.fields["name"].widget.attrs
    assert form.fields["amount"].widget.attrs["autofocus"] is True
    # Another instance of the form is not affected.
    assert SampleForm().fields["name"].widget.attrs["autofocus"] is True
