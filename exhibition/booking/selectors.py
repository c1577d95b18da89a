"""Reads for stand booking: which companies may book, which stands fit a company,
quotes, bookings and invoices (access-checked fetches), and the dashboard figures.

Expired holds never count as taken: everywhere here a stand is free when it is available,
or held with ``held_until`` in the past (or missing).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from exhibition.accounts.models import Organisation, User
from exhibition.accounts.roles import roles_for
from exhibition.core import formats
from exhibition.events.models import Event
from exhibition.events.selectors import Todo, summary_provider, todo_provider
from exhibition.exhibitors.models import Application
from exhibition.floorplans.models import PlanSettings, Stand
from exhibition.floorplans.pricing import price_for
from exhibition.floorplans.selectors import plan_settings_for

from .models import Booking, BookingSettings, Invoice, Payment

CENT = Decimal("0.01")


# --- who may book, and what fits -------------------------------------------------------------


def is_approved_exhibitor(event: Event, organisation: Organisation | None) -> bool:
    """A company of this event that is admitted: application approved, no confirmed
    restricted-party hit (``Organisation.admitted_at``, kept by the admission services)."""
    return (
        organisation is not None
        and organisation.kind == Organisation.Kind.COMPANY
        and organisation.event_id == event.pk
        and organisation.admitted_at is not None
    )


@dataclass(frozen=True)
class StandRequest:
    kind: str | None = None
    area: float | None = None
    hall_codes: tuple[str, ...] = ()
    pavilion_id: int | None = None


def stand_request_for(event: Event, organisation: Organisation) -> StandRequest | None:
    """The stand the company asked for in its approved application (None if none); read once
    per organisation object (a page asks twice: to show it and to filter the stands)."""
    if "_stand_request" not in organisation.__dict__:
        organisation.__dict__["_stand_request"] = _stand_request(event, organisation)
    found: StandRequest | None = organisation.__dict__["_stand_request"]
    return found


def _stand_request(event: Event, organisation: Organisation) -> StandRequest | None:
    application = (
        Application.objects.filter(event=event, organisation=organisation, state=Application.State.APPROVED)
        .prefetch_related("preferred_halls")
        .first()
    )
    if application is None:
        return None
    return StandRequest(
        kind=application.stand_kind if application.stand_kind in Stand.Kind.values else None,
        area=float(application.stand_area) if application.stand_area else None,
        hall_codes=tuple(h.code for h in application.preferred_halls.all()),
        pavilion_id=application.pavilion_id,
    )


def stand_numbered(event: Event, number: str) -> Stand:
    """The event's stand of exactly that number, or 404."""
    stand = Stand.objects.filter(event=event, number=number).first()
    if stand is None:
        raise Http404
    return stand


def stand_named(event: Event, number: str | None) -> Stand | None:
    """The event's stand of that number as typed (any case, blanks around ignored), or None."""
    return Stand.objects.filter(event=event, number__iexact=(number or "").strip()).first()


def free_stand_q(now: datetime | None = None) -> Q:
    now = now or timezone.now()
    return Q(status=Stand.Status.AVAILABLE) | Q(status=Stand.Status.HELD) & (
        Q(held_until__isnull=True) | Q(held_until__lte=now)
    )


def stand_is_free(stand: Stand, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    if stand.status == Stand.Status.AVAILABLE:
        return True
    return stand.status == Stand.Status.HELD and (stand.held_until is None or stand.held_until <= now)


def free_stands(event: Event) -> QuerySet[Stand]:
    return (
        Stand.objects.filter(event=event)
        .filter(free_stand_q())
        .select_related("hall", "pavilion")
        .order_by("hall__position", "hall__code", "number")
    )


def stands_that_fit(event: Event, organisation: Organisation, *, show_all: bool = False) -> QuerySet[Stand]:
    """Free stands matching the company's request: type, area (80 % to 150 % of the asked
    area), preferred halls and pavilion. ``show_all`` lists every free stand."""
    qs = free_stands(event)
    request = None if show_all else stand_request_for(event, organisation)
    if request is None:
        return qs
    if request.kind:
        qs = qs.filter(kind=request.kind)
    if request.area:
        qs = qs.filter(area__gte=request.area * 0.8, area__lte=request.area * 1.5)
    if request.hall_codes:
        qs = qs.filter(hall__code__in=request.hall_codes)
    if request.pavilion_id:
        qs = qs.filter(pavilion_id=request.pavilion_id)
    return qs


@dataclass
class AwaitingStand:
    """An approved company still without a stand, what it asked for, and the free stands that fit."""

    organisation: Organisation
    application: Application
    fits: list[Stand]
    more: int = 0


def _fits(request: Application, stand: Stand, preferred: set[int]) -> bool:
    if request.stand_kind in Stand.Kind.values and stand.kind != request.stand_kind:
        return False
    if request.stand_area and not request.stand_area * 0.8 <= stand.area <= request.stand_area * 1.5:
        return False
    if preferred and stand.hall_id not in preferred:
        return False
    return not (request.pavilion_id and stand.pavilion_id != request.pavilion_id)


@dataclass
class ExpiringHold:
    organisation: Organisation
    stand_number: str
    held_until: Any


HOLDS_EXPIRING_WITHIN_HOURS = 48


def companies_awaiting_stand(
    event: Event, *, limit: int = 20, fits_per_company: int = 4
) -> tuple[list[AwaitingStand], int, list[ExpiringHold]]:
    """The allocation board's queue, from one read of the approved companies:

    - those with no live booking, longest-approved first, each with the free stands that fit
      its request (the same rule as ``stands_that_fit``: type, 80 % to 150 % of the area,
      preferred halls, pavilion), closest in size first: the first ``limit`` and how many in all;
    - those whose hold on a stand lapses within ``HOLDS_EXPIRING_WITHIN_HOURS``, soonest first.

    One query when nobody waits, three otherwise, whatever the numbers."""
    now = timezone.now()
    mine = Booking.objects.filter(event=event, organisation=OuterRef("organisation"))
    live = mine.filter(Q(status=Booking.Status.CONFIRMED) | Q(status=Booking.Status.HELD, held_until__gt=now))
    hold = mine.filter(status=Booking.Status.HELD, held_until__gt=now).order_by("held_until", "pk")
    approved = (
        Application.objects.filter(
            event=event, state=Application.State.APPROVED, organisation__kind=Organisation.Kind.COMPANY
        )
        .annotate(
            has_live=Exists(live),
            hold_until=Subquery(hold.values("held_until")[:1]),
            hold_stand=Subquery(hold.values("stand__number")[:1]),
        )
        .select_related("organisation")
        .order_by(F("decided_at").asc(nulls_last=True), "legal_name", "pk")
    )
    apps, soon = [], now + timedelta(hours=HOLDS_EXPIRING_WITHIN_HOURS)
    expiring = []
    for app in approved:
        if not app.has_live:
            apps.append(app)
        elif app.hold_until and app.hold_until <= soon:
            expiring.append(
                ExpiringHold(
                    organisation=app.organisation, stand_number=app.hold_stand, held_until=app.hold_until
                )
            )
    expiring.sort(key=lambda h: (h.held_until, h.organisation.name))
    if not apps:
        return [], 0, expiring
    shown = apps[:limit]
    preferred: dict[int, dict[int, str]] = {}
    for app_id, hall_id, name in (
        Application.preferred_halls.through.objects.filter(application_id__in=[a.pk for a in shown])
        .order_by("hall__position", "hall__code")
        .values_list("application_id", "hall_id", "hall__name")
    ):
        preferred.setdefault(app_id, {})[hall_id] = name
    stands = list(free_stands(event).order_by("area", "hall__position", "hall__code", "number"))
    out = []
    for app in shown:
        wanted = set(preferred.get(app.pk, {}))
        # read by the board's template beside the company's request
        app.wanted_halls = list(preferred.get(app.pk, {}).values())  # type: ignore[attr-defined]
        fitting = [st for st in stands if _fits(app, st, wanted)]
        fitting.sort(key=lambda st: (abs(st.area - app.stand_area), st.hall.position, st.number))
        out.append(
            AwaitingStand(
                organisation=app.organisation,
                application=app,
                fits=fitting[:fits_per_company],
                more=max(0, len(fitting) - fits_per_company),
            )
        )
    return out, len(apps), expiring


@dataclass
class StandOffer:
    """What a company may do about one stand of the plan: hold it (``can_hold``), or why not
    (``reason``); ``show_terms``: its price, type and open sides are the company's to read;
    ``own``: the company's own live booking of this very stand (``hold_end``: when its hold lapses)."""

    can_hold: bool = False
    reason: str = ""
    show_terms: bool = False
    own: Booking | None = None
    hold_end: str = ""


def stand_offer(
    event: Event, organisation: Organisation, stand: Stand, *, may_book: bool
) -> StandOffer | None:
    """The stand panel's offer to a company (``may_book``: the reader may book for it, the
    ``booking.book_stand`` permission); None when the stand is another company's. Holding follows
    the hold service's rules: a free stand, one live hold at a time (confirmed stands do not count:
    a company may book several)."""
    now = timezone.now()
    live = list(
        Booking.objects.filter(event=event, organisation=organisation)
        .filter(Q(status=Booking.Status.CONFIRMED) | Q(status=Booking.Status.HELD, held_until__gt=now))
        .select_related("stand")
        .order_by("pk")
    )
    own = next((b for b in live if b.stand_id == stand.pk), None)
    if own is not None:
        held_until = own.held_until if own.status == Booking.Status.HELD else None
        return StandOffer(own=own, hold_end=hold_end_words(held_until, now) if held_until else "")
    if not stand_is_free(stand, now):
        return None
    if not is_approved_exhibitor(event, organisation):
        return StandOffer(reason=_("Stand booking opens once the organiser has approved your application."))
    if not may_book:
        return StandOffer(reason=_("Only the admin of an approved exhibiting company can book a stand."))
    holding = next((b for b in live if b.status == Booking.Status.HELD), None)
    if holding is not None:
        return StandOffer(
            show_terms=True,
            reason=_("You already hold stand %(number)s: confirm or release it first.")
            % {"number": holding.stand.number},
        )
    return StandOffer(can_hold=True, show_terms=True)


def hold_end_words(held_until: datetime, now: datetime | None = None) -> str:
    """When a hold lapses, in the show's local time, as "until …" ends: "08:59" today,
    "tomorrow 08:59", else "Tue 8 Dec 08:59"."""
    local = timezone.localtime(held_until)
    today = timezone.localdate(now or timezone.now())
    time = formats.when(local, "time")
    if local.date() == today:
        return time
    if local.date() == today + timedelta(days=1):
        return _("tomorrow %(time)s") % {"time": time}
    return formats.when(local, "daytime")


def time_left_words(seconds: float) -> str:
    """A hold's time left as people read it: "23 h 59 min", under an hour "4 min 05 s"."""
    hours, rest = divmod(max(int(seconds), 0), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return time_left_formats()["hours"] % {"h": hours, "m": minutes}
    return time_left_formats()["minutes"] % {"m": minutes, "s": secs}


def time_left_formats() -> dict[str, str]:
    """The two ways of writing a time left, for the countdown script too (it fills in the same
    placeholders)."""
    return {"hours": _("%(h)d h %(m)02d min"), "minutes": _("%(m)d min %(s)02d s")}


def buyers_details(organisations: list[Organisation]) -> dict[int, dict[str, str]]:
    """Whom each company's invoice is made out to (by organisation id), from one query: the legal
    name, address, country, VAT and registration numbers its application gave (the organisation's
    name and country without one)."""
    applications = {
        a.organisation_id: a
        for a in Application.objects.filter(organisation__in=[o.pk for o in organisations])
    }
    out = {}
    for organisation in organisations:
        application = applications.get(organisation.pk)
        country = (application.country if application else None) or organisation.country
        out[organisation.pk] = {
            "name": (application.legal_name if application else "") or organisation.name,
            "address": application.address if application else "",
            "country": str(country.name) if country else "",
            "country_code": str(country.code) if country else "",
            "vat_number": application.vat_number if application else "",
            "registration_number": application.registration_number if application else "",
        }
    return out


def buyer_details(organisation: Organisation) -> dict[str, str]:
    """Whom the company's invoice is made out to (``buyers_details``)."""
    return buyers_details([organisation])[organisation.pk]


# --- settings and quotes ---------------------------------------------------------------------


def settings_for(event: Event) -> BookingSettings:
    """The event's booking settings, or unsaved defaults (a read never writes)."""
    found = BookingSettings.objects.filter(event=event).first()
    return found or BookingSettings(event=event)


@dataclass
class QuoteLine:
    """One line of a quote. ``facts`` are what its words are made of (``describe_line``): the
    invoice keeps them, so that it reads in the language of whoever opens it."""

    facts: dict[str, str]
    quantity: Decimal
    unit: str
    unit_price: Decimal
    amount: Decimal

    @property
    def description(self) -> str:
        return describe_line(self.facts)

    def as_dict(self) -> dict[str, str]:
        return {
            **self.facts,
            "description": self.description,  # as it read when issued (the API's readers)
            "quantity": str(self.quantity),
            "unit": self.unit,
            "unit_price": str(self.unit_price),
            "amount": str(self.amount),
        }


def _stand_line_words() -> str:
    return _("Stand %(number)s, %(kind)s, %(area)s m²")


def _supplement_line_words() -> str:
    return _("%(sides)s supplement (%(percent)s)")


def describe_line(line: Mapping[str, Any]) -> str:
    """A quote or invoice line in the reader's language, figures written as they write them:
    "Stand 5A-E133, Shell scheme, 18 m²" / "Stand 5A-E133, Stand équipé, 18 m²". A line stored
    before invoices kept their facts is read back from its words (in any language of the site);
    one that cannot be read so stays as it was written."""
    facts = line if line.get("item") else _facts_from_words(str(line.get("description", "")))
    try:
        if facts.get("item") == "stand":
            kind = facts["stand_kind"]
            return _stand_line_words() % {
                "number": facts["stand"],
                "kind": Stand.Kind(kind).label if kind in Stand.Kind.values else kind,
                "area": formats.number(facts["area"]),
            }
        if facts.get("item") == "supplement":
            sides = int(facts["open_sides"])
            return _supplement_line_words() % {
                "sides": Stand.OpenSides(sides).label if sides in Stand.OpenSides.values else sides,
                "percent": formats.percent(facts["percent"]),
            }
    except (KeyError, ValueError):
        pass
    return str(line.get("description", ""))


def _pattern(words: str, **groups: str) -> re.Pattern[str]:
    """A regular expression matching ``words`` with each ``%(name)s`` as the named group given."""
    out = re.escape(words)
    for name, group in groups.items():
        out = out.replace(re.escape(f"%({name})s"), f"(?P<{name}>{group})")
    return re.compile(out)


def _one_of(labels: Mapping[str, Any]) -> str:
    return "|".join(re.escape(label) for label in sorted(labels, key=len, reverse=True))


def _facts_from_words(text: str) -> dict[str, str]:
    """The facts of a line stored as words only ("Stand 5A-E133, Shell scheme, 18.0 m²"), or {}."""
    if not text:
        return {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            stand_words, supplement_words = _stand_line_words(), _supplement_line_words()
            kinds = {str(label): value for value, label in Stand.Kind.choices}
            sides = {str(label): value for value, label in Stand.OpenSides.choices}
        found = _pattern(stand_words, number=".+?", kind=_one_of(kinds), area=r"\d+(?:\.\d+)?").fullmatch(
            text
        )
        if found:
            return {
                "item": "stand",
                "stand": found["number"],
                "stand_kind": kinds[found["kind"]],
                "area": found["area"],
            }
        found = _pattern(supplement_words, sides=_one_of(sides), percent=r"\d+(?:[.,]\d+)?\s?%").fullmatch(
            text
        )
        if found:
            return {
                "item": "supplement",
                "open_sides": str(sides[found["sides"]]),
                "percent": found["percent"].rstrip("% \u00a0").replace(",", "."),
            }
    return {}


@dataclass
class Quote:
    stand_number: str
    currency: str
    lines: list[QuoteLine] = field(default_factory=list)
    net: Decimal = Decimal("0")
    vat_rate: Decimal = Decimal("0")
    vat: Decimal = Decimal("0")
    gross: Decimal = Decimal("0")


def vat_on(net: Decimal, rate: Decimal) -> Decimal:
    return (net * rate / Decimal(100)).quantize(CENT, rounding=ROUND_HALF_UP)


def quote_for_stand(
    event: Event,
    stand: Stand,
    *,
    plan: PlanSettings | None = None,
    booking_settings: BookingSettings | None = None,
) -> Quote:
    """Area x rate for the stand type, plus the open-side supplement, then VAT.

    The net equals the floor plan's price (``floorplans.pricing.price_for``) to the cent:
    the supplement line is the difference, so the lines always add up.
    """
    plan = plan or plan_settings_for(event)
    booking_settings = booking_settings or settings_for(event)
    area = Decimal(str(round(stand.area, 2)))
    rate = plan.raw_rate if stand.kind == Stand.Kind.RAW else plan.shell_rate
    base = (area * rate).quantize(CENT, rounding=ROUND_HALF_UP)
    net = price_for(area=stand.area, kind=stand.kind, open_sides=stand.open_sides, settings_=plan)
    lines = [
        QuoteLine(
            facts={"item": "stand", "stand": stand.number, "stand_kind": stand.kind, "area": str(area)},
            quantity=area,
            unit="m²",
            unit_price=rate,
            amount=base,
        )
    ]
    supplement = net - base
    if supplement:
        percent = {2: plan.corner_supplement, 3: plan.peninsula_supplement, 4: plan.island_supplement}.get(
            stand.open_sides, Decimal(0)
        )
        lines.append(
            QuoteLine(
                facts={"item": "supplement", "open_sides": str(stand.open_sides), "percent": str(percent)},
                quantity=Decimal(1),
                unit="",
                unit_price=supplement,
                amount=supplement,
            )
        )
    vat = vat_on(net, booking_settings.vat_rate)
    return Quote(
        stand_number=stand.number,
        currency=event.currency,
        lines=lines,
        net=net,
        vat_rate=booking_settings.vat_rate,
        vat=vat,
        gross=net + vat,
    )


# --- bookings ------------------------------------------------------------------------------


def _invoice_with_payments() -> Prefetch:
    return Prefetch("invoice__payments", queryset=Payment.objects.order_by("received_on", "id"))


def bookings_for_organisation(event: Event, organisation: Organisation) -> QuerySet[Booking]:
    """The company's held and confirmed bookings (held ones only while the hold is live)."""
    now = timezone.now()
    return (
        Booking.objects.filter(event=event, organisation=organisation)
        .filter(Q(status=Booking.Status.CONFIRMED) | Q(status=Booking.Status.HELD, held_until__gt=now))
        .select_related("stand", "stand__hall", "stand__pavilion", "invoice", "organisation")
        .prefetch_related(_invoice_with_payments())
        .order_by("stand__number")
    )


def active_bookings(event: Event) -> QuerySet[Booking]:
    now = timezone.now()
    return (
        Booking.objects.filter(event=event)
        .filter(Q(status=Booking.Status.CONFIRMED) | Q(status=Booking.Status.HELD, held_until__gt=now))
        .select_related("stand", "stand__hall", "organisation", "invoice")
        .order_by("organisation__name", "stand__number")
    )


def bookings_visible_to(user: User | AnonymousUser, event: Event) -> QuerySet[Booking]:
    roles = roles_for(user, event)
    qs = active_bookings(event)
    if roles.is_organiser:
        return qs
    return qs.filter(organisation_id__in=list(roles.memberships))


def booking_with_invoice(event: Event, pk: int) -> Booking:
    """The event's booking as stored now, with stand and hall, company and invoice (as the API
    answers after an allocation); raises ``Booking.DoesNotExist`` if there is none."""
    return Booking.objects.select_related("stand__hall", "organisation", "invoice").get(event=event, pk=pk)


def booking_for(user: User | AnonymousUser, event: Event, pk: int) -> Booking:
    """A booking the user may at least see, else 404 (another company's booking does not exist for you)."""
    roles = roles_for(user, event)
    qs = Booking.objects.filter(event=event).select_related("stand", "stand__hall", "organisation", "event")
    if not roles.is_organiser:
        qs = qs.filter(organisation_id__in=list(roles.memberships))
    booking = qs.filter(pk=pk).first()
    if booking is None:
        raise Http404
    return booking


def companies_for_board(event: Event, text: str = "") -> QuerySet[Organisation]:
    """Companies of the event with their active bookings, for the allocation board."""
    now = timezone.now()
    live = Booking.objects.filter(
        Q(status=Booking.Status.CONFIRMED) | Q(status=Booking.Status.HELD, held_until__gt=now)
    )
    qs = Organisation.objects.filter(event=event, kind=Organisation.Kind.COMPANY)
    text = (text or "").strip()
    if text:
        qs = qs.filter(Q(name__icontains=text) | Q(stands__number__iexact=text)).distinct()
    return qs.prefetch_related(
        Prefetch(
            "bookings",
            queryset=live.select_related("stand", "stand__hall").order_by("stand__number"),
            to_attr="live_bookings",
        )
    ).order_by("name")


def company_of_event(event: Event, pk: Any) -> Organisation | None:
    """The exhibiting company of this event with that primary key, or None."""
    return Organisation.objects.filter(event=event, pk=pk, kind=Organisation.Kind.COMPANY).first()


def company_for_user(
    user: User | AnonymousUser, event: Event, organisation_id: int | None = None
) -> Organisation | None:
    """The company the user acts for at this event (the one asked for, else the first)."""
    roles = roles_for(user, event)
    ids = sorted(roles.company_ids)
    if organisation_id is not None:
        ids = [i for i in ids if i == organisation_id]
    if not ids:
        return None
    return Organisation.objects.filter(pk=ids[0]).select_related("event").first()


# --- invoices ------------------------------------------------------------------------------

DUE = "due"  # the invoice list's filter for "not fully paid" (unpaid or partly paid)


def invoices_for_event(event: Event, status: str | None = None, text: str = "") -> QuerySet[Invoice]:
    qs = Invoice.objects.filter(event=event).select_related("organisation")
    if status == DUE:  # the collection queue: not fully paid, longest due first
        qs = qs.filter(amount_paid__lt=F("gross"))
        text = (text or "").strip()
        if text:
            qs = qs.filter(Q(number__icontains=text) | Q(organisation__name__icontains=text))
        return qs.order_by("due_on", "sequence")
    if status == Invoice.PaymentStatus.UNPAID:
        qs = qs.filter(amount_paid__lte=0)
    elif status == Invoice.PaymentStatus.PARTLY_PAID:
        qs = qs.filter(amount_paid__gt=0, amount_paid__lt=F("gross"))
    elif status == Invoice.PaymentStatus.PAID:
        qs = qs.filter(amount_paid__gte=F("gross"))
    text = (text or "").strip()
    if text:
        qs = qs.filter(Q(number__icontains=text) | Q(organisation__name__icontains=text))
    return qs.order_by("-sequence")


def invoices_visible_to(user: User | AnonymousUser, event: Event) -> QuerySet[Invoice]:
    """All invoices for organisers; a company admin's own company's invoices; nothing for others."""
    roles = roles_for(user, event)
    qs = invoices_for_event(event)
    if roles.is_organiser:
        return qs
    managed = [oid for oid in roles.company_ids if roles.manages(oid)]
    return qs.filter(organisation_id__in=managed)


def company_invoices_visible_to(
    user: User | AnonymousUser, event: Event, company: Organisation
) -> QuerySet[Invoice]:
    """The company's invoices among those the user may see (``invoices_visible_to``)."""
    return invoices_visible_to(user, event).filter(organisation=company)


def invoice_for(user: User | AnonymousUser, event: Event, pk: int) -> Invoice:
    """An invoice the user may see, else 404 (nothing leaks about other companies' invoices)."""
    invoice = (
        invoices_visible_to(user, event)
        .select_related("event", "booking")
        .prefetch_related(Prefetch("payments", queryset=Payment.objects.order_by("received_on", "id")))
        .filter(pk=pk)
        .first()
    )
    if invoice is None:
        raise Http404
    return invoice


# --- dashboard -----------------------------------------------------------------------------


def booking_statistics(event: Event) -> dict[str, Any]:
    now = timezone.now()
    bookings = Booking.objects.filter(event=event).aggregate(
        live_holds=Count("id", filter=Q(status=Booking.Status.HELD, held_until__gt=now)),
        confirmed=Count("id", filter=Q(status=Booking.Status.CONFIRMED)),
    )
    invoices = Invoice.objects.filter(event=event).aggregate(
        n=Count("id"),
        gross_total=Sum("gross"),
        paid_total=Sum("amount_paid"),
        unpaid=Count("id", filter=Q(amount_paid__lte=0)),
        partly=Count("id", filter=Q(amount_paid__gt=0, amount_paid__lt=F("gross"))),
        paid_n=Count("id", filter=Q(amount_paid__gte=F("gross"))),
        overdue=Count("id", filter=Q(amount_paid__lt=F("gross"), due_on__lt=event.today(now))),
    )
    return {
        "bookings": {"live_holds": bookings["live_holds"], "confirmed": bookings["confirmed"]},
        "invoices": {
            "total": invoices["n"],
            "by_status": {
                "unpaid": invoices["unpaid"],
                "partly_paid": invoices["partly"],
                "paid": invoices["paid_n"],
            },
            "invoiced": str(Decimal(invoices["gross_total"] or 0).quantize(CENT)),
            "received": str(Decimal(invoices["paid_total"] or 0).quantize(CENT)),
            "overdue": invoices["overdue"],  # past the due date (the show's day) and not paid in full
            "currency": event.currency,
        },
    }


@summary_provider
def _booking_summary(event: Event) -> dict[str, Any]:
    return booking_statistics(event)


@todo_provider
def _booking_todos(event: Event) -> list[Todo]:
    now = timezone.now()
    live = Booking.objects.filter(event=event).filter(
        Q(status=Booking.Status.CONFIRMED) | Q(status=Booking.Status.HELD, held_until__gt=now)
    )
    without_stand = (
        Application.objects.filter(
            event=event, state=Application.State.APPROVED, organisation__kind=Organisation.Kind.COMPANY
        )
        .exclude(organisation__in=live.values("organisation"))
        .count()
    )
    expiring = Booking.objects.filter(
        event=event,
        status=Booking.Status.HELD,
        held_until__gt=now,
        held_until__lte=now + timedelta(hours=HOLDS_EXPIRING_WITHIN_HOURS),
    ).count()
    due = Invoice.objects.filter(event=event, amount_paid__lt=F("gross")).aggregate(
        n=Count("id"),
        outstanding=Sum(F("gross") - F("amount_paid")),
        overdue=Count("id", filter=Q(due_on__lt=event.today(now))),
    )
    base = {"event_slug": event.slug}
    board = reverse("booking:board", kwargs=base)
    detail = _("%(amount)s outstanding") % {"amount": formats.money(due["outstanding"] or 0, event.currency)}
    if due["overdue"]:
        detail += " · " + ngettext("%(n)s overdue", "%(n)s overdue", due["overdue"]) % {"n": due["overdue"]}
    return [
        Todo(
            key="stands",
            order=30,
            count=without_stand,
            label=ngettext(
                "%(n)s approved company without a stand",
                "%(n)s approved companies without a stand",
                without_stand,
            )
            % {"n": without_stand},
            url=board,
        ),
        Todo(
            key="holds",
            order=35,
            count=expiring,
            urgent=True,
            label=ngettext(
                "%(n)s stand hold expires within %(h)s hours",
                "%(n)s stand holds expire within %(h)s hours",
                expiring,
            )
            % {"n": expiring, "h": HOLDS_EXPIRING_WITHIN_HOURS},
            url=board,
        ),
        Todo(
            key="invoices",
            order=40,
            count=due["n"],
            label=ngettext("%(n)s invoice not fully paid", "%(n)s invoices not fully paid", due["n"])
            % {"n": due["n"]},
            detail=detail,
            url=reverse("booking:invoices", kwargs=base) + f"?status={DUE}",
        ),
    ]
