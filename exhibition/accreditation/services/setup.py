"""The site as accreditation sees it: days, zones, categories, rules, gates, signing keys.

Every change bumps ``AccreditationSettings.rules_version`` so that scanners re-sync, and is
written to the audit log."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import time, timedelta
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from exhibition.accounts.models import User
from exhibition.core import audit
from exhibition.core.errors import ConflictError, DomainError
from exhibition.events.models import Event

from .. import codes
from ..models import (
    AccessDay,
    AccessRule,
    AccreditationSettings,
    Badge,
    BadgeCategory,
    Gate,
    SigningKey,
    Zone,
    new_rules_version,
)

# code, number, English, French, colour, photo, hours, zone kinds, day kinds, self print
DEFAULT_CATEGORIES = [
    (
        "organiser",
        1,
        "Organiser",
        "Organisateur",
        "#111827",
        False,
        "always",
        {"site", "hall", "conference", "lounge", "press", "meetings", "other"},
        {"build_up", "show", "dismantling"},
        False,
    ),
    (
        "exhibitor",
        2,
        "Exhibitor",
        "Exposant",
        "#1d4ed8",
        False,
        "site",
        {"site", "hall", "conference", "meetings"},
        {"build_up", "show", "dismantling"},
        False,
    ),
    (
        "contractor",
        3,
        "Contractor",
        "Prestataire",
        "#ea580c",
        False,
        "site",
        {"site", "hall"},
        {"build_up", "dismantling"},
        False,
    ),
    (
        "visitor",
        4,
        "Visitor",
        "Visiteur",
        "#15803d",
        False,
        "opening",
        {"site", "hall", "conference", "meetings"},
        {"show"},
        True,
    ),
    (
        "delegation",
        5,
        "Official delegation",
        "Délégation officielle",
        "#7c3aed",
        True,
        "site",
        {"site", "hall", "conference", "lounge", "meetings"},
        {"show"},
        False,
    ),
    (
        "press",
        6,
        "Press",
        "Presse",
        "#b91c1c",
        True,
        "site",
        {"site", "hall", "conference", "press"},
        {"show"},
        False,
    ),
]


_M = TypeVar("_M", bound=Model)


def _event_id(event: Event | int) -> int:
    return event if isinstance(event, int) else event.pk


def settings_for(event: Event | int) -> AccreditationSettings:
    event_id = _event_id(event)
    obj = AccreditationSettings.objects.filter(event_id=event_id).first()
    if obj is None:
        try:
            with transaction.atomic():
                obj = AccreditationSettings.objects.create(event_id=event_id)
        except IntegrityError:
            obj = AccreditationSettings.objects.get(event_id=event_id)
    return obj


def is_set_up(event: Event) -> bool:
    return BadgeCategory.objects.filter(event=event).exists()


def bump(event: Event | int) -> None:
    """Scanners re-sync: the rules, zones, categories or keys changed."""
    event_id = _event_id(event)
    settings_for(event_id)
    # A random new version, not a counter: cached rules of a database that was reset or restored
    # can never be taken for the current ones.
    AccreditationSettings.objects.filter(event_id=event_id).update(rules_version=new_rules_version())


def set_up(*, event: Event, actor: User) -> None:
    """The usual site: days from two build-up days to one dismantling day, a site entrance, one
    zone per hall, the conference centre, the delegation lounge, the press area and the business
    meeting centre (each with a gate), the six usual categories, and a first signing key.
    Idempotent: what exists is kept."""
    with transaction.atomic():
        AccreditationSettings.objects.select_for_update().filter(pk=settings_for(event).pk).get()
        show_days = list(event.days.order_by("date"))
        if not show_days:
            raise DomainError(_("Add the show days first."))
        if not AccessDay.objects.filter(event=event).exists():
            first, last = show_days[0].date, show_days[-1].date
            days = [
                AccessDay(
                    event=event,
                    date=first - timedelta(days=i),
                    kind=AccessDay.Kind.BUILD_UP,
                    opens_at=time(7, 0),
                    closes_at=time(21, 0),
                )
                for i in (2, 1)
            ]
            days += [
                AccessDay(
                    event=event,
                    date=d.date,
                    kind=AccessDay.Kind.SHOW,
                    opens_at=time(7, 30),
                    closes_at=time(20, 0),
                )
                for d in show_days
            ]
            days.append(
                AccessDay(
                    event=event,
                    date=last + timedelta(days=1),
                    kind=AccessDay.Kind.DISMANTLING,
                    opens_at=time(7, 0),
                    closes_at=time(22, 0),
                )
            )
            AccessDay.objects.bulk_create(days)
        if not Zone.objects.filter(event=event).exists():
            zones = [
                Zone(
                    event=event,
                    code="site",
                    name_en="Site entrance",
                    name_fr="Entrée du site",
                    kind=Zone.Kind.SITE,
                    position=0,
                )
            ]
            for i, hall in enumerate(event.halls.order_by("position", "code"), start=1):
                zones.append(
                    Zone(
                        event=event,
                        code=f"hall-{hall.code.lower()}"[:30],
                        name_en=hall.name,
                        name_fr=hall.name.replace("Hall", "Hall"),
                        kind=Zone.Kind.HALL,
                        hall=hall,
                        position=i,
                    )
                )
            n = len(zones)
            zones += [
                Zone(
                    event=event,
                    code="conference",
                    name_en="Conference centre",
                    name_fr="Centre de conférences",
                    kind=Zone.Kind.CONFERENCE,
                    position=n + 1,
                ),
                Zone(
                    event=event,
                    code="lounge",
                    name_en="Delegation lounge",
                    name_fr="Salon des délégations",
                    kind=Zone.Kind.LOUNGE,
                    position=n + 2,
                ),
                Zone(
                    event=event,
                    code="press",
                    name_en="Press area",
                    name_fr="Espace presse",
                    kind=Zone.Kind.PRESS,
                    position=n + 3,
                ),
                Zone(
                    event=event,
                    code="meetings",
                    name_en="Business meeting centre",
                    name_fr="Centre d'affaires",
                    kind=Zone.Kind.MEETINGS,
                    position=n + 4,
                    tracks_presence=False,
                ),
            ]
            Zone.objects.bulk_create(zones)
            Gate.objects.bulk_create(
                Gate(event=event, name=(_gate_name(z)), zone=z) for z in Zone.objects.filter(event=event)
            )
        if not BadgeCategory.objects.filter(event=event).exists():
            zones_by_kind: dict[str, list[Zone]] = {}
            for z in Zone.objects.filter(event=event):
                zones_by_kind.setdefault(z.kind, []).append(z)
            days = list(AccessDay.objects.filter(event=event))
            for pos, (
                code,
                number,
                en,
                fr,
                colour,
                photo,
                hours,
                zone_kinds,
                day_kinds,
                self_print,
            ) in enumerate(DEFAULT_CATEGORIES):
                cat = BadgeCategory.objects.create(
                    event=event,
                    code=code,
                    number=number,
                    name_en=en,
                    name_fr=fr,
                    colour=colour,
                    requires_photo=photo,
                    hours=hours,
                    self_print=self_print,
                    position=pos,
                )
                cat.zones.set([z for k in zone_kinds for z in zones_by_kind.get(k, [])])
                cat.days.set([d for d in days if d.kind in day_kinds])
        if not SigningKey.objects.filter(event=event).exists():
            _new_key(event)
        audit.record(actor=actor, action="accreditation.set_up", obj=event, event=event)
        bump(event)


def _gate_name(zone: Zone) -> str:
    return f"{zone.name_en} gate"


# --- keys ----------------------------------------------------------------------------------------


def _new_key(event: Event) -> SigningKey:
    kid = (SigningKey.objects.filter(event=event).aggregate(m=Max("kid"))["m"] or 0) + 1
    public, private = codes.new_keypair()
    return SigningKey.objects.create(event=event, kid=kid, public_key=public, private_key=private)


def signing_key(event: Event) -> SigningKey:
    """The key that signs new codes: the newest one neither retired nor withdrawn."""
    key = (
        SigningKey.objects.filter(event=event, retired_at__isnull=True, withdrawn_at__isnull=True)
        .order_by("-kid")
        .first()
    )
    if key is None:
        with transaction.atomic():
            AccreditationSettings.objects.select_for_update().filter(pk=settings_for(event).pk).get()
            key = SigningKey.objects.filter(
                event=event, retired_at__isnull=True, withdrawn_at__isnull=True
            ).order_by("-kid").first() or _new_key(event)
            bump(event)
    return key


def rotate_key(*, event: Event, actor: User) -> SigningKey:
    """A new key signs from now on; the old one keeps verifying the badges it signed."""
    with transaction.atomic():
        AccreditationSettings.objects.select_for_update().filter(pk=settings_for(event).pk).get()
        SigningKey.objects.filter(event=event, retired_at__isnull=True).update(retired_at=timezone.now())
        key = _new_key(event)
        audit.record(actor=actor, action="accreditation.key_rotated", obj=key, event=event, kid=key.kid)
        bump(event)
    return key


def withdraw_key(*, key: SigningKey, actor: User) -> int:
    """Codes signed with this key are refused from now on (a leaked key). Its badges are signed
    again with the current key: they need printing again. Returns how many."""
    with transaction.atomic():
        key = SigningKey.objects.select_for_update().get(pk=key.pk)
        if key.withdrawn_at is not None:
            raise ConflictError(_("This key is already withdrawn."))
        key.withdrawn_at = timezone.now()
        key.retired_at = key.retired_at or key.withdrawn_at
        key.save(update_fields=["withdrawn_at", "retired_at"])
        current = signing_key(key.event)
        if current.pk == key.pk:  # it was the signing key
            current = _new_key(key.event)
        moved = Badge.objects.filter(key=key).update(key=current, printed_at=None)
        audit.record(
            actor=actor,
            action="accreditation.key_withdrawn",
            obj=key,
            event=key.event,
            kid=key.kid,
            badges_resigned=moved,
        )
        bump(key.event)
    return moved


# --- editing -------------------------------------------------------------------------------------


def _save(obj: _M, *, actor: User, action: str, event: Event, **data: Any) -> _M:
    try:
        with transaction.atomic():
            obj.full_clean(validate_unique=True)
            obj.save()
            audit.record(actor=actor, action=action, obj=obj, event=event, **data)
            bump(event)
    except IntegrityError:
        raise ConflictError(_("This conflicts with an existing entry.")) from None
    return obj


def validation_to_domain(exc: ValidationError) -> DomainError:
    items = getattr(exc, "message_dict", None) or {"__all__": exc.messages}
    field, messages = next(iter(items.items()))
    return DomainError(messages[0], field=None if field == "__all__" else field)


def save_category(
    *,
    category: BadgeCategory,
    actor: User,
    zones: Iterable[Zone] | None = None,
    days: Iterable[AccessDay] | None = None,
) -> BadgeCategory:
    if category.pk is None and category.number is None:
        category.number = (
            BadgeCategory.objects.filter(event=category.event).aggregate(m=Max("number"))["m"] or 0
        ) + 1
        if category.number > 255:
            raise DomainError(_("An event has at most 255 badge categories."))
    try:
        with transaction.atomic():
            _save(category, actor=actor, action="accreditation.category_saved", event=category.event)
            if zones is not None:
                category.zones.set([z for z in zones if z.event_id == category.event_id])
            if days is not None:
                category.days.set([d for d in days if d.event_id == category.event_id])
    except ValidationError as exc:
        raise validation_to_domain(exc) from None
    return category


def save_zone(*, zone: Zone, actor: User) -> Zone:
    try:
        return _save(zone, actor=actor, action="accreditation.zone_saved", event=zone.event)
    except ValidationError as exc:
        raise validation_to_domain(exc) from None


def save_day(*, day: AccessDay, actor: User) -> AccessDay:
    if day.opens_at and day.closes_at and day.opens_at >= day.closes_at:
        raise DomainError(_("The site must open before it closes."), field="closes_at")
    try:
        return _save(day, actor=actor, action="accreditation.day_saved", event=day.event)
    except ValidationError as exc:
        raise validation_to_domain(exc) from None


def save_rule(*, rule: AccessRule, actor: User) -> AccessRule:
    if rule.starts_at and rule.ends_at and rule.starts_at >= rule.ends_at:
        raise DomainError(_("A window must start before it ends."), field="ends_at")
    for part in (rule.category, rule.zone, rule.day):
        if part is not None and part.event_id != rule.event_id:
            raise DomainError(_("Choose from this event."))
    try:
        return _save(rule, actor=actor, action="accreditation.rule_saved", event=rule.event)
    except ValidationError as exc:
        raise validation_to_domain(exc) from None


def save_gate(*, gate: Gate, actor: User) -> Gate:
    if gate.zone.event_id != gate.event_id or (
        gate.place is not None and gate.place.event_id != gate.event_id
    ):
        raise DomainError(_("Choose from this event."))
    try:
        return _save(gate, actor=actor, action="accreditation.gate_saved", event=gate.event)
    except ValidationError as exc:
        raise validation_to_domain(exc) from None


def delete_setup_object(*, obj: AccessRule | Gate | Zone | AccessDay | BadgeCategory, actor: User) -> None:
    """Delete a rule, a gate, a zone or a day. A category with badges cannot be deleted."""
    event = obj.event
    with transaction.atomic():
        if isinstance(obj, BadgeCategory) and obj.badges.exists():
            raise ConflictError(_("Badges were issued in this category: it cannot be deleted."))
        audit.record(
            actor=actor, action=f"accreditation.{obj._meta.model_name}_deleted", obj=obj, event=event
        )
        obj.delete()
        bump(event)
