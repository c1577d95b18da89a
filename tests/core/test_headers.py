"""Security headers on every response, pages without inline code (so the Content-Security-Policy
can forbid it), and SVG attributes escaped whatever an organiser typed."""

from __future__ import annotations

from datetime import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from exhibition.core.errors import DomainError
from exhibition.delegations import services as delegation_services
from exhibition.events.models import Sector
from exhibition.floorplans.models import Pavilion, Stand
from exhibition.floorplans.services import create_pavilion
from tests import factories
from tests.factories import meetings as mf
from tests.factories.delegations import DAY, make_show
from tests.factories.floorplans import make_pavilion

pytestmark = pytest.mark.django_db


class InlineCode(HTMLParser):
    """Collects what a strict Content-Security-Policy would block: inline scripts and styles."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and "src" not in names:
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style>")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f'<{tag} {name}="{value}">')
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f'<{tag} {name}="{value}">')


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


@pytest.fixture
def world(event, organiser):
    show = make_show(event)
    delegation_services.add_visit(
        delegation=show.delegation, actor=organiser, stand=show.stands[0], day=DAY, start=time(11, 0)
    )
    Sector.objects.create(event=event, code="cyber", name_en="Cyber", name_fr="Cyber", colour="#2563eb")
    show.companies[0].sectors.add(*Sector.objects.filter(event=event))
    make_pavilion(event, "French Pavilion", "FR")
    exhibitor, visitor = mf.exhibitor(event, instant=True), mf.visitor(event)
    exhibitor.sectors.add(*Sector.objects.filter(event=event))
    return {"show": show, "visitor": visitor, "exhibitor": exhibitor}


def organiser_pages(event, show):
    e = {"event_slug": event.slug}
    return [
        reverse("events:home", kwargs=e),
        reverse("floorplans:overview", kwargs=e),
        reverse("floorplans:hall", kwargs={**e, "hall_code": "5A"}),
        reverse("floorplans:stand", kwargs={**e, "hall_code": "5A", "number": "5A-101"}),
        reverse("floorplans:print", kwargs=e),
        reverse("floorplans:hall_list", kwargs={**e, "hall_code": "5A"}),
        reverse("floorplans:route", kwargs=e) + "?from=5A-101&to=5A-102",
        reverse("delegations:list", kwargs=e),
        reverse("delegations:timeline", kwargs={**e, "pk": show.delegation.pk}),
        reverse("meetings:manage", kwargs=e),
        reverse("exhibitors:review_queue", kwargs=e),
        reverse("exhibitors:screening", kwargs=e),
        reverse("exhibitors:directory", kwargs=e),
    ]


def test_every_response_carries_the_security_headers(client, event):
    response = client.get(reverse("events:home", kwargs={"event_slug": event.slug}))

    csp = response["Content-Security-Policy"]
    for directive in (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert (
        "camera=(self)" in response["Permissions-Policy"]
        and "geolocation=()" in response["Permissions-Policy"]
    )
    api = client.get("/api/v1/events/")
    assert api["Permissions-Policy"] == response["Permissions-Policy"] and "Content-Security-Policy" in api


def test_only_the_api_docs_page_allows_inline_styles(client):
    docs = client.get("/api/docs/")
    script = client.get("/api/docs/?script=")

    assert docs.status_code == 200 and "style-src 'self' 'unsafe-inline'" in docs["Content-Security-Policy"]
    assert "script-src 'self';" in docs["Content-Security-Policy"] + ";"
    assert inline_code(docs.content.decode()) == []  # the init script is a file of its own (?script=)
    assert script["Content-Type"].startswith("application/javascript")
    assert "unsafe-inline" not in client.get("/api/schema/")["Content-Security-Policy"]


def test_pages_have_no_inline_scripts_styles_or_handlers(client, event, organiser, world):
    for url in (
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password-reset/",
        reverse("events:home", kwargs={"event_slug": event.slug}),
    ):
        assert inline_code(client.get(url).content.decode()) == [], url
    client.force_login(organiser)
    for url in organiser_pages(event, world["show"]):
        response = client.get(url)
        assert response.status_code == 200, url
        assert inline_code(response.content.decode()) == [], url

    client.force_login(world["visitor"].user)
    for name in ("directory", "agenda_print"):
        response = client.get(reverse(f"meetings:{name}", kwargs={"event_slug": event.slug}))
        assert inline_code(response.content.decode()) == [], name
    response = client.get(
        reverse("meetings:participant", kwargs={"event_slug": event.slug, "pk": world["exhibitor"].pk})
    )
    assert inline_code(response.content.decode()) == []


def test_no_template_holds_inline_code():
    offenders = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        found = inline_code(path.read_text())
        offenders += [f"{path.relative_to(settings.BASE_DIR)}: {f}" for f in found]
    assert offenders == []


HOSTILE_COLOUR = '"/><script>alert(1)</script><x y="'


def test_svg_attributes_are_escaped_and_colours_checked(client, event, organiser):
    hall = factories.make_hall(event, "5A")
    pavilion = make_pavilion(event, "Pavilion <b>&</b>")
    Pavilion.objects.filter(pk=pavilion.pk).update(colour=HOSTILE_COLOUR[:7])
    sector = Sector.objects.create(
        event=event, code="x", name_en="Sector", name_fr="Secteur", colour="#123456"
    )
    Sector.objects.filter(pk=sector.pk).update(colour='"><svg/onload=alert(1)>'[:7])
    company = factories.make_company(event, 'Evil "><script>alert(2)</script>')
    company.sectors.add(sector)
    Stand.objects.create(
        event=event,
        hall=hall,
        number='5A-"1',
        x=1,
        y=1,
        width=3,
        depth=3,
        area=9,
        pavilion=pavilion,
        exhibitor=company,
        status=Stand.Status.SOLD,
    )
    client.force_login(organiser)

    for colour in ("pavilion", "sector", "status"):
        html = client.get(
            reverse("floorplans:hall", kwargs={"event_slug": event.slug, "hall_code": "5A"}),
            {"colour": colour},
        ).content.decode()
        svg = client.get(
            reverse("floorplans:hall_svg", kwargs={"event_slug": event.slug, "hall_code": "5A"}),
            {"colour": colour},
        ).content.decode()
        for body in (html, svg):
            assert "<script>alert" not in body and "onload=" not in body
            assert 'fill="&quot;' not in body and 'fill=""' not in body
        assert 'data-number="5A-&quot;1"' in svg
        assert "Evil &quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in svg
    assert inline_code(html) == []


def test_colours_are_validated_where_people_type_them(event, organiser):
    with pytest.raises(DomainError) as exc:
        create_pavilion(event=event, actor=organiser, name="P", colour='"><x>')
    assert exc.value.field == "colour"
    with pytest.raises(ValidationError):
        Sector(event=event, code="y", name_en="Y", name_fr="Y", colour="red; x").full_clean()
