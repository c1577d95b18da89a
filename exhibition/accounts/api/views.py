from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from exhibition.accounts import admission, selectors, services
from exhibition.accounts.lockout import lockout_response
from exhibition.accounts.models import Organisation
from exhibition.core import ratelimit
from exhibition.core.api import EventScopedMixin
from exhibition.core.errors import DomainError, NotAllowed

from .serializers import (
    AcceptedInvitationSerializer,
    AccountUpdateSerializer,
    ApiTokenSerializer,
    BulkVetSerializer,
    InvitationAcceptSerializer,
    InvitationSerializer,
    MembershipSerializer,
    NewTokenSerializer,
    OrganisationSerializer,
    OrganiserSerializer,
    TokenRequestSerializer,
    TradeVisitorSerializer,
    UserSerializer,
    VetSerializer,
)


class ObtainTokenView(APIView):
    """Exchange an e-mail address and password for a new named API token (201). The token is
    shown once; only its hash is kept. Wrong passwords are counted per account and per address:
    after 10 the account is locked out for a while (429 with Retry-After)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(request=TokenRequestSerializer, responses={201: NewTokenSerializer})
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        user = authenticate(request._request, username=d["email"], password=d["password"])
        if getattr(request._request, "axes_locked_out", False):
            return lockout_response(request._request)
        if user is None or not user.is_active:
            return Response(
                {"non_field_errors": [_("Unable to sign in with that e-mail address and password.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        if not user.email_verified:
            raise NotAllowed(
                _("Confirm your e-mail address first: open the link we sent you."), code="unverified"
            )
        token, secret = services.create_api_token(
            user=user, name=d.get("name") or _("API"), days=d.get("days")
        )
        return Response(
            NewTokenSerializer(
                {"token": secret, "id": token.token_key, "name": token.name, "expiry": token.expiry}
            ).data,
            status=status.HTTP_201_CREATED,
        )


class TokenListView(generics.ListAPIView):
    """Your API tokens (never the tokens themselves: the first characters, name and expiry)."""

    permission_required = "accounts.signed_in"
    serializer_class = ApiTokenSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.tokens_of(self.request.user)


class TokenDetailView(APIView):
    """DELETE revokes one of your tokens (by the characters it starts with)."""

    permission_required = "accounts.signed_in"

    @extend_schema(responses={204: None})
    def delete(self, request, key):
        token = selectors.token_of(request.user, key)
        services.revoke_api_token(token=token, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(generics.RetrieveAPIView):
    """GET: your account. PATCH: your name and preferred language, as the *My account* page
    changes them (send only what changes; the password is changed on the page)."""

    permission_required = "accounts.signed_in"
    serializer_class = UserSerializer

    def get_object(self):
        return self.request.user

    @extend_schema(
        request=AccountUpdateSerializer,
        responses={200: UserSerializer},
        description=(
            "Change your name and preferred language (the language of the e-mails you get), as the "
            "*My account* page does; send only what changes. An empty name is a field error."
        ),
    )
    def patch(self, request):
        s = AccountUpdateSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        user = request.user
        user = services.update_profile(
            user=user,
            full_name=s.validated_data.get("full_name", user.full_name),
            language=s.validated_data.get("language", user.language),
        )
        return Response(UserSerializer(user).data)


class InvitationAcceptView(APIView):
    """POST {token}: accept an invitation as the signed-in person, as the invitation page's
    button does. The invitation must have been sent to your e-mail address (403 otherwise); you
    then hold its role at its show (and your address counts as confirmed). Attempts are counted
    per address and per network address (429 with Retry-After)."""

    permission_required = "accounts.signed_in"

    @extend_schema(
        request=InvitationAcceptSerializer,
        responses={200: AcceptedInvitationSerializer},
        description=(
            "Accept an invitation for the signed-in person. The token is the last part of the "
            "invitation link; an expired, used, revoked or altered link is a field error on `token`. "
            "An invitation sent to another address is refused (403)."
        ),
    )
    def post(self, request):
        s = InvitationAcceptSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        try:
            invitation = services.invitation_from_token(s.validated_data["token"])
        except DomainError as exc:
            raise DomainError(exc.message, field="token", code=exc.code) from None
        ratelimit.limit(request, "invitation", account=invitation.email)
        services.accept_invitation(invitation=invitation, user=request.user)
        accepted = selectors.invitation_of_event(invitation.event, invitation.pk)
        return Response(AcceptedInvitationSerializer(accepted).data)


class OrganisationListView(EventScopedMixin, generics.ListAPIView):
    """Organisations of the event: all of them for organisers, one's own for members."""

    serializer_class = OrganisationSerializer
    permission_required = "events.view_event"

    def get_queryset(self):
        return selectors.organisations_for(
            self.event, self.request.user, kind=self.request.query_params.get("kind")
        )


class OrganisationDetailView(EventScopedMixin, generics.RetrieveAPIView):
    serializer_class = OrganisationSerializer
    permission_required = "accounts.view_organisation"

    def get_queryset(self):
        return selectors.organisations_of_event(self.event)

    def get_permission_object(self):
        return self.get_object()

    def get_object(self):  # once: the permission check and the answer share it
        if not hasattr(self, "_organisation"):
            self._organisation = super().get_object()
        return self._organisation


class InvitationListCreateView(EventScopedMixin, generics.ListCreateAPIView):
    """Organisers see and send every invitation; company admins and heads of delegation
    invite to their own organisation (the service checks which)."""

    serializer_class = InvitationSerializer
    permission_required = "events.view_event"

    def get_queryset(self):
        return selectors.invitations_for(self.event, self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.invite(
            event=self.event,
            actor=self.request.user,
            email=serializer.validated_data["email"],
            role=serializer.validated_data["role"],
            organisation=serializer.validated_data.get("organisation"),
        )


@extend_schema_view(
    get=extend_schema(
        parameters=[
            OpenApiParameter("status", str, description="pending, approved or rejected"),
            OpenApiParameter("q", str, description="part of the name, e-mail address or organisation"),
            OpenApiParameter("country", str, description="two-letter country code"),
        ]
    )
)
class VisitorListView(EventScopedMixin, generics.ListAPIView):
    """The show's trade visitors (organisers), as on the vetting page."""

    serializer_class = TradeVisitorSerializer
    permission_required = "events.manage_event"

    def get_queryset(self):
        params = self.request.query_params
        return selectors.visitors_of(
            self.event,
            status=params.get("status"),
            q=params.get("q", "")[:100],
            country=params.get("country", "")[:2],
        )


class InvitationRevokeView(EventScopedMixin, APIView):
    """POST revokes an open invitation (organisers; a company admin or head of delegation for
    their own organisation's)."""

    permission_required = "events.view_event"

    @extend_schema(request=None, responses={200: InvitationSerializer})
    def post(self, request, event_slug, pk):
        invitation = selectors.invitation_of_event(self.event, pk)
        if not (
            request.user.has_perm("events.invite_participant", self.event)
            or (
                invitation.organisation
                and request.user.has_perm("accounts.manage_members", invitation.organisation)
            )
        ):
            raise Http404
        invitation = services.revoke_invitation(invitation=invitation, actor=request.user)
        return Response(InvitationSerializer(invitation, context={"event": self.event}).data)


class OrganisationScoped(EventScopedMixin):
    """The organisation of the URL; its members are managed by its admin (or head of
    delegation) and the organisers."""

    permission_required = "accounts.manage_members"

    def get_permission_object(self) -> Organisation:
        if not hasattr(self, "_organisation"):
            self._organisation = selectors.organisation_of_event(self.event, self.kwargs["pk"])
        return self._organisation


class MemberListView(OrganisationScoped, generics.ListAPIView):
    serializer_class = MembershipSerializer

    def get_queryset(self):
        return selectors.members_of(self.get_permission_object())


class MemberDetailView(OrganisationScoped, APIView):
    """DELETE removes the person from the organisation: they lose admission at once (their pending
    requests and upcoming meetings are cancelled). ``?reason=`` goes to the audit log."""

    @extend_schema(responses={204: None}, parameters=[OpenApiParameter("reason", str)])
    def delete(self, request, event_slug, pk, member_id):
        membership = selectors.membership_in(self.get_permission_object(), member_id)
        admission.remove_member(
            membership=membership, actor=request.user, reason=request.query_params.get("reason", "")
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class MemberHandOverView(OrganisationScoped, APIView):
    """POST makes this member the organisation's admin (or head of delegation); the caller, if
    they held that role, becomes staff (or member)."""

    @extend_schema(request=None, responses={200: MembershipSerializer})
    def post(self, request, event_slug, pk, member_id):
        membership = selectors.membership_in(self.get_permission_object(), member_id)
        membership = admission.hand_over_admin(
            organisation=self.get_permission_object(), actor=request.user, to=membership
        )
        return Response(MembershipSerializer(membership).data)


class OrganiserListView(EventScopedMixin, generics.ListAPIView):
    serializer_class = OrganiserSerializer
    permission_required = "events.manage_event"
    pagination_class = None

    def get_queryset(self):
        return selectors.organisers_of(self.event)


class OrganiserDetailView(EventScopedMixin, APIView):
    """DELETE removes an organiser (organiser admins; never the last admin)."""

    permission_required = "events.invite_organiser"

    @extend_schema(responses={204: None}, parameters=[OpenApiParameter("reason", str)])
    def delete(self, request, event_slug, pk):
        staff = selectors.organiser_of_event(self.event, pk)
        admission.remove_organiser(
            staff=staff, actor=request.user, reason=request.query_params.get("reason", "")
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class VisitorBulkVetView(EventScopedMixin, APIView):
    """POST {ids, approve, reason}: the same decision for several of the show's visitors, all or
    none (each told by e-mail as when vetted one by one), as the vetting page does."""

    permission_required = "events.manage_event"

    @extend_schema(
        operation_id="v1_events_visitors_vet_many",
        request=BulkVetSerializer,
        responses={200: inline_serializer("BulkVetResult", {"vetted": serializers.IntegerField()})},
    )
    def post(self, request, event_slug):
        data = BulkVetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        n = services.vet_visitors(
            event=self.event,
            actor=request.user,
            ids=data.validated_data["ids"],
            approve=data.validated_data["approve"],
            reason=data.validated_data["reason"],
        )
        return Response({"vetted": n})


class VisitorVetView(EventScopedMixin, APIView):
    """POST {approve, reason}: approve, reject, or withdraw an approval (the visitor then loses
    admission at once)."""

    permission_required = "accounts.vet_tradevisitor"

    @extend_schema(request=VetSerializer, responses={200: TradeVisitorSerializer})
    def post(self, request, event_slug, pk):
        visitor = selectors.visitor_of_event(self.event, pk)
        data = VetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        visitor = services.vet_visitor(visitor=visitor, actor=request.user, **data.validated_data)
        return Response(TradeVisitorSerializer(visitor).data)
