from __future__ import annotations

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from ..models import (
    Availability,
    ExhibitorHost,
    Meeting,
    MeetingRequest,
    Participant,
    Place,
    PlaceBlocking,
    Round,
)

MAX_CAP = 32767  # what a cap column holds (the services check it too)


class ParticipantSerializer(serializers.ModelSerializer):
    sectors = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    stand = serializers.CharField(
        source="stand.number",
        default=None,
        read_only=True,
        allow_null=True,
        help_text="stand number; null when the participant has no stand",
    )

    class Meta:
        model = Participant
        fields = [
            "id",
            "kind",
            "name",
            "headline",
            "offer",
            "seek",
            "sectors",
            "country",
            "opted_in",
            "instant_booking",
            "stand",
        ]
        read_only_fields = ["id", "kind", "name", "country", "stand"]


class ProfileUpdateSerializer(serializers.Serializer):
    headline = serializers.CharField(required=False, allow_blank=True, max_length=200)
    offer = serializers.CharField(required=False, allow_blank=True)
    seek = serializers.CharField(required=False, allow_blank=True)
    sectors = serializers.ListField(child=serializers.SlugField(), required=False)
    opted_in = serializers.BooleanField(required=False)
    instant_booking = serializers.BooleanField(required=False)


class AvailabilitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Availability
        fields = ["date", "starts_at", "ends_at"]


class RequestSerializer(serializers.ModelSerializer):
    sender = serializers.PrimaryKeyRelatedField(read_only=True)
    sender_name = serializers.CharField(source="sender.name", read_only=True)
    recipient_name = serializers.CharField(source="recipient.name", read_only=True)
    meeting = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="the meeting once the request is accepted and placed"
    )
    priority = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="the sender's ranking of this wish, 1 (least) to 5; null for the person asked "
        "(only the sender and the organisers read it)",
    )

    class Meta:
        model = MeetingRequest
        fields = [
            "id",
            "sender",
            "sender_name",
            "recipient",
            "recipient_name",
            "message",
            "preferred_times",
            "priority",
            "status",
            "proposed_start",
            "response",
            "expires_at",
            "round",
            "meeting",
            "created_at",
        ]
        read_only_fields = [
            "id",
            "status",
            "proposed_start",
            "response",
            "expires_at",
            "round",
            "meeting",
            "created_at",
        ]
        extra_kwargs = {"recipient": {"queryset": Participant.objects.all()}}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not request.user.has_perm("meetings.view_request_priority", instance):
            data["priority"] = None
        return data


class NewRequestSerializer(serializers.Serializer):
    recipient = serializers.IntegerField()
    message = serializers.CharField(required=False, allow_blank=True, default="")
    preferred_times = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    priority = serializers.IntegerField(required=False, default=1, min_value=1, max_value=5)


@extend_schema_serializer(component_name="MeetingTransition")  # exhibitors has a TransitionSerializer too
class TransitionSerializer(serializers.Serializer):
    start = serializers.DateTimeField(required=False, allow_null=True, default=None)
    place = serializers.IntegerField(required=False, allow_null=True, default=None)
    host = serializers.IntegerField(required=False, allow_null=True, default=None)
    message = serializers.CharField(required=False, allow_blank=True, default="")
    held = serializers.BooleanField(required=False, default=True)
    rating = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=5)


class BookSerializer(serializers.Serializer):
    recipient = serializers.IntegerField()
    start = serializers.DateTimeField()
    host = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="who from the recipient company takes the meeting (one of its hosts); "
        "the first free one if left out",
    )
    sender_host = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="when an exhibitor books another exhibitor: who from the booking company takes the meeting "
        "(one of its hosts, see .../participants/{id}/hosts/); the first free one if left out",
    )
    place = serializers.IntegerField(required=False, allow_null=True, default=None)
    message = serializers.CharField(required=False, allow_blank=True, default="")


class MeetingSerializer(serializers.ModelSerializer):
    sender_name = serializers.CharField(source="sender.name", read_only=True)
    recipient_name = serializers.CharField(source="recipient.name", read_only=True)
    place_name = serializers.CharField(source="place.name", default=None, read_only=True, allow_null=True)
    host_name = serializers.CharField(source="host.user.full_name", default=None, read_only=True)
    sender_host_name = serializers.CharField(
        source="sender_host.user.full_name", default=None, read_only=True, allow_null=True
    )

    class Meta:
        model = Meeting
        fields = [
            "id",
            "sender",
            "sender_name",
            "recipient",
            "recipient_name",
            "start",
            "end",
            "place",
            "place_name",
            "host",
            "host_name",
            "sender_host",
            "sender_host_name",
            "status",
            "sequence",
            "round",
            "request",
        ]
        extra_kwargs = {
            "sender_host": {"help_text": "the sending exhibitor's staff member when both sides exhibit"}
        }


class PlaceSerializer(serializers.ModelSerializer):
    """A meeting place; ``is_active`` false = out of use (no new bookings)."""

    class Meta:
        model = Place
        fields = ["id", "kind", "name", "capacity", "opens_at", "closes_at", "walking_id", "is_active"]
        read_only_fields = ["id"]


class PlaceBlockingSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlaceBlocking
        fields = ["id", "place", "start", "end", "reason"]
        read_only_fields = ["id", "place"]


class HostSerializer(serializers.ModelSerializer):
    """A staff member who takes meetings for an exhibitor."""

    name = serializers.CharField(source="user.get_full_name", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    upcoming_meetings = serializers.IntegerField(
        source="upcoming", read_only=True, help_text="Scheduled meetings not over yet."
    )

    class Meta:
        model = ExhibitorHost
        fields = ["id", "user", "name", "email", "upcoming_meetings"]
        read_only_fields = ["id", "user"]


class NewHostSerializer(serializers.Serializer):
    user = serializers.IntegerField(help_text="A member of the company who does not take meetings yet.")


class CapsSerializer(serializers.Serializer):
    """A participant's caps; null = the show's default (given as ``default_*``)."""

    max_requests = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=MAX_CAP)
    max_meetings = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=MAX_CAP)
    default_max_requests = serializers.IntegerField(read_only=True)
    default_max_meetings = serializers.IntegerField(read_only=True)


class RoundSerializer(serializers.ModelSerializer):
    class Meta:
        model = Round
        fields = [
            "id",
            "name",
            "status",
            "time_limit",
            "at_tables",
            "progress",
            "progress_message",
            "draft_stats",
            "published_at",
            "created_at",
        ]
        read_only_fields = [
            "id",
            "status",
            "progress",
            "progress_message",
            "draft_stats",
            "published_at",
            "created_at",
        ]


def _setting(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(required=False, min_value=0, max_value=MAX_CAP, help_text=help_text)


class MeetingSettingsSerializer(serializers.Serializer):
    """The show's meeting settings, as the organiser's *Meeting settings* page shows them. In a
    change, send only what changes; the others keep their values."""

    slot_minutes = _setting("10 to 240 minutes. Meetings already booked keep their times.")
    request_expiry_hours = _setting("An unanswered request expires after this time.")
    reminder_hours = _setting("Less than the expiry; 0 for no reminder.")
    meeting_reminder_minutes = _setting("At most 180 minutes; 0 for no reminder.")
    default_max_requests = _setting("For participants without a cap of their own.")
    default_max_meetings = _setting("For participants without a cap of their own.")


class DraftPinsSerializer(serializers.Serializer):
    """A round's draft: its meetings (each named by its request's id) and those pinned."""

    meetings = serializers.ListField(
        child=serializers.IntegerField(), help_text="ids of the requests the draft schedules"
    )
    pinned = serializers.ListField(
        child=serializers.IntegerField(), help_text="ids of the requests whose meetings are pinned"
    )


class DraftMeetingSerializer(serializers.Serializer):
    """A meeting of the draft as the review screen shows it (the show's local time)."""

    request = serializers.IntegerField(source="request.pk", help_text="the id of the request it is for")
    sender = serializers.CharField(source="request.sender.name")
    recipient = serializers.CharField(source="request.recipient.name")
    start = serializers.DateTimeField()
    where = serializers.CharField(help_text="the table, or the exhibitor's stand")
    hall = serializers.CharField()
    host = serializers.CharField(help_text="the exhibitor's person who holds it, if chosen")
    pinned = serializers.BooleanField()


class DraftDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    meetings = serializers.IntegerField()


class UnplacedSerializer(serializers.Serializer):
    request = serializers.IntegerField(source="request.pk")
    sender = serializers.CharField(source="request.sender.name")
    recipient = serializers.CharField(source="request.recipient.name")
    reason = serializers.CharField(help_text="why the draft could not place it")


class DraftReviewSerializer(serializers.Serializer):
    """A round's draft for review: the days and how many meetings each has, the chosen day's
    meetings, and the accepted requests the draft could not place."""

    total = serializers.IntegerField(help_text="meetings in the draft")
    days = serializers.SerializerMethodField()
    day = serializers.DateField(allow_null=True, help_text="the day shown")
    meetings = DraftMeetingSerializer(many=True)
    unplaced = UnplacedSerializer(many=True)

    @extend_schema_field(DraftDaySerializer(many=True))
    def get_days(self, review) -> list[dict]:
        return [{"date": d, "meetings": n} for d, n in review.days]


class PinSerializer(serializers.Serializer):
    meeting = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text="the id of the request a meeting of the draft is for"
    )
    pinned = serializers.BooleanField(help_text="true pins the meeting where it is; false unpins it")


class SuggestionSerializer(serializers.Serializer):
    """Someone worth meeting, with the score and the reasons of the suggestion."""

    participant = ParticipantSerializer()
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())
