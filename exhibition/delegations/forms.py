"""Forms parse; services decide. Choices are limited to the event's own objects."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from exhibition.accounts.models import Organisation, User
from exhibition.core import formats
from exhibition.core.countries import country_choices
from exhibition.events.models import Sector, ShowDay
from exhibition.floorplans.models import Door, Feature

from .languages import language_choices, normalise_languages
from .models import Delegation


class TimeInput(forms.TimeInput):
    input_type = "time"


class DateChoice(forms.ChoiceField):
    pass


def _days(event) -> list[tuple[str, str]]:
    return [
        (d.date.isoformat(), formats.when(d.date, "day"))
        for d in ShowDay.objects.filter(event=event).order_by("date")
    ]


class _CountryCodeField(forms.ChoiceField):
    """A country among the listed ones, by its code in any case ("br" from an old link is "BR")."""

    def to_python(self, value):
        return super().to_python(value).upper()


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    country = _CountryCodeField(label=_("Country"), required=False)
    level = forms.ChoiceField(
        label=_("Protocol level"),
        required=False,
        choices=[("", _("Any")), *Delegation.ProtocolLevel.choices],
    )
    state = forms.ChoiceField(
        label=_("Programme"),
        required=False,
        choices=[
            ("", _("Any")),
            ("unplanned", _("Not planned")),
            ("draft", _("Has draft changes")),
            ("published", _("Published")),
        ],
    )

    def __init__(self, *args, countries: Sequence[tuple[str, str]] = (), **kwargs):
        """``countries``: (code, name) of the show's delegations, by name."""
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Any")), *countries]


class LanguagesField(forms.MultipleChoiceField):
    """Languages ticked by their names in the reader's language, cleaned to the codes as a
    delegation keeps them ("es, en")."""

    widget = forms.CheckboxSelectMultiple(attrs={"class": "language-choices"})

    def __init__(self, *, first=(), **kwargs):
        first = list(first)
        super().__init__(choices=lambda: language_choices(first), **kwargs)

    def prepare_value(self, value):
        if isinstance(value, str):  # the stored value ("es, en")
            return normalise_languages(value)[0]
        return value

    def clean(self, value) -> str:
        return ", ".join(super().clean(value))


def languages_field(stored: str = "") -> LanguagesField:
    """The delegation's languages, its own ones first; what was once typed by hand and names no
    language is shown beside the list, so that saving does not lose it unseen."""
    codes, unknown = normalise_languages(stored)
    field = LanguagesField(label=_("Languages"), required=False, first=codes)
    if unknown:
        field.help_text = _("Written before as: %(text)s") % {"text": ", ".join(unknown)}
    return field


class DelegationForm(forms.ModelForm):
    class Meta:
        model = Delegation
        fields = [
            "official_name",
            "protocol_level",
            "languages",
            "interpreter_needed",
            "liaison_officer",
            "internal_notes",
            "lunch_minutes",
        ]

    def __init__(self, *args, event=None, organiser=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["languages"] = languages_field(self.instance.languages)
        if organiser:
            self.fields["liaison_officer"].queryset = User.objects.filter(event_staff__event=event).order_by(
                "full_name"
            )
        else:
            for name in list(self.fields):
                if name not in ("languages", "interpreter_needed"):
                    del self.fields[name]


class DayForm(forms.Form):
    date = forms.ChoiceField(label=_("Day"))
    start = forms.TimeField(label=_("On the floor from"), widget=TimeInput)
    end = forms.TimeField(label=_("Until"), widget=TimeInput)
    start_point = forms.ChoiceField(label=_("Start point"))
    end_point = forms.ChoiceField(label=_("End point"))

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].choices = _days(event)
        points = [
            (d.code, d.label) for d in Door.objects.filter(event=event, hall_b__isnull=True).order_by("code")
        ]
        points += [
            (f.code, f"{f.name or f.code} ({f.get_kind_display()})")
            for f in Feature.objects.filter(event=event, kind=Feature.Kind.LOUNGE).order_by("code")
        ]
        self.fields["start_point"].choices = points
        self.fields["end_point"].choices = points


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    title = forms.CharField(label=_("Title or rank"), max_length=150, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    role = forms.CharField(label=_("Role in the delegation"), max_length=100, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    language = forms.ChoiceField(label=_("Language"))
    is_head = forms.BooleanField(label=_("Head of delegation"), required=False)

    def __init__(self, *args, delegation=None, **kwargs):
        super().__init__(*args, **kwargs)
        own = normalise_languages(delegation.languages if delegation else "")[0]
        self.fields["language"].choices = lambda: _member_languages(own)
        self.fields["language"].initial = own[0] if own else "en"


def _member_languages(own: list[str]):
    """The delegation's languages first, then the others, each group by name."""
    choices = language_choices(own)
    if not own:
        return choices
    return [
        (_("Languages of the delegation"), choices[: len(own)]),
        (_("Other languages"), choices[len(own) :]),
    ]


class InterestForm(forms.Form):
    sector = forms.ModelChoiceField(label=_("Sector"), queryset=Sector.objects.none(), required=False)
    exhibitor = forms.ModelChoiceField(
        label=_("or a named exhibitor"), queryset=Organisation.objects.none(), required=False
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"), coerce=int, initial=3, choices=[(i, str(i)) for i in range(5, 0, -1)]
    )

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.filter(event=event).order_by("name_en")
        self.fields["exhibitor"].queryset = (
            Organisation.objects.filter(
                event=event, kind=Organisation.Kind.COMPANY, admitted_at__isnull=False, stands__isnull=False
            )
            .distinct()
            .order_by("name")
        )


class InviteHeadForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the head of delegation"))


class CandidateForm(forms.Form):
    score = forms.FloatField(label=_("Score"), min_value=0.1, max_value=1000)
    duration = forms.IntegerField(label=_("Minutes"), min_value=5, max_value=240)
    required = forms.BooleanField(label=_("Required"), required=False)


class ExclusionForm(forms.Form):
    company = forms.ModelChoiceField(label=_("Company"), queryset=Organisation.objects.none(), required=False)
    country = CountryField(blank=True).formfield(label=_("or all companies of"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = Organisation.objects.filter(
            event=event, kind=Organisation.Kind.COMPANY
        ).order_by("name")


class RegisterDelegationForm(forms.Form):
    official_name = forms.CharField(label=_("Official name"), max_length=250)
    country = forms.ChoiceField(label=_("Country"), choices=country_choices)
    protocol_level = forms.ChoiceField(
        label=_("Protocol level"),
        choices=Delegation.ProtocolLevel.choices,
        initial=Delegation.ProtocolLevel.TECHNICAL,
    )
    languages = LanguagesField(label=_("Languages"), required=False)
    head_email = forms.EmailField(label=_("Head of delegation's e-mail (invited to sign in)"), required=False)


class PlanForm(forms.Form):
    time_limit = forms.FloatField(label=_("Time limit (seconds)"), min_value=0.5, max_value=600, initial=20)


class VisitForm(forms.Form):
    """Add a visit, or move one (stand optional then)."""

    stand = forms.CharField(label=_("Stand number"), max_length=20)
    date = forms.ChoiceField(label=_("Day"))
    start = forms.TimeField(label=_("Start"), widget=TimeInput)
    duration = forms.IntegerField(label=_("Minutes"), min_value=5, max_value=240, required=False)

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].choices = _days(event)


class LateForm(forms.Form):
    date = forms.ChoiceField(label=_("Day"))
    not_before = forms.TimeField(label=_("Ready again at"), widget=TimeInput)
    since = forms.TimeField(
        label=_("Visits missed from (optional)"),
        widget=TimeInput,
        required=False,
        help_text=_(
            "Visits starting from this time until the delegation is ready again were "
            "missed; they may be placed later in the day."
        ),
    )

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].choices = _days(event)


class HostingWindowForm(forms.Form):
    date = forms.ChoiceField(label=_("Day"))
    start = forms.TimeField(label=pgettext_lazy("start time", "From"), widget=TimeInput)
    end = forms.TimeField(label=_("Until"), widget=TimeInput)
    stand = forms.ChoiceField(label=_("Stand"), required=False)

    def __init__(self, *args, event=None, stands=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].choices = _days(event)
        self.fields["stand"].choices = [("", _("All my stands"))] + [(str(s.pk), s.number) for s in stands]


class CapacityForm(forms.Form):
    stand = forms.ChoiceField(label=_("Stand"))
    capacity = forms.IntegerField(
        label=_("Delegations received at once"), min_value=1, max_value=20, initial=1
    )

    def __init__(self, *args, stands=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stand"].choices = [(str(s.pk), s.number) for s in stands]


class WishForm(forms.Form):
    delegation = forms.ModelChoiceField(
        label=_("Delegation you would like to host"),
        queryset=Delegation.objects.none(),
        empty_label=_("Choose a delegation"),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegation"].queryset = Delegation.objects.filter(organisation__event=event).order_by(
            "official_name"
        )


class RequestVisitForm(forms.Form):
    company = forms.ModelChoiceField(label=_("Exhibitor"), queryset=Organisation.objects.none())
    message = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = (
            Organisation.objects.filter(
                event=event, kind=Organisation.Kind.COMPANY, admitted_at__isnull=False, stands__isnull=False
            )
            .distinct()
            .order_by("name")
        )
