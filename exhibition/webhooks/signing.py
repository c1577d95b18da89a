"""Standard Webhooks signatures (https://www.standardwebhooks.com/).

The secret is ``whsec_`` + base64 of random bytes; the signature is HMAC-SHA256, keyed with
those bytes, over ``"{webhook-id}.{webhook-timestamp}.{body}"``, sent base64-encoded as
``webhook-signature: v1,<signature>``. :func:`verify` is what a receiver does (our tests use it).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time

PREFIX = "whsec_"
TOLERANCE = 5 * 60  # seconds a receiver accepts between the timestamp and its clock


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(PREFIX))


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{msg_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(_key(secret), signed, hashlib.sha256).digest()).decode()


def headers(secret: str, msg_id: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    ts = int(time.time()) if timestamp is None else timestamp
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(ts),
        "webhook-signature": sign(secret, msg_id, ts, body),
    }


def verify(secret: str, body: bytes, received: dict[str, str], now: float | None = None) -> bool:
    """True if one of the ``v1`` signatures matches and the timestamp is recent."""
    try:
        msg_id, ts = received["webhook-id"], int(received["webhook-timestamp"])
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - ts) > TOLERANCE:
        return False
    expected = sign(secret, msg_id, ts, body)
    return any(
        hmac.compare_digest(expected, candidate)
        for candidate in received.get("webhook-signature", "").split()
    )
