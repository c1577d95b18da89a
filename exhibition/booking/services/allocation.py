"""The organiser's side: assign a stand, move or swap bookings, vacate a stand."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exhibition.accounts.models import Organisation, User
from exhibition.core import audit
from exhibition.core.errors import ConflictError, DomainError
from exhibition.core.webhooks import emit_webhook
from exhibition.events.models import Event
from exhibition.floorplans.models import PlanSettings, Stand

from ..models import Booking, BookingSettings
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
    tell_company,
)

# --- organiser: assign, move, swap, vacate -------------------------------------------------------


def assign_stand(
    *, event: Event, stand: Stand, organisation: Organisation, actor: User, issue_invoice: bool = True
) -> Booking:
    """The organiser gives a free stand (or one this company holds) to a company: confirmed at once."""
    check_stand_of_event(event, stand)
    check_company(event, organisation)
    settings_ = booking_settings(event)
    plan = PlanSettings.objects.filter(event=event).first() or PlanSettings(event=event)
    with transaction.atomic():
        locked = common.lock_stands([stand.pk])[stand.pk]
        now = timezone.now()
        own_hold = None
        if (
            locked.exhibitor_id == organisation.pk
            and locked.status == Stand.Status.HELD
            and not stand_is_free(locked, now)
        ):
            own_hold = (
                Booking.objects.select_for_update().filter(stand=locked, status=Booking.Status.HELD).first()
            )
        elif locked.exhibitor_id == organisation.pk and locked.status in (
            Stand.Status.RESERVED,
            Stand.Status.SOLD,
        ):
            raise DomainError(
                _("%(company)s already has stand %(number)s.")
                % {"company": organisation, "number": locked.number},
                field="stand",
                code="already_assigned",
            )
        elif not stand_is_free(locked, now):
            raise ConflictError(
                _("Stand %(number)s is not free.") % {"number": locked.number}, code="stand_taken"
            )
        quote = quote_for_stand(event, locked, plan=plan, booking_settings=settings_)
        if own_hold is not None:
            booking = own_hold
            booking.status, booking.confirmed_at, booking.held_until = Booking.Status.CONFIRMED, now, None
            apply_quote(booking, quote)
            booking.save()
        else:
            clear_stale_bookings(locked, now)
            booking = Booking(
                event=event,
                stand=locked,
                organisation=organisation,
                status=Booking.Status.CONFIRMED,
                source=Booking.Source.ORGANISER,
                confirmed_at=now,
                created_by=actor,
            )
            apply_quote(booking, quote)
            booking.save()
        set_stand(locked, status=Stand.Status.RESERVED, exhibitor_id=organisation.pk)
        invoice = None
        if issue_invoice:
            invoice = create_invoice(
                booking=booking,
                stand=locked,
                quote=quote,
                settings_=settings_,
                today=event.today(now),
            )
        audit.record(
            actor=actor,
            action="booking.assign",
            obj=booking,
            event=event,
            stand=locked.number,
            organisation=organisation.pk,
            invoice=invoice.number if invoice else None,
        )
        emit_webhook(event=event, type="booking.confirmed", ids=booking_ids(booking, invoice))
        tell_company(
            organisation=organisation,
            event=event,
            action="assigned",
            stand=locked.number,
            invoice=invoice.number if invoice else "",
            gross=quote.gross,
            currency=event.currency,
        )
    booking.stand = locked
    return booking


def _confirmed_booking_on(stand: Stand) -> Booking | None:
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(stand=stand, status=Booking.Status.CONFIRMED)
        .first()
    )


def _rebook(
    old: Booking, stand: Stand, *, actor: User, now: datetime, settings_: BookingSettings, plan: PlanSettings
) -> Booking:
    new = Booking(
        event=old.event,
        stand=stand,
        organisation=old.organisation,
        status=Booking.Status.CONFIRMED,
        source=Booking.Source.ORGANISER,
        confirmed_at=now,
        created_by=actor,
    )
    apply_quote(new, quote_for_stand(old.event, stand, plan=plan, booking_settings=settings_))
    new.save()
    return new


def move_booking(*, event: Event, from_stand: Stand, to_stand: Stand, actor: User) -> Booking:
    """Move the company booked on ``from_stand`` to the free ``to_stand``.

    The old booking ends (``cancelled``, its invoice stays as issued); a new confirmed
    booking is made on the new stand, which takes over the old stand's status.
    """
    check_stand_of_event(event, from_stand, to_stand)
    if from_stand.pk == to_stand.pk:
        raise DomainError(_("Choose a different stand."), field="to_stand")
    settings_ = booking_settings(event)
    plan = PlanSettings.objects.filter(event=event).first() or PlanSettings(event=event)
    with transaction.atomic():
        locked = common.lock_stands([from_stand.pk, to_stand.pk])
        source, target = locked[from_stand.pk], locked[to_stand.pk]
        now = timezone.now()
        old = _confirmed_booking_on(source)
        if old is None:
            raise ConflictError(
                _("Stand %(number)s has no confirmed booking to move.") % {"number": source.number},
                code="no_booking",
            )
        if not stand_is_free(target, now):
            raise ConflictError(
                _("Stand %(number)s is not free.") % {"number": target.number}, code="stand_taken"
            )
        clear_stale_bookings(target, now)
        old.status, old.ended_at = Booking.Status.CANCELLED, now
        old.save(update_fields=["status", "ended_at", "updated_at"])
        new = _rebook(old, target, actor=actor, now=now, settings_=settings_, plan=plan)
        set_stand(target, status=source.status, exhibitor_id=old.organisation_id)
        set_stand(source, status=Stand.Status.AVAILABLE, exhibitor_id=None)
        audit.record(
            actor=actor,
            action="booking.move",
            obj=new,
            event=event,
            from_stand=source.number,
            to_stand=target.number,
            organisation=old.organisation_id,
            previous_booking=old.pk,
        )
        emit_webhook(event=event, type="booking.moved", ids={**booking_ids(new), "previous_booking": old.pk})
        tell_company(
            organisation=old.organisation,
            event=event,
            action="moved",
            stand=target.number,
            previous_stand=source.number,
        )
    new.stand = target
    return new


def swap_stands(*, event: Event, stand_a: Stand, stand_b: Stand, actor: User) -> tuple[Booking, Booking]:
    """Exchange the companies booked on two stands (both must have a confirmed booking)."""
    check_stand_of_event(event, stand_a, stand_b)
    if stand_a.pk == stand_b.pk:
        raise DomainError(_("Choose two different stands."), field="stand_b")
    settings_ = booking_settings(event)
    plan = PlanSettings.objects.filter(event=event).first() or PlanSettings(event=event)
    with transaction.atomic():
        locked = common.lock_stands([stand_a.pk, stand_b.pk])
        a, b = locked[stand_a.pk], locked[stand_b.pk]
        old_a, old_b = _confirmed_booking_on(a), _confirmed_booking_on(b)
        if old_a is None or old_b is None:
            bare = a if old_a is None else b
            raise ConflictError(
                _("Stand %(number)s has no confirmed booking to swap.") % {"number": bare.number},
                code="no_booking",
            )
        now = timezone.now()
        for old in (old_a, old_b):
            old.status, old.ended_at = Booking.Status.CANCELLED, now
            old.save(update_fields=["status", "ended_at", "updated_at"])
        new_a = _rebook(
            old_a, b, actor=actor, now=now, settings_=settings_, plan=plan
        )  # A's company now on B
        new_b = _rebook(old_b, a, actor=actor, now=now, settings_=settings_, plan=plan)
        status_a, status_b = a.status, b.status
        set_stand(a, status=status_b, exhibitor_id=old_b.organisation_id)
        set_stand(b, status=status_a, exhibitor_id=old_a.organisation_id)
        audit.record(
            actor=actor,
            action="booking.swap",
            obj=new_a,
            event=event,
            stand_a=a.number,
            stand_b=b.number,
            organisation_a=old_a.organisation_id,
            organisation_b=old_b.organisation_id,
        )
        for new, old in ((new_a, old_a), (new_b, old_b)):
            emit_webhook(
                event=event, type="booking.moved", ids={**booking_ids(new), "previous_booking": old.pk}
            )
        tell_company(
            organisation=old_a.organisation,
            event=event,
            action="moved",
            stand=b.number,
            previous_stand=a.number,
        )
        tell_company(
            organisation=old_b.organisation,
            event=event,
            action="moved",
            stand=a.number,
            previous_stand=b.number,
        )
    new_a.stand, new_b.stand = b, a
    return new_a, new_b


def vacate_stand(*, event: Event, stand: Stand, actor: User) -> Booking:
    """End the stand's active booking (hold or confirmed) and make it available."""
    check_stand_of_event(event, stand)
    with transaction.atomic():
        locked = common.lock_stands([stand.pk])[stand.pk]
        current = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .filter(stand=locked, status__in=Booking.ACTIVE)
            .first()
        )
        if current is None:
            raise ConflictError(
                _("Stand %(number)s has no booking to end.") % {"number": locked.number}, code="no_booking"
            )
        now = timezone.now()
        current.status, current.ended_at = Booking.Status.CANCELLED, now
        current.save(update_fields=["status", "ended_at", "updated_at"])
        set_stand(locked, status=Stand.Status.AVAILABLE, exhibitor_id=None)
        audit.record(
            actor=actor,
            action="booking.vacate",
            obj=current,
            event=event,
            stand=locked.number,
            organisation=current.organisation_id,
        )
        emit_webhook(event=event, type="booking.released", ids=booking_ids(current))
        tell_company(organisation=current.organisation, event=event, action="vacated", stand=locked.number)
    return current
