"""Forms parse input; the services decide. One form per step of the application."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from exhibition.core import csvio, widgets
from exhibition.core.countries import country_choices
from exhibition.events.models import Hall, Sector
from exhibition.floorplans.models import Pavilion

from .models import Application, ApplicationDocument, ExhibitorSettings
from .services.applications import TRANSITIONS

STEPS = [
    ("company", _("Company")),
    ("contacts", _("Contacts")),
    ("sectors", _("Sectors and products")),
    ("stand", _("Stand request")),
    ("co-exhibitors", _("Co-exhibitors")),
    ("documents", _("Documents")),
    ("submit", _("Terms and submission")),
]
STEP_NAMES = [s for s, _label in STEPS]


class CompanyForm(forms.Form):
    legal_name = forms.CharField(label=_("Legal name"), max_length=200)
    trading_name = forms.CharField(
        label=_("Trading name"),
        max_length=200,
        required=False,
        help_text=_("The name shown in the directory, if it differs."),
    )
    country = forms.ChoiceField(label=_("Country of registration"), choices=country_choices)
    address = forms.CharField(label=_("Address"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    registration_number = forms.CharField(
        label=_("Company registration number"), max_length=60, required=False
    )
    vat_number = forms.CharField(label=_("VAT number"), max_length=40, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")


def _lines(text: str) -> list[list[str]]:
    return [[p.strip() for p in line.split(";")] for line in (text or "").splitlines() if line.strip()]


class ContactsForm(forms.Form):
    contacts = forms.CharField(
        label=_("Contacts"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("One per line: name; e-mail; phone; role"),
    )

    @staticmethod
    def initial_for(application: Application) -> dict:
        return {
            "contacts": "\n".join(
                "; ".join(
                    [c.get("name", ""), c.get("email", ""), c.get("phone", ""), c.get("role", "")]
                ).rstrip("; ")
                for c in application.contacts
            )
        }

    def clean_contacts(self):
        out, errors = [], []
        for number, parts in enumerate(_lines(self.cleaned_data["contacts"]), start=1):
            if len(parts) == 1 and "," in parts[0]:
                parts = [p.strip() for p in parts[0].split(",")]  # "Name, e-mail, …" typed with commas
            parts += [""] * (4 - len(parts))
            name, email, phone, role = parts[:4]
            if "@" in name and not email:
                name, email = "", name
            if not name:
                errors.append(_("Line %(n)s: give the contact's name first.") % {"n": number})
                continue
            if email:
                try:
                    validate_email(email)
                except ValidationError:
                    errors.append(
                        _("Line %(n)s: “%(email)s” is not an e-mail address.") % {"n": number, "email": email}
                    )
                    continue
            out.append({"name": name, "email": email, "phone": phone, "role": role})
        if errors:
            raise ValidationError(errors)
        return out


class SectorsForm(forms.Form):
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    products = forms.CharField(
        label=_("Products and services"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    exhibits = forms.CharField(
        label=_("What you will show at the stand"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sectors"].queryset = Sector.objects.filter(event=event)


class StandForm(forms.Form):
    stand_kind = forms.ChoiceField(label=_("Stand type"), choices=Application.StandKind.choices)
    stand_area = forms.IntegerField(label=_("Area wanted (m²)"), min_value=6, max_value=2000)
    preferred_halls = forms.ModelMultipleChoiceField(
        label=_("Preferred halls"),
        queryset=Hall.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    pavilion = forms.ModelChoiceField(
        label=_("Pavilion"),
        queryset=Pavilion.objects.none(),
        required=False,
        help_text=_("If you exhibit within a national pavilion."),
    )
    open_sides = forms.TypedChoiceField(
        label=_("Open sides wanted"),
        coerce=int,
        choices=[(1, _("1 (inline)")), (2, _("2 (corner)")), (3, _("3 (peninsula)")), (4, _("4 (island)"))],
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_halls"].queryset = Hall.objects.filter(event=event)
        self.fields["pavilion"].queryset = Pavilion.objects.filter(event=event)


class CoExhibitorsForm(forms.Form):
    co_exhibitors = forms.CharField(
        label=_("Co-exhibitors"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_(
            "Companies sharing your stand, one per line: name; country (for example: Partner GmbH; Germany)"
        ),
    )

    @staticmethod
    def initial_for(application: Application) -> dict:
        return {
            "co_exhibitors": "\n".join(
                f"{c['name']}; {c.get('country', '')}".rstrip("; ") for c in application.co_exhibitors
            )
        }

    def clean_co_exhibitors(self):
        return [
            {"name": parts[0], "country": parts[1] if len(parts) > 1 else ""}
            for parts in _lines(self.cleaned_data["co_exhibitors"])
        ]


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=ApplicationDocument.Kind.choices)
    file = forms.FileField(
        label=_("PDF file"), widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"})
    )


class SubmitForm(forms.Form):
    accept_terms = forms.BooleanField(
        label=_("I accept the terms and conditions of the event"), required=False
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReviewForm(forms.Form):
    ACTIONS = [
        ("review", _("Take under review")),
        ("approve", _("Approve")),
        ("waitlist", _("Waitlist")),
        ("reject", _("Reject")),
    ]
    action = forms.ChoiceField(label=_("Decision"), choices=ACTIONS)
    reason = forms.CharField(
        label=_("Reason (sent to the company)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, application: Application | None = None, **kwargs):
        """Given the application, offer only the decisions its state allows (an approved
        application can only be rejected; a decided one has none left)."""
        super().__init__(*args, **kwargs)
        if application is not None:
            allowed = [(a, label) for a, label in self.ACTIONS if application.state in TRANSITIONS[a][0]]
            self.fields["action"].choices = allowed
            if application.state == Application.State.APPROVED:
                self.fields["action"].choices = [("reject", _("Withdraw the approval (reject)"))]

    @property
    def has_choices(self) -> bool:
        return bool(self.fields["action"].choices)


class NotesForm(forms.Form):
    internal_notes = forms.CharField(
        label=_("Internal notes (organisers only)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class BulkForm(forms.Form):
    ids = forms.TypedMultipleChoiceField(coerce=int, choices=[], required=True)
    action = forms.ChoiceField(
        choices=[
            ("approve", _("Approve")),
            ("reject", _("Reject")),
            ("waitlist", _("Waitlist")),
            ("review", _("Take under review")),
        ]
    )
    reason = forms.CharField(required=False)

    def __init__(self, *args, ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].choices = [(i, i) for i in ids]


class ResolveHitForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            ("clear", _("Clear (not the listed party)")),
            ("confirm", _("Confirm (it is the listed party)")),
        ]
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.TextInput())


class CsvUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))

    def clean_file(self):
        """The file's bytes (at most one past the limit): the import decodes and checks them."""
        return csvio.read_upload(self.cleaned_data["file"])


class EmbargoForm(forms.Form):
    countries = forms.CharField(
        label=_("Embargoed countries"),
        required=False,
        help_text=_("ISO codes separated by commas, e.g. KP, IR, SY"),
    )

    def clean_countries(self):
        return [
            c.strip().upper()
            for c in self.cleaned_data["countries"].replace(";", ",").split(",")
            if c.strip()
        ]


class ProfileForm(forms.Form):
    description_en = forms.CharField(
        label=_("Description (English)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=4000,
    )
    description_fr = forms.CharField(
        label=_("Description (French)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=4000,
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    logo = forms.FileField(
        label=_("Logo (PNG, JPEG, GIF or WebP, up to 2 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)


class ProductForm(forms.Form):
    name = forms.CharField(label=_("Product"), max_length=150)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sectors"].queryset = Sector.objects.filter(event=event)


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    role = forms.CharField(label=_("Role"), max_length=100, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    is_public = forms.BooleanField(label=_("Show in the directory"), required=False)


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Colleague's e-mail address"))


class BadgeForm(forms.Form):
    name = forms.CharField(label=_("Name on the badge"), max_length=150)
    role = forms.CharField(label=_("Role"), max_length=100, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)


class SettingsForm(forms.ModelForm):
    class Meta:
        model = ExhibitorSettings
        fields = ExhibitorSettings.ORGANISER_FIELDS
        widgets = {
            "application_deadline": widgets.DateTimeLocalInput(),
            "profile_deadline": widgets.DateInput(),
            "badge_deadline": widgets.DateInput(),
            "terms": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "match_threshold": _(
                "How alike a company's name must be to a listed party to be flagged for a check: "
                "from 0.5 (loose, more checks) to 1 (identical names only). 0.86 flags close spellings."
            ),
        }
