"""Resolve ``request.event`` from the ``<event_slug>`` in the URL and activate its time zone."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone

from .models import Event


class EventMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.event = None
        response = self.get_response(request)
        timezone.deactivate()
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        slug = view_kwargs.get("event_slug")
        if not slug:
            timezone.deactivate()
            return
        cls = getattr(view_func, "view_class", None) or getattr(view_func, "cls", None)
        if getattr(cls, "event_from_credentials", False) and request.headers.get("Authorization"):
            # The view's credentials carry their event (a gate scanner's token): it resolves the
            # event with them, in the same query, and activates its time zone.
            return
        event = Event.objects.filter(slug=slug).first()
        if event is None:
            raise Http404("No such event")
        request.event = event
        timezone.activate(event.tz)
        return
