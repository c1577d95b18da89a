"""Scanner devices: registered by an organiser with a one-time code, revocable at any time.

Only hashes are stored: of the one-time code (valid 24 hours, used once) and of the token the
device gets in exchange. A withdrawn device's token is refused, and the scanner page then wipes
what it held (keys, revocation list, rules, queued scans)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exhibition.accounts.models import User
from exhibition.core import audit
from exhibition.core.errors import ConflictError, DomainError, require_perm
from exhibition.events.models import Event

from ..auth import token_hash
from ..models import Device, Gate

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_TTL = timedelta(hours=24)


def _code_hash(event: Event | int, code: str) -> str:
    normal = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return hashlib.sha256(f"{getattr(event, 'pk', event)}:{normal}".encode()).hexdigest()


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _i in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def create_device(*, event: Event, actor: User, name: str, gate: Gate | None = None) -> tuple[Device, str]:
    """A new device and its one-time registration code (shown once, never stored)."""
    require_perm(actor, "accreditation.manage", event, _("Only organisers register scanners."))
    name = " ".join((name or "").split())[:100]
    if not name:
        raise DomainError(_("Name the scanner (where it will be used)."), field="name")
    if gate is not None and gate.event_id != event.pk:
        raise DomainError(_("Choose a gate of this event."), field="gate")
    code = _new_code()
    with transaction.atomic():
        device = Device.objects.create(
            event=event,
            name=name,
            gate=gate,
            created_by=actor,
            code_hash=_code_hash(event, code),
            code_expires_at=timezone.now() + CODE_TTL,
        )
        audit.record(actor=actor, action="device.created", obj=device, event=event)
    return device, code


def new_code(*, device: Device, actor: User) -> str:
    """A fresh one-time code for a device (a wiped or replaced tablet): its current token stops working."""
    require_perm(actor, "accreditation.manage", device.event, _("Only organisers register scanners."))
    code = _new_code()
    with transaction.atomic():
        d = Device.objects.select_for_update().get(pk=device.pk)
        if d.revoked_at is not None:
            raise ConflictError(_("This scanner was withdrawn."))
        d.code_hash, d.code_expires_at = _code_hash(d.event_id, code), timezone.now() + CODE_TTL
        d.token_hash, d.token_prefix, d.registered_at = None, "", None
        d.save(update_fields=["code_hash", "code_expires_at", "token_hash", "token_prefix", "registered_at"])
        audit.record(actor=actor, action="device.new_code", obj=d, event=d.event)
    return code


def register_device(*, event: Event, code: str) -> tuple[Device, str]:
    """Exchange a one-time code for the device's token (shown once to the scanner)."""
    h = _code_hash(event, code)
    with transaction.atomic():
        device = (
            Device.objects.select_for_update()
            .filter(event=event, code_hash=h, revoked_at__isnull=True)
            .first()
        )
        if device is None or device.code_expires_at is None or device.code_expires_at < timezone.now():
            raise DomainError(
                _("This code is not valid: ask the organiser for a new one."), field="code", code="bad_code"
            )
        token = secrets.token_urlsafe(32)
        device.token_hash, device.token_prefix = token_hash(token), token[:6]
        device.code_hash, device.code_expires_at = "", None
        device.registered_at = device.last_seen_at = timezone.now()
        device.save()
        audit.record(actor=None, action="device.registered", obj=device, event=event)
    return device, token


def revoke_device(*, device: Device, actor: User) -> Device:
    require_perm(actor, "accreditation.manage", device.event, _("Only organisers withdraw scanners."))
    with transaction.atomic():
        d = Device.objects.select_for_update().get(pk=device.pk)
        if d.revoked_at is None:
            d.revoked_at, d.revoked_by = timezone.now(), actor
            d.code_hash, d.code_expires_at = "", None
            d.save(update_fields=["revoked_at", "revoked_by", "code_hash", "code_expires_at"])
            audit.record(actor=actor, action="device.revoked", obj=d, event=d.event)
    return d


def set_device_gate(*, device: Device, actor: User, gate: Gate | None) -> Device:
    require_perm(actor, "accreditation.manage", device.event, _("Only organisers configure scanners."))
    if gate is not None and gate.event_id != device.event_id:
        raise DomainError(_("Choose a gate of this event."), field="gate")
    with transaction.atomic():
        Device.objects.filter(pk=device.pk).update(gate=gate)
        device.gate = gate
        audit.record(
            actor=actor,
            action="device.gate_set",
            obj=device,
            event=device.event,
            gate=gate.name if gate else "",
        )
    return device
