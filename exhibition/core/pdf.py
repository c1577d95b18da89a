"""Putting people's words into PDFs (ReportLab) safely.

ReportLab's ``Paragraph`` reads a small markup language: ``<a href>`` makes a link, ``<img src>``
opens a file of the server, a stray ``<b>`` is a parse error (a server error for the reader).
Every user-supplied string therefore goes through :func:`markup` (or :func:`para`, :func:`fill`)
before it reaches a Paragraph; our own labels may carry markup (``<i>``) and are never mixed with
unescaped user text. Plain canvas drawing (``drawString``) reads no markup: :func:`plain` only
drops what a PDF cannot show.

Used by every PDF: the delegation programme, the meeting agenda, the invoice (and badges later).
"""

from __future__ import annotations

import re
from typing import Any
from xml.sax.saxutils import escape as _xml_escape

from reportlab.platypus import Paragraph

# C0 controls other than tab and newline, DEL, C1 controls, lone surrogates, non-characters.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def plain(value: Any) -> str:
    """Text for canvas drawing: control characters dropped, every line break a space."""
    text = "" if value is None else str(value)
    text = _UNPRINTABLE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    return " ".join(text.split("\n")).replace("\t", " ")


def markup(value: Any, *, lines: bool = True) -> str:
    """User text as Paragraph markup that shows it literally: ``<``, ``>`` and ``&`` escaped,
    control characters dropped; line breaks kept as ``<br/>`` (or spaces, ``lines=False``)."""
    text = "" if value is None else str(value)
    text = _UNPRINTABLE.sub("", text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    escaped = _xml_escape(text)
    return escaped.replace("\n", "<br/>" if lines else " ")


def fill(template: str, **values: Any) -> str:
    """``template`` is our own markup (trusted); each value is user text, escaped before it goes in.

    ``fill("<b>%(name)s</b>", name=participant.name)``; uses ``%``-formatting like our translations.
    """
    return template % {key: markup(value) for key, value in values.items()}


def para(value: Any, style: Any) -> Paragraph:
    """A Paragraph showing ``value`` (user text) literally."""
    return Paragraph(markup(value), style)
