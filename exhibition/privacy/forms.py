from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from exhibition.core.privacy import CATEGORIES

from .services import MAX_DAYS, floor_days


class RetentionForm(forms.Form):
    """One "days after the show" field per registered category."""

    def __init__(self, *args, rules=(), **kwargs):
        super().__init__(*args, **kwargs)
        for rule in rules:
            category = rule["category"]
            self.fields[category.key] = forms.IntegerField(
                label=category.label,
                min_value=floor_days(),
                max_value=MAX_DAYS,
                initial=rule["keep_days"],
                help_text=category.help_text,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )

    def rows(self):
        return [(self[key], CATEGORIES[key]) for key in self.fields]


class ErasureForm(forms.Form):
    confirm_email = forms.CharField(
        label=_("Type your e-mail address to confirm"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
