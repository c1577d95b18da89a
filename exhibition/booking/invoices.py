"""The invoice PDF, drawn with reportlab from the stored invoice (no file is kept: the
database row is the one copy, the PDF is rendered on each download)."""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django_countries import countries
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

from exhibition.core import formats as formats_
from exhibition.core.pdf import plain

from .models import Invoice
from .selectors import buyer_details, describe_line


def _money(value: Decimal | str, currency: str) -> str:
    return formats_.money(value, currency)


def labelled(label: str, value: str) -> str:
    """A label and its value, the colon as the reader's language sets it: "Issued on: 7 Dec 2026",
    "Émise le : 7 déc. 2026"."""
    return f"{label}{pgettext('after a label', ':')} {value}"


def buyer_of(invoice: Invoice) -> dict[str, str]:
    """The buyer as the invoice stored it. An invoice issued before invoices stored the buyer's
    address and numbers takes them from the company's application, where they came from."""
    if "address" in invoice.buyer:
        return dict(invoice.buyer)
    stored = {key: value for key, value in invoice.buyer.items() if value}
    return {**buyer_details(invoice.organisation), **stored}


def render_invoice_pdf(invoice: Invoice) -> bytes:
    buffer = io.BytesIO()
    # Uncompressed page streams: the text stays searchable by tools and tests.
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=0)
    pdf.setTitle(plain(f"{_('Invoice')} {invoice.number}"))
    pdf.setAuthor(plain(invoice.seller.get("name", "")))
    width, height = A4
    left, right = 20 * mm, width - 20 * mm
    y = height - 25 * mm

    pdf.setFont("Helvetica-Bold", 18)
    pdf.drawString(left, y, f"{_('Invoice')} {invoice.number}")
    pdf.setFont("Helvetica", 10)
    pdf.drawRightString(right, y, labelled(_("Issued on"), formats_.when(invoice.issued_on, "date")))
    y -= 6 * mm
    pdf.drawRightString(right, y, labelled(_("Due on"), formats_.when(invoice.due_on, "date")))

    def wrapped(text: str, font: str, size: float, max_width: float) -> list[str]:
        """Canvas text reads no markup: user text only loses control characters, and wraps."""
        return simpleSplit(plain(text), font, size, max_width) or [""]

    def block(title: str, lines: list[str], x: float, top: float) -> float:
        pdf.setFont("Helvetica-Bold", 10)
        pdf.drawString(x, top, title)
        pdf.setFont("Helvetica", 10)
        for line in lines:
            for part in wrapped(line, "Helvetica", 10, width / 2 - 25 * mm):
                top -= 5 * mm
                pdf.drawString(x, top, part)
        return top

    seller, buyer = invoice.seller, buyer_of(invoice)
    seller_lines = [seller.get("name", "")] + [x for x in (seller.get("address") or "").splitlines() if x]
    if seller.get("vat_number"):
        seller_lines.append(labelled(_("VAT number"), seller["vat_number"]))
    if seller.get("email"):
        seller_lines.append(seller["email"])
    address = [x for x in (buyer.get("address") or "").splitlines() if x.strip()]
    buyer_lines = [buyer.get("name", ""), *address]
    country = str(countries.name(buyer.get("country_code") or "") or buyer.get("country", ""))
    written = {country.casefold(), str(buyer.get("country", "")).casefold()} - {""}
    if country and not (address and any(address[-1].casefold().endswith(c) for c in written)):
        buyer_lines.append(country)  # unless the address ends with it already
    if buyer.get("vat_number"):
        buyer_lines.append(labelled(_("VAT number"), buyer["vat_number"]))
    if buyer.get("registration_number"):
        buyer_lines.append(labelled(_("Registration number"), buyer["registration_number"]))
    y -= 12 * mm
    bottom_a = block(pgettext("invoice seller", "From"), seller_lines, left, y)
    bottom_b = block(_("Bill to"), buyer_lines, width / 2, y)
    y = min(bottom_a, bottom_b) - 12 * mm

    # Lines.
    cols = [left, left + 95 * mm, left + 120 * mm, right]
    pdf.setFont("Helvetica-Bold", 10)
    pdf.drawString(cols[0], y, _("Description"))
    pdf.drawRightString(cols[1] + 15 * mm, y, _("Quantity"))
    pdf.drawRightString(cols[2] + 25 * mm, y, _("Unit price"))
    pdf.drawRightString(cols[3], y, _("Amount"))
    y -= 2 * mm
    pdf.line(left, y, right, y)
    pdf.setFont("Helvetica", 10)
    for line in invoice.lines:
        y -= 6 * mm
        description = wrapped(describe_line(line), "Helvetica", 10, 75 * mm)
        pdf.drawString(cols[0], y, description[0])
        quantity = formats_.number(line.get("quantity", "")) or str(line.get("quantity", ""))
        pdf.drawRightString(cols[1] + 15 * mm, y, plain(f"{quantity} {line.get('unit', '')}".strip()))
        pdf.drawRightString(cols[2] + 25 * mm, y, _money(line.get("unit_price", "0"), invoice.currency))
        pdf.drawRightString(cols[3], y, _money(line.get("amount", "0"), invoice.currency))
        for part in description[1:]:
            y -= 5 * mm
            pdf.drawString(cols[0], y, part)
    y -= 4 * mm
    pdf.line(left, y, right, y)

    totals = [
        (_("Net"), _money(invoice.net, invoice.currency)),
        (f"{_('VAT')} {formats_.percent(invoice.vat_rate)}", _money(invoice.vat, invoice.currency)),
        (_("Total due"), _money(invoice.gross, invoice.currency)),
    ]
    for i, (label, value) in enumerate(totals):
        y -= 6 * mm
        pdf.setFont("Helvetica-Bold" if i == len(totals) - 1 else "Helvetica", 10)
        pdf.drawRightString(cols[2] + 25 * mm, y, label)
        pdf.drawRightString(cols[3], y, value)

    y -= 14 * mm
    pdf.setFont("Helvetica", 9)
    pdf.drawString(
        left,
        y,
        _("Payable by %(date)s. Please quote the invoice number %(number)s with your payment.")
        % {"date": formats_.when(invoice.due_on, "date"), "number": invoice.number},
    )
    for line in (seller.get("bank_details") or "").splitlines():
        for part in wrapped(line, "Helvetica", 9, right - left):
            y -= 5 * mm
            pdf.drawString(left, y, part)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
