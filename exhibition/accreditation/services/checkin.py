"""Redeeming a badge at a gate: the one write the scanners make.

Semantics:

* The answer is ``ok`` or a reason (``invalid``, ``revoked``, ``not_admitted``, ``wrong_zone``,
  ``wrong_day``, ``outside_hours``, ``already_inside``, ``no_reentry``), with the holder's name,
  photo and category for the steward. Every scan is stored with its result.
* A repeated nonce (same device) is answered as the first time and changes nothing.
* The badge row is locked (``select_for_update``) before its presence is read and written, so
  two gates scanning the same badge at the same moment give exactly one entry.
* An offline scan is uploaded later with its original time: ``force=true`` when the gate let
  the person through (the entry is recorded as it happened, with the reason the server would
  have given, for review), ``force=false`` when the gate refused (recorded, nothing changes).
* Exits are always let through; a revoked badge leaving is still reported as revoked.
"""

from __future__ import annotations

import base64
import contextlib
import zoneinfo
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from exhibition.core.errors import DomainError
from exhibition.events.models import Event
from exhibition.meetings.models import Place

from .. import codes, ruleset
from ..holders import admitted_q, holder_admitted
from ..models import Badge, Device, Presence, Scan
from ..rows import RowInsert, RowQuery
from . import gate_meetings

REASONS = {
    "invalid": gettext_lazy("Not a valid badge for this event"),
    "revoked": gettext_lazy("Badge revoked"),
    "not_admitted": gettext_lazy("Holder not admitted"),
    "wrong_zone": gettext_lazy("Not allowed in this zone"),
    "wrong_day": gettext_lazy("Not valid today"),
    "outside_hours": gettext_lazy("Outside the hours for this badge"),
    "already_inside": gettext_lazy("Already inside"),
    "no_reentry": gettext_lazy("No re-entry today"),
    "refused_offline": gettext_lazy("Refused by the scanner while offline"),
}
MAX_CLOCK_SKEW = timedelta(minutes=5)
MAX_OFFLINE_AGE = timedelta(days=7)


@dataclass
class Answer:
    ok: bool
    reason: str | None
    scan: Scan
    badge: Badge | None = None
    forced: bool = False
    replayed: bool = False
    meeting: dict[str, Any] | None = field(default=None)

    def as_dict(self, language: str | None = None) -> dict[str, Any]:
        with translation.override(language or translation.get_language()):
            b = self.badge
            if self.ok and not self.reason:
                message = _("Goodbye") if self.scan.direction == "exit" else _("Welcome")
            elif self.ok:
                message = _("Let through offline; flagged: %(why)s") % {
                    "why": REASONS.get(self.reason or "", self.reason)
                }
            else:
                message = str(REASONS.get(self.reason or "", self.reason))
            return {
                "status": "ok" if self.ok else "refused",
                "reason": self.reason,
                "message": str(message),
                "forced": self.forced,
                "replayed": self.replayed,
                "scan": self.scan.pk,
                "direction": self.scan.direction,
                "scanned_at": self.scan.scanned_at.isoformat(),
                "zone": self.scan.zone_id,
                "badge": None
                if b is None
                else {
                    "id": b.pk,
                    "number": b.number,
                    "name": b.name,
                    "organisation": b.organisation_name,
                    "country": b.country.code if b.country else "",
                    "country_name": str(b.country.name) if b.country else "",
                    "category": {
                        "number": b.category.number,
                        "code": b.category.code,
                        "name": b.category.name,
                        "colour": b.category.colour,
                    },
                    "photo": b.photo_thumb or None,
                },
                "meeting": self.meeting,
            }


def lock_badge(badge_id: int, event: Event) -> Badge | None:
    """The badge row, locked until the transaction ends (the race tests replace this), with what
    a scan reads of its category and holder, in one hand-written query (``rows.RowQuery``).

    The badge's presence is read after, by a statement of its own: a row joined to a
    ``SELECT ... FOR UPDATE OF`` that had to wait for the lock is the one the statement first
    saw, before the other gate's entry was committed (PostgreSQL re-reads only the locked rows).
    """
    badge = LOCK_QUERY.one([badge_id, event.pk])
    if badge is None:
        return None
    badge.event = event  # already at hand: no query when a meeting table needs it
    return badge


# What a scan reads of the badge and its holder (the answer, the checks, the scan row).
LOCK_QUERY = RowQuery(
    Badge,
    (
        "id",
        "event_id",
        "category_id",
        "source",
        "status",
        "key_id",
        "name",
        "organisation_name",
        "country",
        "photo_thumb",
        "user_id",
        "visitor_id",
        "organisation_id",
        "badge_request_id",
        "delegation_member_id",
    ),
    [
        ("category", "c", ("id", "number", "code", "name_en", "name_fr", "colour", "allows_reentry")),
        ("visitor", "v", ("id", "status")),
        ("organisation", "o", ("id", "admitted_at")),
        ("user", "u", ("id", "is_active")),
    ],
    'b."id" = %s AND b."event_id" = %s',
    lock=True,
)


# The rows every scan writes (no signal receiver counts them: events.signals).
SCAN_INSERT = RowInsert(Scan)
PRESENCE_INSERT = RowInsert(Presence)

# The badge's presence in a zone, read after the badge's lock (see ``lock_badge``).
PRESENCE_QUERY = RowQuery(Presence, None, [], 'b."badge_id" = %s AND b."zone_id" = %s')


def _replay(device: Device, nonce: str) -> Answer | None:
    scan = Scan.objects.filter(device=device, nonce=nonce).select_related("badge__category", "zone").first()
    if scan is None:
        return None
    ok = scan.result == Scan.Result.OK or scan.forced
    reason = None if scan.result == Scan.Result.OK else scan.result
    return Answer(ok=ok, reason=reason, scan=scan, badge=scan.badge, forced=scan.forced, replayed=True)


def _where(
    rules: dict[str, Any], device: Device, zone_id: int | None, gate_id: int | None
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The zone and gate of a scan, from the event's rules (no query)."""
    gates = {g["id"]: g for g in rules["gates"]}
    zones = {z["id"]: z for z in rules["zones"]}
    gate = None
    if gate_id:
        gate = gates.get(gate_id)
        if gate is None:
            raise DomainError(_("Unknown gate."), field="gate")
    elif zone_id is None and device.gate_id:
        gate = gates.get(device.gate_id)
    if gate is not None:
        if zone_id is not None and zone_id != gate["zone"]:
            raise DomainError(_("This gate belongs to another zone."), field="zone")
        return zones[gate["zone"]], gate
    if zone_id is None:
        raise DomainError(_("Say which zone or gate this scanner is at."), field="zone")
    if zone_id not in zones:
        raise DomainError(_("Unknown zone."), field="zone")
    return zones[zone_id], None


def _rules_for(event: Event, device: Device) -> dict[str, Any]:
    """The rules, with the version the device's authentication already read (one query less)."""
    version = getattr(device, "rules_version", None) if device.event_id == event.pk else None
    return ruleset.get(event, version=version)  # None: read it


def redeem(
    *,
    event: Event,
    device: Device,
    code: str,
    nonce: str,
    direction: str = "entry",
    zone_id: int | None = None,
    gate_id: int | None = None,
    scanned_at: datetime | None = None,
    force: bool = False,
    offline: bool = False,
    now: datetime | None = None,
) -> Answer:
    now = now or timezone.now()
    nonce = (nonce or "").strip()[:64]
    if not nonce:
        raise DomainError(_("A nonce is required."), field="nonce")
    if direction not in Scan.Direction.values:
        raise DomainError(_("Entry or exit."), field="direction")
    offline = offline or force
    if scanned_at is None:
        scanned_at = now
    if scanned_at > now + MAX_CLOCK_SKEW:
        raise DomainError(_("The scan time is in the future: check the scanner's clock."), field="scanned_at")
    if scanned_at < now - MAX_OFFLINE_AGE:
        raise DomainError(_("This scan is too old to upload."), field="scanned_at")
    rules = _rules_for(event, device)
    zone, gate = _where(rules, device, zone_id, gate_id)
    # Online, the server's clock decides; offline uploads keep the time the gate saw.
    when = scanned_at if offline else now

    payload = None
    with contextlib.suppress(codes.BadCode):
        payload, body, sig = codes.parse(code)
    if payload is not None:
        key = next((k for k in rules["keys"] if k["kid"] == payload.kid), None)
        if key is None or not codes.verify(body, sig, public_key(key["public_key"])):
            payload = None

    try:
        # A repeated nonce is caught by the (device, nonce) unique constraint when the scan is
        # written: everything this transaction did is rolled back and the first answer given.
        with transaction.atomic():
            badge = lock_badge(payload.badge_id, event) if payload is not None else None
            reason = _check(badge, payload, rules, zone["id"], when, direction)
            presence = None
            tracked = badge is not None and zone["presence"] and (reason is None or force)
            if tracked and badge is not None:
                # Under the badge's lock: no other transaction reads or writes this row meanwhile.
                presence = PRESENCE_QUERY.one([badge.pk, zone["id"]]) or Presence(
                    badge=badge, zone_id=zone["id"]
                )
                if reason is None:
                    reason = _presence_reason(presence, badge, when, direction, event)
            applied = badge is not None and (reason is None or (force and reason != "invalid"))
            result = reason or Scan.Result.OK
            if offline and not force and reason is None:
                result = Scan.Result.REFUSED_OFFLINE
                applied = False
            scan = SCAN_INSERT.save(
                Scan(
                    event=event,
                    device=device,
                    nonce=nonce,
                    badge=badge,
                    category=badge.category if badge else None,
                    country=(badge.country.code if badge and badge.country else ""),
                    gate_id=gate["id"] if gate else None,
                    zone_id=zone["id"],
                    direction=direction,
                    scanned_at=scanned_at,
                    received_at=now,
                    result=result,
                    forced=bool(force and applied and reason is not None),
                    offline=offline,
                )
            )
            meeting = None
            if applied and presence is not None:
                _apply(presence, when, direction)
            if (
                applied
                and badge is not None
                and gate is not None
                and gate.get("place")
                and direction == "entry"
            ):
                place = Place.objects.filter(pk=gate["place"]).first()
                if place is not None:
                    meeting = gate_meetings.arrive(badge=badge, place=place, scan=scan, when=when)
    except IntegrityError:
        replay = _replay(device, nonce)  # the same nonce again: answer as the first time
        if replay is None:
            raise
        return replay
    ok = result == Scan.Result.OK or scan.forced
    return Answer(
        ok=ok,
        reason=None if result == Scan.Result.OK else result,
        scan=scan,
        badge=badge,
        forced=scan.forced,
        meeting=meeting,
    )


_PUBLIC_CACHE: dict[str, Ed25519PublicKey] = {}


def public_key(b64: str) -> Ed25519PublicKey:
    """Parsed public keys, kept per process: a key is immutable, only which keys are valid
    changes (and that comes from the ruleset on every scan)."""
    key = _PUBLIC_CACHE.get(b64)
    if key is None:
        key = _PUBLIC_CACHE[b64] = codes.load_public(base64.b64decode(b64))
    return key


def _check(
    badge: Badge | None,
    payload: codes.Payload | None,
    rules: dict[str, Any],
    zone_id: int,
    when: datetime,
    direction: str,
) -> str | None:
    if badge is None or payload is None or badge.category.number != payload.category:
        return "invalid"
    if badge.status == Badge.Status.REVOKED:
        return "revoked"
    if badge.status != Badge.Status.VALID or badge.key_id is None:
        return "invalid"
    if not holder_admitted(badge):
        return "not_admitted"
    local = timezone.localtime(when, timezone=zone_tz(rules))
    return ruleset.decide(
        rules,
        category=payload.category,
        zone=zone_id,
        when=local,
        code_days=payload.days,
        direction=direction,
    )


def zone_tz(rules: dict[str, Any]) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(rules["time_zone"])


def _same_day(a: datetime | None, b: datetime, event: Event) -> bool:
    return a is not None and timezone.localtime(a, event.tz).date() == timezone.localtime(b, event.tz).date()


def _presence_reason(
    presence: Presence, badge: Badge, when: datetime, direction: str, event: Event
) -> str | None:
    if direction != "entry":
        return None
    if presence.last_scan_at and when < presence.last_scan_at:
        return None  # an older offline scan arriving late: recorded, decided by what happened since
    if presence.inside and _same_day(presence.last_entry_at, when, event):
        return "already_inside"
    if not badge.category.allows_reentry and _same_day(presence.last_exit_at, when, event):
        return "no_reentry"
    return None


def _apply(presence: Presence, when: datetime, direction: str) -> None:
    if presence.last_scan_at and when < presence.last_scan_at:
        return  # history only: a later scan already decided where the person is
    if direction == "entry":
        presence.inside, presence.last_entry_at = True, when
    else:
        presence.inside, presence.last_exit_at = False, when
    presence.last_scan_at = when
    if presence.pk is None:
        PRESENCE_INSERT.save(presence)
    else:
        presence.save(update_fields=["inside", "last_entry_at", "last_exit_at", "last_scan_at"])


def revocation_list(event: Event) -> list[int]:
    """Badge ids a scanner must refuse offline: revoked ones, and live ones whose holder is no
    longer admitted (until the periodic reconcile revokes them)."""
    revoked = set(Badge.objects.filter(event=event, status=Badge.Status.REVOKED).values_list("pk", flat=True))
    stale = set(
        Badge.objects.filter(event=event, status=Badge.Status.VALID)
        .exclude(admitted_q())
        .values_list("pk", flat=True)
    )
    return sorted(revoked | stale)
