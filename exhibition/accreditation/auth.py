"""Scanner devices authenticate with their own token (``Authorization: Device <token>``), not
as a person. The device becomes a principal the permission gate understands: it passes only
the device predicates of its own event (``rules.py``), nothing else."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import rules
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .models import AccreditationSettings, Device
from .rows import RowQuery

KEYWORD = "Device"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class DevicePrincipal:
    """What ``request.user`` is for a scanner device."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None
    id = None
    email_verified_at = None  # no person: roles_for() gives it no admission anywhere

    def __init__(self, device: Device) -> None:
        self.device = device

    def __str__(self) -> str:
        return f"device {self.device.name}"

    def has_perm(self, perm: str, obj=None) -> bool:
        return rules.has_perm(perm, self, obj)

    def get_full_name(self) -> str:
        return self.device.name


class DeviceRevoked(exceptions.AuthenticationFailed):
    default_code = "device_revoked"


def _rules_version(qn: Callable[[str], str]) -> tuple[list[str], list[tuple[str, str]]]:
    table = qn(AccreditationSettings._meta.db_table)
    return [f"LEFT JOIN {table} s ON s.{qn('event_id')} = b.{qn('event_id')}"], [
        (f"s.{qn('rules_version')}", "rules_version")
    ]


# The device, its event and the event's rules version, in one hand-written query: this runs on
# every scan, and the scanner views take the event from here (``event_from_credentials``).
DEVICE_QUERY = RowQuery(Device, None, [("event", "e", None)], 'b."token_hash" = %s', extra=_rules_version)


class DeviceAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid device header."))
        token = header[1].decode(errors="replace")
        device = DEVICE_QUERY.one([token_hash(token)])
        if device is None:
            raise DeviceRevoked(_("This scanner is not registered."))
        if device.revoked_at is not None:
            raise DeviceRevoked(_("This scanner was withdrawn by the organiser."))
        now = timezone.now()
        if device.last_seen_at is None or (now - device.last_seen_at).total_seconds() > 60:
            Device.objects.filter(pk=device.pk).update(last_seen_at=now)
            device.last_seen_at = now
        return DevicePrincipal(device), device

    def authenticate_header(self, request) -> str:
        return KEYWORD


class DeviceScheme(OpenApiAuthenticationExtension):
    target_class = "exhibition.accreditation.auth.DeviceAuthentication"
    name = "deviceAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Device <token>`: a scanner's token, from POST .../accreditation/checkin/register/.",
        }
