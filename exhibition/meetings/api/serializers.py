from __future__ import annotations

from rest_framework import serializers

from ..models import Availability, Meeting, MeetingRequest, Participant, Place, Round


class ParticipantSerializer(serializers.ModelSerializer):
    sectors = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    stand = serializers.CharField(source="stand.number", default=None, read_only=True)

    class Meta:
        model = Participant
        fields = ["id", "kind", "name", "headline", "offer", "seek", "sectors", "country", "opted_in",
                  "instant_booking", "stand"]
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
    meeting = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = MeetingRequest
        fields = ["id", "sender", "sender_name", "recipient", "recipient_name", "message", "preferred_times", "priority",
                  "status", "proposed_start", "response", "expires_at", "round", "meeting", "created_at"]
        read_only_fields = ["id", "status", "proposed_start", "response", "expires_at", "round", "meeting", "created_at"]
        extra_kwargs = {"recipient": {"queryset": Participant.objects.all()}}


class NewRequestSerializer(serializers.Serializer):
    recipient = serializers.IntegerField()
    message = serializers.CharField(required=False, allow_blank=True, default="")
    preferred_times = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    priority = serializers.IntegerField(required=False, default=1, min_value=1, max_value=5)


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
    host = serializers.IntegerField(required=False, allow_null=True, default=None)
    place = serializers.IntegerField(required=False, allow_null=True, default=None)
    message = serializers.CharField(required=False, allow_blank=True, default="")


class MeetingSerializer(serializers.ModelSerializer):
    sender_name = serializers.CharField(source="sender.name", read_only=True)
    recipient_name = serializers.CharField(source="recipient.name", read_only=True)
    place_name = serializers.CharField(source="place.name", default=None, read_only=True)
    host_name = serializers.CharField(source="host.user.full_name", default=None, read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "sender", "sender_name", "recipient", "recipient_name", "start", "end", "place", "place_name",
                  "host", "host_name", "status", "sequence", "round", "request"]


class PlaceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Place
        fields = ["id", "kind", "name", "capacity", "opens_at", "closes_at", "walking_id", "is_active"]
        read_only_fields = ["id", "is_active"]


class RoundSerializer(serializers.ModelSerializer):
    class Meta:
        model = Round
        fields = ["id", "name", "status", "time_limit", "at_tables", "progress", "progress_message", "draft_stats",
                  "published_at", "created_at"]
        read_only_fields = ["id", "status", "progress", "progress_message", "draft_stats", "published_at", "created_at"]
