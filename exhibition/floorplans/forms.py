"""Forms of the floor plan pages. They parse input; the services validate the plan."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries import countries

from exhibition.events.models import Hall

from . import geometry as g
from . import walls
from .models import Door, Feature, Pavilion, PlanSettings, Stand
from .shapes import g_hall

AT_LEAST_1_M = _("Enter at least 1 m.")
ROTATIONS = [(0, "0°"), (90, "90°")]
OPEN_SIDES = [("", _("Derived from the neighbours"))] + [
    (str(v), label) for v, label in Stand.OpenSides.choices
]


class StandForm(forms.Form):
    hall = forms.ModelChoiceField(label=_("Hall"), queryset=Hall.objects.none())
    number = forms.CharField(label=_("Stand number"), max_length=20)
    x = forms.FloatField(
        label=_("x (m)"), min_value=0, help_text=_("From the hall's left wall; snapped to 0.5 m.")
    )
    y = forms.FloatField(
        label=_("y (m)"), min_value=0, help_text=_("From the hall's top wall; snapped to 0.5 m.")
    )
    width = forms.FloatField(label=_("Width (m)"), min_value=1, error_messages={"min_value": AT_LEAST_1_M})
    depth = forms.FloatField(label=_("Depth (m)"), min_value=1, error_messages={"min_value": AT_LEAST_1_M})
    rotation = forms.TypedChoiceField(label=_("Rotation"), choices=ROTATIONS, coerce=int, initial=0)
    kind = forms.ChoiceField(label=_("Type"), choices=Stand.Kind.choices, initial=Stand.Kind.SHELL)
    open_sides = forms.TypedChoiceField(
        label=_("Open sides"), choices=OPEN_SIDES, coerce=int, empty_value=None, required=False
    )
    pavilion = forms.ModelChoiceField(label=_("Pavilion"), queryset=Pavilion.objects.none(), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in (Stand.Status.AVAILABLE, Stand.Status.BLOCKED)],
        initial=Stand.Status.AVAILABLE,
        help_text=_("Held, reserved and sold come from a booking."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, event, stand: Stand | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hall"].queryset = Hall.objects.filter(event=event).order_by("position", "code")
        halls = list(self.fields["hall"].queryset.values_list("pk", flat=True)[:2])
        if len(halls) == 1 and not self.initial.get("hall"):  # a show with one hall: nothing to choose
            self.initial["hall"] = halls[0]
        self.fields["pavilion"].queryset = Pavilion.objects.filter(event=event).order_by("name")
        current = stand.effective_status if stand is not None else None
        if current is not None and current not in (Stand.Status.AVAILABLE, Stand.Status.BLOCKED):
            # set by the booking app: shown, not changed here
            status = self.fields["status"]
            status.choices = [(current, Stand.Status(current).label)]
            status.initial = current
            status.disabled = True
            status.help_text = _("Set by the stand's booking; it changes with the booking.")

    def clean(self):
        data = super().clean()
        if self.fields["status"].disabled:
            data.pop("status", None)  # the booking's status: not the editor's to send
        return data

    @classmethod
    def initial_for(cls, stand: Stand) -> dict:
        return {
            "hall": stand.hall_id,
            "number": stand.number,
            "x": stand.x,
            "y": stand.y,
            "width": stand.width,
            "depth": stand.depth,
            "rotation": stand.rotation,
            "kind": stand.kind,
            "open_sides": str(stand.open_sides) if stand.open_sides_fixed else "",
            "pavilion": stand.pavilion_id,
            "status": stand.status,
            "version": stand.version,
        }


class MoveForm(forms.Form):
    """The drag on the plan: a new position and the version the editor saw."""

    x = forms.FloatField(label=_("x (m)"))
    y = forms.FloatField(label=_("y (m)"))
    version = forms.IntegerField(required=False)


class SplitForm(forms.Form):
    parts = forms.IntegerField(label=_("Number of parts"), min_value=2, max_value=20, initial=2)
    axis = forms.ChoiceField(
        label=_("Direction"),
        initial="x",
        choices=[
            ("x", _("Side by side (split the width)")),
            ("y", _("One behind the other (split the depth)")),
        ],
    )
    numbers = forms.CharField(
        label=_("New numbers"),
        required=False,
        help_text=_("Optional, separated by commas, one per part. Default: the number followed by -1, -2…"),
    )

    def clean_numbers(self) -> list[str]:
        return [n.strip() for n in self.cleaned_data["numbers"].split(",") if n.strip()]


class MergeForm(forms.Form):
    first = forms.CharField(label=_("First stand number"), max_length=20)
    second = forms.CharField(label=_("Second stand number"), max_length=20)
    number = forms.CharField(
        label=_("Number of the merged stand"),
        max_length=20,
        required=False,
        help_text=_("Optional; default: the first number."),
    )


class FeatureForm(forms.Form):
    hall = forms.ModelChoiceField(label=_("Hall"), queryset=Hall.objects.none())
    code = forms.CharField(label=_("Code"), max_length=40)
    kind = forms.ChoiceField(label=_("Kind"), choices=Feature.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    x = forms.FloatField(label=_("x (m)"), min_value=0)
    y = forms.FloatField(label=_("y (m)"), min_value=0)
    width = forms.FloatField(label=_("Width (m)"), min_value=0.1)
    depth = forms.FloatField(label=_("Depth (m)"), min_value=0.1)

    def __init__(self, *args, event, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hall"].queryset = Hall.objects.filter(event=event).order_by("position", "code")
        if editing:  # a feature keeps its hall and code
            del self.fields["hall"]
            del self.fields["code"]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("Columns as in the export; the header is row 1."))


def _plain(value) -> str:
    """A figure as a number input shows it: "520" and "5.5", not "520.00" and "5.50"."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class PlanSettingsForm(forms.Form):
    """The show's stand rates, open-side supplements and hall-entry minutes: parsed here (numbers,
    at most two decimal places), checked by ``services.update_plan_settings`` (ranges)."""

    FIELDS = (
        "shell_rate",
        "raw_rate",
        "corner_supplement",
        "peninsula_supplement",
        "island_supplement",
        "hall_entry_minutes",
    )
    HELP = {
        "shell_rate": _("Before VAT, in the show's currency."),
        "raw_rate": _("Before VAT, in the show's currency."),
        "corner_supplement": _("Added to the price of a stand with 2 open sides, in percent."),
        "peninsula_supplement": _("Added to the price of a stand with 3 open sides, in percent."),
        "island_supplement": _("Added to the price of a stand with 4 open sides, in percent."),
        "hall_entry_minutes": _("Added to a walk each time it enters a hall; 0 for none."),
    }

    def __init__(self, *args, settings_: PlanSettings, editable: bool = True, **kwargs):
        kwargs.setdefault("initial", {name: _plain(getattr(settings_, name)) for name in self.FIELDS})
        super().__init__(*args, **kwargs)
        for name in self.FIELDS:
            field = PlanSettings._meta.get_field(name).formfield(help_text=self.HELP[name])
            field.widget.attrs.update({"min": "0", "inputmode": "decimal"})
            field.disabled = not editable
            self.fields[name] = field


class RouteForm(forms.Form):
    """``?from=…&to=…``: stand numbers, door codes or place codes (``from`` is a keyword, hence the fields
    are added by name)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from"] = forms.CharField(
            label=pgettext_lazy("walking route", "From"),
            max_length=40,
            help_text=_("A stand number, a door or entrance code, or a place (meeting room, restaurant…)."),
        )
        self.fields["to"] = forms.CharField(label=pgettext_lazy("walking route", "To"), max_length=40)
        for name in ("from", "to"):
            self.fields[name].widget.attrs.update(
                {"list": "places", "autocomplete": "off", "spellcheck": "false"}
            )


class DoorForm(forms.Form):
    """A door of one hall, placed as people read the plan: a wall and the metres along it. Gives
    the service's ``x``, ``y`` (site coordinates) and ``hall_b`` (None for an entrance)."""

    OUTSIDE = ""

    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_(
            "Names the door in walking routes and delegation programmes, e.g. ENTRANCE-NORTH. "
            "Unique among the show's stand numbers, feature and door codes."
        ),
    )
    name = forms.CharField(
        label=_("Name (English)"),
        max_length=100,
        required=False,
        help_text=_("Optional, e.g. North entrance."),
    )
    name_fr = forms.CharField(
        label=_("Name (French)"),
        max_length=100,
        required=False,
        help_text=_("E.g. Entrée nord. Shown on French pages; left empty, they show the English name."),
    )
    leads_to = forms.ChoiceField(label=_("Leads to"), required=False)
    wall = forms.ChoiceField(label=_("Wall"), choices=list(walls.WALLS.items()))
    position = forms.FloatField(
        label=_("Position along the wall (m)"),
        min_value=0,
        help_text=_("The middle of the door, from the wall's top or left end."),
    )
    width = forms.FloatField(label=_("Width (m)"), min_value=0.5, max_value=100, initial=2)

    def __init__(self, *args, hall: Hall, halls: list[Hall], **kwargs):
        super().__init__(*args, **kwargs)
        self.hall = hall
        self.others = {h.code: h for h in halls if h.pk != hall.pk}
        self.fields["leads_to"].choices = [(self.OUTSIDE, _("Outside: an entrance to the show"))] + [
            (code, h.name) for code, h in self.others.items()
        ]
        gh = g_hall(hall)
        self.fields["wall"].help_text = _(
            "Top and bottom walls are %(w)s m long, left and right walls %(d)s m."
        ) % {"w": g.fmt(gh.width), "d": g.fmt(gh.depth)}
        for name in ("position", "width"):
            self.fields[name].widget.attrs.update({"inputmode": "decimal", "step": "any"})

    @classmethod
    def initial_for(cls, door: Door, hall: Hall) -> dict:
        place = walls.door_place(g_hall(hall), door.x, door.y)
        other = door.hall_b if door.hall_a_id == hall.pk else door.hall_a
        return {
            "code": door.code,
            "name": door.name,
            "name_fr": door.name_fr,
            "leads_to": other.code if other is not None else cls.OUTSIDE,
            "wall": place[0] if place else "top",
            "position": g.fmt(place[1]) if place else "",
            "width": g.fmt(door.width),
        }

    def clean(self):
        data = super().clean()
        wall, position = data.get("wall"), data.get("position")
        if wall and position is not None:
            length = walls.wall_length(g_hall(self.hall), wall)
            if position > length:
                self.add_error(
                    "position",
                    _("This wall is %(n)s m long: enter 0 to %(n)s.") % {"n": g.fmt(length)},
                )
            else:
                data["x"], data["y"] = walls.door_point(g_hall(self.hall), wall, position)
        data["hall_b"] = self.others.get(data.get("leads_to") or "")
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "code": d["code"],
            "name": d["name"],
            "name_fr": d["name_fr"],
            "hall_a": self.hall,
            "hall_b": d["hall_b"],
            "x": d["x"],
            "y": d["y"],
            "width": d["width"],
        }


class PavilionForm(forms.Form):
    name = forms.CharField(label=_("Name (English)"), max_length=150, help_text=_("e.g. German Pavilion."))
    name_fr = forms.CharField(
        label=_("Name (French)"),
        max_length=150,
        required=False,
        help_text=_("E.g. Pavillon allemand. Shown on French pages; left empty, they show the English name."),
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    colour = forms.CharField(
        label=_("Colour on the plan"),
        max_length=7,
        widget=forms.TextInput(attrs={"type": "color"}),
    )
    contact_name = forms.CharField(label=_("Contact name"), max_length=150, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *countries]  # in the reader's language, by name

    @classmethod
    def initial_for(cls, pavilion: Pavilion) -> dict:
        return {
            "name": pavilion.name,
            "name_fr": pavilion.name_fr,
            "country": pavilion.country.code or "",
            "colour": pavilion.colour,
            "contact_name": pavilion.contact_name,
            "contact_email": pavilion.contact_email,
        }
