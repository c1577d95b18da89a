from __future__ import annotations

from datetime import datetime

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from exhibition.core.formats import when
from exhibition.events.models import Sector

from .models import ExhibitorHost, MeetingSettings, Participant, Place

MAX_CAP = 32767  # what a cap column holds (the services check it too)


def slot_choices(event, slots) -> list[tuple[str, str]]:
    """Each slot as the reader's language writes it, in the show's time ("mar 12 jan. 09:30–10:00")."""
    tz = event.tz
    return [(s.isoformat(), f"{when(s, 'daytime', tz)}–{when(e, 'time', tz)}") for s, e in slots]


class SlotField(forms.ChoiceField):
    def to_python(self, value):
        return super().to_python(value)

    def clean(self, value):
        value = super().clean(value)
        return datetime.fromisoformat(value) if value else None


class RequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )
    preferred_times = forms.CharField(
        label=_("Preferred times"), required=False, max_length=200, help_text=_("e.g. Tuesday morning")
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        coerce=int,
        initial=3,
        choices=[(i, str(i)) for i in range(1, 6)],
        help_text=_("5 = must meet. Used by the matchmaking round."),
    )


class InstantBookingForm(forms.Form):
    start = SlotField(label=_("Free slot"), choices=())
    sender_host = forms.ModelChoiceField(
        label=_("Who from your company takes it"),
        queryset=ExhibitorHost.objects.none(),
        required=False,
        empty_label=_("First free colleague"),
    )
    message = forms.CharField(label=_("Message"), required=False, max_length=2000)

    def __init__(self, *args, event=None, slots=(), own_hosts=None, **kwargs):
        """``own_hosts``: the booking exhibitor's team, when it books another exhibitor."""
        super().__init__(*args, **kwargs)
        self.fields["start"].choices = slot_choices(event, slots)
        if own_hosts is None:
            del self.fields["sender_host"]
        else:
            self.fields["sender_host"].queryset = own_hosts
            self.fields["sender_host"].label_from_instance = lambda h: h.user.get_full_name() or h.user.email


class AcceptForm(forms.Form):
    start = SlotField(label=_("Time"), choices=(), required=False)
    place = forms.ModelChoiceField(
        label=_("Place"),
        queryset=Place.objects.none(),
        required=False,
        empty_label=_("At the stand / no table"),
    )
    host = forms.ModelChoiceField(
        label=_("Who takes the meeting"),
        queryset=ExhibitorHost.objects.none(),
        required=False,
        empty_label=_("First free colleague"),
    )

    def __init__(self, *args, event=None, slots=(), places=None, hosts=None, round_open=False, **kwargs):
        super().__init__(*args, **kwargs)
        choices = slot_choices(event, slots)
        self.fields["start"].choices = (
            [("", _("Leave it to the matchmaking round"))] if round_open else []
        ) + choices
        self.fields["place"].queryset = places if places is not None else Place.objects.none()
        self.fields["host"].queryset = hosts if hosts is not None else ExhibitorHost.objects.none()
        self.fields["host"].label_from_instance = lambda h: h.user.get_full_name() or h.user.email
        if hosts is None:
            del self.fields["host"]


class ProposeForm(forms.Form):
    start = SlotField(label=_("Another time"), choices=())
    message = forms.CharField(label=_("Message"), required=False, max_length=2000)

    def __init__(self, *args, event=None, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start"].choices = slot_choices(event, slots)


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=2000)


class RescheduleForm(ProposeForm):
    pass


class OutcomeForm(forms.Form):
    held = forms.TypedChoiceField(  # radio buttons, none ticked: the person answers, nothing is assumed
        label=_("Did the meeting take place?"),
        coerce=lambda v: v == "1",
        choices=[("1", _("Yes, held")), ("0", _("No-show"))],
        widget=forms.RadioSelect,
    )
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", "—")] + [(i, str(i)) for i in range(1, 6)],
    )
    comment = forms.CharField(label=_("Comment"), required=False, max_length=300)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = ["headline", "offer", "seek", "sectors", "opted_in", "instant_booking"]
        widgets = {
            "offer": forms.Textarea(attrs={"rows": 3}),
            "seek": forms.Textarea(attrs={"rows": 3}),
            "sectors": forms.CheckboxSelectMultiple,
        }
        labels = {"sectors": _("Sectors")}

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sectors"].queryset = Sector.objects.filter(event=event).order_by("name_en")
        if (
            self.instance.kind != Participant.Kind.EXHIBITOR
            and self.instance.kind != Participant.Kind.DELEGATION
        ):
            del self.fields["instant_booking"]


class AvailabilityForm(forms.Form):
    """One optional window per show day (empty = the whole day; one end only = from or until the
    opening hours' other end), within the day's opening hours."""

    def __init__(self, *args, event=None, current=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.days = list(event.days.all().order_by("date"))
        by_day = {w.date: w for w in current}
        for d in self.days:
            w = by_day.get(d.date)
            hours = {"min": f"{d.opens_at:%H:%M}", "max": f"{d.closes_at:%H:%M}"}
            self.fields[f"from_{d.date:%Y%m%d}"] = forms.TimeField(
                label=_("%(day)s from") % {"day": when(d.date, "day")},
                required=False,
                initial=w.starts_at if w else None,
                widget=forms.TimeInput(attrs={"type": "time", **hours}),
            )
            self.fields[f"until_{d.date:%Y%m%d}"] = forms.TimeField(
                label=_("until"),
                required=False,
                initial=w.ends_at if w else None,
                widget=forms.TimeInput(attrs={"type": "time", **hours}),
            )

    def _window(self, d):
        a = self.cleaned_data.get(f"from_{d.date:%Y%m%d}")
        b = self.cleaned_data.get(f"until_{d.date:%Y%m%d}")
        if a is None and b is None:
            return None
        return a or d.opens_at, b or d.closes_at

    def clean(self):
        data = super().clean()
        for d in self.days:
            start_key, end_key = f"from_{d.date:%Y%m%d}", f"until_{d.date:%Y%m%d}"
            if start_key in self.errors or end_key in self.errors or self._window(d) is None:
                continue
            a, b = self._window(d)
            hours = _("The show is open from %(opens)s to %(closes)s that day.") % {
                "opens": when(d.opens_at, "time"),
                "closes": when(d.closes_at, "time"),
            }
            if not d.opens_at <= a < d.closes_at:
                self.add_error(start_key, hours)
            elif not d.opens_at < b <= d.closes_at:
                self.add_error(end_key, hours)
            elif a >= b:
                self.add_error(end_key, _("The window must end after it starts."))
        return data

    def windows(self):
        return [(d.date, *w) for d in self.days if (w := self._window(d)) is not None]


class PlaceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[(Place.Kind.TABLE, _("Table")), (Place.Kind.ROOM, _("Room"))]
    )
    capacity = forms.IntegerField(label=_("Seats"), min_value=2, max_value=200, initial=4)
    opens_at = forms.TimeField(
        label=_("Opens at"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    closes_at = forms.TimeField(
        label=_("Closes at"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )


class RoundForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    time_limit = forms.IntegerField(
        label=_("Scheduler time limit (seconds)"), min_value=1, max_value=3600, initial=30
    )
    at_tables = forms.BooleanField(label=_("Meetings at the business centre's tables"), required=False)


class HostForm(forms.Form):
    """Add a member of the company to the meeting team."""

    user = forms.ModelChoiceField(
        label=_("Colleague"),
        queryset=None,
        empty_label=None,
        help_text=_("Members of the company who do not take meetings yet."),
    )

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates
        self.fields["user"].label_from_instance = lambda u: (
            f"{u.full_name} ({u.email})" if u.full_name else u.email
        )


class CapsForm(forms.Form):
    """A participant's caps; empty = the show's default."""

    max_requests = forms.IntegerField(
        label=_("Cap on open requests sent"), required=False, min_value=0, max_value=MAX_CAP
    )
    max_meetings = forms.IntegerField(
        label=_("Cap on meetings"), required=False, min_value=0, max_value=MAX_CAP
    )

    def __init__(self, *args, defaults=None, **kwargs):
        super().__init__(*args, **kwargs)
        if defaults is not None:
            self.fields["max_requests"].help_text = _("Leave empty for the show's default (%(n)d).") % {
                "n": defaults.default_max_requests
            }
            self.fields["max_meetings"].help_text = _("Leave empty for the show's default (%(n)d).") % {
                "n": defaults.default_max_meetings
            }


class MeetingSettingsForm(forms.ModelForm):
    class Meta:
        model = MeetingSettings
        fields = [
            "slot_minutes",
            "request_expiry_hours",
            "reminder_hours",
            "meeting_reminder_minutes",
            "default_max_requests",
            "default_max_meetings",
        ]
        help_texts = {
            "slot_minutes": _("10 to 240 minutes. Meetings already booked keep their times."),
            "request_expiry_hours": _("An unanswered request expires after this time."),
            "reminder_hours": _("Less than the expiry; 0 for no reminder."),
            "meeting_reminder_minutes": _("At most 180 minutes; 0 for no reminder."),
            "default_max_requests": _("For participants without a cap of their own."),
            "default_max_meetings": _("For participants without a cap of their own."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # the model's bound depends on the database: use the cap column's
            field.validators.append(MaxValueValidator(MAX_CAP))
            field.widget.attrs["max"] = MAX_CAP


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class BlockingForm(forms.Form):
    """Block a meeting place for a while (times in the show's local time)."""

    place = forms.ModelChoiceField(label=_("Place"), queryset=Place.objects.none())
    start = forms.DateTimeField(label=_("Blocked from"), widget=LocalDateTimeInput)
    end = forms.DateTimeField(label=_("Blocked until"), widget=LocalDateTimeInput)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=200)

    def __init__(self, *args, places=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places if places is not None else Place.objects.none()

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] >= data["end"]:
            self.add_error("end", _("The blocking must end after it starts."))
        return data
