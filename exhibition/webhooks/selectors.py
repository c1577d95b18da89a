"""Reads of webhooks, event first, with their joins done."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from .models import Delivery, Endpoint


def endpoints_for_event(event: Any) -> QuerySet[Endpoint]:
    return (
        Endpoint.objects.filter(event=event)
        .annotate(
            pending=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.PENDING)),
            failed=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.FAILED)),
        )
        .order_by("id")
    )


def endpoint_of_event(event: Any, pk: int) -> Endpoint | None:
    return Endpoint.objects.filter(event=event, pk=pk).first()


def deliveries_for_endpoint(endpoint: Endpoint, status: str = "") -> QuerySet[Delivery]:
    qs = Delivery.objects.filter(endpoint=endpoint).select_related("message")
    if status in Delivery.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("-id")


def delivery_of_event(event: Any, pk: int) -> Delivery | None:
    return (
        Delivery.objects.filter(pk=pk, endpoint__event=event)
        .select_related("endpoint", "endpoint__event", "message", "message__event")
        .first()
    )
