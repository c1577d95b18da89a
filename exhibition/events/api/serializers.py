from __future__ import annotations

from rest_framework import serializers

from exhibition.accounts.roles import roles_for
from exhibition.events.models import Event, Hall, Sector, ShowDay


class ShowDaySerializer(serializers.ModelSerializer):
    class Meta:
        model = ShowDay
        fields = ["date", "opens_at", "closes_at"]


class HallSerializer(serializers.ModelSerializer):
    class Meta:
        model = Hall
        fields = ["id", "code", "name", "width", "depth", "origin_x", "origin_y"]


class SectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["code", "name_en", "name_fr", "colour"]


class EventSerializer(serializers.ModelSerializer):
    days = ShowDaySerializer(many=True, read_only=True)
    country = serializers.CharField(source="country.code", read_only=True)

    class Meta:
        model = Event
        fields = [
            "slug",
            "name",
            "venue",
            "city",
            "country",
            "time_zone",
            "currency",
            "walking_speed",
            "days",
        ]


class EventDetailSerializer(EventSerializer):
    halls = HallSerializer(many=True, read_only=True)
    sectors = SectorSerializer(many=True, read_only=True)
    my_roles = serializers.SerializerMethodField()

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "halls", "sectors", "my_roles"]

    def get_my_roles(self, obj) -> list[str]:
        return roles_for(self.context["request"].user, obj).labels()
