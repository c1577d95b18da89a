from __future__ import annotations

from rest_framework import serializers

from exhibition.events.models import Hall
from exhibition.floorplans.models import Feature, Pavilion, Stand


class PavilionSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code", read_only=True)

    class Meta:
        model = Pavilion
        fields = ["id", "name", "country", "colour", "contact_name", "contact_email"]


class ExhibitorRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    country = serializers.CharField(source="country.code")


class StandSerializer(serializers.ModelSerializer):
    hall = serializers.SlugRelatedField(slug_field="code", queryset=Hall.objects.none())
    pavilion = serializers.SlugRelatedField(slug_field="name", queryset=Pavilion.objects.none(), required=False, allow_null=True)
    exhibitor = ExhibitorRefSerializer(read_only=True)
    status = serializers.ChoiceField(choices=Stand.Status.choices, required=False)
    open_sides = serializers.IntegerField(min_value=1, max_value=4, required=False, allow_null=True)

    class Meta:
        model = Stand
        fields = ["id", "number", "hall", "x", "y", "width", "depth", "rotation", "area", "open_sides",
                  "open_sides_fixed", "kind", "status", "held_until", "exhibitor", "pavilion", "price", "version"]
        read_only_fields = ["id", "area", "open_sides_fixed", "held_until", "price", "version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        event = self.context.get("event")
        if event is not None:
            self.fields["hall"].queryset = Hall.objects.filter(event=event)
            self.fields["pavilion"].queryset = Pavilion.objects.filter(event=event)
        if not self.context.get("commercials"):
            for name in ("price", "held_until"):
                self.fields.pop(name, None)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["status"] = instance.effective_status
        return data


class StandUpdateSerializer(StandSerializer):
    version = serializers.IntegerField(required=False, help_text="The version you edited; 409 if it changed meanwhile.")

    class Meta(StandSerializer.Meta):
        read_only_fields = ["id", "area", "open_sides_fixed", "held_until", "price"]
        extra_kwargs = {f: {"required": False} for f in ["number", "hall", "x", "y", "width", "depth"]}


class SplitSerializer(serializers.Serializer):
    parts = serializers.IntegerField(min_value=2, max_value=20)
    axis = serializers.ChoiceField(choices=["x", "y"], default="x")
    numbers = serializers.ListField(child=serializers.CharField(max_length=20), required=False)


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
