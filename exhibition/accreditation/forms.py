from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from exhibition.accounts.models import Organisation
from exhibition.core import widgets
from exhibition.core.countries import country_choices
from exhibition.meetings.models import Place

from .models import AccessDay, AccessRule, BadgeCategory, Gate, PrintJob, Zone


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("Photo"), help_text=_("A recent passport-style photo, JPEG or PNG."))


class StaffBadgeForm(forms.Form):
    name = forms.CharField(label=_("Name on the badge"), max_length=150)
    role = forms.CharField(label=_("Role"), max_length=100, required=False)
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("To send them their badge; a colleague's account address links it to them."),
    )


class ManualBadgeForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=BadgeCategory.objects.none())
    name = forms.CharField(label=_("Name on the badge"), max_length=150)
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    job_title = forms.CharField(label=_("Job title"), max_length=150, required=False)
    country = forms.ChoiceField(label=_("Country"), choices=country_choices, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("For the company"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("A contractor working for an exhibitor."),
    )
    photo = forms.FileField(label=_("Photo"), required=False)

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = BadgeCategory.objects.filter(event=event)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            event=event, kind=Organisation.Kind.COMPANY, admitted_at__isnull=False
        ).order_by("name")


class CategoryForm(forms.ModelForm):
    class Meta:
        model = BadgeCategory
        fields = [
            "name_en",
            "name_fr",
            "colour",
            "requires_photo",
            "hours",
            "allows_reentry",
            "self_print",
            "zones",
            "days",
        ]
        widgets = {
            "colour": forms.TextInput(attrs={"type": "color"}),
            "zones": forms.CheckboxSelectMultiple,
            "days": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        event = self.instance.event
        self.fields["zones"].queryset = Zone.objects.filter(event=event)
        self.fields["days"].queryset = AccessDay.objects.filter(event=event)


class DayForm(forms.ModelForm):
    class Meta:
        model = AccessDay
        fields = ["date", "kind", "opens_at", "closes_at"]
        widgets = {
            "date": widgets.DateInput(),
            "opens_at": widgets.TimeInput(),
            "closes_at": widgets.TimeInput(),
        }


class ZoneForm(forms.ModelForm):
    class Meta:
        model = Zone
        fields = ["code", "name_en", "name_fr", "kind", "tracks_presence"]


class GateForm(forms.ModelForm):
    class Meta:
        model = Gate
        fields = ["name", "zone", "place"]

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = Zone.objects.filter(event=event)
        self.fields["place"].queryset = Place.objects.filter(event=event).exclude(kind=Place.Kind.STAND)


class RuleForm(forms.ModelForm):
    class Meta:
        model = AccessRule
        fields = ["category", "zone", "day", "starts_at", "ends_at"]
        widgets = {
            "starts_at": widgets.TimeInput(),
            "ends_at": widgets.TimeInput(),
        }

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = BadgeCategory.objects.filter(event=event)
        self.fields["zone"].queryset = Zone.objects.filter(event=event)
        self.fields["day"].queryset = AccessDay.objects.filter(event=event)


class DeviceForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("Where it is used, e.g. “Hall 5A north, lane 2”.")
    )
    gate = forms.ModelChoiceField(label=_("Gate"), queryset=Gate.objects.none(), required=False)

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gate"].queryset = Gate.objects.filter(event=event).select_related("zone")


class PrintForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=PrintJob.Format.choices)
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=BadgeCategory.objects.none(),
        required=False,
        empty_label=_("All categories"),
    )
    organisation = forms.ModelChoiceField(
        label=_("Company or delegation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All"),
    )
    new_only = forms.BooleanField(label=_("Only badges never printed"), required=False)

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = BadgeCategory.objects.filter(event=event)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            event=event, admitted_at__isnull=False
        ).order_by("kind", "name")


class LeadForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "—"), *[(i, "★" * i) for i in range(1, 6)]],
    )
