"""Writes to events: creating a show, and setting it up (its details, show days, halls and
sectors). Changing or removing a day, a hall or a sector never strands what the apps above keep
on it: they say what would be left out (exhibition.events.uses), and the change is refused."""

from __future__ import annotations

import re
from datetime import date, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from exhibition.accounts.models import EventStaff, User
from exhibition.accounts.roles import forget_roles
from exhibition.core import audit, formats
from exhibition.core.errors import ConflictError, DomainError

from .models import Event, Hall, Sector, ShowDay
from .signals import halls_changed, walking_settings_changed
from .uses import uses_of_day, uses_of_hall, uses_of_sector

# The first part of a URL that is not a show (exhibition/urls.py): a show cannot take it as its short name.
RESERVED_SLUGS = frozenset(
    {
        "admin",
        "accounts",
        "api",
        "i18n",
        "privacy",
        "media",
        "static",
        "shows",
        "healthz",
        "readyz",
        "metrics",
    }
)
MAX_SHOW_DAYS = 14
FIRST_YEAR, LAST_YEAR = (
    2000,
    2100,
)  # a show day outside these is a typing slip (and 9999-12-31 has no next day)
MAX_HALL_METRES = 10_000.0
MAX_SITE_METRES = 100_000.0
MAX_WALKING_SPEED = 1_000.0


def _check_date(day: date, field: str) -> None:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise DomainError(
            _("Choose a date between %(first)d and %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
            field=field,
        )


@transaction.atomic
def create_event(
    *,
    slug: str,
    name: str,
    venue: str,
    city: str,
    country: str,
    tz: str,
    first_day: date,
    days: int,
    opens: time,
    closes: time,
    last_closes: time,
    currency: str = "EUR",
) -> Event:
    """An event and its ``days`` consecutive show days from ``first_day`` (the last one closing
    at ``last_closes``, as the last day of a show usually does)."""
    event = Event.objects.create(
        slug=slug, name=name, venue=venue, city=city, country=country, time_zone=tz, currency=currency
    )
    ShowDay.objects.bulk_create(
        ShowDay(
            event=event,
            date=first_day + timedelta(days=i),
            opens_at=opens,
            closes_at=last_closes if i == days - 1 else closes,
        )
        for i in range(days)
    )
    return event


def _domain(exc: ValidationError) -> DomainError:
    """A model's ValidationError as the DomainError of its first field."""
    items = getattr(exc, "message_dict", None) or {"__all__": exc.messages}
    field, messages = next(iter(items.items()))
    return DomainError(messages[0], field=None if field == "__all__" else field)


def _clean(obj: Any, *, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise _domain(exc) from None


def _check_fields(given: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(given) - set(allowed)
    if unknown:
        raise DomainError(_("Unknown field: %(name)s") % {"name": ", ".join(sorted(unknown))})


def _apply(obj: Any, changes: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Set the changes on obj; return those that change something, as (before, after) for the audit log."""
    changed = {}
    for name, value in changes.items():
        before = getattr(obj, name)
        setattr(obj, name, value)
        if before != getattr(obj, name):
            changed[name] = (str(before), str(getattr(obj, name)))
    return changed


def _words(uses: list[str]) -> str:
    return ", ".join(uses)


# --- a new show ------------------------------------------------------------------------------------


def check_slug(slug: str) -> str:
    slug = (slug or "").strip().lower()
    if not slug or slugify(slug) != slug:
        raise DomainError(
            _("Use lower-case letters, digits and hyphens only, e.g. milipol-2027."), field="slug"
        )
    if slug in RESERVED_SLUGS:
        raise DomainError(
            _("“%(slug)s” is used by the site itself: choose another.") % {"slug": slug}, field="slug"
        )
    if Event.objects.filter(slug=slug).exists():
        raise ConflictError(_("Another show already has this short name."), field="slug")
    return slug


def create_show(
    *,
    actor: User,
    slug: str,
    name: str,
    venue: str,
    city: str = "",
    country: str = "",
    time_zone: str,
    currency: str = "EUR",
    first_day: date,
    days: int,
    opens: time,
    closes: time,
) -> Event:
    """A new show with its days, not public yet, and ``actor`` as its first organiser admin."""
    slug = check_slug(slug)
    if not 1 <= days <= MAX_SHOW_DAYS:
        raise DomainError(_("A show lasts 1 to %(n)d days.") % {"n": MAX_SHOW_DAYS}, field="days")
    if closes <= opens:
        raise DomainError(_("The show must close after it opens."), field="closes")
    _check_date(first_day, "first_day")
    _check_date(first_day + timedelta(days=days - 1), "first_day")
    candidate = Event(
        slug=slug,
        name=name,
        venue=venue,
        city=city,
        country=country,
        time_zone=time_zone,
        currency=(currency or "").upper(),
        is_public=False,
    )
    _clean(candidate, exclude=["slug"])
    _check_currency(candidate.currency)
    try:
        with transaction.atomic():
            event = create_event(
                slug=slug,
                name=candidate.name,
                venue=candidate.venue,
                city=candidate.city,
                country=str(candidate.country or ""),
                tz=candidate.time_zone,
                first_day=first_day,
                days=days,
                opens=opens,
                closes=closes,
                last_closes=closes,
                currency=candidate.currency,
            )
            event.is_public = False
            event.save(update_fields=["is_public"])
            EventStaff.objects.create(event=event, user=actor, role=EventStaff.Role.ADMIN)
            audit.record(actor=actor, action="event.created", obj=event, event=event, slug=slug, days=days)
    except IntegrityError:
        raise ConflictError(_("Another show already has this short name."), field="slug") from None
    forget_roles(actor)
    return event


# --- the show's details ----------------------------------------------------------------------------

EVENT_FIELDS = ("name", "venue", "city", "country", "time_zone", "currency", "is_public", "walking_speed")


# ISO 4217, the currencies in use (2026): a typing slip such as "XYZ" is not a currency.
CURRENCIES = frozenset(
    [
        "AED",
        "AFN",
        "ALL",
        "AMD",
        "ANG",
        "AOA",
        "ARS",
        "AUD",
        "AWG",
        "AZN",
        "BAM",
        "BBD",
        "BDT",
        "BGN",
        "BHD",
        "BIF",
        "BMD",
        "BND",
        "BOB",
        "BRL",
        "BSD",
        "BTN",
        "BWP",
        "BYN",
        "BZD",
        "CAD",
        "CDF",
        "CHF",
        "CLP",
        "CNY",
        "COP",
        "CRC",
        "CUP",
        "CVE",
        "CZK",
        "DJF",
        "DKK",
        "DOP",
        "DZD",
        "EGP",
        "ERN",
        "ETB",
        "EUR",
        "FJD",
        "FKP",
        "GBP",
        "GEL",
        "GHS",
        "GIP",
        "GMD",
        "GNF",
        "GTQ",
        "GYD",
        "HKD",
        "HNL",
        "HTG",
        "HUF",
        "IDR",
        "ILS",
        "INR",
        "IQD",
        "IRR",
        "ISK",
        "JMD",
        "JOD",
        "JPY",
        "KES",
        "KGS",
        "KHR",
        "KMF",
        "KPW",
        "KRW",
        "KWD",
        "KYD",
        "KZT",
        "LAK",
        "LBP",
        "LKR",
        "LRD",
        "LSL",
        "LYD",
        "MAD",
        "MDL",
        "MGA",
        "MKD",
        "MMK",
        "MNT",
        "MOP",
        "MRU",
        "MUR",
        "MVR",
        "MWK",
        "MXN",
        "MYR",
        "MZN",
        "NAD",
        "NGN",
        "NIO",
        "NOK",
        "NPR",
        "NZD",
        "OMR",
        "PAB",
        "PEN",
        "PGK",
        "PHP",
        "PKR",
        "PLN",
        "PYG",
        "QAR",
        "RON",
        "RSD",
        "RUB",
        "RWF",
        "SAR",
        "SBD",
        "SCR",
        "SDG",
        "SEK",
        "SGD",
        "SHP",
        "SLE",
        "SOS",
        "SRD",
        "SSP",
        "STN",
        "SVC",
        "SYP",
        "SZL",
        "THB",
        "TJS",
        "TMT",
        "TND",
        "TOP",
        "TRY",
        "TTD",
        "TWD",
        "TZS",
        "UAH",
        "UGX",
        "USD",
        "UYU",
        "UZS",
        "VES",
        "VND",
        "VUV",
        "WST",
        "XAF",
        "XCD",
        "XCG",
        "XOF",
        "XPF",
        "YER",
        "ZAR",
        "ZMW",
        "ZWG",
    ]
)


def check_currency(code: str) -> str:
    code = (code or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise DomainError(_("Enter a three-letter currency code, e.g. EUR."), field="currency")
    if code not in CURRENCIES:
        raise DomainError(
            _("%(code)s is not a currency code in use (ISO 4217): for example EUR, USD, QAR.")
            % {"code": code},
            field="currency",
        )
    return code


def _check_currency(code: str) -> None:
    check_currency(code)


def update_event(*, event: Event, actor: User, **changes: Any) -> Event:
    """Change the show's details (not its short name: addresses, feeds and badges carry it)."""
    _check_fields(changes, EVENT_FIELDS)
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if isinstance(changes.get("currency"), str):
            changes["currency"] = changes["currency"].upper()
        changed = _apply(event, changes)
        _clean(event)
        _check_currency(event.currency)
        if event.walking_speed > MAX_WALKING_SPEED:
            raise DomainError(
                _("Enter at most %(max)s m/min.") % {"max": int(MAX_WALKING_SPEED)}, field="walking_speed"
            )
        if not changed:
            return event
        event.save(update_fields=[*changed])
        audit.record(actor=actor, action="event.changed", obj=event, event=event, changes=changed)
        if "walking_speed" in changed:
            walking_settings_changed.send(sender=Event, event=event)
    return event


# --- show days -------------------------------------------------------------------------------------


def _check_hours(opens: time, closes: time) -> None:
    if closes <= opens:
        raise DomainError(_("The day must close after it opens."), field="closes_at")


def add_show_day(*, event: Event, actor: User, day: date, opens_at: time, closes_at: time) -> ShowDay:
    _check_hours(opens_at, closes_at)
    _check_date(day, "date")
    with transaction.atomic():
        days = list(ShowDay.objects.select_for_update().filter(event=event))
        if any(d.date == day for d in days):
            raise ConflictError(_("The show already has this day."), field="date")
        if len(days) >= MAX_SHOW_DAYS:
            raise DomainError(_("A show lasts 1 to %(n)d days.") % {"n": MAX_SHOW_DAYS}, field="date")
        dates = [d.date for d in days] + [day]
        if (max(dates) - min(dates)).days >= MAX_SHOW_DAYS:
            raise DomainError(
                _("A show's days lie within %(n)d days of each other: this one is too far from the others.")
                % {"n": MAX_SHOW_DAYS},
                field="date",
            )
        show_day = ShowDay.objects.create(event=event, date=day, opens_at=opens_at, closes_at=closes_at)
        audit.record(actor=actor, action="showday.added", obj=show_day, event=event)
    return show_day


def update_show_day(
    *, event: Event, actor: User, show_day: ShowDay, opens_at: time, closes_at: time
) -> ShowDay:
    """New opening hours; refused while anything booked that day would fall outside them."""
    _check_hours(opens_at, closes_at)
    with transaction.atomic():
        show_day = ShowDay.objects.select_for_update().get(pk=show_day.pk, event=event)
        if (show_day.opens_at, show_day.closes_at) == (opens_at, closes_at):
            return show_day
        if opens_at > show_day.opens_at or closes_at < show_day.closes_at:
            stranded = uses_of_day(event, show_day.date, opens_at, closes_at)
            if stranded:
                raise ConflictError(
                    _("Outside these hours there are %(what)s: move or cancel them first.")
                    % {"what": _words(stranded)},
                    field="opens_at" if opens_at > show_day.opens_at else "closes_at",
                )
        before = f"{show_day.opens_at:%H:%M}–{show_day.closes_at:%H:%M}"
        show_day.opens_at, show_day.closes_at = opens_at, closes_at
        show_day.save(update_fields=["opens_at", "closes_at"])
        audit.record(
            actor=actor,
            action="showday.changed",
            obj=show_day,
            event=event,
            changes={"hours": (before, f"{opens_at:%H:%M}–{closes_at:%H:%M}")},
        )
    return show_day


def remove_show_day(*, event: Event, actor: User, show_day: ShowDay) -> None:
    with transaction.atomic():
        show_day = ShowDay.objects.select_for_update().get(pk=show_day.pk, event=event)
        stranded = uses_of_day(event, show_day.date)
        if stranded:
            raise ConflictError(
                _("%(day)s has %(what)s: move or cancel them first.")
                % {"day": formats.when(show_day.date, "longday"), "what": _words(stranded)}
            )
        if ShowDay.objects.filter(event=event).count() == 1:
            raise DomainError(_("A show has at least one day."))
        audit.record(
            actor=actor, action="showday.removed", obj=show_day, event=event, date=str(show_day.date)
        )
        show_day.delete()


# --- halls -----------------------------------------------------------------------------------------

HALL_FIELDS = ("code", "name", "width", "depth", "origin_x", "origin_y", "position")


def _check_hall_size(hall: Hall) -> None:
    for name, limit in (
        ("width", MAX_HALL_METRES),
        ("depth", MAX_HALL_METRES),
        ("origin_x", MAX_SITE_METRES),
        ("origin_y", MAX_SITE_METRES),
    ):
        if abs(float(getattr(hall, name))) > limit:
            raise DomainError(_("Enter at most %(max)s m.") % {"max": int(limit)}, field=name)


def _check_hall_place(hall: Hall) -> None:
    """On the site plan a hall lies right and below of the origin, and beside the others, not on them."""
    for name in ("origin_x", "origin_y"):
        if float(getattr(hall, name)) < 0:
            raise DomainError(_("Enter 0 or more: the site plan starts at 0."), field=name)
    x0, y0 = float(hall.origin_x), float(hall.origin_y)
    x1, y1 = x0 + float(hall.width), y0 + float(hall.depth)
    for other in Hall.objects.filter(event=hall.event).exclude(pk=hall.pk):
        ox0, oy0 = other.origin_x, other.origin_y
        ox1, oy1 = ox0 + other.width, oy0 + other.depth
        if x0 < ox1 - 1e-6 and ox0 < x1 - 1e-6 and y0 < oy1 - 1e-6 and oy0 < y1 - 1e-6:
            raise DomainError(
                _(
                    "On the site plan this would lie on %(other)s (%(x)s to %(x1)s m across): move it beside it."
                )
                % {
                    "other": other.name,
                    "x": formats.number(ox0),
                    "x1": formats.number(ox1),
                },
                field="origin_x",
            )


def _save_hall(hall: Hall, *, actor: User, action: str, **data: Any) -> Hall:
    hall.code = (hall.code or "").strip().upper()
    if not re.fullmatch(r"[A-Z0-9][A-Z0-9-]*", hall.code):
        raise DomainError(_("Use letters, digits and hyphens only, e.g. 5A."), field="code")
    _clean(hall, exclude=["event"])
    _check_hall_size(hall)
    if Hall.objects.filter(event=hall.event, code=hall.code).exclude(pk=hall.pk).exists():
        raise ConflictError(_("Another hall has this code."), field="code")
    _check_hall_place(hall)
    try:
        with transaction.atomic():
            hall.save()
            audit.record(actor=actor, action=action, obj=hall, event=hall.event, **data)
    except IntegrityError:
        raise ConflictError(_("Another hall has this code."), field="code") from None
    halls_changed.send(sender=Hall, event=hall.event)
    return hall


@transaction.atomic
def add_hall(*, event: Event, actor: User, **fields: Any) -> Hall:
    _check_fields(fields, HALL_FIELDS)
    if "position" not in fields:
        fields["position"] = Hall.objects.filter(event=event).count()
    return _save_hall(Hall(event=event, **fields), actor=actor, action="hall.added")


@transaction.atomic
def update_hall(*, event: Event, actor: User, hall: Hall, **changes: Any) -> Hall:
    """Change a hall; refused while its stands or features would end up outside it, or (for the
    code, which its stand numbers carry) while it has any."""
    _check_fields(changes, HALL_FIELDS)
    hall = Hall.objects.select_for_update().get(pk=hall.pk, event=event)
    if "code" in changes:
        changes["code"] = (changes["code"] or "").strip().upper()
    before = {name: getattr(hall, name) for name in ("width", "depth")}
    changed = _apply(hall, changes)
    if not changed:
        return hall
    if "code" in changed:
        inside = uses_of_hall(hall)
        if inside:
            raise ConflictError(
                _("Stand numbers carry the hall's code, and the hall has %(what)s: keep its code.")
                % {"what": _words(inside)},
                field="code",
            )
    narrower = float(hall.width) < float(before["width"])
    if narrower or float(hall.depth) < float(before["depth"]):
        outside = uses_of_hall(hall, float(hall.width), float(hall.depth))
        if outside:
            raise ConflictError(
                _("Smaller, the hall would leave out %(what)s.") % {"what": _words(outside)},
                field="width" if narrower else "depth",
            )
    return _save_hall(hall, actor=actor, action="hall.changed", changes=changed)


def remove_hall(*, event: Event, actor: User, hall: Hall) -> None:
    with transaction.atomic():
        hall = Hall.objects.select_for_update().get(pk=hall.pk, event=event)
        inside = uses_of_hall(hall)
        if inside:
            raise ConflictError(
                _("%(hall)s has %(what)s: remove them on the floor plan first.")
                % {"hall": hall.name, "what": _words(inside)}
            )
        audit.record(actor=actor, action="hall.removed", obj=hall, event=event, code=hall.code)
        hall.delete()
    halls_changed.send(sender=Hall, event=event)


# --- sectors ---------------------------------------------------------------------------------------

SECTOR_FIELDS = ("code", "name_en", "name_fr", "colour")


def _save_sector(sector: Sector, *, actor: User, action: str, **data: Any) -> Sector:
    sector.code = slugify(sector.code or sector.name_en)[:40]
    if not sector.code:
        raise DomainError(_("Enter a code, e.g. cyber-security."), field="code")
    _clean(sector, exclude=["event"])
    if Sector.objects.filter(event=sector.event, code=sector.code).exclude(pk=sector.pk).exists():
        raise ConflictError(_("Another sector has this code."), field="code")
    try:
        with transaction.atomic():
            sector.save()
            audit.record(actor=actor, action=action, obj=sector, event=sector.event, **data)
    except IntegrityError:
        raise ConflictError(_("Another sector has this code."), field="code") from None
    return sector


@transaction.atomic
def add_sector(*, event: Event, actor: User, **fields: Any) -> Sector:
    _check_fields(fields, SECTOR_FIELDS)
    return _save_sector(Sector(event=event, **fields), actor=actor, action="sector.added")


@transaction.atomic
def update_sector(*, event: Event, actor: User, sector: Sector, **changes: Any) -> Sector:
    _check_fields(changes, SECTOR_FIELDS)
    sector = Sector.objects.select_for_update().get(pk=sector.pk, event=event)
    changed = _apply(sector, changes)
    if not changed:
        return sector
    return _save_sector(sector, actor=actor, action="sector.changed", changes=changed)


def remove_sector(*, event: Event, actor: User, sector: Sector) -> None:
    """Refused while anyone has chosen it: removing it would silently drop it from their
    profiles and a delegation's interests; rename it instead."""
    with transaction.atomic():
        sector = Sector.objects.select_for_update().get(pk=sector.pk, event=event)
        used = uses_of_sector(sector)
        if used:
            raise ConflictError(
                _("%(sector)s is chosen by %(who)s: rename it instead, or remove it from them first.")
                % {"sector": sector.name, "who": _words(used)}
            )
        audit.record(actor=actor, action="sector.removed", obj=sector, event=event, code=sector.code)
        sector.delete()
