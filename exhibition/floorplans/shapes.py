"""Stored halls, stands, features and doors as the geometry's shapes: pure conversions, shared
by the services (placement checks) and the selectors (the walking graph)."""

from __future__ import annotations

from exhibition.events.models import Hall

from . import geometry as g
from .models import Door, Feature, Stand


def g_hall(hall: Hall) -> g.Hall:
    return g.Hall(
        id=hall.code,
        name=hall.name,
        width=hall.width,
        depth=hall.depth,
        origin_x=hall.origin_x,
        origin_y=hall.origin_y,
    )


def g_stand(stand: Stand) -> g.Stand:
    return g.Stand(
        id=stand.number,
        hall_id=stand.hall.code,
        x=stand.x,
        y=stand.y,
        width=stand.width,
        depth=stand.depth,
        rotation=stand.rotation,
    )


def g_feature(feature: Feature) -> g.Feature:
    return g.Feature(
        id=feature.code,
        hall_id=feature.hall.code,
        x=feature.x,
        y=feature.y,
        width=feature.width,
        depth=feature.depth,
        kind=feature.kind,
        is_place=feature.is_place,
    )


def g_door(door: Door) -> g.Door:
    return g.Door(
        id=door.code,
        hall_a=door.hall_a.code,
        hall_b=door.hall_b.code if door.hall_b_id else None,
        x=door.x,
        y=door.y,
        width=door.width,
    )
