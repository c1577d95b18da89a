from __future__ import annotations

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from exhibition.accounts import services
from exhibition.accounts.models import Invitation, Organisation, TradeVisitor
from exhibition.accounts.roles import roles_for
from exhibition.events.api.views import EventScopedMixin

from .serializers import (
    InvitationSerializer,
    OrganisationSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    TradeVisitorSerializer,
    UserSerializer,
)


class ObtainTokenView(APIView):
    """Exchange an e-mail address and password for an API token."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer})
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(request, username=data.validated_data["email"], password=data.validated_data["password"])
        if user is None or not user.is_active:
            return Response(
                {"non_field_errors": ["Unable to sign in with that e-mail address and password."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class MeView(generics.RetrieveAPIView):
    serializer_class = UserSerializer

    def get_object(self):
        return self.request.user


class OrganisationListView(EventScopedMixin, generics.ListAPIView):
    """Organisations of the event: all of them for organisers, one's own for members."""

    serializer_class = OrganisationSerializer
    permission_required = "events.view_event"

    def get_queryset(self):
        qs = Organisation.objects.filter(event=self.event).prefetch_related("sectors").order_by("name", "id")
        roles = roles_for(self.request.user, self.event)
        if not roles.is_organiser:
            qs = qs.filter(pk__in=list(roles.memberships))
        kind = self.request.query_params.get("kind")
        if kind in Organisation.Kind.values:
            qs = qs.filter(kind=kind)
        return qs


class OrganisationDetailView(EventScopedMixin, generics.RetrieveAPIView):
    serializer_class = OrganisationSerializer
    permission_required = "events.view_event"
    object_permission_map = {"GET": "accounts.view_organisation"}

    def get_queryset(self):
        return Organisation.objects.filter(event=self.event).prefetch_related("sectors")


class InvitationListCreateView(EventScopedMixin, generics.ListCreateAPIView):
    """Organisers see and send every invitation; company admins and heads of delegation
    invite to their own organisation (the service checks which)."""

    serializer_class = InvitationSerializer
    permission_required = "events.view_event"

    def get_queryset(self):
        roles = roles_for(self.request.user, self.event)
        qs = Invitation.objects.filter(event=self.event).order_by("-created_at", "-id")
        if not roles.is_organiser:
            qs = qs.filter(organisation_id__in=[oid for oid in roles.memberships if roles.manages(oid)])
        return qs

    def perform_create(self, serializer):
        serializer.instance = services.invite(
            event=self.event,
            actor=self.request.user,
            email=serializer.validated_data["email"],
            role=serializer.validated_data["role"],
            organisation=serializer.validated_data.get("organisation"),
        )


class VisitorListView(EventScopedMixin, generics.ListAPIView):
    serializer_class = TradeVisitorSerializer
    permission_required = "events.manage_event"

    def get_queryset(self):
        qs = TradeVisitor.objects.filter(event=self.event).select_related("user").order_by("created_at", "id")
        status_ = self.request.query_params.get("status")
        if status_ in TradeVisitor.Status.values:
            qs = qs.filter(status=status_)
        return qs
