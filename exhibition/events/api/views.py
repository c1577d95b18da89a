from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from exhibition.core.api import EventScopedMixin
from exhibition.events.selectors import event_summary, event_with_details, events_for_user

from .serializers import EventDetailSerializer, EventSerializer


class EventListView(generics.ListAPIView):
    permission_required = "accounts.signed_in"
    serializer_class = EventSerializer

    def get_queryset(self):
        return events_for_user(self.request.user)


class EventDetailView(EventScopedMixin, generics.RetrieveAPIView):
    serializer_class = EventDetailSerializer
    permission_required = "events.view_event"

    def get_object(self):
        self.check_object_permissions(self.request, self.event)
        return event_with_details(self.event)


class EventSummaryView(EventScopedMixin, APIView):
    """The figures of the organiser's dashboard."""

    permission_required = "events.view_dashboard"

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, event_slug):
        return Response(event_summary(self.event))
