"""Factories for floor plans: each goes through the service, so prices and open sides are real."""

from __future__ import annotations

from exhibition.events.models import Event, Hall
from exhibition.floorplans import services
from exhibition.floorplans.models import Door, Feature, Pavilion, Stand


def make_stand(
    event: Event, hall: Hall, number: str, x: float, y: float, width: float = 3, depth: float = 3, **kw
) -> Stand:
    return services.create_stand(
        event=event,
        actor=kw.pop("actor", None),
        hall=hall,
        number=number,
        x=x,
        y=y,
        width=width,
        depth=depth,
        **kw,
    )


def make_feature(
    event: Event,
    hall: Hall,
    code: str,
    x: float,
    y: float,
    width: float = 1,
    depth: float = 1,
    kind: str = Feature.Kind.COLUMN,
    name: str = "",
) -> Feature:
    return services.create_feature(
        event=event,
        actor=None,
        hall=hall,
        code=code,
        kind=kind,
        x=x,
        y=y,
        width=width,
        depth=depth,
        name=name,
    )


def make_pavilion(event: Event, name: str = "German Pavilion", country: str = "DE") -> Pavilion:
    return services.create_pavilion(event=event, actor=None, name=name, country=country)


def make_door(
    event: Event, code: str, hall_a: Hall, hall_b: Hall | None, x: float, y: float, width: float = 2.0
) -> Door:
    return services.create_door(
        event=event, actor=None, code=code, hall_a=hall_a, hall_b=hall_b, x=x, y=y, width=width
    )


def sell(stand: Stand, exhibitor) -> Stand:
    """Mark a stand sold to ``exhibitor`` (the booking flow's job; here a plain write for set-up)."""
    Stand.objects.filter(pk=stand.pk).update(status=Stand.Status.SOLD, exhibitor=exhibitor)
    stand.refresh_from_db()
    return stand
