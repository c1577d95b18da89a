"""Forms of the booking pages: they parse input, the services act."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exhibition.accounts.models import Organisation
from exhibition.floorplans.models import Stand

from .models import BookingSettings, Payment


class StandNumberField(forms.CharField):
    """A stand of the form's event, typed by its number."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)
        self.event = None

    def clean(self, value):
        number = super().clean(value)
        if not number:
            return None
        stand = Stand.objects.filter(event=self.event, number__iexact=number.strip()).first()
        if stand is None:
            raise forms.ValidationError(
                _("There is no stand %(number)s at this show."), params={"number": number}
            )
        return stand


class EventForm(forms.Form):
    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        for f in self.fields.values():
            if isinstance(f, StandNumberField):
                f.event = event
        if "organisation" in self.fields:
            self.fields["organisation"].queryset = Organisation.objects.filter(
                event=event, kind=Organisation.Kind.COMPANY
            )


class AssignForm(EventForm):
    organisation = forms.ModelChoiceField(label=_("Company"), queryset=Organisation.objects.none())
    stand = StandNumberField(label=_("Stand number"))
    issue_invoice = forms.BooleanField(label=_("Issue the invoice now"), required=False, initial=True)


class MoveForm(EventForm):
    from_stand = StandNumberField(label=_("From stand"))
    to_stand = StandNumberField(label=_("To stand"))


class SwapForm(EventForm):
    stand_a = StandNumberField(label=_("Stand"))
    stand_b = StandNumberField(label=_("Swap with stand"))


class VacateForm(EventForm):
    stand = StandNumberField(label=_("Stand number"))


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount"), max_digits=12, decimal_places=2, min_value=0)
    received_on = forms.DateField(
        label=_("Received on"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    method = forms.ChoiceField(label=_("Method"), choices=Payment.Method.choices)
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False)


class BookingSettingsForm(forms.ModelForm):
    class Meta:
        model = BookingSettings
        fields = BookingSettings.ORGANISER_FIELDS
        widgets = {
            "organiser_address": forms.Textarea(attrs={"rows": 3}),
            "bank_details": forms.Textarea(attrs={"rows": 2}),
        }
