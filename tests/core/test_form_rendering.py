"""Every form renders its fields through one template (templates/forms/field.html): labels and
legends read like the filter forms' ("Stand number", not "Stand number:"), in both languages,
and a field's help text and errors stay tied to it for screen readers."""

from __future__ import annotations

from django import forms
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
