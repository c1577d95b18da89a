"""Markup in every field that reaches a PDF: the delegation programme, the meeting agenda and the
invoice show it as text, never as a link, an image or a server error (exhibition.core.pdf)."""

from __future__ import annotations

import io
from datetime import time

import pytest
from django.urls import reverse
from pypdf import PdfReader
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import SimpleDocTemplate

from exhibition.accounts.models import Organisation, User
from exhibition.booking import services as booking_services
from exhibition.booking.models import BookingSettings, Invoice
from exhibition.core.pdf import fill, markup, para, plain
from exhibition.delegations import services as delegation_services
from exhibition.delegations.models import Delegation
from exhibition.events.models import Event
from exhibition.meetings import services as meeting_services
from tests.factories import meetings as mf
from tests.factories.booking import make_exhibitor, make_stand
from tests.factories.delegations import DAY, make_show

pytestmark = pytest.mark.django_db

LINK = '<a href="https://evil.example/phish">Official link</a>'
IMAGE = '<img src="/etc/passwd"/>'
BROKEN = "<b>Bold & <i>broken"
PARA = "<para>Nested</para> <font size=40>big</font>"
PAYLOADS = (LINK, IMAGE, BROKEN, PARA)


def pdf_facts(content: bytes) -> tuple[str, int, int]:
    """(text without any whitespace, link annotations, images) of a PDF, as a reader sees it."""
    reader = PdfReader(io.BytesIO(content))
    text, links, images = "", 0, 0
    for page in reader.pages:
        text += page.extract_text() or ""
        for annot in page.get("/Annots") or []:
            obj = annot.get_object()
            if obj.get("/Subtype") == "/Link" or "/A" in obj:
                links += 1
        images += len(page.images)
    return "".join(text.split()), links, images


def squash(s: str) -> str:
    return "".join(s.split())


def login(client, user):
    client.force_login(user)
    return client


# --- the helper ------------------------------------------------------------------------------------


def test_markup_escapes_reportlab_tags_and_drops_control_characters():
    assert markup('<a href="x">y</a> & z') == '&lt;a href="x"&gt;y&lt;/a&gt; &amp; z'
    assert markup("line one\nline\x00 two\r\nthree") == "line one<br/>line two<br/>three"
    assert markup(None) == ""
    assert (
        fill("<b>%(name)s</b> (%(n)s)", name=BROKEN, n=3) == "<b>&lt;b&gt;Bold &amp; &lt;i&gt;broken</b> (3)"
    )
    assert plain("a\x00b\nc\td") == "ab c d"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_para_of_any_payload_builds_a_pdf_that_shows_it(payload):
    buf = io.BytesIO()
    SimpleDocTemplate(buf).build([para(payload, getSampleStyleSheet()["Normal"])])

    text, links, images = pdf_facts(buf.getvalue())
    assert squash(payload) in text
    assert (links, images) == (0, 0)


# --- the delegation programme -------------------------------------------------------------------------


def test_programme_pdf_shows_markup_in_every_field_as_text(client, event, organiser):
    show = make_show(event)
    Event.objects.filter(pk=event.pk).update(name=f"Show {PARA}")
    Delegation.objects.filter(pk=show.delegation.pk).update(official_name=f"Delegation {LINK}")
    Organisation.objects.filter(pk=show.companies[0].pk).update(name=f"Company {IMAGE}")
    User.objects.filter(pk=show.exhibitor.pk).update(full_name=f"Host {BROKEN}")
    show.delegation.days.update(start_point=f"Gate {BROKEN}")
    delegation_services.add_visit(
        delegation=show.delegation, actor=organiser, stand=show.stands[0], day=DAY, start=time(11, 0)
    )
    delegation_services.publish_programme(delegation=show.delegation, actor=organiser)

    response = login(client, show.head).get(
        reverse("delegations:programme_pdf", kwargs={"event_slug": event.slug, "pk": show.delegation.pk})
    )

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text, links, images = pdf_facts(response.content)
    for shown in (
        f"Show {PARA}",
        f"Delegation {LINK}",
        f"Company {IMAGE}",
        f"Host {BROKEN}",  # by name: a host's e-mail is printed only when the company made it public
        f"Gate {BROKEN}",
    ):
        assert squash(shown) in text
    assert (links, images) == (0, 0)


# --- the meeting agenda ----------------------------------------------------------------------------------


def test_agenda_pdf_shows_markup_in_every_field_as_text(client, event):
    Event.objects.filter(pk=event.pk).update(name=f"Show {BROKEN}", venue=f"Venue {IMAGE}")
    event.refresh_from_db()
    exhibitor = mf.exhibitor(event, f"Exhibitor {LINK}", instant=True)
    visitor = mf.visitor(event)
    visitor.name = f"Visitor {PARA}"
    visitor.save(update_fields=["name"])
    table = mf.table(event, name=f"Table {BROKEN}")
    meeting = meeting_services.book_instantly(
        actor=visitor.user, sender=visitor, recipient=exhibitor, start=mf.at(event, 1, "10:00")
    )
    type(meeting).objects.filter(pk=meeting.pk).update(place=table)

    response = login(client, visitor.user).get(
        reverse("meetings:agenda", kwargs={"event_slug": event.slug}) + "?format=pdf"
    )

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text, links, images = pdf_facts(response.content)
    for shown in (
        f"Show {BROKEN}",
        f"Venue {IMAGE}",
        f"Visitor {PARA}",
        f"Exhibitor {LINK}",
        f"Table {BROKEN}",
    ):
        assert squash(shown) in text
    assert (links, images) == (0, 0)


# --- the invoice ---------------------------------------------------------------------------------------------


def test_invoice_pdf_shows_markup_in_every_field_as_text(client, event):
    hall_stand = make_stand(event, "5A-001")
    BookingSettings.objects.update_or_create(
        event=event,
        defaults={
            "organiser_name": f"Organiser {LINK}",
            "organiser_address": f"1 rue {IMAGE}\nParis {BROKEN}",
            "organiser_vat_number": "FR<b>12 & <i>",
            "organiser_email": "billing@example.test",
            "bank_details": f"IBAN {BROKEN}\nBIC <script>alert(1)</script>",
        },
    )
    company, admin = make_exhibitor(event, f"Buyer {PARA}")
    booking = booking_services.hold_stand(event=event, stand=hall_stand, organisation=company, actor=admin)
    booking_services.confirm_booking(booking=booking, actor=admin)
    invoice = Invoice.objects.get(booking=booking)

    response = login(client, admin).get(f"/{event.slug}/booking/invoices/{invoice.pk}/pdf/")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text, links, images = pdf_facts(response.content)
    for shown in (
        f"Organiser {LINK}",
        f"1 rue {IMAGE}",
        f"Paris {BROKEN}",
        "FR<b>12 & <i>",
        f"Buyer {PARA}",
        f"IBAN {BROKEN}",
        "BIC <script>alert(1)</script>",
    ):
        assert squash(shown) in text
    assert (links, images) == (0, 0)
