"""REST endpoints for delegations: the same selectors, services and predicates as the pages."""

from __future__ import annotations

from typing import ClassVar

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import PermissionDenied as ApiDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from exhibition.accounts.api.serializers import InvitationSerializer
from exhibition.accounts.roles import roles_for
from exhibition.core.api import EventScopedMixin
from exhibition.core.errors import DomainError
from exhibition.core.throttles import HeavyThrottle
from exhibition.floorplans.selectors import hall_for

from .. import selectors, services
from ..models import Delegation, PlanningRun
from . import serializers as s


def _stand(event, number):
    stand = selectors.stand_numbered(event, number)
    if stand is None:
        raise DomainError(f"There is no stand {number}.", field="stand")
    return stand


class DelegationScoped(EventScopedMixin):
    """The delegation of the URL, checked against ``permission_required`` by the permission
    class (404 for another event's, 403 without the right); methods that need more ask
    ``delegation(perm)``."""

    permission_required = "delegations.view_delegation"

    def get_permission_object(self):
        if not hasattr(self, "_delegation"):
            self._delegation = selectors.delegation_in_event(self.event, self.kwargs["pk"])
        return self._delegation

    def delegation(self, perm: str | None = None):
        delegation = self.get_permission_object()
        if not self.request.user.has_perm(perm or self.permission_required, delegation):
            raise ApiDenied
        return delegation


@extend_schema_view(
    get=extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="official name, organisation or member name contains"),
            OpenApiParameter("country", str, description="ISO country code of the organisation"),
            OpenApiParameter(
                "level", str, enum=Delegation.ProtocolLevel.values, description="protocol level"
            ),
            OpenApiParameter("state", str, enum=["published", "unplanned", "draft"]),
        ]
    ),
    post=extend_schema(request=s.DelegationCreateSerializer, responses={201: s.DelegationDetailSerializer}),
)
class DelegationListView(EventScopedMixin, generics.ListCreateAPIView):
    """The delegations the reader may see; organisers register new ones (POST), as on the
    delegations page."""

    permission_required: ClassVar[dict[str, str]] = {
        "GET": "delegations.view_own_delegation",
        "POST": "delegations.plan_programmes",
    }
    serializer_class = s.DelegationSerializer

    def create(self, request, *args, **kwargs):
        data = s.DelegationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = services.register_delegation(event=self.event, actor=request.user, **data.validated_data)
        return Response(
            s.DelegationDetailSerializer(
                selectors.delegation_in_event(self.event, d.pk), context={"request": request}
            ).data,
            status=status.HTTP_201_CREATED,
        )

    def get_queryset(self):
        if self.request.user.has_perm("delegations.list_delegations", self.event):
            qs = selectors.delegations_for_event(self.event)
        else:
            qs = selectors.delegations_of_member(self.event, self.request.user)
        q = self.request.query_params
        return selectors.filter_delegations(
            qs,
            q=q.get("q", ""),
            country=q.get("country", ""),
            level=q.get("level", ""),
            state=q.get("state", ""),
        )


class DelegationDetailView(DelegationScoped, APIView):
    @extend_schema(responses=s.DelegationDetailSerializer)
    def get(self, request, event_slug, pk):
        return Response(s.DelegationDetailSerializer(self.delegation(), context={"request": request}).data)

    @extend_schema(request=s.DelegationUpdateSerializer, responses=s.DelegationDetailSerializer)
    def patch(self, request, event_slug, pk):
        d = self.delegation("delegations.change_delegation")
        data = s.DelegationUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.update_delegation(delegation=d, actor=request.user, **data.validated_data)
        return Response(s.DelegationDetailSerializer(d, context={"request": request}).data)


class MemberListView(DelegationScoped, APIView):
    @extend_schema(responses=s.MemberSerializer(many=True))
    def get(self, request, event_slug, pk):
        return Response(s.MemberSerializer(selectors.members_for(self.delegation()), many=True).data)

    @extend_schema(request=s.MemberSerializer, responses={201: s.MemberSerializer})
    def post(self, request, event_slug, pk):
        d = self.delegation("delegations.change_delegation")
        data = s.MemberSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        member = services.add_member(delegation=d, actor=request.user, **data.validated_data)
        return Response(s.MemberSerializer(member).data, status=status.HTTP_201_CREATED)


class MemberDetailView(DelegationScoped, APIView):
    @extend_schema(request=s.MemberSerializer, responses=s.MemberSerializer)
    def patch(self, request, event_slug, pk, member_id):
        d = self.delegation("delegations.change_delegation")
        member = selectors.member_of_delegation(d, member_id)
        data = s.MemberSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        member = services.update_member(member=member, actor=request.user, **data.validated_data)
        return Response(s.MemberSerializer(member).data)

    @extend_schema(responses={204: None})
    def delete(self, request, event_slug, pk, member_id):
        d = self.delegation("delegations.change_delegation")
        services.remove_member(member=selectors.member_of_delegation(d, member_id), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DayListView(DelegationScoped, APIView):
    """The delegation's days on site; POST sets one (a day it already has gets the new hours)."""

    @extend_schema(responses=s.DelegationDaySerializer(many=True))
    def get(self, request, event_slug, pk):
        return Response(
            s.DelegationDaySerializer(selectors.days_of_delegation(self.delegation()), many=True).data
        )

    @extend_schema(request=s.DelegationDaySerializer, responses={201: s.DelegationDaySerializer})
    def post(self, request, event_slug, pk):
        d = self.delegation("delegations.change_delegation")
        data = s.DelegationDaySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        day = services.set_day(
            delegation=d,
            actor=request.user,
            day=v["date"],
            start=v["start"],
            end=v["end"],
            start_point=v["start_point"],
            end_point=v["end_point"],
        )
        return Response(s.DelegationDaySerializer(day).data, status=status.HTTP_201_CREATED)


class DayDetailView(DelegationScoped, APIView):
    @extend_schema(responses={204: None})
    def delete(self, request, event_slug, pk, day_id):
        """409 while the day has visits in the programme."""
        d = self.delegation("delegations.change_delegation")
        services.remove_day(day=selectors.day_of_delegation(d, day_id), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InterestListView(DelegationScoped, APIView):
    @extend_schema(responses=s.InterestSerializer(many=True))
    def get(self, request, event_slug, pk):
        return Response(s.InterestSerializer(selectors.interests_for(self.delegation()), many=True).data)

    @extend_schema(request=s.InterestInputSerializer, responses={201: s.InterestSerializer})
    def post(self, request, event_slug, pk):
        d = self.delegation("delegations.change_delegation")
        data = s.InterestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        sector = exhibitor = None
        if v.get("sector"):
            sector = selectors.sector_coded(self.event, v["sector"])
            if sector is None:
                raise DomainError("Unknown sector.", field="sector")
        if v.get("exhibitor"):
            exhibitor = selectors.organisation_in_event(self.event, v["exhibitor"])
            if exhibitor is None:
                raise DomainError("Unknown exhibitor.", field="exhibitor")
        interest = services.add_interest(
            delegation=d, actor=request.user, priority=v["priority"], sector=sector, exhibitor=exhibitor
        )
        return Response(s.InterestSerializer(interest).data, status=status.HTTP_201_CREATED)


class InterestDetailView(DelegationScoped, APIView):
    @extend_schema(responses={204: None})
    def delete(self, request, event_slug, pk, interest_id):
        d = self.delegation("delegations.change_delegation")
        services.remove_interest(
            interest=selectors.interest_of_delegation(d, interest_id), actor=request.user
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class VisitListView(DelegationScoped, APIView):
    """The working programme (organisers): list, and add a visit by hand."""

    permission_required = "delegations.manage_programme"

    @extend_schema(responses=s.VisitSerializer(many=True))
    def get(self, request, event_slug, pk):
        visits = selectors.visits_of_delegation(self.delegation())
        return Response(s.VisitSerializer(visits, many=True).data)

    @extend_schema(
        request=s.VisitInputSerializer,
        responses={201: s.VisitSerializer},
        description="stand, date and start are required when adding a visit; pinned defaults to true.",
    )
    def post(self, request, event_slug, pk):
        d = self.delegation()
        data = s.VisitInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        for key in ("stand", "date", "start"):
            if key not in v:
                raise DomainError("This field is required.", field=key)
        visit = services.add_visit(
            delegation=d,
            actor=request.user,
            stand=_stand(self.event, v["stand"]),
            day=v["date"],
            start=v["start"],
            duration=v.get("duration"),
            pinned=v.get("pinned", True),
        )
        return Response(s.VisitSerializer(visit).data, status=status.HTTP_201_CREATED)


class VisitDetailView(DelegationScoped, APIView):
    permission_required = "delegations.manage_programme"

    def visit(self):
        return selectors.visit_in_delegation(self.delegation(), self.kwargs["visit_id"])

    @extend_schema(request=s.VisitInputSerializer, responses=s.VisitSerializer)
    def patch(self, request, event_slug, pk, visit_id):
        visit = self.visit()
        data = s.VisitInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        if any(k in v for k in ("stand", "date", "start", "duration")):
            visit = services.move_visit(
                visit=visit,
                actor=request.user,
                day=v.get("date"),
                start=v.get("start"),
                stand=_stand(self.event, v["stand"]) if v.get("stand") else None,
                duration=v.get("duration"),
            )
        if "pinned" in v:
            visit = services.pin_visit(visit=visit, actor=request.user, pinned=v["pinned"])
        return Response(s.VisitSerializer(visit).data)

    @extend_schema(responses={204: None})
    def delete(self, request, event_slug, pk, visit_id):
        services.remove_visit(visit=self.visit(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProgrammeView(DelegationScoped, APIView):
    """GET: the published programme (what the delegation sees). POST: publish (organisers)."""

    permission_required = "delegations.view_programme"

    @extend_schema(responses=s.ProgrammeSerializer)
    def get(self, request, event_slug, pk):
        d = self.delegation()
        visits = selectors.published_visits_of(d)
        programme = getattr(d, "programme", None)
        return Response(
            {
                "delegation": d.pk,
                "published_at": programme.published_at if programme else None,
                "version": programme.published_version if programme else 0,
                "visits": s.PublishedVisitSerializer(visits, many=True, context={"event": self.event}).data,
            }
        )

    @extend_schema(request=None, responses=s.PublishResultSerializer)
    def post(self, request, event_slug, pk):
        d = self.delegation("delegations.manage_programme")
        return Response(services.publish_programme(delegation=d, actor=request.user))


class RunningLateView(DelegationScoped, APIView):
    """The organiser's "running late" on the timeline page."""

    throttle_classes = [HeavyThrottle]  # runs the planner on the day's problem (about a second)
    permission_required = "delegations.manage_programme"

    @extend_schema(
        request=s.RunningLateSerializer,
        responses=s.RunningLateResultSerializer,
        description=(
            "The delegation is running late on a day: the rest of that day is re-planned from "
            "`not_before`, changing as little as possible for the other delegations, and every "
            "programme that changed is published (its people told), as the timeline page does. "
            "Organisers only."
        ),
    )
    def post(self, request, event_slug, pk):
        d = self.delegation()
        data = s.RunningLateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        out = services.running_late(
            delegation=d, actor=request.user, day=v["date"], not_before=v["not_before"], since=v["since"]
        )
        return Response(out)


class WithdrawView(DelegationScoped, APIView):
    """The detail page's "Withdraw this delegation"."""

    permission_required = "delegations.manage_programme"

    @extend_schema(
        request=s.WithdrawSerializer,
        responses=s.DelegationAdmissionSerializer,
        description=(
            "The delegation is no longer received: its members lose access at once, its visit "
            "requests and meetings are cancelled, its upcoming visits leave its programme and the "
            "hosts are told. Give the reason. Organisers only; withdrawing twice changes nothing."
        ),
    )
    def post(self, request, event_slug, pk):
        d = self.delegation()
        data = s.WithdrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.withdraw_delegation(delegation=d, actor=request.user, reason=data.validated_data["reason"])
        return Response(s.DelegationAdmissionSerializer(d).data)


class ReadmitView(DelegationScoped, APIView):
    """The detail page's "Receive it again"."""

    permission_required = "delegations.manage_programme"

    @extend_schema(
        request=None,
        responses=s.DelegationAdmissionSerializer,
        description=(
            "Receive a withdrawn delegation again: its members regain access; what was cancelled "
            "stays cancelled. Organisers only."
        ),
    )
    def post(self, request, event_slug, pk):
        d = self.delegation()
        services.readmit_delegation(delegation=d, actor=request.user)
        return Response(s.DelegationAdmissionSerializer(d).data)


class ExclusionListView(DelegationScoped, APIView):
    """The delegation's exclusions (organisers), as on its detail page."""

    permission_required = "delegations.manage_programme"

    @extend_schema(responses=s.ExclusionSerializer(many=True))
    def get(self, request, event_slug, pk):
        return Response(
            s.ExclusionSerializer(selectors.exclusions_of_delegation(self.delegation()), many=True).data
        )

    @extend_schema(
        request=s.ExclusionInputSerializer,
        responses={201: s.ExclusionSerializer},
        description=(
            "Never plan the delegation with one company (`company`) or with every company of a "
            "country (`country`): give one of them. Its candidate visits and visits there, "
            "drafts and published alike, are removed."
        ),
    )
    def post(self, request, event_slug, pk):
        d = self.delegation()
        data = s.ExclusionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        company = None
        if v.get("company") is not None:
            company = selectors.organisation_in_event(self.event, v["company"])
            if company is None:
                raise DomainError(_("Choose an exhibitor of this show."), field="company")
        exclusion = services.add_exclusion(
            delegation=d, actor=request.user, company=company, country=v["country"], reason=v["reason"]
        )
        return Response(s.ExclusionSerializer(exclusion).data, status=status.HTTP_201_CREATED)


class ExclusionDetailView(DelegationScoped, APIView):
    permission_required = "delegations.manage_programme"

    @extend_schema(
        responses={204: None},
        description="The pairing may be planned again; what was removed is not put back.",
    )
    def delete(self, request, event_slug, pk, exclusion_id):
        d = self.delegation()
        services.remove_exclusion(
            exclusion=selectors.exclusion_of_delegation(d, exclusion_id), actor=request.user
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class CandidateListView(DelegationScoped, APIView):
    """The visits the planner may put in the programme (organisers), as on the detail page."""

    permission_required = "delegations.manage_programme"

    @extend_schema(responses=s.CandidateSerializer(many=True))
    def get(self, request, event_slug, pk):
        return Response(s.CandidateSerializer(selectors.candidates_for(self.delegation()), many=True).data)

    @extend_schema(
        request=s.NewCandidateSerializer,
        responses={201: s.CandidateSerializer},
        description=(
            "Add a candidate visit by hand, at a stand of an admitted exhibitor (as the detail page "
            "does with an exhibitor's wish to host the delegation). Proposing again keeps it."
        ),
    )
    def post(self, request, event_slug, pk):
        d = self.delegation()
        data = s.NewCandidateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        candidate = services.add_candidate(
            delegation=d, actor=request.user, stand=_stand(self.event, v.pop("stand").strip().upper()), **v
        )
        return Response(s.CandidateSerializer(candidate).data, status=status.HTTP_201_CREATED)


class CandidateProposeView(DelegationScoped, APIView):
    """The detail page's "Propose from the interests"."""

    permission_required = "delegations.manage_programme"

    @extend_schema(
        request=None,
        responses=s.CandidateSerializer(many=True),
        description=(
            "Derive the candidate visits again from the delegation's interests and accepted visit "
            "requests. Scores set by hand, candidates added by hand and those with a visit in the "
            "programme are kept; excluded pairings never appear. Answers the candidates now."
        ),
    )
    def post(self, request, event_slug, pk):
        d = self.delegation()
        services.propose_candidates(delegation=d, actor=request.user)
        return Response(s.CandidateSerializer(selectors.candidates_for(d), many=True).data)


class InviteHeadView(DelegationScoped, APIView):
    """The detail page's "Invite the head of delegation"."""

    permission_required = "delegations.manage_programme"

    @extend_schema(
        request=s.InviteHeadSerializer,
        responses={201: InvitationSerializer},
        description=(
            "E-mail an invitation to the head of delegation: on accepting it they lead this "
            "delegation at the show. Organisers only."
        ),
    )
    def post(self, request, event_slug, pk):
        d = self.delegation()
        data = s.InviteHeadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = services.invite_head(
            delegation=d, actor=request.user, email=data.validated_data["email"]
        )
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


class CandidateDetailView(DelegationScoped, APIView):
    permission_required = "delegations.manage_programme"

    @extend_schema(
        request=s.CandidateInputSerializer,
        responses=s.CandidateSerializer,
        description=(
            "What the candidate visit weighs for the planner: its score (kept when the candidates "
            "are proposed again), its minutes, and whether it is required. Send what changes."
        ),
    )
    def patch(self, request, event_slug, pk, candidate_id):
        candidate = selectors.candidate_of_delegation(self.delegation(), candidate_id)
        data = s.CandidateInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        candidate = services.update_candidate(candidate=candidate, actor=request.user, **data.validated_data)
        return Response(s.CandidateSerializer(candidate).data)


class PublishAllView(EventScopedMixin, APIView):
    """The delegations page's "publish every programme"."""

    throttle_classes = [HeavyThrottle]  # one publication (and its e-mails) per delegation
    permission_required = "delegations.plan_programmes"

    @extend_schema(
        request=None,
        responses=s.PublishAllResultSerializer,
        description=(
            "Publish the programme of every delegation that has one: each delegation whose "
            "programme changed is told what changed. Organisers only."
        ),
    )
    def post(self, request, event_slug):
        return Response(services.publish_all(event=self.event, actor=request.user))


class DelegationRequestListView(DelegationScoped, APIView):
    """The visits the delegation asked exhibitors for; POST asks one more company (its admins
    are e-mailed)."""

    @extend_schema(responses=s.VisitRequestSerializer(many=True))
    def get(self, request, event_slug, pk):
        return Response(
            s.VisitRequestSerializer(selectors.requests_of_delegation(self.delegation()), many=True).data
        )

    @extend_schema(request=s.VisitRequestInputSerializer, responses={201: s.VisitRequestSerializer})
    def post(self, request, event_slug, pk):
        d = self.delegation("delegations.request_visit")
        data = s.VisitRequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        company = selectors.organisation_in_event(self.event, data.validated_data["company"])
        if company is None:
            raise DomainError(_("Choose an exhibitor of this show."), field="company")
        req = services.request_visit(
            delegation=d, actor=request.user, company=company, message=data.validated_data["message"]
        )
        return Response(s.VisitRequestSerializer(req).data, status=status.HTTP_201_CREATED)


class VisitRequestListView(EventScopedMixin, generics.ListAPIView):
    """Visit requests to the reader's companies (every company's for the organiser), newest first."""

    permission_required = "delegations.host_delegations"
    serializer_class = s.VisitRequestSerializer

    def get_queryset(self):
        if self.request.user.has_perm("delegations.plan_programmes", self.event):
            return selectors.requests_to_companies(self.event, None)
        return selectors.requests_to_companies(
            self.event, roles_for(self.request.user, self.event).company_ids
        )


class VisitRequestAnswerView(EventScopedMixin, APIView):
    """POST {accept}: the company accepts or declines (once); 409 if it was already answered."""

    permission_required = "delegations.host_delegations"

    @extend_schema(request=s.AnswerSerializer, responses={200: s.VisitRequestSerializer})
    def post(self, request, event_slug, request_id):
        req = selectors.request_in_event(self.event, request_id)
        if not request.user.has_perm("delegations.view_hosting", req.company):
            raise NotFound  # another company's request does not exist for you
        if not request.user.has_perm("delegations.answer_request", req):
            raise ApiDenied(_("Only the company's admins answer its visit requests."))
        data = s.AnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        req = services.answer_request(request=req, actor=request.user, accept=data.validated_data["accept"])
        return Response(s.VisitRequestSerializer(req).data)


class HostingWindowListView(EventScopedMixin, generics.ListCreateAPIView):
    permission_required = "delegations.host_delegations"
    serializer_class = s.HostingWindowSerializer

    def get_queryset(self):
        if self.request.user.has_perm("delegations.plan_programmes", self.event):
            return selectors.hosting_windows_for_event(self.event, None)
        return selectors.hosting_windows_for_event(
            self.event, roles_for(self.request.user, self.event).company_ids
        )

    def create(self, request, *args, **kwargs):
        data = s.HostingWindowInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        company = selectors.company_in_event(self.event, v["organisation"])
        if company is None:
            raise NotFound
        stand = _stand(self.event, v["stand"]) if v.get("stand") else None
        window = services.add_hosting_window(
            company=company, actor=request.user, day=v["date"], start=v["start"], end=v["end"], stand=stand
        )
        return Response(s.HostingWindowSerializer(window).data, status=status.HTTP_201_CREATED)


class HostingWindowDetailView(EventScopedMixin, APIView):
    permission_required = "delegations.host_delegations"

    @extend_schema(responses={204: None})
    def delete(self, request, event_slug, window_id):
        window = selectors.hosting_window_in_event(self.event, window_id)
        if not request.user.has_perm("delegations.view_hosting", window.organisation):
            raise NotFound
        services.remove_hosting_window(window=window, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class HostingCapacityListView(EventScopedMixin, generics.ListAPIView):
    """The stands of the reader's companies (every exhibitor's stand for the organiser) and how
    many delegations each receives at once, as on the hosting page."""

    permission_required = "delegations.host_delegations"
    serializer_class = s.HostingCapacitySerializer

    def get_queryset(self):
        if self.request.user.has_perm("delegations.plan_programmes", self.event):
            return selectors.hosting_stands(self.event, None)
        return selectors.hosting_stands(self.event, roles_for(self.request.user, self.event).company_ids)


class HostingCapacityDetailView(EventScopedMixin, APIView):
    permission_required = "delegations.host_delegations"

    @extend_schema(
        request=s.HostingCapacityInputSerializer,
        responses=s.HostingCapacitySerializer,
        description=(
            "Set how many delegations the stand receives at once (1 to 20). The company's "
            "admins (and organisers) only; another company's stand is not found."
        ),
    )
    def put(self, request, event_slug, number):
        stand = selectors.stand_numbered(self.event, number)
        if stand is None or stand.exhibitor is None:
            raise NotFound
        if not request.user.has_perm("delegations.view_hosting", stand.exhibitor):
            raise NotFound  # another company's stand does not exist for you
        data = s.HostingCapacityInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.set_capacity(stand=stand, actor=request.user, capacity=data.validated_data["capacity"])
        return Response(s.HostingCapacitySerializer(stand).data)


@extend_schema_view(
    post=extend_schema(
        request=s.HostWishInputSerializer,
        responses={201: s.HostWishSerializer},
        description=(
            "The company would like to host this delegation; the organisers see it as a "
            "suggestion on the delegation's page. The company's admins (and organisers) only."
        ),
    )
)
class HostWishListView(EventScopedMixin, generics.ListCreateAPIView):
    """Wishes to host a delegation: the reader's companies' (every company's for the organiser)."""

    permission_required = "delegations.host_delegations"
    serializer_class = s.HostWishSerializer

    def get_queryset(self):
        if self.request.user.has_perm("delegations.plan_programmes", self.event):
            return selectors.wishes_for_event(self.event, None)
        return selectors.wishes_for_event(self.event, roles_for(self.request.user, self.event).company_ids)

    def create(self, request, *args, **kwargs):
        data = s.HostWishInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        company = selectors.company_in_event(self.event, v["company"])
        if company is None:
            raise DomainError(_("Choose an exhibitor of this show."), field="company")
        try:
            delegation = selectors.delegation_in_event(self.event, v["delegation"])
        except Http404:
            raise DomainError(_("Choose a delegation of this show."), field="delegation") from None
        wish = services.add_wish(company=company, actor=request.user, delegation=delegation, note=v["note"])
        return Response(s.HostWishSerializer(wish).data, status=status.HTTP_201_CREATED)


class HostWishDetailView(EventScopedMixin, APIView):
    permission_required = "delegations.host_delegations"

    @extend_schema(responses={204: None}, description="Take the delegation off the company's wishes.")
    def delete(self, request, event_slug, wish_id):
        wish = selectors.wish_in_event(self.event, wish_id)
        if not request.user.has_perm("delegations.view_hosting", wish.company):
            raise NotFound  # another company's wish does not exist for you
        services.remove_wish(wish=wish, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DelegationsToHostView(EventScopedMixin, generics.ListAPIView):
    """The show's delegations an exhibitor may wish to host (the hosting page's choice)."""

    permission_required = "delegations.host_delegations"
    serializer_class = s.DelegationToHostSerializer

    def get_queryset(self):
        return selectors.delegations_to_host(self.event)


class HallVisitsView(EventScopedMixin, APIView):
    """Every delegation visit in one hall on one day (drafts included), stand by stand: the
    organiser's "visits per hall" page."""

    permission_required = "delegations.plan_programmes"

    @extend_schema(parameters=[s.HallVisitsQuerySerializer], responses=s.HallVisitSerializer(many=True))
    def get(self, request, event_slug):
        query = s.HallVisitsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        code, day = query.validated_data["hall"], query.validated_data["date"]
        try:
            hall = hall_for(self.event, code)  # the plan's own lookup: any case
        except Http404:
            raise DomainError(_("There is no hall %(code)s.") % {"code": code}, field="hall") from None
        if not selectors.is_show_day(self.event, day):
            raise DomainError(_("That is not a day of the show."), field="date")
        visits = selectors.visits_for_hall(self.event, hall, day)
        return Response(s.HallVisitSerializer(visits, many=True).data)


class PlanningView(EventScopedMixin, APIView):
    throttle_classes = [HeavyThrottle]  # renders or computes for seconds: see core.throttles
    permission_required = "delegations.plan_programmes"

    @extend_schema(request=s.PlanningInputSerializer, responses={202: s.PlanningRunSerializer})
    def post(self, request, event_slug):
        data = s.PlanningInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        delegation = None
        if v.get("delegation"):
            delegation = selectors.delegation_for(
                request.user, self.event, v["delegation"], "delegations.manage_programme"
            )
        run = services.start_planning(
            event=self.event, actor=request.user, delegation=delegation, time_limit=v["time_limit"]
        )
        run.refresh_from_db()
        return Response(_run(run), status=status.HTTP_202_ACCEPTED)


class PlanningRunView(EventScopedMixin, APIView):
    permission_required = "delegations.plan_programmes"

    @extend_schema(responses=s.PlanningRunSerializer)
    def get(self, request, event_slug, run_id):
        return Response(_run(selectors.planning_run_in_event(self.event, run_id)))

    @extend_schema(
        responses={200: s.PlanningRunSerializer}, description="Asks the run to stop; returns it as it now is."
    )
    def delete(self, request, event_slug, run_id):
        run = services.cancel_planning(
            run=selectors.planning_run_in_event(self.event, run_id),
            actor=request.user,
        )
        return Response(_run(run))


def _run(run: PlanningRun) -> dict:
    return {
        "id": run.pk,
        "status": run.status,
        "progress": run.progress,
        "message": run.message,
        "delegation": run.delegation_id,
        "time_limit": run.time_limit,
        "stats": run.stats,
        "cancel_requested": run.cancel_requested,
    }
