"""Ids typed into a URL or a form field, read safely."""

from __future__ import annotations

from typing import Any

_MAX_ID = 2**63 - 1  # a BigAutoField (and SQLite's INTEGER) holds no more


def as_id(value: Any) -> int | None:
    """``value`` as a database id, or None when it cannot be one.

    ``str.isdigit`` is not enough: it accepts "²" and "٣" (which ``int`` refuses or reads as
    another digit) and any length (which the database refuses): both were server errors."""
    text = str(value if value is not None else "").strip()
    if not text or len(text) > 19 or not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= _MAX_ID else None
