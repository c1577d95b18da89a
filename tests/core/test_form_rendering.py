"""Every form renders its fields through one template (templates/forms/field.html): labels and
legends read like the filter forms' ("Stand number", not "Stand number:"), in both languages,
and a field's help text and errors stay tied to it for screen readers."""

from __future__ import annotations

from django import forms
from django.template.loader import render_to_string
from django.utils import translation

from tests.support.html import squash


class _Form(forms.Form):
    number = forms.CharField(label="Stand number", help_text="As on the plan, e.g. 5A-D111")
    kind = forms.ChoiceField(
        label="Kind", choices=[("a", "Shell scheme"), ("b", "Space only")], widget=forms.RadioSelect
    )


def test_labels_have_no_colon_and_help_and_errors_stay_tied_to_their_field():
    for language in ("en", "fr"):
        with translation.override(language):
            html = squash(_Form({"number": "", "kind": "a"}).as_div())
        assert '<label for="id_number">Stand number</label>' in html  # no ":" (nor " :" in French)
        assert "<legend>Kind</legend>" in html
        assert 'aria-describedby="id_number_helptext id_number_error"' in html
        assert '<ul class="errorlist" id="id_number_error">' in html


class _Mixed(forms.Form):
    name = forms.CharField(label="Name")
    city = forms.CharField(label="City", required=False)
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    public = forms.BooleanField(label="Public", required=False)


class _AllNeeded(forms.Form):
    email = forms.EmailField(label="Email")
    public = forms.BooleanField(label="Public", required=False)  # a tick box is no empty field


def _render(form):
    return squash(render_to_string("includes/form.html", {"form": form}))


def test_required_fields_are_marked_before_any_error_where_the_form_has_optional_ones():
    html = _render(_Mixed())
    assert "Fields marked * are required." in html
    mark = squash('<span class="required-mark" aria-hidden="true"> *</span>')
    assert f'<label for="id_name">Name{mark}</label>' in html
    assert f"<legend>Kind{mark}</legend>" in html
    assert '<label for="id_city">City</label>' in html  # optional: no mark
    assert '<input type="text" name="name" required id="id_name">' in html  # screen readers hear it
    with translation.override("fr"):
        assert "Les champs marqués * sont obligatoires." in _render(_Mixed())
    # Every field needed: a mark on each would say nothing.
    plain = _render(_AllNeeded())
    assert "required-mark" not in plain and "Fields marked" not in plain


class _WithChoices(forms.Form):
    stand = forms.ChoiceField(label="Stand", choices=[("", "---------"), ("a", "5A-D111")], required=False)


def test_a_select_never_shows_djangos_dashes_but_asks_to_choose():
    assert '<option value="" selected>Choose…</option>' in _render(_WithChoices())
    with translation.override("fr"):
        assert '<option value="" selected>Choisissez…</option>' in _render(_WithChoices())
    assert "---------" not in _render(_WithChoices())
