"""The printable programme: one A4 document, labels in English and French."""

from __future__ import annotations

from io import BytesIO

from django.utils import translation
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from exhibition.core import formats
from exhibition.core.pdf import fill, markup, para, plain

LABELS = {
    "programme": ("Programme of visits", "Programme des visites"),
    "time": ("Time", "Heure"),
    "stand": ("Stand", "Stand"),
    "exhibitor": ("Exhibitor", "Exposant"),
    "host": ("Host contact", "Contact sur le stand"),
    "walk": ("Walk", "Marche"),
    "from": ("Start point", "Point de départ"),
    "to": ("End point", "Point d'arrivée"),
    "none": ("No visit published yet.", "Aucune visite publiée pour l'instant."),
    "lunch": ("Lunch break", "Pause déjeuner"),
    "where": ("Where", "Lieu"),
    "level": ("Protocol level", "Niveau protocolaire"),
    "meeting": ("B2B meeting", "Rendez-vous d'affaires"),
}


def walk_text(minutes: float | None) -> str:
    """The walk to a visit as the programme page says it: whole minutes, "< 1 min" for a few steps
    (never "0 min")."""
    if minutes is None:
        return ""
    return "< 1 min" if minutes < 0.5 else f"{minutes:.0f} min"


def bi(key: str) -> str:
    """A label in both languages, as Paragraph markup (our own text: never user input)."""
    en, fr = LABELS[key]
    return f"{markup(en)} / <i>{markup(fr)}</i>"


def bi_value(get) -> str:
    """A value the show translates (a protocol level) as each language says it, once if the same."""
    with translation.override("en"):
        en = str(get())
    with translation.override("fr"):
        fr = str(get())
    return markup(en) if en == fr else f"{markup(en)} / <i>{markup(fr)}</i>"


def bi_day(day) -> str:
    """A day as both languages write it ("Wednesday 13 January 2027 / mercredi 13 janvier 2027")."""
    with translation.override("en"):
        en = formats.when(day, "longday")
    with translation.override("fr"):
        fr = formats.when(day, "longday")
    return f"{markup(en)} / <i>{markup(fr)}</i>"


def programme_pdf(delegation, days) -> bytes:
    event = delegation.organisation.event
    buf = BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=plain(f"{delegation.official_name} – {event.name}"),
    )
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=10)
    story = [
        Paragraph(f"{markup(event.name)} – {bi('programme')}", styles["Title"]),
        para(delegation.official_name, styles["Heading2"]),
        Paragraph(f"{bi('level')}: {bi_value(delegation.get_protocol_level_display)}", styles["BodyText"]),
        Spacer(1, 4 * mm),
    ]
    any_visit = False
    for pd in days:
        if not pd.items:
            continue
        any_visit = True
        story.append(Paragraph(bi_day(pd.date), styles["Heading3"]))
        if pd.window:
            story.append(
                Paragraph(
                    f"{bi('from')}: "
                    + fill("%(point)s (%(at)s)", point=pd.start_name, at=f"{pd.window.start:%H:%M}")
                    + f" · {bi('to')}: "
                    + fill("%(point)s (%(at)s)", point=pd.end_name, at=f"{pd.window.end:%H:%M}"),
                    small,
                )
            )
        rows = [[Paragraph(bi(k), small) for k in ("time", "where", "exhibitor", "host", "walk")]]
        lunch_rows = []
        for item in pd.items:
            a, b = item.start.astimezone(event.tz), item.end.astimezone(event.tz)
            if item.is_lunch:
                lunch_rows.append(len(rows))
                rows.append(
                    [
                        f"{a:%H:%M}–{b:%H:%M}",
                        para(item.place_name, small),
                        Paragraph(bi("lunch"), small),
                        "",
                        "",
                    ]
                )
                continue
            walk = walk_text(item.walk_minutes)
            if item.is_appointment:
                meeting = item.appointment
                rows.append(
                    [
                        f"{a:%H:%M}–{b:%H:%M}",
                        para(item.place_name, small),
                        Paragraph(f"{markup(meeting.counterpart)}<br/>{bi('meeting')}", small),
                        para(meeting.contact, small),
                        walk,
                    ]
                )
                continue
            v = item.visit
            host = getattr(item, "host", None)
            rows.append(
                [
                    f"{a:%H:%M}–{b:%H:%M}",
                    para(item.place_name, small),
                    para(v.stand.exhibitor.name if v.stand.exhibitor else "", small),
                    para(host.name if host else "", small),
                    walk,
                ]
            )
        table = Table(rows, colWidths=[26 * mm, 38 * mm, 44 * mm, 48 * mm, 24 * mm], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    *[("BACKGROUND", (0, r), (-1, r), colors.HexColor("#fef3c7")) for r in lunch_rows],
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e5e7eb")),
                    ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#9ca3af")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("FONTSIZE", (0, 0), (-1, -1), 8),
                ]
            )
        )
        story += [table, Spacer(1, 5 * mm)]
    if not any_visit:
        story.append(Paragraph(bi("none"), styles["BodyText"]))
    doc.build(story)
    return buf.getvalue()
