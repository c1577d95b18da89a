from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from exhibition.core.countries import country_choices

from . import services
from .models import Invitation, Organisation, User


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )


def check_new_password(form: forms.Form, email: str) -> None:
    """Every reason a new password is refused, each on a line of its own under the field (the
    service checks again, for the API, and answers with one message)."""
    password = form.cleaned_data.get("password")
    if password:
        try:
            validate_password(password, User(email=email, full_name=form.cleaned_data.get("full_name", "")))
        except ValidationError as exc:
            form.add_error("password", exc)


class SignUpForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), strip=False
    )

    def clean(self):
        cleaned = super().clean()
        check_new_password(self, (cleaned.get("email") or "").strip().lower())
        return cleaned


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    password = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )

    def __init__(self, *args, email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        check_new_password(self, self.email)
        return cleaned


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the e-mail goes through our outbox and its link is built at
    send time from ``SITE_URL`` (never from the request's host, never stored)."""

    def save(self, *args, **kwargs) -> None:
        for user in self.get_users(self.cleaned_data["email"]):
            services.send_password_reset(user=user)


class ConfirmEmailForm(forms.Form):
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        strip=False,
    )


class ResendConfirmationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_('The device or script that will use it, e.g. "Gate tablet 3" or "CRM sync".'),
    )
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=366, initial=30)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Invitation.Role.choices)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
    )

    def __init__(
        self,
        *args,
        event,
        roles=None,
        organisations=None,
        initial_organisation=None,
        pick_any=False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if roles is not None:
            self.fields["role"].choices = [c for c in Invitation.Role.choices if c[0] in roles]
            # Colleagues are invited as staff (or members) unless the inviter says otherwise.
            plain = [
                r for r in (Invitation.Role.COMPANY_STAFF, Invitation.Role.DELEGATION_MEMBER) if r in roles
            ]
            if plain and not any(r.startswith("organiser") for r in roles):
                self.fields["role"].initial = plain[0]
            elif (
                Invitation.Role.ORGANISER_STAFF in roles
            ):  # the least power, unless the inviter says otherwise
                self.fields["role"].initial = Invitation.Role.ORGANISER_STAFF
        self.fields["organisation"].queryset = (
            organisations if organisations is not None else Organisation.objects.filter(event=event)
        )
        if pick_any:  # the organiser's form: every company and delegation of the show
            self.fields["organisation"].help_text = _(
                "For a company or delegation role: the one they join. Type its first letters to find it."
            )
        if initial_organisation is not None:
            self.fields["organisation"].initial = initial_organisation
            self.fields["organisation"].empty_label = None


class VisitorRegistrationForm(forms.Form):
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200)
    job_title = forms.CharField(label=_("Job title"), max_length=150)
    # A callable: Django calls it for every form, so the names are in the reader's language.
    country = forms.ChoiceField(label=_("Country"), choices=country_choices)
    looking_for = forms.CharField(
        label=_("What are you looking for?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors of interest"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sectors"].queryset = event.sectors.all()


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=User._meta.get_field("language").choices,
        help_text=_("The e-mails we send you are written in this language."),
    )
