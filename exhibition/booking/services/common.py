"""What the booking services share: the stand lock (the one seam the race tests widen), the
checks on stand and company, quotes, and telling the company."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from exhibition.accounts.models import Membership, Organisation
from exhibition.core.errors import ConflictError, DomainError
from exhibition.core.notifications import queue_email
from exhibition.events.models import Event
from exhibition.floorplans.models import Stand
from exhibition.floorplans.pricing import SETTLED_STATUSES, price_for
from exhibition.floorplans.selectors import plan_settings_for

from ..models import Booking, BookingSettings, Invoice
from ..selectors import Quote


def taken_message() -> str:
    return _("This stand was just taken by another exhibitor.")


# --- helpers ------------------------------------------------------------------------------------


def booking_settings(event: Event) -> BookingSettings:
    found, _created = BookingSettings.objects.get_or_create(event=event)
    return found


def lock_stands(stand_ids: Iterable[int]) -> dict[int, Stand]:
    """Lock the stand rows, always in primary-key order (no deadlock between two swaps).

    The one place booking takes stand locks; the race tests replace it with a plain read
    to prove they catch the bug.
    """
    ids = sorted(set(stand_ids))
    return {s.pk: s for s in Stand.objects.select_for_update().filter(pk__in=ids).order_by("pk")}


def set_stand(
    stand: Stand, *, status: str, exhibitor_id: int | None, held_until: datetime | None = None
) -> None:
    stand.status = status
    stand.exhibitor_id = exhibitor_id
    stand.held_until = held_until
    stand.version += 1
    fields = ["status", "exhibitor", "held_until", "version", "updated_at"]
    if status not in SETTLED_STATUSES:
        # Back on the market (released, vacated, moved from, or held): at the rates of today, as
        # its quote is; a price settled by a confirmed booking stays with that booking.
        stand.price = price_for(
            area=stand.area,
            kind=stand.kind,
            open_sides=stand.open_sides,
            settings_=plan_settings_for(Event(pk=stand.event_id)),
        )
        fields.append("price")
    stand.save(update_fields=fields)


def clear_stale_bookings(stand: Stand, now: datetime) -> None:
    """Before a free stand changes hands: its expired holds end. A confirmed booking on a
    stand that looks free means someone edited the stand behind our back: refuse."""
    stale = list(Booking.objects.filter(stand=stand, status__in=Booking.ACTIVE))
    if any(b.status == Booking.Status.CONFIRMED for b in stale):
        raise ConflictError(
            _("Stand %(number)s still has a confirmed booking.") % {"number": stand.number},
            code="stand_taken",
        )
    if stale:
        Booking.objects.filter(pk__in=[b.pk for b in stale]).update(
            status=Booking.Status.EXPIRED, ended_at=now
        )


def check_stand_of_event(event: Event, *stands: Stand) -> None:
    for stand in stands:
        if stand.event_id != event.pk:
            raise DomainError(_("This stand is not part of this event."), field="stand")


def check_company(event: Event, organisation: Organisation) -> None:
    if organisation.event_id != event.pk or organisation.kind != Organisation.Kind.COMPANY:
        raise DomainError(_("Choose an exhibiting company of this event."), field="organisation")


def apply_quote(booking: Booking, quote: Quote) -> None:
    booking.net, booking.vat_rate, booking.vat, booking.gross = (
        quote.net,
        quote.vat_rate,
        quote.vat,
        quote.gross,
    )


def _recipients(organisation: Organisation) -> list[tuple[str, str]]:
    members = list(Membership.objects.filter(organisation=organisation).select_related("user").order_by("id"))
    admins = [m for m in members if m.role == Membership.Role.ADMIN] or members
    return [(m.user.email, m.user.language) for m in admins if m.user.is_active]


def tell_company(
    *,
    organisation: Organisation,
    event: Event,
    action: str,
    template: str = "booking_changed",
    **context: Any,
) -> None:
    """E-mail the company's admins; the outbox delivers after the commit."""
    for email, language in _recipients(organisation):
        queue_email(
            to=email,
            kind=f"booking_{action}",
            template=template,
            event=event,
            language=language,
            context={"action": action, "organisation": organisation.name, **context},
        )


def booking_ids(booking: Booking, invoice: Invoice | None = None) -> dict[str, int | str]:
    """The ids a booking's webhook carries (the receiver fetches the rest through the API)."""
    ids: dict[str, int | str] = {
        "booking": booking.pk,
        "stand": booking.stand_id,
        "organisation": booking.organisation_id,
    }
    return {**ids, "invoice": invoice.pk} if invoice is not None else ids
