from __future__ import annotations

from rest_framework import serializers

from exhibition.accounts.models import Invitation, Membership, Organisation, TradeVisitor, User


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "full_name", "language"]


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
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Invitation
        fields = ["id", "email", "role", "organisation", "created_at", "accepted_at", "revoked_at"]
        read_only_fields = ["id", "created_at", "accepted_at", "revoked_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        event = self.context.get("event")
        if event is not None:
            self.fields["organisation"].queryset = Organisation.objects.filter(event=event)


class TradeVisitorSerializer(serializers.ModelSerializer):
    user = UserSerializer(read_only=True)
    country = serializers.CharField(source="country.code", read_only=True)

    class Meta:
        model = TradeVisitor
        fields = ["id", "user", "organisation_name", "job_title", "country", "status", "created_at"]
