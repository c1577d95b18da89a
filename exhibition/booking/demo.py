"""Demo show extension: booking records for the stands floorplans allocated, invoices (gap-free,
numbered in one go) and payments.

Runs after ``floorplans.demo`` (and ``exhibitors.demo``). Every reserved or sold stand gets a
confirmed booking; every sold stand an invoice: about 70 % paid, 15 % partly paid, 15 %
unpaid. Booking keeps "sold" for stands whose invoice is paid, so stands whose invoice is
not fully paid go back to "reserved". The few live holds of the plan are given to companies
that have no stand yet. exhibitor@demo.test's company keeps one confirmed stand with an invoice.
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from exhibition.floorplans.models import PlanSettings, Stand

from .models import Booking, Invoice, Payment
from .selectors import quote_for_stand
from .services import booking_settings, issue_invoices_in_bulk

ISSUED_DAYS_BEFORE_SHOW = 80  # invoices go out about 45 days before the demo is seeded, due 30 days later


def issued_on(show) -> date:
    return show.first_day - timedelta(days=ISSUED_DAYS_BEFORE_SHOW)


def extend(show) -> None:
    started = time.perf_counter()
    # A private generator: the figures stay the same whatever the other apps draw from show.rng.
    event, rng = show.event, random.Random(20250602)  # noqa: S311 -- seeded for repeatable demo figures, not for security
    settings_ = booking_settings(event)
    issued = issued_on(show)
    settings_.invoice_prefix = f"MP{show.first_day.year % 100:02d}-"
    settings_.hold_minutes = 24 * 60  # an option on a stand lasts a day (the floor plan's demo holds fit it)
    settings_.vat_rate = Decimal("20.00")
    settings_.payment_terms_days = 30
    settings_.organiser_name = "Milipol Paris Organisation (demo)"
    settings_.organiser_address = "70 avenue du Général de Gaulle\n92058 Paris La Défense Cedex\nFrance"
    settings_.organiser_vat_number = "FR00123456789"
    settings_.organiser_email = "billing@demo.test"
    settings_.bank_details = "IBAN FR76 3000 4000 0500 0012 3456 789 · BIC BNPAFRPPXXX"
    settings_.save()
    plan = PlanSettings.objects.filter(event=event).first() or PlanSettings(event=event)
    now = timezone.now()

    stands = list(Stand.objects.filter(event=event).select_related("hall", "exhibitor").order_by("pk"))
    if not stands:
        return
    own = show.companies[0] if show.companies else None
    taken = {s.exhibitor_id for s in stands if s.exhibitor_id}
    # exhibitor@demo.test's company: one confirmed stand.
    if own is not None and own.pk not in taken:
        free = next(s for s in stands if s.status == Stand.Status.AVAILABLE)
        free.status, free.exhibitor, free.exhibitor_id = Stand.Status.RESERVED, own, own.pk
        Stand.objects.filter(pk=free.pk).update(status=free.status, exhibitor=own)
        taken.add(own.pk)

    # Live holds: given to companies without a stand.
    spare = [c for c in show.companies if c.pk not in taken]
    rng.shuffle(spare)
    holds = [
        s
        for s in stands
        if s.status == Stand.Status.HELD and s.held_until and s.held_until > now and s.exhibitor_id is None
    ]
    for stand, company in zip(holds, spare, strict=False):
        stand.exhibitor, stand.exhibitor_id = company, company.pk
    Stand.objects.bulk_update([s for s in holds if s.exhibitor_id], ["exhibitor"])

    bookings = []
    for s in stands:
        if s.exhibitor_id is None:
            continue
        if s.status in (Stand.Status.RESERVED, Stand.Status.SOLD):
            quote = quote_for_stand(event, s, plan=plan, booking_settings=settings_)
            bookings.append(
                Booking(
                    event=event,
                    stand=s,
                    organisation_id=s.exhibitor_id,
                    status=Booking.Status.CONFIRMED,
                    source=Booking.Source.ORGANISER,
                    confirmed_at=now - timedelta(days=(show.today - issued).days + rng.randint(1, 150)),
                    net=quote.net,
                    vat_rate=quote.vat_rate,
                    vat=quote.vat,
                    gross=quote.gross,
                )
            )
        elif s.status == Stand.Status.HELD and s.held_until and s.held_until > now:
            bookings.append(
                Booking(
                    event=event,
                    stand=s,
                    organisation_id=s.exhibitor_id,
                    status=Booking.Status.HELD,
                    source=Booking.Source.EXHIBITOR,
                    held_until=s.held_until,
                )
            )
    bookings = Booking.objects.bulk_create(bookings, batch_size=500)
    for b in bookings:
        b.organisation = b.stand.exhibitor
        b.event = event

    to_invoice = [
        b
        for b in bookings
        if b.status == Booking.Status.CONFIRMED
        and (b.stand.status == Stand.Status.SOLD or b.organisation_id == getattr(own, "pk", None))
    ]
    invoices = issue_invoices_in_bulk(event=event, bookings=to_invoice, today=issued)

    payments, paid_invoices, back_to_reserved, sold = [], [], [], []
    for inv in invoices:
        roll = rng.random()
        if roll < 0.70:  # paid: in one go, or a 30 % deposit and the rest
            deposit = (inv.gross * Decimal("0.3")).quantize(Decimal("0.01"))
            amounts = [inv.gross] if rng.random() < 0.7 else [deposit, inv.gross - deposit]
        elif roll < 0.85:
            amounts = [(inv.gross * Decimal("0.3")).quantize(Decimal("0.01"))]
        else:
            amounts = []
        for i, amount in enumerate(amounts):
            payments.append(
                Payment(
                    invoice=inv,
                    amount=amount,
                    received_on=issued + timedelta(days=7 + 14 * i),
                    method=rng.choice(Payment.Method.values[:3]),
                    reference=f"{inv.number}/{i + 1}",
                )
            )
        inv.amount_paid = sum(amounts, Decimal("0"))
        paid_invoices.append(inv)
        (sold if inv.amount_paid >= inv.gross else back_to_reserved).append(inv.booking.stand_id)
    Payment.objects.bulk_create(payments, batch_size=500)
    Invoice.objects.bulk_update(paid_invoices, ["amount_paid"], batch_size=500)
    Stand.objects.filter(pk__in=back_to_reserved).update(status=Stand.Status.RESERVED)
    Stand.objects.filter(pk__in=sold).update(status=Stand.Status.SOLD)
    show.extra["bookings"] = len(bookings)
    show.extra["invoices"] = len(invoices)
    if hasattr(show, "say"):
        paid = sum(1 for i in invoices if i.amount_paid >= i.gross)
        partly = sum(1 for i in invoices if 0 < i.amount_paid < i.gross)
        show.say(
            f"{len(bookings)} bookings ({len(holds)} live holds), {len(invoices)} invoices "
            f"{invoices[0].number if invoices else ''}..{invoices[-1].number if invoices else ''} "
            f"({paid} paid, {partly} partly paid, {len(invoices) - paid - partly} unpaid), {len(payments)} payments "
            f"in {time.perf_counter() - started:.1f} s"
        )
