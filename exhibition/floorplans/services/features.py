"""Fixed features of a hall (columns, service areas, and places one can walk to)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from exhibition.accounts.models import User
from exhibition.core import audit
from exhibition.core.errors import DomainError
from exhibition.events.models import Event, Hall

from .. import codes
from .. import geometry as g
from ..models import Feature
from ..shapes import g_feature
from .common import (
    bump_plan_version,
    check_placement,
    claim_code,
    lock_hall,
    parse_geometry,
)

# --- features ---------------------------------------------------------------------------


def create_feature(
    *,
    event: Event,
    actor: User | None,
    hall: Hall,
    code: str,
    kind: str,
    x: float,
    y: float,
    width: float,
    depth: float,
    name: str = "",
) -> Feature:
    code = (code or "").strip().upper()
    if not code:
        raise DomainError(_("Enter a code."), field="code")
    unfit = codes.unfit_message(code, stand=False)
    if unfit:
        raise DomainError(unfit, field="code")
    if kind not in Feature.Kind.values:
        raise DomainError(_("Choose a valid kind."), field="kind")
    if hall.event_id != event.pk:
        raise DomainError(_("This hall belongs to another event."), field="hall")
    with transaction.atomic():
        hall = lock_hall(hall)
        if Feature.objects.filter(event=event, code=code).exists():
            raise DomainError(_("Code %(c)s is already used.") % {"c": code}, field="code")
        claim_code(event, code, field="code")
        shape = g.Feature(
            id=code,
            hall_id=hall.code,
            x=parse_geometry("x", x),
            y=parse_geometry("y", y),
            width=max(parse_geometry("width", width), 0.5),
            depth=max(parse_geometry("depth", depth), 0.5),
            kind=kind,
        )
        check_placement(hall, shape, what=_("Feature"))
        feature = Feature.objects.create(
            event=event,
            hall=hall,
            code=code,
            kind=kind,
            name=name,
            x=shape.x,
            y=shape.y,
            width=shape.width,
            depth=shape.depth,
        )
        audit.record(actor=actor, action="feature.created", obj=feature, event=event)
        bump_plan_version(event)
    return feature


def update_feature(*, feature: Feature, actor: User, **changes: Any) -> Feature:
    if "kind" in changes and changes["kind"] not in Feature.Kind.values:
        raise DomainError(_("Choose a valid kind."), field="kind")
    if changes.get("hall") is not None and changes["hall"].pk != feature.hall_id:
        raise DomainError(
            _("A feature cannot move to another hall; delete it and create it there."), field="hall"
        )
    if changes.get("code") is not None and str(changes["code"]).strip().upper() != feature.code:
        raise DomainError(_("The code of a feature cannot change."), field="code")
    for name in ("x", "y", "width", "depth"):
        if changes.get(name) is not None:
            changes[name] = parse_geometry(name, changes[name])
            if name in ("width", "depth"):
                changes[name] = max(changes[name], 0.5)
    with transaction.atomic():
        hall = lock_hall(feature.hall)
        current = Feature.objects.select_for_update().select_related("hall").get(pk=feature.pk)
        for name in ("x", "y", "width", "depth"):
            if changes.get(name) is not None:
                setattr(current, name, changes[name])
        for name in ("name", "kind"):
            if name in changes:
                setattr(current, name, changes[name])
        check_placement(hall, g_feature(current), exclude_features=[current.pk], what=_("Feature"))
        current.save()
        audit.record(
            actor=actor,
            action="feature.changed",
            obj=current,
            event=current.event,
            changes={k: str(v) for k, v in changes.items()},
        )
        bump_plan_version(current.event)
    return current


def delete_feature(*, feature: Feature, actor: User) -> None:
    with transaction.atomic():
        lock_hall(feature.hall)
        audit.record(actor=actor, action="feature.deleted", obj=feature, event=feature.event)
        feature.delete()
        bump_plan_version(feature.event)
