"""The printable agenda as a PDF (reportlab): one table per day."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle


def agenda_pdf(event: Any, participant: Any, entries: list) -> bytes:
    buf = BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, title=f"{event.name} – {participant.name}")
    styles = getSampleStyleSheet()
    story = [Paragraph(f"{event.name} — {participant.name}", styles["Title"]),
             Paragraph(f"{event.venue} · {event.time_zone}", styles["Normal"]), Spacer(1, 12)]
    tz = event.tz
    days: dict = {}
    for e in entries:
        days.setdefault(e.start.astimezone(tz).date(), []).append(e)
    if not days:
        story.append(Paragraph(_("No meetings yet."), styles["Normal"]))
    for day, items in days.items():
        story.append(Paragraph(day.strftime("%A %d %B %Y"), styles["Heading2"]))
        rows = [[_("When"), _("With / what"), _("Where"), _("Walk")]]
        for e in items:
            walk = f"{e.walk_minutes:.0f} min" if e.walk_minutes is not None else ""
            rows.append([f"{e.start.astimezone(tz):%H:%M}–{e.end.astimezone(tz):%H:%M}",
                         Paragraph(e.title, styles["Normal"]), e.where or "—", walk])
        t = Table(rows, colWidths=[70, 250, 120, 50], repeatRows=1)
        t.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e2e8f0")),
                               ("GRID", (0, 0), (-1, -1), 0.25, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story += [t, Spacer(1, 10)]
    doc.build(story)
    return buf.getvalue()
