"""Factories for exhibitor registration: applications in a given state, stands, PDFs."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from exhibition.accounts.models import Membership, Organisation
from exhibition.events.models import Event, Hall, Sector
from exhibition.exhibitors.models import Application, ExhibitorProfile, RestrictedParty
from exhibition.floorplans.models import Stand
from tests import factories

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_file(name: str = "certificate.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_application(
    event: Event,
    organisation: Organisation | None = None,
    *,
    state: str = Application.State.DRAFT,
    sectors: list[Sector] | None = None,
    **kw,
) -> Application:
    org = organisation or factories.make_company(event)
    app = Application.objects.create(
        event=event,
        organisation=org,
        state=state,
        legal_name=kw.pop("legal_name", org.name),
        country=kw.pop("country", org.country),
        address=kw.pop("address", "1 rue de la Paix, Paris"),
        registration_number=kw.pop("registration_number", "RCS 123"),
        contacts=kw.pop(
            "contacts", [{"name": "Alice Martin", "email": "alice@example.test", "phone": "", "role": "CEO"}]
        ),
        products=kw.pop("products", "Encrypted radios"),
        **kw,
    )
    if sectors:
        app.sectors.set(sectors)
    # Admission follows the application, as the services keep it.
    admitted = state == Application.State.APPROVED and app.screening != Application.Screening.CONFIRMED
    Organisation.objects.filter(pk=org.pk).update(admitted_at=timezone.now() if admitted else None)
    org.admitted_at = timezone.now() if admitted else None
    return app


def make_complete_draft(event: Event, organisation: Organisation, **kw) -> Application:
    sector = Sector.objects.filter(event=event).first() or factories.make_sector(event)
    return make_application(event, organisation, sectors=[sector], **kw)


def make_stand(
    event: Event,
    hall: Hall,
    number: str,
    *,
    exhibitor: Organisation | None = None,
    width: float = 3,
    depth: float = 3,
    status: str = Stand.Status.SOLD,
    x: float = 0,
    y: float = 0,
    **kw,
) -> Stand:
    return Stand.objects.create(
        event=event,
        hall=hall,
        number=number,
        x=x,
        y=y,
        width=width,
        depth=depth,
        area=width * depth,
        exhibitor=exhibitor,
        status=status if exhibitor else Stand.Status.AVAILABLE,
        **kw,
    )


def make_exhibitor(
    event: Event,
    name: str,
    *,
    country: str = "FR",
    sectors: list[Sector] | None = None,
    search: str = "",
    description: str = "",
) -> Organisation:
    org = factories.make_company(event, name, country=country)
    if sectors:
        org.sectors.set(sectors)
    make_application(event, org, state=Application.State.APPROVED, sectors=sectors)
    ExhibitorProfile.objects.create(
        event=event, organisation=org, description_en=description, search_text=f"{name} {search}".strip()
    )
    return org


def make_party(
    event: Event, name: str, aliases: list[str] | None = None, country: str = ""
) -> RestrictedParty:
    return RestrictedParty.objects.create(
        event=event, name=name, aliases=aliases or [], country=country, source="Test list"
    )


def admin_of(org: Organisation, **kw):
    return factories.make_member(org, Membership.Role.ADMIN, **kw)
