"""What the apps above events keep on a show day, a hall or a sector, so that changing or removing
one never strands them silently: each app registers a function that describes, in a few words
("12 meetings", "stand 5A12 reaches 84 m across"), what the change would leave out. events cannot
import those apps (the layering contract: tests/test_layers.py); they register in ``AppConfig.ready``.

* ``day_use(event, day, opens, closes)``: what is booked on ``day`` outside ``opens``–``closes``
  (both None when the day is removed);
* ``hall_use(hall, width, depth)``: what lies beyond ``width`` × ``depth`` m (both None when the
  hall is removed: everything in it);
* ``sector_use(sector)``: who has chosen the sector.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from typing import Any

from django.utils.translation import ngettext

DayUse = Callable[[Any, date, "time | None", "time | None"], list[str]]
HallUse = Callable[[Any, "float | None", "float | None"], list[str]]
SectorUse = Callable[[Any], list[str]]

_day_uses: list[DayUse] = []
_hall_uses: list[HallUse] = []
_sector_uses: list[SectorUse] = []


def day_use(func: DayUse) -> DayUse:
    _day_uses.append(func)
    return func


def hall_use(func: HallUse) -> HallUse:
    _hall_uses.append(func)
    return func


def sector_use(func: SectorUse) -> SectorUse:
    _sector_uses.append(func)
    return func


def uses_of_day(event: Any, day: date, opens: time | None = None, closes: time | None = None) -> list[str]:
    return [words for provider in _day_uses for words in provider(event, day, opens, closes)]


def uses_of_hall(hall: Any, width: float | None = None, depth: float | None = None) -> list[str]:
    return [words for provider in _hall_uses for words in provider(hall, width, depth)]


def uses_of_sector(sector: Any) -> list[str]:
    return [words for provider in _sector_uses for words in provider(sector)]


@sector_use
def _companies_and_visitors(sector: Any) -> list[str]:
    """The apps below events: exhibiting companies' and delegations' profiles, trade visitors."""
    words = []
    organisations = sector.organisations.count()
    if organisations:
        words.append(
            ngettext("%(n)d company or delegation", "%(n)d companies or delegations", organisations)
            % {"n": organisations}
        )
    visitors = sector.visitors.count()
    if visitors:
        words.append(ngettext("%(n)d trade visitor", "%(n)d trade visitors", visitors) % {"n": visitors})
    return words
