"""The one call a domain service makes to tell the outside world that something happened.

    emit_webhook(event=event, type="booking.confirmed", ids={"booking": b.pk, "stand": s.pk})

Call it inside the service's transaction. Payloads are thin (a type and ids: the receiver
fetches the rest through the API, with its own permissions). The webhooks app (higher in
the layers) registers a sink here: it writes one row per subscribed endpoint in the same
transaction, so a change that rolls back sends nothing, and queues the deliveries with
``transaction.on_commit``. Without a sink (the webhooks app not installed) nothing happens.

Event types are declared here, grouped for the organiser's form; an app that comes later
(accreditation: badges, check-ins) adds its own with :func:`register_event_types`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

Sink = Callable[..., None]
_sinks: list[Sink] = []

EVENT_TYPES: dict[str, dict[str, Any]] = {}


def register_event_types(group: str, label: Any, types: dict[str, Any]) -> None:
    """Declare event types (``{"badge.printed": _("A badge was printed")}``) under a group."""
    entry = EVENT_TYPES.setdefault(group, {"label": label, "types": {}})
    entry["types"].update(types)


def all_event_types() -> dict[str, Any]:
    return {name: label for group in EVENT_TYPES.values() for name, label in group["types"].items()}


def register_sink(sink: Sink) -> Sink:
    if sink not in _sinks:
        _sinks.append(sink)
    return sink


def emit_webhook(*, event: Any, type: str, ids: dict[str, int | str]) -> None:
    if type not in all_event_types():
        raise ValueError(f"Unknown webhook event type {type!r}: declare it with register_event_types")
    for sink in _sinks:
        sink(event=event, type=type, ids=dict(ids))


register_event_types(
    "application",
    _("Exhibitor applications"),
    {
        "application.submitted": _("An application was submitted"),
        "application.waitlisted": _("An application was put on the waiting list"),
        "application.under_review": _("An application is being reviewed"),
        "application.approved": _("An application was approved"),
        "application.rejected": _("An application was rejected"),
        "application.withdrawn": _("An application was withdrawn"),
    },
)
register_event_types(
    "booking",
    _("Stand bookings"),
    {
        "booking.held": _("A stand was put on hold"),
        "booking.confirmed": _("A stand booking was confirmed"),
        "booking.moved": _("A booking moved to another stand"),
        "booking.released": _("A stand booking was released"),
    },
)
register_event_types(
    "invoice",
    _("Invoices"),
    {
        "invoice.issued": _("An invoice was issued"),
        "invoice.payment_recorded": _("A payment was recorded on an invoice"),
    },
)
register_event_types(
    "programme",
    _("Delegation programmes"),
    {
        "programme.published": _("A delegation programme was published"),
        "programme.changed": _("A published programme changed (running late)"),
    },
)
register_event_types(
    "meeting",
    _("Meetings"),
    {
        "meeting.requested": _("A meeting was requested"),
        "meeting.confirmed": _("A meeting was confirmed"),
        "meeting.declined": _("A meeting request was declined"),
        "meeting.cancelled": _("A meeting was cancelled"),
        "meeting.rescheduled": _("A meeting was moved to another time"),
        "meeting.round_published": _("A matchmaking round was published"),
    },
)
register_event_types(
    "webhook",
    _("Webhooks"),
    {
        "webhook.test": _("A test message sent from the endpoint's page"),
    },
)
