"""The printable agenda as a PDF (reportlab): one table per day."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from exhibition.core import formats
from exhibition.core.pdf import markup, para, plain


def agenda_pdf(event: Any, participant: Any, entries: list) -> bytes:
    buf = BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, title=plain(f"{event.name} – {participant.name}"))
    styles = getSampleStyleSheet()
    normal = styles["Normal"]
    story = [
        Paragraph(f"{markup(event.name)} — {markup(participant.name)}", styles["Title"]),
        Paragraph(f"{markup(event.venue)} · {markup(event.time_zone)}", normal),
        Spacer(1, 12),
    ]
    tz = event.tz
    days: dict = {}
    for e in entries:
        days.setdefault(e.start.astimezone(tz).date(), []).append(e)
    if not days:
        story.append(para(_("No meetings yet."), normal))
    for day, items in days.items():
        story.append(Paragraph(formats.when(day, "longday"), styles["Heading2"]))
        rows = [
            [
                para(_("When"), normal),
                para(_("With / what"), normal),
                para(_("Where"), normal),
                para(_("Walk"), normal),
            ]
        ]
        for e in items:
            walk = f"{e.walk_minutes:.0f} min" if e.walk_minutes is not None else ""
            rows.append(
                [
                    f"{e.start.astimezone(tz):%H:%M}–{e.end.astimezone(tz):%H:%M}",
                    para(e.title, normal),
                    para(e.where or "—", normal),
                    walk,
                ]
            )
        t = Table(rows, colWidths=[70, 250, 120, 50], repeatRows=1)
        t.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e2e8f0")),
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story += [t, Spacer(1, 10)]
    doc.build(story)
    return buf.getvalue()
