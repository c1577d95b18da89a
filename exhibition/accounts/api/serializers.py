from __future__ import annotations

from rest_framework import serializers

from exhibition.accounts.models import (
    ApiToken,
    EventStaff,
    Invitation,
    Membership,
    Organisation,
    TradeVisitor,
    User,
)
from exhibition.accounts.services import MAX_BULK_VETTING


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    name = serializers.CharField(
        required=False, max_length=80, help_text="the device or script that will use it"
    )
    days = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=366,
        help_text="how long it works (default: API_TOKEN_TTL_DAYS, 30)",
    )


class NewTokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="send it as `Authorization: Token <token>`; shown only once")
    id = serializers.CharField(help_text="the characters it starts with, to list and revoke it")
    name = serializers.CharField()
    expiry = serializers.DateTimeField(allow_null=True)


class ApiTokenSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="token_key", read_only=True)

    class Meta:
        model = ApiToken
        fields = ["id", "name", "created", "expiry"]


class UserSerializer(serializers.ModelSerializer):
    email_verified = serializers.BooleanField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "language", "email_verified"]


class AccountUpdateSerializer(serializers.Serializer):
    """What the *My account* page changes: send only what changes."""

    # a blank name reaches the service, which says "Enter your name."
    full_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    language = serializers.ChoiceField(
        choices=User._meta.get_field("language").choices,
        required=False,
        help_text="the language of the e-mails we send you",
    )


class OrganisationSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code")
    sectors = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "kind", "name", "country", "website", "sectors"]


class MembershipSerializer(serializers.ModelSerializer):
    user = UserSerializer()

    class Meta:
        model = Membership
        fields = ["id", "user", "role"]


class InvitationSerializer(serializers.ModelSerializer):
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Invitation
        fields = ["id", "email", "role", "organisation", "created_at", "accepted_at", "revoked_at"]
        read_only_fields = ["id", "created_at", "accepted_at", "revoked_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        event = self.context.get("event")
        if event is not None:
            self.fields["organisation"].queryset = Organisation.objects.filter(event=event)


class InvitationAcceptSerializer(serializers.Serializer):
    token = serializers.CharField(
        max_length=1000, help_text="the last part of the invitation link: /accounts/invitation/<token>/"
    )


class AcceptedInvitationSerializer(serializers.ModelSerializer):
    """The invitation just accepted: the show it opens and the role the person now holds there."""

    event = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Invitation
        fields = ["id", "event", "role", "organisation", "accepted_at"]
        read_only_fields = fields


class TradeVisitorSerializer(serializers.ModelSerializer):
    user = UserSerializer(read_only=True)
    country = serializers.CharField(source="country.code", read_only=True)

    class Meta:
        model = TradeVisitor
        fields = ["id", "user", "organisation_name", "job_title", "country", "status", "created_at"]


class OrganiserSerializer(serializers.ModelSerializer):
    user = UserSerializer()

    class Meta:
        model = EventStaff
        fields = ["id", "user", "role"]


class VetSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class BulkVetSerializer(VetSerializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        min_length=1,
        max_length=MAX_BULK_VETTING,
        help_text="the visitors' ids (at most 100)",
    )
