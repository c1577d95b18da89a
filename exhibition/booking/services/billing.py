"""Invoices and payments, and the show's booking settings."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from exhibition.accounts.models import Organisation, User
from exhibition.core import audit, formats
from exhibition.core.errors import DomainError
from exhibition.core.webhooks import emit_webhook
from exhibition.events.models import Event
from exhibition.floorplans.models import PlanSettings, Stand

from ..models import Booking, BookingSettings, Invoice, InvoiceCounter, Payment
from ..selectors import Quote, buyer_details, buyers_details, quote_for_stand
from . import common
from .common import booking_ids, booking_settings

# --- invoices and payments -----------------------------------------------------------------------


def _seller(event: Event, settings_: BookingSettings) -> dict[str, str]:
    return {
        "name": settings_.organiser_name or event.name,
        "address": settings_.organiser_address,
        "vat_number": settings_.organiser_vat_number,
        "email": settings_.organiser_email,
        "bank_details": settings_.bank_details,
    }


def _buyer(organisation: Organisation, details: dict[str, str] | None = None) -> dict[str, str]:
    return {**(details or buyer_details(organisation)), "website": organisation.website}


def _invoice_row(
    *,
    booking: Booking,
    stand: Stand,
    quote: Quote,
    settings_: BookingSettings,
    today: date,
    sequence: int,
    buyer: dict[str, str] | None = None,
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
        buyer=_buyer(booking.organisation, buyer),
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


def create_invoice(
    *, booking: Booking, stand: Stand, quote: Quote, settings_: BookingSettings, today: date
) -> Invoice:
    sequence = _next_numbers(booking.event, 1)
    invoice = _invoice_row(
        booking=booking, stand=stand, quote=quote, settings_=settings_, today=today, sequence=sequence
    )
    invoice.save()
    emit_webhook(event=booking.event, type="invoice.issued", ids=booking_ids(booking, invoice))
    return invoice


def issue_invoice(*, booking: Booking, actor: User | None) -> Invoice:
    """Invoice a confirmed booking that has none yet (e.g. after a move). Idempotent."""
    event = booking.event
    settings_ = booking_settings(event)
    with transaction.atomic():
        stand = common.lock_stands([booking.stand_id])[booking.stand_id]
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
        invoice = create_invoice(
            booking=current,
            stand=stand,
            quote=quote,
            settings_=settings_,
            today=event.today(),
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
    buyers = buyers_details([b.organisation for b in bookings])
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
                buyer=buyers[b.organisation_id],
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
    actor: User | AnonymousUser | None,
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
                % {"balance": formats.number(current.gross - paid, 2), "currency": current.currency},
                field="amount",
                code="overpayment",
            )
        payment = Payment.objects.create(
            invoice=current,
            amount=amount,
            received_on=received_on,
            method=method,
            reference=reference,
            recorded_by=actor if isinstance(actor, User) else None,  # a person, not an anonymous caller
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


# A company is reminded of an overdue invoice at most once in this time by the list's
# "remind every overdue invoice" (the invoice's own button reminds whenever the organiser asks).
REMINDER_INTERVAL = timedelta(days=7)


def _remind(invoice: Invoice, actor: User | AnonymousUser | None, now: Any) -> None:
    """E-mail the company's admins what is left to pay on ``invoice`` (locked by the caller)."""
    common.tell_company(
        organisation=invoice.organisation,
        event=invoice.event,
        action="reminder",
        template="invoice_reminder",
        invoice=invoice.number,
        balance=invoice.balance,
        currency=invoice.currency,
        due_on=invoice.due_on,
        overdue=invoice.due_on < invoice.event.today(now),
    )
    invoice.reminded_at = now
    invoice.save(update_fields=["reminded_at", "updated_at"])
    audit.record(
        actor=actor,
        action="invoice.reminder",
        obj=invoice,
        event=invoice.event,
        balance=str(invoice.balance),
        due_on=invoice.due_on.isoformat(),
    )


def remind_invoice(*, invoice: Invoice, actor: User | AnonymousUser | None) -> Invoice:
    """Remind the company to pay this invoice (its admins get an e-mail with the balance and the
    due date). Refused for an invoice paid in full."""
    with transaction.atomic():
        current = (
            Invoice.objects.select_for_update(of=("self",))
            .select_related("event", "organisation")
            .get(pk=invoice.pk)
        )
        if current.amount_paid >= current.gross:
            raise DomainError(
                _("Invoice %(number)s is paid in full.") % {"number": current.number}, code="paid"
            )
        _remind(current, actor, timezone.now())
    invoice.reminded_at = current.reminded_at
    return current


def remind_overdue_invoices(*, event: Event, actor: User | AnonymousUser | None) -> int:
    """Remind every company whose invoice is past its due date and not paid in full, unless it was
    reminded in the last ``REMINDER_INTERVAL``; returns how many invoices were reminded."""
    now = timezone.now()
    with transaction.atomic():
        due = list(
            Invoice.objects.select_for_update(of=("self",))
            .select_related("event", "organisation")
            .filter(event=event, amount_paid__lt=F("gross"), due_on__lt=event.today(now))
            .exclude(reminded_at__gte=now - REMINDER_INTERVAL)
            .order_by("pk")
        )
        for invoice in due:
            _remind(invoice, actor, now)
    return len(due)


def update_booking_settings(*, event: Event, actor: User | None, **changes: Any) -> BookingSettings:
    allowed = {f.name for f in BookingSettings._meta.fields if f.concrete} - {"id", "event"}
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
