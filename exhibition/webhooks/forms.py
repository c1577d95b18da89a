from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from exhibition.core.webhooks import EVENT_TYPES


def type_choices():
    return [
        (group["label"], [(name, f"{label} ({name})") for name, label in group["types"].items()])
        for key, group in EVENT_TYPES.items()
        if key != "webhook"
    ]


class EndpointForm(forms.Form):
    url = forms.CharField(
        label=_("Address (URL)"),
        max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "off"}),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    event_types = forms.MultipleChoiceField(
        label=_("Events to send"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every event."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event_types"].choices = type_choices()


class EndpointEditForm(EndpointForm):
    is_active = forms.BooleanField(label=_("Active"), required=False)
