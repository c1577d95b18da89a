from __future__ import annotations

from rest_framework import serializers

from exhibition.core.webhooks import all_event_types

from ..models import Attempt, Delivery, Endpoint


class EndpointSerializer(serializers.ModelSerializer):
    event_types = serializers.ListField(child=serializers.ChoiceField(choices=[]), required=False)

    class Meta:
        model = Endpoint
        fields = ["id", "url", "description", "event_types", "is_active", "disabled_reason", "created_at"]
        read_only_fields = ["id", "is_active", "disabled_reason", "created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event_types"].child.choices = sorted(all_event_types())


class EndpointCreatedSerializer(EndpointSerializer):
    """The answer to a create: the only time the API shows the secret unasked."""

    class Meta(EndpointSerializer.Meta):
        fields = [*EndpointSerializer.Meta.fields, "secret"]
        read_only_fields = [*EndpointSerializer.Meta.read_only_fields, "secret"]


class EndpointUpdateSerializer(serializers.Serializer):
    url = serializers.CharField(max_length=500, required=False)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    event_types = serializers.ListField(child=serializers.CharField(max_length=80), required=False)
    is_active = serializers.BooleanField(required=False)


class SecretSerializer(serializers.Serializer):
    secret = serializers.CharField(read_only=True)


class AttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attempt
        fields = ["at", "status_code", "error", "duration_ms", "manual"]


class DeliverySerializer(serializers.ModelSerializer):
    msg_id = serializers.CharField(source="message.msg_id", read_only=True)
    type = serializers.CharField(source="message.type", read_only=True)
    payload = serializers.JSONField(source="message.payload", read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "endpoint",
            "msg_id",
            "type",
            "payload",
            "status",
            "attempts",
            "next_attempt_at",
            "last_status_code",
            "last_error",
            "delivered_at",
            "created_at",
        ]
        read_only_fields = fields
