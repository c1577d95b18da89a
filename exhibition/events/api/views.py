from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from exhibition.core.api import RulesPermission
from exhibition.events.models import Event
from exhibition.events.selectors import event_summary, events_for_user

from .serializers import EventDetailSerializer, EventSerializer


class EventScopedMixin:
    """Resolves ``self.event`` from the URL and checks ``permission_required`` on it."""

    permission_classes = [IsAuthenticated, RulesPermission]
    lookup_url_kwarg = "pk"

    @property
    def event(self) -> Event:
        if not hasattr(self, "_event"):
            self._event = get_object_or_404(Event, slug=self.kwargs["event_slug"])
        return self._event

    def get_permission_object(self):
        return self.event

    def get_serializer_context(self):
        ctx = super().get_serializer_context()
        ctx["event"] = self.event
        return ctx


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
        return Event.objects.prefetch_related("days", "halls", "sectors").get(pk=self.event.pk)


class EventSummaryView(EventScopedMixin, APIView):
    """The figures of the organiser's dashboard."""

    permission_required = "events.view_dashboard"

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, event_slug):
        return Response(event_summary(self.event))
