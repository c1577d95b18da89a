from __future__ import annotations

from datetime import date, time

from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext as _
from django_countries import countries
from rest_framework import serializers

from exhibition.accounts.roles import roles_for
from exhibition.events import selectors
from exhibition.events.models import Event, Hall, Sector, ShowDay, validate_time_zone
from exhibition.events.services import MAX_SHOW_DAYS

# Bounds of a hall on the site plan, in metres: wide enough for any exhibition centre, and a
# typing slip (a width of 1e300) is a field error rather than a plan nobody can draw.
MAX_HALL_SIZE = 10_000.0
MAX_SITE_OFFSET = 100_000.0
MAX_WALKING_SPEED = 1_000.0  # metres per minute
# The days a show may take place on: beyond these, times of day no longer convert to UTC and
# back (year 1, year 9999), and no show was or will be held there.
SHOW_DATES = [MinValueValidator(date(2000, 1, 1)), MaxValueValidator(date(2100, 12, 31))]


class ShowDaySerializer(serializers.ModelSerializer):
    """A show day and its opening hours (local times of the show). The date is set when the day
    is added and stays: its bookings are on it."""

    class Meta:
        model = ShowDay
        fields = ["id", "date", "opens_at", "closes_at"]
        read_only_fields = ["id"]
        extra_kwargs = {"date": {"validators": SHOW_DATES}}


class ShowDayHoursSerializer(serializers.ModelSerializer):
    """New opening hours for a day; a time left out keeps its value."""

    class Meta:
        model = ShowDay
        fields = ["opens_at", "closes_at"]
        extra_kwargs = {"opens_at": {"required": False}, "closes_at": {"required": False}}


class HallSerializer(serializers.ModelSerializer):
    """A hall: its code (which stand numbers carry), its size and where it lies on the site plan."""

    class Meta:
        model = Hall
        fields = ["id", "code", "name", "width", "depth", "origin_x", "origin_y"]
        read_only_fields = ["id"]
        extra_kwargs = {
            "width": {"max_value": MAX_HALL_SIZE},
            "depth": {"max_value": MAX_HALL_SIZE},
            "origin_x": {"min_value": -MAX_SITE_OFFSET, "max_value": MAX_SITE_OFFSET},
            "origin_y": {"min_value": -MAX_SITE_OFFSET, "max_value": MAX_SITE_OFFSET},
        }


class SectorSerializer(serializers.ModelSerializer):
    """A sector of the show's taxonomy; its code is made from the English name when left empty."""

    class Meta:
        model = Sector
        fields = ["id", "code", "name_en", "name_fr", "colour"]
        read_only_fields = ["id"]
        extra_kwargs = {"code": {"required": False, "allow_blank": True}}


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
        fields = [*EventSerializer.Meta.fields, "is_public", "halls", "sectors", "my_roles"]

    def get_my_roles(self, obj) -> list[str]:
        return roles_for(self.context["request"].user, obj).labels()


def _upper(value: str) -> str:
    return (value or "").strip().upper()


class EventUpdateSerializer(serializers.ModelSerializer):
    """The show's details (the short name, ``slug``, cannot change: addresses, feeds and badges
    carry it). Send only what changes."""

    country = serializers.CharField(max_length=2, required=False, allow_blank=True, help_text="ISO 3166 code")

    class Meta:
        model = Event
        fields = ["name", "venue", "city", "country", "time_zone", "currency", "is_public", "walking_speed"]
        extra_kwargs = {"walking_speed": {"max_value": MAX_WALKING_SPEED}}

    def validate_country(self, value: str) -> str:
        return _upper(value)

    def validate_currency(self, value: str) -> str:
        return _upper(value)


class NewShowSerializer(serializers.Serializer):
    """A new show, not public yet, with ``days`` consecutive show days from ``first_day``; whoever
    creates it becomes its first organiser admin."""

    slug = serializers.CharField(
        max_length=60, help_text="Starts every address of the show, e.g. milipol-2027; cannot change later."
    )
    name = serializers.CharField(max_length=200)
    venue = serializers.CharField(max_length=200)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    country = serializers.CharField(
        max_length=2, required=False, allow_blank=True, default="", help_text="ISO 3166 code"
    )
    time_zone = serializers.CharField(
        max_length=64, validators=[validate_time_zone], help_text="e.g. Europe/Paris"
    )
    currency = serializers.CharField(max_length=3, required=False, default="EUR")
    first_day = serializers.DateField(validators=SHOW_DATES)
    days = serializers.IntegerField(min_value=1, max_value=MAX_SHOW_DAYS)
    opens = serializers.TimeField(required=False, default=time(9, 30))
    closes = serializers.TimeField(required=False, default=time(18, 0))

    def validate_slug(self, value: str) -> str:
        return value.strip().lower()

    def validate_country(self, value: str) -> str:
        return _upper(value)

    def validate_currency(self, value: str) -> str:
        return _upper(value)


class VisitorRegistrationSerializer(serializers.Serializer):
    """A trade visitor's registration, as the show's *Register as a visitor* page takes it."""

    organisation_name = serializers.CharField(max_length=200)
    job_title = serializers.CharField(max_length=150)
    country = serializers.CharField(max_length=2, help_text="ISO 3166 code")
    looking_for = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000, help_text="what you are looking for"
    )
    sectors = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        required=False,
        queryset=Sector.objects.none(),
        help_text="codes of the show's sectors of interest",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        event = self.context.get("event")
        if event is not None:
            self.fields["sectors"].child_relation.queryset = selectors.sectors_of_event(event)

    def validate_country(self, value: str) -> str:
        code = _upper(value)
        if code not in countries:
            raise serializers.ValidationError(_("Choose a country from the list."))
        return code


class CalendarAddressSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="the secret part of your new calendar addresses at this show")
    meetings = serializers.URLField(help_text="the new address of your meetings' calendar")
    programme = serializers.URLField(
        help_text="the new address of your delegation's programme (for its members)"
    )
