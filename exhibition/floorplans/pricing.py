"""A stand's price from the plan's rates: a pure computation, shared by the services that set
prices and the selectors that quote them (booking's quotes too)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .models import PlanSettings, Stand


def price_for(*, area: float, kind: str, open_sides: int, settings_: PlanSettings) -> Decimal:
    """Area x rate for the type, plus the open-side supplement (corner, peninsula, island)."""
    rate = settings_.raw_rate if kind == Stand.Kind.RAW else settings_.shell_rate
    supplement = {
        2: settings_.corner_supplement,
        3: settings_.peninsula_supplement,
        4: settings_.island_supplement,
    }.get(open_sides, Decimal(0))
    base = Decimal(str(round(area, 2))) * rate
    return (base * (1 + supplement / 100)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# Stands whose price is settled: a confirmed booking (reserved) or a sale. Booking froze the
# quote (``Booking.net``) and issued the invoice from it at confirmation, so a change of rates
# leaves these prices alone. Every other stand (free, blocked, or on hold) takes the new rates:
# booking quotes a hold from the plan's current rates and freezes it only at confirmation.
SETTLED_STATUSES = (Stand.Status.RESERVED, Stand.Status.SOLD)


@dataclass(frozen=True)
class PriceExample:
    """A stand's price worked out line by line, as a quote shows it: area x rate, then the
    open-side supplement (the difference to ``price_for``, so the lines add up to the cent)."""

    area: Decimal
    kind: str
    open_sides: int
    rate: Decimal
    base: Decimal
    percent: Decimal
    supplement: Decimal
    total: Decimal


def price_example(
    settings_: PlanSettings, *, area: float = 9, kind: str = Stand.Kind.SHELL, open_sides: int = 2
) -> PriceExample:
    rate = settings_.raw_rate if kind == Stand.Kind.RAW else settings_.shell_rate
    percent = {
        2: settings_.corner_supplement,
        3: settings_.peninsula_supplement,
        4: settings_.island_supplement,
    }.get(open_sides, Decimal(0))
    area_d = Decimal(str(round(area, 2)))
    base = (area_d * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    total = price_for(area=area, kind=kind, open_sides=open_sides, settings_=settings_)
    return PriceExample(
        area=area_d,
        kind=kind,
        open_sides=open_sides,
        rate=rate,
        base=base,
        percent=percent,
        supplement=total - base,
        total=total,
    )
