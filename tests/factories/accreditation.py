"""Factories for accreditation: an event with its site set up, registered scanners, times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from exhibition.accreditation import services
from exhibition.accreditation.models import BadgeCategory, Device, Gate, Zone
from exhibition.events.models import Event
from tests import factories


@dataclass
class Site:
    event: Event
    organiser: object
    zones: dict[str, Zone]
    gates: dict[str, Gate]
    cats: dict[str, BadgeCategory]


def make_site(event: Event, organiser=None) -> Site:
    """Two halls, then the usual set-up: days 16-22 Nov 2025 (show 18-21), zones, gates, categories."""
    organiser = organiser or factories.make_organiser(event)
    factories.make_hall(event, "5A")
    factories.make_hall(event, "6")
    services.set_up(event=event, actor=organiser)
    zones = {z.code: z for z in Zone.objects.filter(event=event)}
    gates = {g.zone.code: g for g in Gate.objects.filter(event=event).select_related("zone")}
    cats = {c.code: c for c in BadgeCategory.objects.filter(event=event)}
    return Site(event=event, organiser=organiser, zones=zones, gates=gates, cats=cats)


def make_device(site: Site, name: str = "Lane 1", gate: str = "site") -> tuple[Device, str]:
    _device, code = services.create_device(
        event=site.event, actor=site.organiser, name=name, gate=site.gates[gate]
    )
    return services.register_device(event=site.event, code=code)


def at(event: Event, day: str, hhmm: str) -> datetime:
    """Aware datetime at local ``hhmm`` on ``day`` (YYYY-MM-DD)."""
    h, m = map(int, hhmm.split(":"))

    return datetime.combine(date.fromisoformat(day), time(h, m), tzinfo=event.tz)
