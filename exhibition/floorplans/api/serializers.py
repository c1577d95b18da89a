from __future__ import annotations

from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from exhibition.core.api import CsvUploadSerializer
from exhibition.events.models import Hall
from exhibition.floorplans import walls
from exhibition.floorplans.models import Door, Feature, Pavilion, PlanSettings, Stand
from exhibition.floorplans.shapes import g_hall


class PavilionSerializer(serializers.ModelSerializer):
    """A pavilion as everyone sees it: ``name`` (which identifies it, e.g. in ``?pavilion=``) and
    ``name_fr`` (read on French pages; empty: the name). Organisers also get ``contact_name`` and
    ``contact_email``."""

    country = serializers.CharField(source="country.code", read_only=True)

    class Meta:
        model = Pavilion
        fields = ["id", "name", "name_fr", "country", "colour"]


class OrganiserPavilionSerializer(PavilionSerializer):
    class Meta(PavilionSerializer.Meta):
        fields = [*PavilionSerializer.Meta.fields, "contact_name", "contact_email"]


class ExhibitorRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    country = serializers.CharField(source="country.code")


class StandSerializer(serializers.ModelSerializer):
    """A stand as everyone who may see the plan sees it: where it is, how large, who exhibits there.
    Organisers also get the sales side: ``status``, ``held_until`` and ``price``."""

    hall = serializers.SlugRelatedField(slug_field="code", read_only=True)
    pavilion = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True)
    exhibitor = ExhibitorRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Stand
        fields = [
            "id",
            "number",
            "hall",
            "x",
            "y",
            "width",
            "depth",
            "rotation",
            "area",
            "open_sides",
            "open_sides_fixed",
            "kind",
            "exhibitor",
            "pavilion",
            "version",
        ]
        read_only_fields = fields


class OrganiserStandSerializer(StandSerializer):
    status = serializers.ChoiceField(
        choices=Stand.Status.choices,
        source="effective_status",
        read_only=True,
        help_text="an expired hold counts as available",
    )
    held_until = serializers.DateTimeField(read_only=True, allow_null=True)
    price = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)

    class Meta(StandSerializer.Meta):
        fields = [*StandSerializer.Meta.fields, "status", "held_until", "price"]
        read_only_fields = fields


class StandWriteSerializer(serializers.ModelSerializer):
    """What an organiser sends to create a stand (or, all optional, to change one)."""

    hall = serializers.SlugRelatedField(slug_field="code", queryset=Hall.objects.none())
    pavilion = serializers.SlugRelatedField(
        slug_field="name", queryset=Pavilion.objects.none(), required=False, allow_null=True
    )
    status = serializers.ChoiceField(choices=Stand.Status.choices, required=False)
    open_sides = serializers.IntegerField(
        min_value=1,
        max_value=4,
        required=False,
        allow_null=True,
        help_text="fixed by hand; null derives it from the neighbours",
    )

    class Meta:
        model = Stand
        fields = [
            "number",
            "hall",
            "x",
            "y",
            "width",
            "depth",
            "rotation",
            "kind",
            "open_sides",
            "pavilion",
            "status",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        event = self.context.get("event")
        if event is not None:
            self.fields["hall"].queryset = Hall.objects.filter(event=event)
            self.fields["pavilion"].queryset = Pavilion.objects.filter(event=event)
        for name in ("width", "depth"):  # the words of the page form and the services
            field = self.fields[name]
            field.validators = [
                *(v for v in field.validators if not isinstance(v, MinValueValidator)),
                MinValueValidator(1, message=_("Enter at least 1 m.")),
            ]


class StandUpdateSerializer(StandWriteSerializer):
    version = serializers.IntegerField(
        required=False, help_text="The version you edited; 409 if it changed meanwhile."
    )

    class Meta(StandWriteSerializer.Meta):
        fields = [*StandWriteSerializer.Meta.fields, "version"]
        extra_kwargs = {f: {"required": False} for f in ["number", "hall", "x", "y", "width", "depth"]}


class SplitSerializer(serializers.Serializer):
    parts = serializers.IntegerField(min_value=2, max_value=20)
    axis = serializers.ChoiceField(choices=["x", "y"], default="x")
    numbers = serializers.ListField(child=serializers.CharField(max_length=20), required=False)


class StandImportSerializer(CsvUploadSerializer):
    """The stands as CSV, in the columns of the plan's export: ``csv`` text, or a ``file``."""


class StandImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()


class MergeSerializer(serializers.Serializer):
    stands = serializers.ListField(child=serializers.CharField(max_length=20), min_length=2, max_length=2)
    number = serializers.CharField(max_length=20, required=False)


class FeatureSerializer(serializers.ModelSerializer):
    hall = serializers.SlugRelatedField(slug_field="code", queryset=Hall.objects.none())

    class Meta:
        model = Feature
        fields = ["id", "code", "kind", "name", "hall", "x", "y", "width", "depth", "is_place"]
        read_only_fields = ["id", "is_place"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        event = self.context.get("event")
        if event is not None:
            self.fields["hall"].queryset = Hall.objects.filter(event=event)


class RouteSerializer(serializers.Serializer):
    origin = serializers.CharField()
    destination = serializers.CharField()
    minutes = serializers.FloatField()
    metres = serializers.FloatField()
    points = serializers.ListField(child=serializers.ListField(child=serializers.FloatField()))
    doors = serializers.ListField(child=serializers.CharField())


PLAN_SETTINGS_FIELDS = [
    "shell_rate",
    "raw_rate",
    "corner_supplement",
    "peninsula_supplement",
    "island_supplement",
    "hall_entry_minutes",
]


class PlanSettingsSerializer(serializers.ModelSerializer):
    """The show's stand rates per m² (before VAT, in the event's currency), open-side supplements
    in percent (0 to 100) and the minutes a walk spends entering a hall."""

    class Meta:
        model = PlanSettings
        fields = PLAN_SETTINGS_FIELDS
        read_only_fields = fields


class PlanSettingsUpdateSerializer(serializers.ModelSerializer):
    """Any of the settings; the service checks the ranges (rates >= 0, supplements 0 to 100)."""

    class Meta:
        model = PlanSettings
        fields = PLAN_SETTINGS_FIELDS
        extra_kwargs = {name: {"required": False} for name in PLAN_SETTINGS_FIELDS}


class PlanSettingsSavedSerializer(PlanSettingsSerializer):
    repriced = serializers.IntegerField(read_only=True, help_text="stands re-priced at the new rates")
    kept = serializers.IntegerField(read_only=True, help_text="booked stands that keep their price")

    class Meta(PlanSettingsSerializer.Meta):
        fields = [*PLAN_SETTINGS_FIELDS, "repriced", "kept"]
        read_only_fields = fields


class DoorSerializer(serializers.ModelSerializer):
    """A door of the floor plan: an entrance from outside (``to_hall`` null) or a door between two
    halls. ``x`` and ``y`` are site coordinates (metres) of the door's middle, on the hall's outline;
    ``wall`` and ``position`` say the same on ``hall``'s plan (top, bottom, left, right; metres
    from the wall's top or left end)."""

    hall = serializers.SlugRelatedField(slug_field="code", source="hall_a", read_only=True)
    to_hall = serializers.SlugRelatedField(
        slug_field="code", source="hall_b", read_only=True, allow_null=True
    )
    is_entrance = serializers.BooleanField(read_only=True)
    wall = serializers.SerializerMethodField()
    position = serializers.SerializerMethodField()

    class Meta:
        model = Door
        fields = [
            "id",
            "code",
            "name",
            "name_fr",
            "hall",
            "to_hall",
            "is_entrance",
            "x",
            "y",
            "width",
            "wall",
            "position",
        ]
        read_only_fields = fields

    def _place(self, door: Door) -> tuple[str, float] | None:
        return walls.door_place(g_hall(door.hall_a), door.x, door.y)

    def get_wall(self, door: Door) -> str | None:
        place = self._place(door)
        return place[0] if place else None

    def get_position(self, door: Door) -> float | None:
        place = self._place(door)
        return place[1] if place else None


class DoorWriteSerializer(serializers.Serializer):
    """What an organiser sends to add a door (all of it) or change one (any of it)."""

    code = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    name_fr = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text="the name on French pages; empty: the name",
    )
    hall = serializers.SlugRelatedField(slug_field="code", source="hall_a", queryset=Hall.objects.none())
    to_hall = serializers.SlugRelatedField(
        slug_field="code",
        source="hall_b",
        queryset=Hall.objects.none(),
        required=False,
        allow_null=True,
        default=None,
        help_text="the other hall; null (or left out) for an entrance from outside",
    )
    x = serializers.FloatField(help_text="site coordinates (m), on the hall's outline")
    y = serializers.FloatField()
    width = serializers.FloatField(required=False, default=2.0, min_value=0.5, max_value=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        event = self.context.get("event")
        if event is not None:
            self.fields["hall"].queryset = Hall.objects.filter(event=event)
            self.fields["to_hall"].queryset = Hall.objects.filter(event=event)


class PavilionWriteSerializer(serializers.Serializer):
    """What an organiser sends to add a pavilion (a name at least) or change one (any of it)."""

    name = serializers.CharField(max_length=150)
    name_fr = serializers.CharField(
        max_length=150,
        required=False,
        allow_blank=True,
        help_text="the name on French pages; empty: the name",
    )
    country = serializers.CharField(max_length=2, required=False, allow_blank=True, help_text="ISO 3166 code")
    colour = serializers.CharField(max_length=7, required=False, help_text="#rrggbb")
    contact_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
