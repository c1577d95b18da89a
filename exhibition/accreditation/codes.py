"""Badge codes: a compact payload signed with the event's Ed25519 key.

Layout (big-endian), 76 bytes, written as unpadded base32 (122 characters, QR alphanumeric
mode: a version 5 code at error-correction level M)::

    version  u8    = 1
    kid      u16   which of the event's keys signed it
    badge    u32   badge id
    category u8    the category's number
    from     u16   first valid day, as days since 2000-01-01
    days     u16   bit i set: valid on ``from + i``; 0: no day restriction in the code (the
                   category's days alone decide: an event whose site days span more than 16 days)
    sig      64    Ed25519 over the 12 bytes above

Without the private key a code can be neither forged nor altered: any changed byte breaks the
signature. Pure functions; the keys come from ``SigningKey`` rows.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from dataclasses import dataclass
from datetime import date, timedelta

from cryptography.exceptions import InvalidSignature
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

VERSION = 1
EPOCH = date(2000, 1, 1)
HEADER = struct.Struct(">BHIBHH")
SIG_LEN = 64
RAW_LEN = HEADER.size + SIG_LEN  # 76
MAX_DAYS = 16


class BadCode(ValueError):
    """Not one of our codes (wrong length, alphabet, version)."""


@dataclass(frozen=True)
class Payload:
    kid: int
    badge_id: int
    category: int
    valid_from: date
    mask: int

    def pack(self) -> bytes:
        return HEADER.pack(
            VERSION, self.kid, self.badge_id, self.category, (self.valid_from - EPOCH).days, self.mask
        )

    def valid_on(self, day: date) -> bool:
        if self.mask == 0:
            return True
        i = (day - self.valid_from).days
        return 0 <= i < MAX_DAYS and bool(self.mask >> i & 1)

    @property
    def days(self) -> list[date] | None:
        """The days the code is valid on; None: any day (the category decides)."""
        if self.mask == 0:
            return None
        return [self.valid_from + timedelta(days=i) for i in range(MAX_DAYS) if self.mask >> i & 1]


def days_mask(days: list[date]) -> tuple[date, int]:
    """``(first day, mask)`` for a set of days; ``(EPOCH, 0)`` (no restriction in the code) when
    there are none or they span more than 16 days."""
    if not days or (max(days) - min(days)).days >= MAX_DAYS:
        return EPOCH, 0
    first = min(days)
    mask = 0
    for d in days:
        mask |= 1 << (d - first).days
    return first, mask


# --- keys --------------------------------------------------------------------------------------------


def _fernet() -> MultiFernet:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet(
        [
            Fernet(
                base64.urlsafe_b64encode(
                    hashlib.sha256(f"exhibition.accreditation.keys:{s}".encode()).digest()
                )
            )
            for s in secrets
        ]
    )


def new_keypair() -> tuple[bytes, str]:
    """``(public key, encrypted private key)`` of a fresh Ed25519 key."""
    private = Ed25519PrivateKey.generate()
    raw = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return public, _fernet().encrypt(raw).decode()


def load_private(encrypted: str) -> Ed25519PrivateKey:
    try:
        raw = _fernet().decrypt(encrypted.encode())
    except InvalidToken as exc:  # SECRET_KEY changed without the old one in SECRET_KEY_FALLBACKS
        raise RuntimeError("This signing key cannot be decrypted with the current SECRET_KEY.") from exc
    return Ed25519PrivateKey.from_private_bytes(raw)


def load_public(raw: bytes) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(bytes(raw))


# --- codes -------------------------------------------------------------------------------------------


def sign(payload: Payload, private: Ed25519PrivateKey) -> str:
    body = payload.pack()
    return base64.b32encode(body + private.sign(body)).decode().rstrip("=")


def parse(code: str) -> tuple[Payload, bytes, bytes]:
    """``(payload, signed bytes, signature)``; raises :class:`BadCode` for anything else."""
    text = "".join((code or "").split()).upper().rstrip("=")
    if len(text) > 200:
        raise BadCode("too long")
    try:
        raw = base64.b32decode(text + "=" * (-len(text) % 8))
    except (binascii.Error, ValueError) as exc:
        raise BadCode("not base32") from exc
    if len(raw) != RAW_LEN:
        raise BadCode("wrong length")
    if base64.b32encode(raw).decode().rstrip("=") != text:  # the last character's spare bits set:
        raise BadCode("not canonical")  # one badge, one code (the scanner refuses it the same way)
    version, kid, badge_id, category, start, mask = HEADER.unpack(raw[: HEADER.size])
    if version != VERSION:
        raise BadCode("unknown version")
    payload = Payload(
        kid=kid, badge_id=badge_id, category=category, valid_from=EPOCH + timedelta(days=start), mask=mask
    )
    return payload, raw[: HEADER.size], raw[HEADER.size :]


def verify(body: bytes, signature: bytes, public: Ed25519PublicKey) -> bool:
    try:
        public.verify(signature, body)
    except InvalidSignature:
        return False
    return True
