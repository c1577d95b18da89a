"""API endpoints of booking, mounted under /api/v1/events/<event_slug>/."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
