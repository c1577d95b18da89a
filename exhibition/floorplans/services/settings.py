"""The plan's settings: stand rates and open-side supplements, and the minutes a walk spends
entering a hall. A change of rates re-prices the stands whose price is still open (see
``pricing.SETTLED_STATUSES``); a change of the hall-entry time makes the walking matrix stale."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from exhibition.accounts.models import User
from exhibition.core import audit
from exhibition.core.errors import DomainError
from exhibition.events.models import Event, Hall

from ..models import PlanSettings, Stand
from ..pricing import SETTLED_STATUSES, price_for
from .common import lock_halls, plan_settings, walking_settings_changed

RATES = ("shell_rate", "raw_rate")
SUPPLEMENTS = ("corner_supplement", "peninsula_supplement", "island_supplement")
PRICE_FIELDS = (*RATES, *SUPPLEMENTS)
SETTINGS_FIELDS = (*PRICE_FIELDS, "hall_entry_minutes")
MAX_HALL_ENTRY_MINUTES = 60  # a badge check of more than an hour is a typing error


@dataclass(frozen=True)
class PlanSettingsSaved:
    """What ``update_plan_settings`` did: the settings as saved, the names of the fields that
    changed, the stands re-priced and the booked stands that kept their price."""

    settings: PlanSettings
    changed: tuple[str, ...]
    repriced: int
    kept: int

    @property
    def prices_changed(self) -> bool:
        return any(name in PRICE_FIELDS for name in self.changed)

    @property
    def walking_changed(self) -> bool:
        return "hall_entry_minutes" in self.changed


def _decimal(name: str, value: Any) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(_("Enter a number."), field=name) from None
    if not number.is_finite():
        raise DomainError(_("Enter a number."), field=name)
    return number


def _parse(name: str, value: Any) -> Decimal | float:
    if name == "hall_entry_minutes":
        try:
            minutes = float(value)
        except (TypeError, ValueError):
            raise DomainError(_("Enter a number."), field=name) from None
        if not math.isfinite(minutes) or not 0 <= minutes <= MAX_HALL_ENTRY_MINUTES:
            raise DomainError(
                _("Enter between 0 and %(max)s minutes.") % {"max": MAX_HALL_ENTRY_MINUTES}, field=name
            )
        return minutes
    number = _decimal(name, value)
    if name in RATES and number < 0:
        raise DomainError(_("A rate cannot be negative."), field=name)
    if name in SUPPLEMENTS and not 0 <= number <= 100:
        raise DomainError(_("A supplement is between 0 and 100 %."), field=name)
    return number


def _plain(value: Any) -> Any:
    """A figure for the audit log: 520 rather than 520.00 (floats stay floats: the log shows them)."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


def _lock_open_stands(event: Event) -> list[Stand]:
    """The stands whose price is not settled, locked in primary-key order (as booking locks
    them). On PostgreSQL a stand confirmed meanwhile drops out: the status is checked again
    once its lock is granted."""
    return list(
        Stand.objects.select_for_update()
        .filter(event=event)
        .exclude(status__in=SETTLED_STATUSES)
        .only("pk", "area", "kind", "open_sides", "price")
        .order_by("pk")
    )


def _reprice(stands: list[Stand], settings_: PlanSettings) -> int:
    """Re-derive each stand's price from its area, type and open sides (what booking's quote
    reads too); the number of prices that moved."""
    changed = []
    for stand in stands:
        price = price_for(area=stand.area, kind=stand.kind, open_sides=stand.open_sides, settings_=settings_)
        if price != stand.price:
            stand.price = price
            changed.append(stand)
    Stand.objects.bulk_update(changed, ["price"], batch_size=500)
    return len(changed)


def update_plan_settings(
    *, event: Event, actor: User | AnonymousUser | None, **changes: Any
) -> PlanSettingsSaved:
    """Change the stand rates, supplements (%) and hall-entry minutes of the show.

    New rates apply to every stand whose price is not settled (free, blocked or on hold: a hold
    is quoted at the current rates and frozen only when confirmed); stands with a confirmed
    booking keep the price they were booked and invoiced at. A new hall-entry time makes the
    walking matrix stale (recomputed after the commit).
    """
    unknown = set(changes) - set(SETTINGS_FIELDS)
    if unknown:
        raise DomainError(_("Unknown setting: %(name)s") % {"name": ", ".join(sorted(unknown))})
    values = {name: _parse(name, value) for name, value in changes.items()}
    with transaction.atomic():
        plan_settings(event)  # the row must exist to be locked
        # Lock order as the plan editor's (halls, stands, then the settings row), so that no
        # edit re-prices its neighbours with the old rates while this runs.
        lock_halls(*Hall.objects.filter(event=event))
        open_stands = _lock_open_stands(event) if any(n in PRICE_FIELDS for n in values) else []
        current = PlanSettings.objects.select_for_update().get(event=event)
        before = {name: getattr(current, name) for name in SETTINGS_FIELDS}
        for name, value in values.items():
            setattr(current, name, value)
        try:
            current.full_clean(exclude=["event", "version"])
        except ValidationError as exc:
            field, messages = next(iter(exc.message_dict.items()))
            raise DomainError(messages[0], field=None if field == "__all__" else field) from None
        changed = tuple(name for name in SETTINGS_FIELDS if getattr(current, name) != before[name])
        if not changed:
            return PlanSettingsSaved(settings=current, changed=(), repriced=0, kept=0)
        current.save(update_fields=list(changed))
        repriced = kept = 0
        if any(name in PRICE_FIELDS for name in changed):
            repriced = _reprice(open_stands, current)
            kept = Stand.objects.filter(event=event, status__in=SETTLED_STATUSES).count()
        if "hall_entry_minutes" in changed:
            walking_settings_changed(event)
        audit.record(
            actor=actor,
            action="plan.settings",
            obj=current,
            event=event,
            changes={name: [_plain(before[name]), _plain(getattr(current, name))] for name in changed},
            repriced=repriced,
            kept=kept,
        )
    return PlanSettingsSaved(settings=current, changed=changed, repriced=repriced, kept=kept)
