"""CSV that a spreadsheet cannot turn into a formula.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or a full-width
variant of them) is run as a formula by Excel, LibreOffice and Google Sheets when the file is
opened: such a cell is prefixed with an apostrophe, which they show as text. (Another branch adds
a shared writer to ``exhibition.core``; this one is to be replaced by it when both are merged.)"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(TRIGGERS) else text


def write_csv(header: list[str], rows: Iterable[Iterable[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([safe_cell(h) for h in header])
    for row in rows:
        w.writerow([safe_cell(v) for v in row])
    return buf.getvalue()
