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

from .selectors import agenda_has_walks


def local_time_note(event: Any) -> str:
    """The show's time zone in words, as the pages' footer says it ("… local time (Paris time).")."""
    return _("Times are shown in the show's local time (%(tz)s).") % {
        "tz": formats.zone_words(event.time_zone)
    }


def _walk(e: Any) -> str:
    """The walking time from the previous place, as Paragraph markup (or the reason there is none)."""
    if e.walk_minutes is None:
        return markup(e.walk_note)
    text = markup(_("%(m)s min walk") % {"m": e.walk_minutes})
    if e.walk_from:
        text += "<br/>" + markup(_("from %(place)s") % {"place": e.walk_from})
    return text


def agenda_pdf(event: Any, participant: Any, entries: list) -> bytes:
    buf = BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, title=plain(f"{event.name} – {participant.name}"))
    styles = getSampleStyleSheet()
    normal = styles["Normal"]
    story = [
        Paragraph(f"{markup(event.name)} — {markup(participant.name)}", styles["Title"]),
        Paragraph(f"{markup(event.venue)} · {markup(local_time_note(event))}", normal),
        Spacer(1, 12),
    ]
    tz = event.tz
    show_walk = agenda_has_walks(entries)
    days: dict = {}
    for e in entries:
        days.setdefault(e.start.astimezone(tz).date(), []).append(e)
    if not days:
        story.append(para(_("No meetings yet."), normal))
    for day, items in days.items():
        story.append(Paragraph(formats.when(day, "longday"), styles["Heading2"]))
        heads = [_("When"), _("With / what"), _("Where")] + ([_("Walk")] if show_walk else [])
        rows = [[para(h, normal) for h in heads]]
        for e in items:
            row = [
                f"{e.start.astimezone(tz):%H:%M}–{e.end.astimezone(tz):%H:%M}",
                para(e.title, normal),
                para(e.where or "—", normal),
            ]
            rows.append(row + ([Paragraph(_walk(e), normal)] if show_walk else []))
        widths = [65, 215, 120, 90] if show_walk else [70, 280, 140]  # no "Walk" column with nothing in it
        t = Table(rows, colWidths=widths, repeatRows=1)
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
