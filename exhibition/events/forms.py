"""The organiser's forms for a show: a new show, and its details, days, halls and sectors. They
parse and check what was typed; the services (exhibition.events.services) decide."""

from __future__ import annotations

import zoneinfo
from datetime import time

from django import forms
from django.utils.translation import gettext_lazy as _

from exhibition.core.countries import country_choices
from exhibition.core.errors import DomainError
from exhibition.core.widgets import DateInput, NumberInput, TimeInput

from .models import Event, Hall, Sector, ShowDay
from .services import MAX_SHOW_DAYS, check_currency, check_slug


def time_zone_choices() -> list[tuple[str, str]]:
    """The IANA zones by region ("Europe/Paris" reads "Europe / Paris"), the common ones only."""
    zones = sorted(
        z
        for z in zoneinfo.available_timezones()
        if "/" in z and not z.startswith(("Etc/", "SystemV/", "US/"))
    )
    return [(z, z.replace("/", " / ").replace("_", " ")) for z in zones]


class ShowDetailsForm(forms.ModelForm):
    """What every page of the show says about it."""

    country = forms.ChoiceField(label=_("Country"), choices=country_choices, required=False)
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        help_text=_("Every time of the show (opening hours, meetings, visits, badges) is in this zone."),
    )

    class Meta:
        model = Event
        fields = ["name", "venue", "city", "country", "time_zone", "currency", "is_public", "walking_speed"]
        labels = {
            "is_public": _("Public: the floor plan and the exhibitor directory are open to everyone"),
            "currency": _("Currency (three letters, e.g. EUR)"),
        }
        help_texts = {
            "is_public": "",
            "walking_speed": _("Used for walking times on the plan and in delegations' programmes."),
        }
        widgets = {
            "currency": forms.TextInput(attrs={"size": 4, "maxlength": 3, "autocapitalize": "characters"}),
            "walking_speed": NumberInput(attrs={"step": "any"}),
        }

    def clean_currency(self) -> str:
        return (self.cleaned_data.get("currency") or "").strip().upper()


class NewShowForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, widget=forms.TextInput(attrs={"autofocus": True}))
    slug = forms.SlugField(
        label=_("Short name"),
        max_length=60,
        help_text=_("Starts every address of the show, e.g. milipol-2027. It cannot be changed later."),
        error_messages={"invalid": _("Use lower-case letters, digits and hyphens only, e.g. milipol-2027.")},
    )
    venue = forms.CharField(label=_("Venue"), max_length=200)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    country = forms.ChoiceField(label=_("Country"), choices=country_choices, required=False)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices, initial="Europe/Paris")
    currency = forms.CharField(
        label=_("Currency (three letters, e.g. EUR)"),
        max_length=3,
        initial="EUR",
        widget=forms.TextInput(attrs={"size": 4, "autocapitalize": "characters"}),
    )
    first_day = forms.DateField(label=_("First day"), widget=DateInput)
    days = forms.IntegerField(label=_("Number of days"), min_value=1, max_value=MAX_SHOW_DAYS, initial=4)
    opens = forms.TimeField(label=_("Opens at"), initial=time(9, 30), widget=TimeInput)
    closes = forms.TimeField(label=_("Closes at"), initial=time(18, 0), widget=TimeInput)

    def clean_slug(self) -> str:
        # every mistake at once: the short name is checked with the other fields, not after them
        try:
            return check_slug(self.cleaned_data["slug"])
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None

    def clean_currency(self) -> str:
        try:
            return check_currency(self.cleaned_data["currency"])
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None

    def clean(self):
        data = super().clean()
        if data.get("opens") and data.get("closes") and data["closes"] <= data["opens"]:
            self.add_error("closes", _("The show must close after it opens."))
        return data


class ShowDayForm(forms.ModelForm):
    class Meta:
        model = ShowDay
        fields = ["date", "opens_at", "closes_at"]
        widgets = {"date": DateInput, "opens_at": TimeInput, "closes_at": TimeInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # the day itself stays: its bookings are on it
            self.fields["date"].disabled = True
            self.fields["date"].help_text = _("To move a day, add the new one, then remove this one.")

    def validate_unique(self) -> None:  # the service says "the show already has this day" on its field
        pass

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("The day must close after it opens."))
        return data


class HallForm(forms.ModelForm):
    class Meta:
        model = Hall
        fields = ["code", "name", "width", "depth", "origin_x", "origin_y"]
        help_texts = {
            "origin_x": _("Where the hall's top left corner lies on the site plan, in metres from the left."),
            "origin_y": _("In metres from the top."),
        }
        widgets = {
            "code": forms.TextInput(attrs={"size": 6, "autocapitalize": "characters"}),
            **{
                name: NumberInput(attrs={"step": "any"})
                for name in ("width", "depth", "origin_x", "origin_y")
            },
        }

    def validate_unique(self) -> None:  # the service checks the code among the show's halls
        pass


class SectorForm(forms.ModelForm):
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        required=False,
        help_text=_("Used in imports and the API; made from the English name when left empty."),
    )

    class Meta:
        model = Sector
        fields = ["name_en", "name_fr", "colour", "code"]
        widgets = {"colour": forms.TextInput(attrs={"type": "color"})}

    def validate_unique(self) -> None:  # the service checks the code among the show's sectors
        pass
