"""The events API: the shows a user sees, a new show, and a show's set-up (its details, days,
halls and sectors): the same services and the same rules as the organiser's set-up pages.
Organisers read the set-up; organiser admins change it; platform staff open new shows."""

from __future__ import annotations

from typing import ClassVar

from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from exhibition.accounts import admission
from exhibition.accounts import services as account_services
from exhibition.accounts.api.serializers import TradeVisitorSerializer
from exhibition.core.api import EventScopedMixin
from exhibition.events import selectors, services
from exhibition.events.selectors import event_summary, event_with_details, events_for_user

from .serializers import (
    CalendarAddressSerializer,
    EventDetailSerializer,
    EventSerializer,
    EventUpdateSerializer,
    HallSerializer,
    NewShowSerializer,
    SectorSerializer,
    ShowDayHoursSerializer,
    ShowDaySerializer,
    VisitorRegistrationSerializer,
)

READ_SETUP = "events.view_setup"
CHANGE_SETUP = "events.change_event"


class EventListView(generics.ListAPIView):
    """GET: the public shows and those the user has a role in. POST (platform staff): a new show,
    not public yet, whose first organiser admin is the caller."""

    permission_required: ClassVar[dict[str, str]] = {
        "GET": "accounts.signed_in",
        "POST": "events.create_event",
    }
    serializer_class = EventSerializer

    def get_queryset(self):
        return events_for_user(self.request.user)

    @extend_schema(request=NewShowSerializer, responses={201: EventDetailSerializer})
    def post(self, request):
        s = NewShowSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        event = services.create_show(actor=request.user, **s.validated_data)
        data = EventDetailSerializer(event_with_details(event), context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)


class EventDetailView(EventScopedMixin, generics.RetrieveAPIView):
    """GET: the show, its days, halls and sectors. PATCH (organiser admins): its details; send
    only what changes (the short name cannot change)."""

    serializer_class = EventDetailSerializer
    permission_required: ClassVar[dict[str, str]] = {"GET": "events.view_event", "PATCH": CHANGE_SETUP}

    def get_object(self):
        self.check_object_permissions(self.request, self.event)
        return event_with_details(self.event)

    @extend_schema(request=EventUpdateSerializer, responses=EventDetailSerializer)
    def patch(self, request, event_slug):
        s = EventUpdateSerializer(data=request.data, partial=True)
        s.is_valid(raise_exception=True)
        event = services.update_event(event=self.event, actor=request.user, **s.validated_data)
        return Response(self.get_serializer(event_with_details(event)).data)


class EventSummaryView(EventScopedMixin, APIView):
    """The figures of the organiser's dashboard."""

    permission_required = "events.view_dashboard"

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, event_slug):
        return Response(event_summary(self.event))


# --- the show's set-up: days, halls, sectors -------------------------------------------------------


class _SetupListView(EventScopedMixin, generics.ListCreateAPIView):
    permission_required: ClassVar[dict[str, str]] = {"GET": READ_SETUP, "POST": CHANGE_SETUP}


class _SetupItemView(EventScopedMixin, generics.RetrieveUpdateDestroyAPIView):
    """One day, hall or sector of the show: read (organisers), change or remove (organiser admins).
    A change that would strand something (a meeting, a stand, a profile) is refused: 409."""

    permission_required: ClassVar[dict[str, str]] = {
        "GET": READ_SETUP,
        "PATCH": CHANGE_SETUP,
        "DELETE": CHANGE_SETUP,
    }
    http_method_names: ClassVar[list[str]] = ["get", "patch", "delete", "head", "options"]


class ShowDayListView(_SetupListView):
    """The show's days, by date; POST adds one."""

    serializer_class = ShowDaySerializer

    def get_queryset(self):
        return selectors.show_days(self.event)

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = services.add_show_day(
            event=self.event,
            actor=self.request.user,
            day=d["date"],
            opens_at=d["opens_at"],
            closes_at=d["closes_at"],
        )


class ShowDayDetailView(_SetupItemView):
    """One show day. PATCH changes its opening hours (its date stays); refused (409) while
    something booked that day would fall outside them. DELETE is refused while it has bookings."""

    serializer_class = ShowDaySerializer

    def get_object(self):
        return selectors.show_day_in_event(self.event, self.kwargs["pk"])

    @extend_schema(request=ShowDayHoursSerializer, responses=ShowDaySerializer)
    def patch(self, request, event_slug, pk):
        day = self.get_object()
        s = ShowDayHoursSerializer(data=request.data, partial=True)
        s.is_valid(raise_exception=True)
        day = services.update_show_day(
            event=self.event,
            actor=request.user,
            show_day=day,
            opens_at=s.validated_data.get("opens_at", day.opens_at),
            closes_at=s.validated_data.get("closes_at", day.closes_at),
        )
        return Response(ShowDaySerializer(day).data)

    def perform_destroy(self, instance):
        services.remove_show_day(event=self.event, actor=self.request.user, show_day=instance)


class HallListView(_SetupListView):
    """The show's halls, in their order; POST adds one."""

    serializer_class = HallSerializer

    def get_queryset(self):
        return selectors.halls_of_event(self.event)

    def perform_create(self, serializer):
        serializer.instance = services.add_hall(
            event=self.event, actor=self.request.user, **serializer.validated_data
        )


class HallDetailView(_SetupItemView):
    """One hall. Its code cannot change while it has stands (their numbers carry it), nor can it
    shrink past them; DELETE is refused while anything is drawn in it."""

    serializer_class = HallSerializer

    def get_object(self):
        return selectors.hall_in_event(self.event, self.kwargs["pk"])

    def perform_update(self, serializer):
        serializer.instance = services.update_hall(
            event=self.event, actor=self.request.user, hall=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.remove_hall(event=self.event, actor=self.request.user, hall=instance)


class SectorListView(_SetupListView):
    """The show's sectors, by English name; POST adds one."""

    serializer_class = SectorSerializer

    def get_queryset(self):
        return selectors.sectors_of_event(self.event)

    def perform_create(self, serializer):
        serializer.instance = services.add_sector(
            event=self.event, actor=self.request.user, **serializer.validated_data
        )


class SectorDetailView(_SetupItemView):
    """One sector. DELETE is refused while anyone has chosen it: rename it instead."""

    serializer_class = SectorSerializer

    def get_object(self):
        return selectors.sector_in_event(self.event, self.kwargs["pk"])

    def perform_update(self, serializer):
        serializer.instance = services.update_sector(
            event=self.event, actor=self.request.user, sector=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.remove_sector(event=self.event, actor=self.request.user, sector=instance)


# --- a person's own part in the show: registering as a visitor, the calendar address -------------


class VisitorRegistrationView(EventScopedMixin, APIView):
    """A trade visitor's registration for the show, as the *Register as a visitor* page takes it:
    for a signed-in person with a confirmed e-mail address, once per show. It awaits the
    organiser's vetting (``pending``) until approved."""

    permission_required = "events.view_event"

    @extend_schema(
        responses={200: TradeVisitorSerializer},
        description="Your registration as a trade visitor of this show and where its vetting stands (404: none).",
    )
    def get(self, request, event_slug):
        visitor = selectors.visitor_of_user(self.event, request.user)
        if visitor is None:
            raise Http404
        return Response(TradeVisitorSerializer(visitor).data)

    @extend_schema(
        request=VisitorRegistrationSerializer,
        responses={201: TradeVisitorSerializer},
        description=(
            "Register as a trade visitor of this show, as the registration page does: the registration "
            "awaits vetting (`status` is `pending`) and the organiser is the one to approve it. "
            "Refused with 403 until your e-mail address is confirmed, 409 when you are already registered."
        ),
    )
    def post(self, request, event_slug):
        s = VisitorRegistrationSerializer(data=request.data, context={"event": self.event})
        s.is_valid(raise_exception=True)
        visitor = account_services.register_visitor(event=self.event, user=request.user, **s.validated_data)
        return Response(TradeVisitorSerializer(visitor).data, status=status.HTTP_201_CREATED)


class CalendarAddressView(EventScopedMixin, APIView):
    """A new address for your calendar feeds at this show (your meetings, your delegation's
    programme), as the "New calendar address" button does: the old address stops working."""

    permission_required = "events.use_calendar_feed"

    @extend_schema(
        request=None,
        responses={200: CalendarAddressSerializer},
        description=(
            "Give your calendar feeds at this show a new address; the old one no longer works "
            "(subscribe again with the new one). For those admitted to the show."
        ),
    )
    def post(self, request, event_slug):
        admission.rotate_calendar_feed(user=request.user, event=self.event)
        token = admission.calendar_token(user=request.user, event=self.event)
        kwargs = {"event_slug": self.event.slug, "token": token}
        return Response(
            CalendarAddressSerializer(
                {
                    "token": token,
                    "meetings": request.build_absolute_uri(reverse("meetings:ics", kwargs=kwargs)),
                    "programme": request.build_absolute_uri(reverse("delegations:ics", kwargs=kwargs)),
                }
            ).data
        )
