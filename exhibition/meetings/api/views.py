"""The meetings API: the same services and the same rules as the pages."""

from __future__ import annotations

import hashlib
from datetime import date

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.views import APIView

from exhibition.core.api import EventScopedMixin
from exhibition.core.errors import DomainError
from exhibition.core.idempotency import PARAMETER as IDEMPOTENCY_KEY
from exhibition.core.idempotency import idempotent
from exhibition.core.throttles import HeavyThrottle

from .. import selectors, services
from ..models import Participant, Place, Round
from .serializers import (
    AvailabilitySerializer,
    BookSerializer,
    CapsSerializer,
    DraftPinsSerializer,
    DraftReviewSerializer,
    HostSerializer,
    MeetingSerializer,
    MeetingSettingsSerializer,
    NewHostSerializer,
    NewRequestSerializer,
    ParticipantSerializer,
    PinSerializer,
    PlaceBlockingSerializer,
    PlaceSerializer,
    ProfileUpdateSerializer,
    RequestSerializer,
    RoundSerializer,
    SuggestionSerializer,
    TransitionSerializer,
)


class MeMixin(EventScopedMixin):
    permission_required = "meetings.view_directory"

    def me(self) -> Participant:
        p = acting_participant(self.request, self.event)
        p.event = self.event
        return p


def acting_participant(request, event) -> Participant:
    """The participant the user acts for. A read never creates it (GET never writes): someone
    admitted who has none yet is told to join, and any change they send creates it."""
    as_id = request.query_params.get("as")
    if request.method in SAFE_METHODS:
        p = selectors.acting_participant(event, request.user, as_id)
        if p is None and not as_id and selectors.first_identity(event, request.user) is not None:
            raise PermissionDenied(
                _("You are not in the meetings directory yet: join with POST .../meetings/join/.")
            )
    else:
        p = services.ensure_acting_participant(event=event, user=request.user, participant_id=as_id)
    if p is None:
        raise PermissionDenied
    return p


class JoinView(EventScopedMixin, APIView):
    """Join the business meetings: the participant the user acts for is created (their approved
    visitor record, first company or first delegation) and returned."""

    permission_required = "meetings.view_directory"

    @extend_schema(request=None, responses={200: ParticipantSerializer})
    def post(self, request, event_slug):
        p = acting_participant(request, self.event)
        p.event = self.event
        return Response(ParticipantSerializer(p).data)


def _place(event, pk):
    return selectors.place_in(event, pk)


def _host(participant_ids, pk):
    return selectors.host_among(participant_ids, pk)


class ParticipantListView(MeMixin, generics.ListAPIView):
    serializer_class = ParticipantSerializer

    def get_queryset(self):
        p = self.request.query_params
        return selectors.directory(
            self.event, kind=p.get("kind", ""), sector=p.get("sector", ""), q=p.get("q", "")
        )


class SuggestionsView(MeMixin, APIView):
    """The 20 participants most worth meeting, best first."""

    @extend_schema(responses={200: SuggestionSerializer(many=True)})
    def get(self, request, event_slug):
        # From the shared cache, keyed by the participant, whom they asked already and the
        # directory's state (selectors.directory_state: any change of a profile, an admission,
        # a stand or a sector moves it), as the meetings directory page does.
        me = self.me()
        state, taken = selectors.directory_state(self.event), selectors.taken_by(me)
        digest = hashlib.sha1(repr((state.key, sorted(taken))).encode(), usedforsecurity=False).hexdigest()
        key = f"meetings:api-suggestions:{me.pk}:{get_language()}:{digest}"
        data = cache.get(key)
        if data is None:
            out = selectors.suggestions(self.event, me, limit=20, state=state, taken=taken)
            data = SuggestionSerializer(
                [{"participant": s.participant, "score": s.score, "reasons": s.reasons} for s in out],
                many=True,
            ).data
            data = [dict(item, participant=dict(item["participant"])) for item in data]
            cache.set(key, data, timeout=10 * 60)
        return Response(data)


class ProfileView(MeMixin, APIView):
    @extend_schema(responses=ParticipantSerializer)
    def get(self, request, event_slug):
        return Response(ParticipantSerializer(self.me()).data)

    @extend_schema(request=ProfileUpdateSerializer, responses=ParticipantSerializer)
    def patch(self, request, event_slug):
        me = self.me()
        s = ProfileUpdateSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        if "sectors" in data:
            data["sectors"] = selectors.sectors_with_codes(self.event, data["sectors"])
        services.update_profile(participant=me, actor=request.user, **data)
        me.refresh_from_db()
        return Response(ParticipantSerializer(me).data)


class AvailabilityView(MeMixin, APIView):
    @extend_schema(responses=AvailabilitySerializer(many=True))
    def get(self, request, event_slug):
        return Response(AvailabilitySerializer(self.me().availability.all(), many=True).data)

    @extend_schema(request=AvailabilitySerializer(many=True), responses=AvailabilitySerializer(many=True))
    def put(self, request, event_slug):
        me = self.me()
        s = AvailabilitySerializer(data=request.data, many=True)
        s.is_valid(raise_exception=True)
        services.set_availability(
            participant=me,
            actor=request.user,
            windows=[(w["date"], w["starts_at"], w["ends_at"]) for w in s.validated_data],
        )
        return Response(AvailabilitySerializer(me.availability.all(), many=True).data)


class RequestListView(MeMixin, generics.ListCreateAPIView):
    serializer_class = RequestSerializer

    def get_queryset(self):
        me = self.me()
        if self.request.query_params.get("box") == "sent":
            return selectors.requests_sent(me)
        return selectors.requests_received(me)

    @extend_schema(
        parameters=[IDEMPOTENCY_KEY], request=NewRequestSerializer, responses={201: RequestSerializer}
    )
    @idempotent
    def post(self, request, event_slug):
        s = NewRequestSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        recipient = selectors.participant_in(self.event, d["recipient"])
        recipient.event = self.event
        req = services.request_meeting(
            actor=request.user,
            sender=self.me(),
            recipient=recipient,
            message=d["message"],
            preferred_times=d["preferred_times"],
            priority=d["priority"],
        )
        return Response(
            RequestSerializer(req, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class RequestTransitionView(EventScopedMixin, APIView):
    permission_required = "meetings.view_directory"  # and the request itself, checked below

    @extend_schema(
        parameters=[IDEMPOTENCY_KEY],
        request=TransitionSerializer,
        responses=RequestSerializer,
        operation_id="v1_events_meetings_requests_transition",
    )
    @idempotent
    def post(self, request, event_slug, pk, action):
        try:
            req = selectors.request_for(request.user, self.event, pk)
        except PermissionDenied:
            raise Http404 from None
        s = TransitionSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        if action == "accept":
            req = services.accept_request(
                actor=request.user,
                request=req,
                start=d["start"],
                place=_place(self.event, d["place"]),
                host=_host([req.sender_id, req.recipient_id], d["host"]),
            )
        elif action == "decline":
            req = services.decline_request(actor=request.user, request=req, reason=d["message"])
        elif action == "propose":
            if d["start"] is None:
                return Response({"start": ["This field is required."]}, status=400)
            req = services.propose_other_time(
                actor=request.user, request=req, start=d["start"], message=d["message"]
            )
        elif action == "withdraw":
            req = services.withdraw_request(actor=request.user, request=req)
        else:
            raise Http404
        req.refresh_from_db()
        return Response(RequestSerializer(req, context={"request": request}).data)


class BookView(MeMixin, APIView):
    """Instant booking of a free slot. 409 when someone else was faster."""

    @extend_schema(parameters=[IDEMPOTENCY_KEY], request=BookSerializer, responses={201: MeetingSerializer})
    @idempotent
    def post(self, request, event_slug):
        s = BookSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        recipient = selectors.participant_in(self.event, d["recipient"])
        recipient.event = self.event
        me = self.me()
        meeting = services.book_instantly(
            actor=request.user,
            sender=me,
            recipient=recipient,
            start=d["start"],
            host=_host([recipient.pk], d["host"]),
            place=_place(self.event, d["place"]),
            message=d["message"],
            sender_host=_host([me.pk], d["sender_host"]),
        )
        return Response(MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)


class MeetingListView(EventScopedMixin, generics.ListAPIView):
    """Organisers: every meeting; everyone else: the acting participant's."""

    serializer_class = MeetingSerializer
    permission_required = "meetings.view_directory"

    def get_queryset(self):
        if (
            self.request.user.has_perm("meetings.manage_meetings", self.event)
            and "as" not in self.request.query_params
        ):
            return selectors.meetings_for_event(self.event)
        me = acting_participant(self.request, self.event)
        return selectors.meetings_for_participant(self.event, me, include_cancelled=True)


class MeetingDetailView(EventScopedMixin, APIView):
    permission_required = "meetings.view_directory"  # and the meeting itself, checked below

    def _get(self, pk):
        try:
            return selectors.meeting_for(self.request.user, self.event, pk)
        except PermissionDenied:
            raise Http404 from None

    @extend_schema(responses=MeetingSerializer)
    def get(self, request, event_slug, pk):
        return Response(MeetingSerializer(self._get(pk)).data)


class MeetingTransitionView(MeetingDetailView):
    http_method_names = ["post", "options"]

    @extend_schema(
        parameters=[IDEMPOTENCY_KEY],
        request=TransitionSerializer,
        responses=MeetingSerializer,
        operation_id="v1_events_meetings_meetings_transition",
    )
    @idempotent
    def post(self, request, event_slug, pk, action):
        m = self._get(pk)
        s = TransitionSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        if action == "cancel":
            m = services.cancel_meeting(actor=request.user, meeting=m, reason=d["message"])
        elif action == "reschedule":
            if d["start"] is None:
                return Response({"start": ["This field is required."]}, status=400)
            m = services.reschedule_meeting(
                actor=request.user,
                meeting=m,
                start=d["start"],
                place=_place(self.event, d["place"]),
                host=_host([m.sender_id, m.recipient_id], d["host"]),
            )
        elif action == "outcome":
            m = services.record_outcome(
                actor=request.user, meeting=m, held=d["held"], rating=d["rating"], comment=d["message"]
            )
        else:
            raise Http404
        m = selectors.meeting_with_people(m)
        return Response(MeetingSerializer(m).data)


class PlaceListView(EventScopedMixin, generics.ListCreateAPIView):
    serializer_class = PlaceSerializer
    permission_required = {"GET": "meetings.view_directory", "POST": "meetings.manage_meetings"}

    def get_queryset(self):
        return selectors.places_for_event(self.event)

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = services.create_place(
            event=self.event,
            actor=self.request.user,
            name=d["name"],
            kind=d.get("kind", Place.Kind.TABLE),
            capacity=d.get("capacity", 4),
            opens_at=d.get("opens_at"),
            closes_at=d.get("closes_at"),
            walking_id=d.get("walking_id", ""),
            is_active=d.get("is_active", True),
        )


class PlaceDetailView(EventScopedMixin, generics.RetrieveUpdateDestroyAPIView):
    """One meeting place (organisers). Deleting it is refused (409) while meetings are still to be held there."""

    serializer_class = PlaceSerializer
    permission_required = "meetings.manage_meetings"

    def get_object(self):
        return selectors.place_for(self.event, self.kwargs["pk"])

    def perform_update(self, serializer):
        serializer.instance = services.update_place(
            place=serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.delete_place(place=instance, actor=self.request.user)


class PlaceBlockingListView(EventScopedMixin, generics.ListCreateAPIView):
    """The times a place cannot be booked (organisers)."""

    serializer_class = PlaceBlockingSerializer
    permission_required = "meetings.manage_meetings"

    def place(self) -> Place:
        return selectors.place_for(self.event, self.kwargs["pk"])

    def get_queryset(self):
        return selectors.blockings_of(self.place())

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = services.block_place(
            place=self.place(),
            actor=self.request.user,
            start=d["start"],
            end=d["end"],
            reason=d.get("reason", ""),
        )


class PlaceBlockingDetailView(EventScopedMixin, generics.DestroyAPIView):
    serializer_class = PlaceBlockingSerializer
    permission_required = "meetings.manage_meetings"

    def get_object(self):
        return selectors.blocking_for(
            self.event, self.kwargs["blocking_pk"], place=selectors.place_for(self.event, self.kwargs["pk"])
        )

    def perform_destroy(self, instance):
        services.unblock_place(blocking=instance, actor=self.request.user)


class ParticipantScopedMixin(EventScopedMixin):
    """The participant of the URL: 404 unless the user may see it, 403 unless they may do ``perm``."""

    permission_required = "meetings.view_participant"

    def get_permission_object(self) -> Participant:
        return self.participant()

    def participant(self, perm: str | None = None, *, exhibitor: bool = False) -> Participant:
        if not hasattr(self, "_participant"):
            try:
                self._participant = selectors.participant_for(
                    self.request.user, self.event, self.kwargs["pk"]
                )
            except PermissionDenied:
                raise Http404 from None
        p = self._participant
        if exhibitor and p.kind != Participant.Kind.EXHIBITOR:
            raise Http404
        if perm is not None and not self.request.user.has_perm(perm, p):
            raise PermissionDenied
        return p


class HostListView(ParticipantScopedMixin, generics.ListCreateAPIView):
    """The staff who take meetings for an exhibitor: its members and the organisers see them; the
    company's admin, its hosts and the organisers add one."""

    serializer_class = HostSerializer

    def get_queryset(self):
        return selectors.team_of(self.participant(exhibitor=True))

    @extend_schema(request=NewHostSerializer, responses={201: HostSerializer})
    def post(self, request, event_slug, pk):
        p = self.participant("meetings.change_participant", exhibitor=True)
        s = NewHostSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        user = selectors.company_member(p, s.validated_data["user"])
        if user is None:
            raise DomainError(_("The host must be a member of the company."), field="user")
        host = services.add_host(participant=p, actor=request.user, user=user)
        return Response(
            HostSerializer(selectors.team_of(p).get(pk=host.pk)).data, status=status.HTTP_201_CREATED
        )


class HostDetailView(ParticipantScopedMixin, APIView):
    @extend_schema(request=None, responses={204: None})
    def delete(self, request, event_slug, pk, host_pk):
        """Stop the host taking meetings. Refused (409) while they have upcoming meetings, and (400)
        for the company's last host."""
        p = self.participant("meetings.change_participant", exhibitor=True)
        host = selectors.host_of(p, host_pk)
        services.remove_host(participant=p, actor=request.user, host=host)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CapsView(ParticipantScopedMixin, APIView):
    """A participant's caps: seen by whoever may see the participant, set by organisers."""

    def _data(self, p: Participant) -> dict:
        conf = services.meeting_settings(self.event)
        return {
            "max_requests": p.max_requests,
            "max_meetings": p.max_meetings,
            "default_max_requests": conf.default_max_requests,
            "default_max_meetings": conf.default_max_meetings,
        }

    @extend_schema(responses=CapsSerializer)
    def get(self, request, event_slug, pk):
        return Response(CapsSerializer(self._data(self.participant())).data)

    @extend_schema(request=CapsSerializer, responses=CapsSerializer)
    def patch(self, request, event_slug, pk):
        p = self.participant("meetings.manage_meetings")
        s = CapsSerializer(data=request.data, partial=True)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        services.set_caps(
            participant=p,
            actor=request.user,
            max_requests=d.get("max_requests", p.max_requests),
            max_meetings=d.get("max_meetings", p.max_meetings),
        )
        return Response(CapsSerializer(self._data(p)).data)


class RoundListView(EventScopedMixin, generics.ListCreateAPIView):
    serializer_class = RoundSerializer
    permission_required = "meetings.manage_meetings"

    def get_queryset(self):
        return selectors.rounds_newest_first(self.event)

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = services.create_round(
            event=self.event,
            actor=self.request.user,
            name=d["name"],
            time_limit=d.get("time_limit", 30),
            at_tables=d.get("at_tables", False),
        )


class RoundDetailView(EventScopedMixin, generics.RetrieveAPIView):
    serializer_class = RoundSerializer
    permission_required = "meetings.manage_meetings"

    def get_object(self):
        return selectors.round_for(self.event, self.kwargs["pk"])


class RoundTransitionView(RoundDetailView):
    throttle_classes = [HeavyThrottle]  # renders or computes for seconds: see core.throttles
    http_method_names = ["post", "options"]

    @extend_schema(
        request=None, responses=RoundSerializer, operation_id="v1_events_meetings_rounds_transition"
    )
    def post(self, request, event_slug, pk, action):
        rnd = self.get_object()
        if action == "schedule":
            services.start_scheduling(rnd=rnd, actor=request.user)
        elif action == "stop":  # the best schedule so far becomes the draft
            services.stop_scheduling(rnd=rnd, actor=request.user)
        elif action == "cancel":
            services.cancel_scheduling(rnd=rnd, actor=request.user)
        elif action == "publish":
            services.publish_round(rnd=rnd, actor=request.user)
        else:
            raise Http404
        rnd.refresh_from_db()
        return Response(RoundSerializer(rnd).data)


def _draft_ids(keys) -> list[int]:
    """Request ids from a draft's meeting keys ("REQ-<id>")."""
    return [int(k.removeprefix("REQ-")) for k in keys if k.startswith("REQ-")]


class RoundPinsView(EventScopedMixin, APIView):
    """A draft round's meetings and pins, as the round's review page shows them: a pinned meeting
    keeps its time (and table) when the scheduler runs again."""

    permission_required = "meetings.manage_meetings"

    def _pins(self, rnd) -> dict:
        draft = rnd.draft or {}
        assignments = (draft.get("schedule") or {}).get("assignments", [])
        return {
            "meetings": sorted(_draft_ids(a["meeting"] for a in assignments)),
            "pinned": _draft_ids(draft.get("pinned", [])),
        }

    @extend_schema(
        responses={200: DraftPinsSerializer},
        description="The round's draft: the requests it schedules and those whose meetings are pinned "
        "(both empty without a draft).",
    )
    def get(self, request, event_slug, pk):
        return Response(DraftPinsSerializer(self._pins(selectors.round_for(self.event, pk))).data)

    @extend_schema(
        request=PinSerializer,
        responses={200: DraftPinsSerializer},
        description=(
            "Pin (or unpin) a meeting of the draft, named by its request's id, as the review page does: "
            "a new run of the scheduler keeps a pinned meeting where it is. Only on a draft (409 "
            "otherwise); a request of the round that the draft does not schedule is a field error; "
            "another round's request is not found."
        ),
    )
    def post(self, request, event_slug, pk):
        rnd = selectors.round_for(self.event, pk)
        s = PinSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        req = selectors.round_request(rnd, s.validated_data["meeting"])
        rnd = services.pin_draft_meeting(
            rnd=rnd, actor=request.user, request=req, pinned=s.validated_data["pinned"]
        )
        return Response(DraftPinsSerializer(self._pins(rnd)).data)


class RoundDraftView(EventScopedMixin, APIView):
    """A draft round for review, as the round's review screen shows it."""

    permission_required = "meetings.manage_meetings"

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "day", OpenApiTypes.DATE, description="the day to show (the draft's first by default)"
            ),
            OpenApiParameter(
                "q", str, description="only meetings with a participant whose name contains this"
            ),
        ],
        responses={200: DraftReviewSerializer},
        description=(
            "Who meets whom, when (the show's local time) and where in the round's draft, a day at a "
            "time, with the pinned meetings marked; the days and their counts; and each accepted "
            "request the draft could not place, with the reason. 404 when the round has no draft."
        ),
    )
    def get(self, request, event_slug, pk):
        rnd = selectors.round_for(self.event, pk)
        try:
            day = date.fromisoformat(request.query_params.get("day", ""))
        except ValueError:
            day = None
        review = (
            selectors.round_review(rnd, day=day, text=request.query_params.get("q", "")[:100])
            if rnd.status == Round.Status.DRAFT
            else None
        )
        if review is None:
            raise NotFound(_("This round has no draft to review."))
        return Response(DraftReviewSerializer(review).data)


class MeetingSettingsView(EventScopedMixin, APIView):
    """The show's meeting settings (organisers), as the *Meeting settings* page reads and saves them."""

    permission_required = "meetings.manage_meetings"

    @staticmethod
    def _data(conf) -> dict:
        return {f: getattr(conf, f) for f in MeetingSettingsSerializer().fields}

    @extend_schema(responses={200: MeetingSettingsSerializer}, description="The show's meeting settings.")
    def get(self, request, event_slug):
        return Response(
            MeetingSettingsSerializer(self._data(selectors.settings_form_instance(self.event))).data
        )

    @extend_schema(
        request=MeetingSettingsSerializer,
        responses={200: MeetingSettingsSerializer},
        description=(
            "Change the show's meeting settings, as the settings page does; send only what changes. "
            "Meetings already booked keep their times. The slot length cannot change while a round is "
            "being scheduled or has a draft (409); a value out of range is a field error."
        ),
    )
    def patch(self, request, event_slug):
        s = MeetingSettingsSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        conf = services.update_settings(event=self.event, actor=request.user, **s.validated_data)
        return Response(MeetingSettingsSerializer(self._data(conf)).data)


class StatisticsView(EventScopedMixin, APIView):
    permission_required = "meetings.manage_meetings"

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, event_slug):
        return Response(selectors.meeting_statistics(self.event))
