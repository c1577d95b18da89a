"""Factories for stand booking: stands to sell, approved companies with their admin."""

from __future__ import annotations

import itertools

from django.utils import timezone

from exhibition.accounts.models import Membership, Organisation, User
from exhibition.events.models import Event, Hall
from exhibition.exhibitors.models import Application
from exhibition.floorplans.models import Stand
from exhibition.floorplans.services import plan_settings, price_for

from . import make_company, make_hall, make_member

_x = itertools.count(0)


def make_stand(
    event: Event,
    number: str | None = None,
    *,
    hall: Hall | None = None,
    width: float = 3,
    depth: float = 3,
    kind: str = Stand.Kind.SHELL,
    open_sides: int = 1,
    status: str = Stand.Status.AVAILABLE,
    exhibitor: Organisation | None = None,
    held_until=None,
    pavilion=None,
) -> Stand:
    """A stand laid out in a row along the top of its hall (no overlap checks needed)."""
    hall = hall or Hall.objects.filter(event=event).first() or make_hall(event, width=2000, depth=80)
    n = next(_x)
    area = round(width * depth, 2)
    return Stand.objects.create(
        event=event,
        hall=hall,
        number=number or f"{hall.code}-{n:03d}",
        x=(n * 10) % 1900,
        y=10 * ((n * 10) // 1900),
        width=width,
        depth=depth,
        area=area,
        kind=kind,
        open_sides=open_sides,
        status=status,
        exhibitor=exhibitor,
        held_until=held_until,
        pavilion=pavilion,
        price=price_for(area=area, kind=kind, open_sides=open_sides, settings_=plan_settings(event)),
    )


def approve(company: Organisation, *, kind: str = "shell", area: int = 12, halls=(), pavilion=None):
    """Give the company an approved application with this stand request (and so admission)."""
    app = Application.objects.create(
        event=company.event,
        organisation=company,
        state="approved",
        legal_name=company.name,
        country=company.country,
        stand_kind=kind,
        stand_area=area,
        pavilion=pavilion,
    )
    if halls:
        app.preferred_halls.set(halls)
    company.admitted_at = timezone.now()  # as approve_application admits it
    Organisation.objects.filter(pk=company.pk).update(admitted_at=company.admitted_at)
    return app


def make_exhibitor(
    event: Event, name: str | None = None, *, role: str = Membership.Role.ADMIN, approved: bool = True, **kw
) -> tuple[Organisation, User]:
    """An approved company (stand request: shell, 12 m²) and one member (its admin by default)."""
    company = make_company(event, name, admitted=approved)
    if approved:
        approve(company)
    return company, make_member(company, role, **kw)
