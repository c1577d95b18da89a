"""The stand lines of a company's landing page (see exhibition.events.landing): its stand or
hold, and the invoices still to pay."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from exhibition.core.formats import money
from exhibition.events.landing import Todo, landing_todo

from .models import Booking, Invoice
from .selectors import is_approved_exhibitor


@landing_todo
def stand_todos(event: Any, user: Any, organisation: Any) -> list[Todo]:
    if organisation is None or not is_approved_exhibitor(event, organisation):
        return []
    url = reverse("booking:my_stand", kwargs={"event_slug": event.slug})
    out = []
    bookings = list(
        Booking.objects.filter(event=event, organisation=organisation, status__in=Booking.ACTIVE)
        .select_related("stand")
        .order_by("stand__number")
    )
    confirmed = [b for b in bookings if b.status == Booking.Status.CONFIRMED]
    holds = [b for b in bookings if b.is_live_hold]
    out.extend(
        Todo(
            f"booking.hold.{b.pk}",
            20,
            _("Confirm stand %(number)s before your hold lapses") % {"number": b.stand.number},
            url=url,
            detail=_("Held until %(when)s")
            % {"when": date_format(timezone.localtime(b.held_until, event.tz), "j F H:i")},
        )
        for b in holds
    )
    if confirmed:
        numbers = ", ".join(b.stand.number for b in confirmed)
        out.append(
            Todo(
                "booking.stand",
                20,
                ngettext("Stand %(numbers)s is yours", "Stands %(numbers)s are yours", len(confirmed))
                % {"numbers": numbers},
                url=url,
                state="done",
            )
        )
    elif not holds:
        out.append(Todo("booking.stand", 20, _("Book your stand"), url=url))
    unpaid = Invoice.objects.filter(event=event, organisation=organisation, amount_paid__lt=F("gross"))
    figures = unpaid.values("currency").annotate(due=Sum(F("gross") - F("amount_paid"))).order_by("currency")
    n = unpaid.count()
    if n:
        out.append(
            Todo(
                "booking.invoices",
                30,
                ngettext("%(n)d invoice to pay", "%(n)d invoices to pay", n) % {"n": n},
                url=url + "#invoices",
                count=n,
                detail=_("%(amount)s due")
                % {"amount": " + ".join(money(r["due"], r["currency"]) for r in figures)},
            )
        )
    return out
