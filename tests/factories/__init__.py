"""Plain factory functions: each makes one valid object with the fewest surprises."""

from __future__ import annotations

import itertools
from datetime import date, time, timedelta

from django.utils import timezone

from exhibition.accounts.models import EventStaff, Membership, Organisation, TradeVisitor, User
from exhibition.events.models import Event, Hall, Sector, ShowDay

_seq = itertools.count(1)
PASSWORD = "correct-horse-battery-9"


def make_user(email: str | None = None, *, verified: bool = True, **kw) -> User:
    """An account whose address is proved (``verified=False``: just signed up)."""
    n = next(_seq)
    return User.objects.create_user(
        email=email or f"user{n}@example.test",
        password=PASSWORD,
        full_name=kw.pop("full_name", f"User {n}"),
        email_verified_at=timezone.now() if verified else None,
        **kw,
    )


def make_event(slug: str | None = None, *, days: int = 4, public: bool = True, **kw) -> Event:
    n = next(_seq)
    event = Event.objects.create(
        slug=slug or f"show-{n}",
        name=kw.pop("name", f"Show {n}"),
        venue="Paris Nord Villepinte",
        time_zone=kw.pop("time_zone", "Europe/Paris"),
        is_public=public,
        **kw,
    )
    for i in range(days):
        ShowDay.objects.create(
            event=event,
            date=date(2025, 11, 18) + timedelta(days=i),
            opens_at=time(9, 30),
            closes_at=time(17, 0) if i == days - 1 else time(18, 0),
        )
    return event


def make_hall(event: Event, code: str = "5A", **kw) -> Hall:
    return Hall.objects.create(
        event=event,
        code=code,
        name=kw.pop("name", f"Hall {code}"),
        width=kw.pop("width", 100),
        depth=kw.pop("depth", 80),
        **kw,
    )


def make_sector(event: Event, code: str = "cyber") -> Sector:
    return Sector.objects.create(event=event, code=code, name_en=code.title(), name_fr=code.title())


def make_organiser(event: Event, role: str = EventStaff.Role.ADMIN, **kw) -> User:
    user = make_user(**kw)
    EventStaff.objects.create(event=event, user=user, role=role)
    return user


def make_company(
    event: Event, name: str | None = None, country: str = "FR", *, admitted: bool = True
) -> Organisation:
    """An exhibiting company, admitted by default (as if its application were approved)."""
    return Organisation.objects.create(
        event=event,
        kind=Organisation.Kind.COMPANY,
        name=name or f"Company {next(_seq)}",
        country=country,
        admitted_at=timezone.now() if admitted else None,
    )


def make_delegation(
    event: Event, name: str | None = None, country: str = "BR", *, admitted: bool = True
) -> Organisation:
    """An official delegation, admitted (registered by the organiser) by default."""
    return Organisation.objects.create(
        event=event,
        kind=Organisation.Kind.DELEGATION,
        name=name or f"Delegation {next(_seq)}",
        country=country,
        admitted_at=timezone.now() if admitted else None,
    )


def make_member(organisation: Organisation, role: str, **kw) -> User:
    user = make_user(**kw)
    Membership.objects.create(organisation=organisation, user=user, role=role)
    return user


def make_visitor(event: Event, status: str = TradeVisitor.Status.APPROVED, **kw) -> TradeVisitor:
    user = kw.pop("user", None) or make_user(**kw)
    return TradeVisitor.objects.create(
        event=event,
        user=user,
        organisation_name="Acme Police",
        job_title="Buyer",
        country="DE",
        status=status,
    )
