"""Badge PDFs: A6 (one badge per page, for lanyard holders) and a 102 × 76 mm label.

Bilingual (the category and the labels in English and French), with the holder's name,
organisation, country, photo where there is one, the category colour and the signed QR code.
Every user string is escaped for ReportLab's paragraph markup."""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterable
from html import escape

import reportlab
import segno
from django.http import FileResponse, Http404
from django.utils import translation
from django_countries import countries
from reportlab.lib.colors import HexColor, white
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from .models import Badge

A6 = (105 * mm, 148 * mm)
LABEL = (102 * mm, 76 * mm)
_FONTS: tuple[str, str] | None = None
FONT_DIRS = ["/usr/share/fonts/truetype/dejavu"]


def fonts() -> tuple[str, str]:
    """A Unicode font (names from 70 countries) when the system has DejaVu, else ReportLab's Vera."""
    global _FONTS
    if _FONTS is None:
        candidates = [
            (os.path.join(d, "DejaVuSans.ttf"), os.path.join(d, "DejaVuSans-Bold.ttf")) for d in FONT_DIRS
        ]
        rl = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
        candidates.append((os.path.join(rl, "Vera.ttf"), os.path.join(rl, "VeraBd.ttf")))
        for regular, bold in candidates:
            if os.path.exists(regular) and os.path.exists(bold):
                pdfmetrics.registerFont(TTFont("BadgeSans", regular))
                pdfmetrics.registerFont(TTFont("BadgeSans-Bold", bold))
                _FONTS = ("BadgeSans", "BadgeSans-Bold")
                break
        else:
            _FONTS = ("Helvetica", "Helvetica-Bold")
    return _FONTS


def bilingual(en: str, fr: str, sep: str = " / ") -> str:
    """English and French side by side, or once when both languages say the same."""
    return en if not fr or en.casefold() == fr.casefold() else f"{en}{sep}{fr}"


def country_names(code: str) -> str:
    if not code:
        return ""
    with translation.override("en"):
        en = str(countries.name(code))
    with translation.override("fr"):
        fr = str(countries.name(code))
    return bilingual(en, fr)


def _qr(c: Canvas, code: str, x: float, y: float, size: float) -> None:
    """The code as a QR (alphanumeric mode, level M), horizontal runs drawn as single rectangles."""
    qr = segno.make_qr(code, error="m", boost_error=False)
    matrix = qr.matrix
    n = len(matrix)
    quiet = 2
    module = size / (n + 2 * quiet)
    c.setFillColor(white)
    c.rect(x, y, size, size, stroke=0, fill=1)
    c.setFillColorRGB(0, 0, 0)
    path = c.beginPath()
    for r, row in enumerate(matrix):
        col = 0
        while col < n:
            if row[col]:
                start = col
                while col < n and row[col]:
                    col += 1
                path.rect(
                    x + (quiet + start) * module,
                    y + size - (quiet + r + 1) * module,
                    (col - start) * module,
                    module * 1.02,
                )
            else:
                col += 1
    c.drawPath(path, stroke=0, fill=1)


def _fit(text: str, font: str, size: float, width: float, smallest: float = 6) -> float:
    """The largest font size up to ``size`` at which ``text`` fits ``width``."""
    while size > smallest and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _para(
    c: Canvas, text: str, style: ParagraphStyle, x: float, y_top: float, width: float, max_h: float
) -> float:
    """Draw escaped text wrapped into ``width``; shrink the font until it fits ``max_h``. Returns its height."""
    size = style.fontSize
    while True:
        st = ParagraphStyle("b", parent=style, fontSize=size, leading=size * 1.15)
        p = Paragraph(escape(text), st)
        _w, h = p.wrap(width, max_h * 3)
        if h <= max_h or size <= 7:
            p.drawOn(c, x, y_top - h)
            return h
        size -= 1


def _photo(c: Canvas, badge: Badge, x: float, y: float, w: float, h: float) -> None:
    if not badge.photo:
        return
    try:
        with badge.photo.open("rb") as f:
            c.drawImage(ImageReader(io.BytesIO(f.read())), x, y, w, h)
    except OSError:
        pass


def _a6(c: Canvas, badge: Badge, code: str) -> None:
    regular, bold = fonts()
    W, H = A6
    colour = HexColor(badge.category.colour)
    # Header: the show
    c.setFillColor(HexColor("#111827"))
    c.rect(0, H - 16 * mm, W, 16 * mm, stroke=0, fill=1)
    c.setFillColor(white)
    c.setFont(bold, _fit(badge.event.name[:80], bold, 12, W - 14 * mm))
    c.drawString(7 * mm, H - 9 * mm, badge.event.name[:80])
    c.setFont(regular, 7.5)
    c.drawString(7 * mm, H - 13.5 * mm, f"{badge.event.venue}"[:80])
    # Category band
    c.setFillColor(colour)
    c.rect(0, 0, W, 20 * mm, stroke=0, fill=1)
    c.setFillColor(white)
    en, fr = badge.category.name_en.upper()[:40], badge.category.name_fr.upper()[:40]
    if bilingual(en, fr) == en:  # one word in both languages: once, centred in the band
        c.setFont(bold, _fit(en, bold, 16, W - 8 * mm))
        c.drawCentredString(W / 2, 8 * mm, en)
    else:
        c.setFont(bold, _fit(en, bold, 16, W - 8 * mm))
        c.drawCentredString(W / 2, 11 * mm, en)
        c.setFont(regular, _fit(fr, regular, 10, W - 8 * mm))
        c.drawCentredString(W / 2, 5 * mm, fr)
    # Holder
    top = H - 22 * mm
    left = 7 * mm
    text_w = W - 14 * mm
    if badge.photo:
        _photo(c, badge, left, top - 40 * mm, 30 * mm, 40 * mm)
        left += 34 * mm
        text_w -= 34 * mm
    name_style = ParagraphStyle(
        "name", fontName=bold, fontSize=20, alignment=TA_LEFT, textColor=HexColor("#111827")
    )
    body = ParagraphStyle(
        "body", fontName=regular, fontSize=11, alignment=TA_LEFT, textColor=HexColor("#1f2937")
    )
    small = ParagraphStyle(
        "small", fontName=regular, fontSize=8.5, alignment=TA_LEFT, textColor=HexColor("#374151")
    )
    y = top
    y -= _para(c, badge.name, name_style, left, y, text_w, 22 * mm) + 2 * mm
    if badge.job_title:
        y -= _para(c, badge.job_title, small, left, y, text_w, 9 * mm) + 1 * mm
    if badge.organisation_name:
        y -= _para(c, badge.organisation_name, body, left, y, text_w, 12 * mm) + 1 * mm
    if badge.country:
        _para(c, country_names(badge.country.code), small, left, y, text_w, 8 * mm)
    # QR and number
    qr_size = 42 * mm
    _qr(c, code, (W - qr_size) / 2, 24 * mm, qr_size)
    c.setFillColor(HexColor("#374151"))
    c.setFont(regular, 7)
    c.drawCentredString(W / 2, 22 * mm, f"Badge n° {badge.number}")  # the same words in English and French


def _label(c: Canvas, badge: Badge, code: str) -> None:
    regular, bold = fonts()
    W, H = LABEL
    colour = HexColor(badge.category.colour)
    c.setFillColor(colour)
    c.rect(0, 0, W, 12 * mm, stroke=0, fill=1)
    c.setFillColor(white)
    band = bilingual(badge.category.name_en.upper(), badge.category.name_fr.upper(), " · ")[:80]
    c.setFont(bold, _fit(band, bold, 11, W - 10 * mm))
    c.drawString(5 * mm, 4.5 * mm, band)
    qr_size = 40 * mm
    _qr(c, code, W - qr_size - 3 * mm, 15 * mm, qr_size)
    c.setFillColor(HexColor("#111827"))
    c.setFont(bold, 8)
    c.drawString(5 * mm, H - 6 * mm, badge.event.name[:40])
    text_w = W - qr_size - 11 * mm
    name_style = ParagraphStyle("name", fontName=bold, fontSize=16, textColor=HexColor("#111827"))
    body = ParagraphStyle("body", fontName=regular, fontSize=9.5, textColor=HexColor("#1f2937"))
    y = H - 10 * mm
    y -= _para(c, badge.name, name_style, 5 * mm, y, text_w, 20 * mm) + 1.5 * mm
    if badge.organisation_name:
        y -= _para(c, badge.organisation_name, body, 5 * mm, y, text_w, 12 * mm) + 1 * mm
    if badge.country:
        y -= _para(c, country_names(badge.country.code), body, 5 * mm, y, text_w, 8 * mm)
    c.setFont(regular, 6.5)
    c.drawString(5 * mm, 14 * mm, f"n° {badge.number}")


def render(
    badges: Iterable[Badge],
    code_for: Callable[[Badge], str],
    fmt: str = "a6",
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """One page per badge."""
    buf = io.BytesIO()
    size = LABEL if fmt == "label" else A6
    draw = _label if fmt == "label" else _a6
    c = Canvas(buf, pagesize=size, pageCompression=1)
    c.setTitle("Badges")
    c.setAuthor("exhibition")
    n = 0
    for badge in badges:
        draw(c, badge, code_for(badge))
        c.showPage()
        n += 1
        if progress and n % 50 == 0:
            progress(n)
    if n == 0:
        c.showPage()
    c.save()
    return buf.getvalue()


def print_job_download(job) -> FileResponse:
    """A finished print batch's PDF as a download (the page's link and the API alike); 404 when
    the batch has no file or its stored file is gone (a stored file lost is not a server error)."""
    if not job.file:
        raise Http404
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=f"badges-{job.pk}.pdf", content_type="application/pdf"
    )
    response["Cache-Control"] = "no-store"
    return response
