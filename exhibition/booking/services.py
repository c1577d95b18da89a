"""Writes for stand booking. Every change of a stand's status goes through here.

Locking ("lock once, lock late", as pretix does it): a service reads and validates what it
can outside the transaction, then opens a short transaction, locks the contended stand
rows with ``SELECT ... FOR UPDATE`` in one fixed order (primary key), re-checks the state
it read, writes, and queues its e-mails for after the commit. Invoice numbers come from
one counter row per event, locked and incremented in the invoice's own transaction, so a
rolled-back invoice gives its number back: numbers are gap-free and never reused.

Lock order, everywhere: stands (by pk) -> bookings -> invoice counter -> invoice.
The partial unique constraint ``booking_one_active_per_stand`` is the database's last
guard: with the locks it never fires; without them a lost race becomes an error instead
of a stand sold twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from exhibition.accounts.models import Membership, Organisation
from exhibition.core import audit
from exhibition.core.errors import ConflictError, DomainError, NotAllowed
from exhibition.core.notifications import queue_email
from exhibition.core.webhooks import emit_webhook
from exhibition.events.models import Event
from exhibition.floorplans.models import PlanSettings, Stand

from .models import Booking, BookingSettings, Invoice, InvoiceCounter, Payment
from .selectors import Quote, quote_for_stand, stand_is_free


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


def _set_stand(stand: Stand, *, status: str, exhibitor_id: int | None, held_until=None) -> None:
    stand.status = status
    stand.exhibitor_id = exhibitor_id
    stand.held_until = held_until
    stand.version += 1
    stand.save(update_fields=["status", "exhibitor", "held_until", "version", "updated_at"])


def _clear_stale_bookings(stand: Stand, now) -> None:
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


def _check_stand_of_event(event: Event, *stands: Stand) -> None:
    for stand in stands:
        if stand.event_id != event.pk:
            raise DomainError(_("This stand is not part of this event."), field="stand")


def _check_company(event: Event, organisation: Organisation) -> None:
    if organisation.event_id != event.pk or organisation.kind != Organisation.Kind.COMPANY:
        raise DomainError(_("Choose an exhibiting company of this event."), field="organisation")


def _apply_quote(booking: Booking, quote: Quote) -> None:
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


def _tell_company(*, organisation: Organisation, event: Event, action: str, **context: Any) -> None:
    """E-mail the company's admins; the outbox delivers after the commit."""
    for email, language in _recipients(organisation):
        queue_email(
            to=email,
            kind=f"booking_{action}",
            template="booking_changed",
            event=event,
            language=language,
            context={"action": action, "organisation": organisation.name, **context},
        )


def _booking_ids(booking: Booking, invoice: Invoice | None = None) -> dict[str, int]:
    """The ids a booking's webhook carries (the receiver fetches the rest through the API)."""
    ids = {"booking": booking.pk, "stand": booking.stand_id, "organisation": booking.organisation_id}
    return {**ids, "invoice": invoice.pk} if invoice is not None else ids


# --- exhibitor: hold, confirm, release -----------------------------------------------------------


def hold_stand(*, event: Event, stand: Stand, organisation: Organisation, actor: Any) -> Booking:
    """Hold a free stand for the company for ``hold_minutes``.

    Idempotent for the same company (a double click returns the same hold); a stand that
    another company holds or booked raises ConflictError (409).
    """
    _check_stand_of_event(event, stand)
    _check_company(event, organisation)
    if not actor.has_perm("booking.book_stand", organisation):
        raise NotAllowed(_("Only the admin of an approved exhibiting company can book a stand."))
    minutes = booking_settings(event).hold_minutes
    with transaction.atomic():
        locked = lock_stands([stand.pk])[stand.pk]
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
        _clear_stale_bookings(locked, now)
        held_until = now + timedelta(minutes=minutes)
        _set_stand(locked, status=Stand.Status.HELD, exhibitor_id=organisation.pk, held_until=held_until)
        booking = Booking.objects.create(
            event=event,
            stand=locked,
            organisation=organisation,
            status=Booking.Status.HELD,
            source=Booking.Source.EXHIBITOR,
            held_until=held_until,
            created_by=actor if actor.is_authenticated else None,
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
        emit_webhook(event=event, type="booking.held", ids=_booking_ids(booking))
    booking.stand = locked
    booking.was_created = True
    return booking


def confirm_booking(*, booking: Booking, actor: Any) -> Booking:
    """Turn a live hold into a confirmed booking: stand reserved, quote frozen, invoice issued."""
    if not actor.has_perm("booking.change_booking", booking):
        raise NotAllowed(_("You may not confirm this booking."))
    event = booking.event
    settings_ = booking_settings(event)
    plan = PlanSettings.objects.filter(event=event).first() or PlanSettings(event=event)
    with transaction.atomic():
        stand = lock_stands([booking.stand_id])[booking.stand_id]
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
        _apply_quote(current, quote)
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
        _set_stand(stand, status=Stand.Status.RESERVED, exhibitor_id=current.organisation_id)
        invoice = _create_invoice(
            booking=current,
            stand=stand,
            quote=quote,
            settings_=settings_,
            today=timezone.localdate(now, event.tz),
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
        emit_webhook(event=event, type="booking.confirmed", ids=_booking_ids(current, invoice))
        _tell_company(
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


def release_booking(*, booking: Booking, actor: Any) -> Booking:
    """Give a hold back. Idempotent; a confirmed booking is released by the organiser (vacate)."""
    if not actor.has_perm("booking.change_booking", booking):
        raise NotAllowed(_("You may not release this booking."))
    with transaction.atomic():
        stand = lock_stands([booking.stand_id])[booking.stand_id]
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
            _set_stand(stand, status=Stand.Status.AVAILABLE, exhibitor_id=None)
        audit.record(
            actor=actor, action="booking.release", obj=current, event=current.event, stand=stand.number
        )
        emit_webhook(event=current.event, type="booking.released", ids=_booking_ids(current))
    return current


def release_expired_holds(*, now=None, limit: int = 1000) -> int:
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
            _set_stand(stand, status=Stand.Status.AVAILABLE, exhibitor_id=None)
        for b in expired:
            audit.record(actor=None, action="booking.expire", obj=b, event=b.event, stand_id=b.stand_id)
            emit_webhook(event=b.event, type="booking.released", ids=_booking_ids(b))
    return len(stands)


# --- organiser: assign, move, swap, vacate -------------------------------------------------------


def assign_stand(
    *, event: Event, stand: Stand, organisation: Organisation, actor: Any, issue_invoice: bool = True
) -> Booking:
    """The organiser gives a free stand (or one this company holds) to a company: confirmed at once."""
    _check_stand_of_event(event, stand)
    _check_company(event, organisation)
    settings_ = booking_settings(event)
    plan = PlanSettings.objects.filter(event=event).first() or PlanSettings(event=event)
    with transaction.atomic():
        locked = lock_stands([stand.pk])[stand.pk]
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
            _apply_quote(booking, quote)
            booking.save()
        else:
            _clear_stale_bookings(locked, now)
            booking = Booking(
                event=event,
                stand=locked,
                organisation=organisation,
                status=Booking.Status.CONFIRMED,
                source=Booking.Source.ORGANISER,
                confirmed_at=now,
                created_by=actor,
            )
            _apply_quote(booking, quote)
            booking.save()
        _set_stand(locked, status=Stand.Status.RESERVED, exhibitor_id=organisation.pk)
        invoice = None
        if issue_invoice:
            invoice = _create_invoice(
                booking=booking,
                stand=locked,
                quote=quote,
                settings_=settings_,
                today=timezone.localdate(now, event.tz),
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
        emit_webhook(event=event, type="booking.confirmed", ids=_booking_ids(booking, invoice))
        _tell_company(
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
    old: Booking, stand: Stand, *, actor: Any, now, settings_: BookingSettings, plan: PlanSettings
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
    _apply_quote(new, quote_for_stand(old.event, stand, plan=plan, booking_settings=settings_))
    new.save()
    return new


def move_booking(*, event: Event, from_stand: Stand, to_stand: Stand, actor: Any) -> Booking:
    """Move the company booked on ``from_stand`` to the free ``to_stand``.

    The old booking ends (``cancelled``, its invoice stays as issued); a new confirmed
    booking is made on the new stand, which takes over the old stand's status.
    """
    _check_stand_of_event(event, from_stand, to_stand)
    if from_stand.pk == to_stand.pk:
        raise DomainError(_("Choose a different stand."), field="to_stand")
    settings_ = booking_settings(event)
    plan = PlanSettings.objects.filter(event=event).first() or PlanSettings(event=event)
    with transaction.atomic():
        locked = lock_stands([from_stand.pk, to_stand.pk])
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
        _clear_stale_bookings(target, now)
        old.status, old.ended_at = Booking.Status.CANCELLED, now
        old.save(update_fields=["status", "ended_at", "updated_at"])
        new = _rebook(old, target, actor=actor, now=now, settings_=settings_, plan=plan)
        _set_stand(target, status=source.status, exhibitor_id=old.organisation_id)
        _set_stand(source, status=Stand.Status.AVAILABLE, exhibitor_id=None)
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
        emit_webhook(event=event, type="booking.moved", ids={**_booking_ids(new), "previous_booking": old.pk})
        _tell_company(
            organisation=old.organisation,
            event=event,
            action="moved",
            stand=target.number,
            previous_stand=source.number,
        )
    new.stand = target
    return new


def swap_stands(*, event: Event, stand_a: Stand, stand_b: Stand, actor: Any) -> tuple[Booking, Booking]:
    """Exchange the companies booked on two stands (both must have a confirmed booking)."""
    _check_stand_of_event(event, stand_a, stand_b)
    if stand_a.pk == stand_b.pk:
        raise DomainError(_("Choose two different stands."), field="stand_b")
    settings_ = booking_settings(event)
    plan = PlanSettings.objects.filter(event=event).first() or PlanSettings(event=event)
    with transaction.atomic():
        locked = lock_stands([stand_a.pk, stand_b.pk])
        a, b = locked[stand_a.pk], locked[stand_b.pk]
        old_a, old_b = _confirmed_booking_on(a), _confirmed_booking_on(b)
        for stand, old in ((a, old_a), (b, old_b)):
            if old is None:
                raise ConflictError(
                    _("Stand %(number)s has no confirmed booking to swap.") % {"number": stand.number},
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
        _set_stand(a, status=status_b, exhibitor_id=old_b.organisation_id)
        _set_stand(b, status=status_a, exhibitor_id=old_a.organisation_id)
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
                event=event, type="booking.moved", ids={**_booking_ids(new), "previous_booking": old.pk}
            )
        _tell_company(
            organisation=old_a.organisation,
            event=event,
            action="moved",
            stand=b.number,
            previous_stand=a.number,
        )
        _tell_company(
            organisation=old_b.organisation,
            event=event,
            action="moved",
            stand=a.number,
            previous_stand=b.number,
        )
    new_a.stand, new_b.stand = b, a
    return new_a, new_b


def vacate_stand(*, event: Event, stand: Stand, actor: Any) -> Booking:
    """End the stand's active booking (hold or confirmed) and make it available."""
    _check_stand_of_event(event, stand)
    with transaction.atomic():
        locked = lock_stands([stand.pk])[stand.pk]
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
        _set_stand(locked, status=Stand.Status.AVAILABLE, exhibitor_id=None)
        audit.record(
            actor=actor,
            action="booking.vacate",
            obj=current,
            event=event,
            stand=locked.number,
            organisation=current.organisation_id,
        )
        emit_webhook(event=event, type="booking.released", ids=_booking_ids(current))
        _tell_company(organisation=current.organisation, event=event, action="vacated", stand=locked.number)
    return current


# --- invoices and payments -----------------------------------------------------------------------


def _seller(event: Event, settings_: BookingSettings) -> dict[str, str]:
    return {
        "name": settings_.organiser_name or event.name,
        "address": settings_.organiser_address,
        "vat_number": settings_.organiser_vat_number,
        "email": settings_.organiser_email,
        "bank_details": settings_.bank_details,
    }


def _buyer(organisation: Organisation) -> dict[str, str]:
    return {
        "name": organisation.name,
        "country": str(organisation.country.name) if organisation.country else "",
        "website": organisation.website,
    }


def _invoice_row(
    *, booking: Booking, stand: Stand, quote: Quote, settings_: BookingSettings, today: date, sequence: int
) -> Invoice:
    event = booking.event
    return Invoice(
        event=event,
        booking=booking,
        organisation=booking.organisation,
        sequence=sequence,
        stand_number=stand.number,
        number=f"{settings_.invoice_prefix}{sequence:06d}",
        issued_on=today,
        due_on=today + timedelta(days=settings_.payment_terms_days),
        currency=event.currency,
        seller=_seller(event, settings_),
        buyer=_buyer(booking.organisation),
        lines=[line.as_dict() for line in quote.lines],
        net=quote.net,
        vat_rate=quote.vat_rate,
        vat=quote.vat,
        gross=quote.gross,
    )


def _next_numbers(event: Event, count: int) -> int:
    """Reserve ``count`` consecutive numbers; returns the first. Call inside the invoice's
    transaction: the counter row stays locked until it commits or rolls back."""
    InvoiceCounter.objects.get_or_create(event=event)
    counter = InvoiceCounter.objects.select_for_update().get(event=event)
    first = counter.last_number + 1
    counter.last_number += count
    counter.save(update_fields=["last_number"])
    return first


def _create_invoice(
    *, booking: Booking, stand: Stand, quote: Quote, settings_: BookingSettings, today: date
) -> Invoice:
    sequence = _next_numbers(booking.event, 1)
    invoice = _invoice_row(
        booking=booking, stand=stand, quote=quote, settings_=settings_, today=today, sequence=sequence
    )
    invoice.save()
    emit_webhook(event=booking.event, type="invoice.issued", ids=_booking_ids(booking, invoice))
    return invoice


def issue_invoice(*, booking: Booking, actor: Any) -> Invoice:
    """Invoice a confirmed booking that has none yet (e.g. after a move). Idempotent."""
    event = booking.event
    settings_ = booking_settings(event)
    with transaction.atomic():
        stand = lock_stands([booking.stand_id])[booking.stand_id]
        current = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("organisation", "event")
            .get(pk=booking.pk)
        )
        existing = Invoice.objects.filter(booking=current).first()
        if existing is not None:
            return existing
        if current.status != Booking.Status.CONFIRMED:
            raise DomainError(_("Only a confirmed booking can be invoiced."), code="not_confirmed")
        quote = quote_for_stand(event, stand, booking_settings=settings_)
        invoice = _create_invoice(
            booking=current,
            stand=stand,
            quote=quote,
            settings_=settings_,
            today=timezone.localdate(timezone.now(), event.tz),
        )
        audit.record(
            actor=actor,
            action="invoice.issue",
            obj=invoice,
            event=event,
            booking=current.pk,
            gross=str(invoice.gross),
        )
    return invoice


def issue_invoices_in_bulk(*, event: Event, bookings: list[Booking], today: date) -> list[Invoice]:
    """Invoice many confirmed bookings at once with consecutive numbers (the demo's seed)."""
    if not bookings:
        return []
    settings_ = booking_settings(event)
    plan = PlanSettings.objects.filter(event=event).first() or PlanSettings(event=event)
    with transaction.atomic():
        first = _next_numbers(event, len(bookings))
        rows = [
            _invoice_row(
                booking=b,
                stand=b.stand,
                quote=quote_for_stand(event, b.stand, plan=plan, booking_settings=settings_),
                settings_=settings_,
                today=today,
                sequence=first + i,
            )
            for i, b in enumerate(bookings)
        ]
        return Invoice.objects.bulk_create(rows, batch_size=500)


def _amount(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise DomainError(_("Enter an amount."), field="amount") from None
    if amount <= 0:
        raise DomainError(_("The amount must be more than zero."), field="amount")
    return amount


def record_payment(
    *,
    invoice: Invoice,
    actor: Any,
    amount: Any,
    received_on: date,
    method: str = Payment.Method.BANK_TRANSFER,
    reference: str = "",
) -> Payment:
    """Record money received. Refuses overpayment (field error on ``amount``); a fully paid
    invoice marks its stand sold."""
    amount = _amount(amount)
    if method not in Payment.Method.values:
        raise DomainError(_("Choose a payment method."), field="method")
    with transaction.atomic():
        current = Invoice.objects.select_for_update().get(pk=invoice.pk)  # no outer join under FOR UPDATE
        paid = current.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0")
        if paid + amount > current.gross:
            raise DomainError(
                _("This payment exceeds the balance due (%(balance)s %(currency)s).")
                % {"balance": current.gross - paid, "currency": current.currency},
                field="amount",
                code="overpayment",
            )
        payment = Payment.objects.create(
            invoice=current,
            amount=amount,
            received_on=received_on,
            method=method,
            reference=reference,
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        current.amount_paid = paid + amount
        current.save(update_fields=["amount_paid", "updated_at"])
        if (
            current.amount_paid >= current.gross
            and current.booking is not None
            and current.booking.status == Booking.Status.CONFIRMED
        ):
            Stand.objects.filter(
                pk=current.booking.stand_id,
                status=Stand.Status.RESERVED,
                exhibitor_id=current.organisation_id,
            ).update(status=Stand.Status.SOLD)
        audit.record(
            actor=actor,
            action="invoice.payment",
            obj=current,
            event=current.event,
            amount=str(amount),
            method=method,
            reference=reference,
            paid=str(current.amount_paid),
        )
        emit_webhook(
            event=current.event,
            type="invoice.payment_recorded",
            ids={"invoice": current.pk, "payment": payment.pk, "organisation": current.organisation_id},
        )
    invoice.amount_paid = current.amount_paid
    return payment


def update_booking_settings(*, event: Event, actor: Any, **changes: Any) -> BookingSettings:
    allowed = {f.name for f in BookingSettings._meta.concrete_fields} - {"id", "event"}
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(_("Unknown setting: %(name)s") % {"name": ", ".join(sorted(unknown))})
    with transaction.atomic():
        settings_ = booking_settings(event)
        for name, value in changes.items():
            setattr(settings_, name, value)
        settings_.full_clean()
        settings_.save()
        audit.record(
            actor=actor,
            action="booking.settings",
            obj=settings_,
            event=event,
            **{k: str(v) for k, v in changes.items()},
        )
    return settings_
