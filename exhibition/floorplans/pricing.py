"""A stand's price from the plan's rates: a pure computation, shared by the services that set
prices and the selectors that quote them (booking's quotes too)."""

from __future__ import annotations

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
