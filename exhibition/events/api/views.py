"""The events API: the shows a user sees, a new show, and a show's set-up (its details, days,
halls and sectors): the same services and the same rules as the organiser's set-up pages.
Organisers read the set-up; organiser admins change it; platform staff open new shows."""

from __future__ import annotations

from typing import ClassVar

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from exhibition.core.api import EventScopedMixin
from exhibition.events import selectors, services
from exhibition.events.selectors import event_summary, event_with_details, events_for_user

from .serializers import (
    EventDetailSerializer,
    EventSerializer,
    EventUpdateSerializer,
    HallSerializer,
    NewShowSerializer,
    SectorSerializer,
    ShowDayHoursSerializer,
    ShowDaySerializer,
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
