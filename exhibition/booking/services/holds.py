"""The exhibitor's side: hold a stand, confirm the booking, release it; expired holds."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exhibition.accounts.models import Organisation, User
from exhibition.core import audit
from exhibition.core.errors import ConflictError, DomainError, require_perm
from exhibition.core.webhooks import emit_webhook
from exhibition.events.models import Event
from exhibition.floorplans.models import PlanSettings, Stand

from ..models import Booking
from ..selectors import quote_for_stand, stand_is_free
from . import common
from .billing import create_invoice
from .common import (
    apply_quote,
    booking_ids,
    booking_settings,
    check_company,
    check_stand_of_event,
    clear_stale_bookings,
    set_stand,
    taken_message,
    tell_company,
)

# --- exhibitor: hold, confirm, release -----------------------------------------------------------


def hold_stand(
    *, event: Event, stand: Stand, organisation: Organisation, actor: User | AnonymousUser
) -> Booking:
    """Hold a free stand for the company for ``hold_minutes``.

    Idempotent for the same company (a double click returns the same hold); a stand that
    another company holds or booked raises ConflictError (409).
    """
    check_stand_of_event(event, stand)
    check_company(event, organisation)
    require_perm(
        actor,
        "booking.book_stand",
        organisation,
        _("Only the admin of an approved exhibiting company can book a stand."),
    )
    minutes = booking_settings(event).hold_minutes
    with transaction.atomic():
        locked = common.lock_stands([stand.pk])[stand.pk]
        now = timezone.now()
        if (
            locked.status == Stand.Status.HELD
            and locked.exhibitor_id == organisation.pk
            and not stand_is_free(locked, now)
        ):
            existing = Booking.objects.filter(
                stand=locked, organisation=organisation, status=Booking.Status.HELD
            ).first()
            if existing is not None:
                existing.was_created = False
                return existing
        if not stand_is_free(locked, now):
            raise ConflictError(taken_message(), code="stand_taken")
        other = (
            Booking.objects.filter(
                event=event, organisation=organisation, status=Booking.Status.HELD, held_until__gt=now
            )
            .exclude(stand=locked)
            .select_related("stand")
            .first()
        )
        if other is not None:
            raise DomainError(
                _("You already hold stand %(number)s: confirm or release it first.")
                % {"number": other.stand.number},
                field="stand",
                code="already_holding",
            )
        clear_stale_bookings(locked, now)
        held_until = now + timedelta(minutes=minutes)
        set_stand(locked, status=Stand.Status.HELD, exhibitor_id=organisation.pk, held_until=held_until)
        booking = Booking.objects.create(
            event=event,
            stand=locked,
            organisation=organisation,
            status=Booking.Status.HELD,
            source=Booking.Source.EXHIBITOR,
            held_until=held_until,
            created_by=actor if isinstance(actor, User) else None,
        )
        audit.record(
            actor=actor,
            action="booking.hold",
            obj=booking,
            event=event,
            stand=locked.number,
            organisation=organisation.pk,
            held_until=held_until.isoformat(),
        )
        emit_webhook(event=event, type="booking.held", ids=booking_ids(booking))
    booking.stand = locked
    booking.was_created = True
    return booking


def confirm_booking(*, booking: Booking, actor: User | AnonymousUser) -> Booking:
    """Turn a live hold into a confirmed booking: stand reserved, quote frozen, invoice issued."""
    require_perm(actor, "booking.change_booking", booking, _("You may not confirm this booking."))
    event = booking.event
    settings_ = booking_settings(event)
    plan = PlanSettings.objects.filter(event=event).first() or PlanSettings(event=event)
    with transaction.atomic():
        stand = common.lock_stands([booking.stand_id])[booking.stand_id]
        current = (
            Booking.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=booking.pk)
        )
        if current.status == Booking.Status.CONFIRMED:
            return current  # a second click
        now = timezone.now()
        if (
            current.status != Booking.Status.HELD
            or current.held_until is None
            or current.held_until <= now
            or stand.exhibitor_id != current.organisation_id
            or stand.status != Stand.Status.HELD
        ):
            raise ConflictError(
                _("Your hold on this stand has ended. Hold it again if it is still free."),
                code="hold_expired",
            )
        quote = quote_for_stand(event, stand, plan=plan, booking_settings=settings_)
        apply_quote(current, quote)
        current.status, current.confirmed_at, current.held_until = Booking.Status.CONFIRMED, now, None
        current.save(
            update_fields=[
                "status",
                "confirmed_at",
                "held_until",
                "net",
                "vat_rate",
                "vat",
                "gross",
                "updated_at",
            ]
        )
        set_stand(stand, status=Stand.Status.RESERVED, exhibitor_id=current.organisation_id)
        invoice = create_invoice(
            booking=current,
            stand=stand,
            quote=quote,
            settings_=settings_,
            today=event.today(now),
        )
        audit.record(
            actor=actor,
            action="booking.confirm",
            obj=current,
            event=event,
            stand=stand.number,
            invoice=invoice.number,
            gross=str(quote.gross),
        )
        emit_webhook(event=event, type="booking.confirmed", ids=booking_ids(current, invoice))
        tell_company(
            organisation=current.organisation,
            event=event,
            action="confirmed",
            stand=stand.number,
            invoice=invoice.number,
            gross=quote.gross,
            currency=event.currency,
        )
    current.stand = stand
    return current


def release_booking(*, booking: Booking, actor: User | AnonymousUser) -> Booking:
    """Give a hold back. Idempotent; a confirmed booking is released by the organiser (vacate)."""
    require_perm(actor, "booking.change_booking", booking, _("You may not release this booking."))
    with transaction.atomic():
        stand = common.lock_stands([booking.stand_id])[booking.stand_id]
        current = Booking.objects.select_for_update().get(pk=booking.pk)
        if current.status in (Booking.Status.RELEASED, Booking.Status.EXPIRED, Booking.Status.CANCELLED):
            return current
        if current.status == Booking.Status.CONFIRMED:
            raise DomainError(
                _("This booking is confirmed: ask the organiser to change it."), code="confirmed"
            )
        now = timezone.now()
        current.status, current.ended_at = Booking.Status.RELEASED, now
        current.save(update_fields=["status", "ended_at", "updated_at"])
        if stand.status == Stand.Status.HELD and stand.exhibitor_id == current.organisation_id:
            set_stand(stand, status=Stand.Status.AVAILABLE, exhibitor_id=None)
        audit.record(
            actor=actor, action="booking.release", obj=current, event=current.event, stand=stand.number
        )
        emit_webhook(event=current.event, type="booking.released", ids=booking_ids(current))
    return current


def release_expired_holds(*, now: datetime | None = None, limit: int = 1000) -> int:
    """Free every stand whose hold has run out. Idempotent; rows another transaction is
    working on are skipped (the next run gets them). Returns the number of stands freed."""
    now = now or timezone.now()
    with transaction.atomic():
        stands = list(
            Stand.objects.select_for_update(skip_locked=True)
            .filter(status=Stand.Status.HELD, held_until__lte=now)
            .order_by("pk")[:limit]
        )
        if not stands:
            return 0
        ids = [s.pk for s in stands]
        expired = list(
            Booking.objects.filter(stand_id__in=ids, status=Booking.Status.HELD).select_related("event")
        )
        Booking.objects.filter(pk__in=[b.pk for b in expired]).update(
            status=Booking.Status.EXPIRED, ended_at=now
        )
        for stand in stands:
            set_stand(stand, status=Stand.Status.AVAILABLE, exhibitor_id=None)
        for b in expired:
            audit.record(actor=None, action="booking.expire", obj=b, event=b.event, stand_id=b.stand_id)
            emit_webhook(event=b.event, type="booking.released", ids=booking_ids(b))
    return len(stands)
