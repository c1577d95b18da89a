import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from PIL import Image

from exhibition.accounts.models import Invitation
from exhibition.exhibitors import services
from exhibition.exhibitors.models import (
    Application,
    ExhibitorProfile,
    ExhibitorSettings,
    ScreeningHit,
    ScreeningRun,
)
from exhibition.exhibitors.selectors import badge_quota_for
from tests import factories
from tests.factories.exhibitors import make_application, make_exhibitor, make_party, make_stand, pdf_file

S = Application.State


def api(event, path=""):
    return f"/api/v1/events/{event.slug}/{path}"


def test_create_draft_then_patch_then_submit(client, event, mailoutbox, django_capture_on_commit_callbacks):
    factories.make_sector(event, "cyber")
    user = factories.make_user(email="zoe@nova.test")
    client.force_login(user)
    response = client.post(
        api(event, "applications/"),
        {
            "legal_name": "Nova Secure SAS",
            "country": "FR",
            "address": "2 rue",
            "registration_number": "RCS 9",
            "sectors": ["cyber"],
            "products": "Encryption",
            "stand_area": 18,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["state"], body["sectors"], body["stand_area"], body["country"]) == (
        "draft",
        ["cyber"],
        18,
        "FR",
    )
    pk = body["id"]
    response = client.patch(
        api(event, f"applications/{pk}/"), {"stand_area": 2}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"stand_area": ["Ensure this value is greater than or equal to 6."]}
    response = client.post(
        api(event, f"applications/{pk}/transition/"), {"action": "submit"}, content_type="application/json"
    )
    assert response.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            api(event, f"applications/{pk}/transition/"),
            {"action": "submit", "accept_terms": True},
            content_type="application/json",
        )
    assert response.json()["state"] == "submitted"
    assert mailoutbox[-1].to == ["zoe@nova.test"]


def test_approve_with_open_hit_is_400_then_resolve_and_approve(client, event, organiser, company):
    app = make_application(event, company, state=S.SUBMITTED)
    make_party(event, "Aegis Systems GmbH")

    services.screen_application(application=app)
    hit = ScreeningHit.objects.get()
    client.force_login(organiser)
    r = client.post(
        api(event, f"applications/{app.pk}/transition/"),
        {"action": "approve"},
        content_type="application/json",
    )
    assert (r.status_code, r.json()["code"]) == (400, "screening_open")
    r = client.post(
        api(event, f"screening/hits/{hit.pk}/resolve/"),
        {"decision": "clear", "reason": "Other firm"},
        content_type="application/json",
    )
    assert r.json() == {"id": hit.pk, "status": "cleared", "reason": "Other firm"}
    r = client.post(
        api(event, f"applications/{app.pk}/transition/"),
        {"action": "approve"},
        content_type="application/json",
    )
    assert r.json()["state"] == "approved"
    r = client.post(
        api(event, f"applications/{app.pk}/transition/"),
        {"action": "approve"},
        content_type="application/json",
    )
    assert r.status_code == 409


def test_company_cannot_resolve_hits_or_approve(client, event, company, company_admin):
    app = make_application(event, company, state=S.SUBMITTED)
    client.force_login(company_admin)
    r = client.post(
        api(event, f"applications/{app.pk}/transition/"),
        {"action": "approve"},
        content_type="application/json",
    )
    assert r.status_code == 403
    assert Application.objects.get().state == S.SUBMITTED


def test_reviewers_keep_notes_the_company_never_sees(client, event, organiser, company, company_admin):
    app = make_application(event, company, state=S.SUBMITTED)
    notes = api(event, f"applications/{app.pk}/notes/")

    # The company may read its application but neither sees nor writes the notes.
    client.force_login(company_admin)
    assert client.put(notes, {"internal_notes": "x"}, content_type="application/json").status_code == 403
    assert "internal_notes" not in client.get(api(event, f"applications/{app.pk}/")).json()

    client.force_login(organiser)
    r = client.put(
        notes,
        {"internal_notes": "  Called their export officer: licence on file.  "},
        content_type="application/json",
    )
    assert r.status_code == 200
    assert r.json()["internal_notes"] == "Called their export officer: licence on file."
    assert r.json()["state"] == "submitted"  # notes do not change the application's state
    detail = client.get(api(event, f"applications/{app.pk}/")).json()
    assert detail["internal_notes"] == "Called their export officer: licence on file."
    assert client.put(notes, {}, content_type="application/json").json() == {
        "internal_notes": ["This field is required."]
    }
    assert (
        client.put(
            api(event, "applications/999999/notes/"), {"internal_notes": ""}, content_type="application/json"
        ).status_code
        == 404
    )


@pytest.mark.parametrize("n", [1, 3])
def test_application_list_query_count_for_organisers(client, event, organiser, django_assert_num_queries, n):
    sector = factories.make_sector(event)
    for _i in range(n):
        make_application(event, state=S.SUBMITTED, sectors=[sector])
    client.force_login(organiser)
    with django_assert_num_queries(12):
        r = client.get(api(event, "applications/"))
    assert r.json()["count"] == n


def test_application_list_shows_only_own_to_companies(client, event, company, company_admin):
    make_application(event, company)
    make_application(event)
    client.force_login(company_admin)
    assert [a["organisation"] for a in client.get(api(event, "applications/")).json()["results"]] == [
        company.pk
    ]


@pytest.mark.parametrize("n", [1, 3])
def test_directory_api_query_count(client, event, django_assert_num_queries, n):
    hall = factories.make_hall(event)
    for i in range(n):
        make_stand(event, hall, f"A{i}", exhibitor=make_exhibitor(event, f"Ex {i}"), x=i * 4)
    with django_assert_num_queries(5):
        r = client.get(api(event, "directory/"))
    assert r.json()["count"] == n
    assert r.json()["results"][0]["stands"] == [{"number": "A0", "hall": hall.code}]


def test_directory_api_search(client, event):
    make_exhibitor(event, "Sky Shield", search="counter-drone jammer")
    make_exhibitor(event, "Cipher Labs", search="encryption")
    assert [e["name"] for e in client.get(api(event, "directory/"), {"q": "jammer"}).json()["results"]] == [
        "Sky Shield"
    ]


def test_document_upload_api(client, event, company, company_admin):
    app = make_application(event, company)
    client.force_login(company_admin)
    r = client.post(api(event, f"applications/{app.pk}/documents/"), {"kind": "brochure", "file": pdf_file()})
    assert r.status_code == 201
    assert r.json()["original_name"] == "certificate.pdf"
    assert client.get(api(event, f"applications/{app.pk}/documents/")).json()[0]["kind"] == "brochure"


def test_badges_api_quota_and_request(client, event, company, company_admin):
    make_stand(event, factories.make_hall(event), "A1", exhibitor=company, width=3, depth=4)  # 12 m2 -> 3
    client.force_login(company_admin)
    r = client.post(
        api(event, f"companies/{company.pk}/badges/"),
        {"name": "Ann One", "role": "Sales"},
        content_type="application/json",
    )
    assert r.status_code == 201
    assert client.get(api(event, f"companies/{company.pk}/badges/")).json()["quota"] == {
        "area": 12.0,
        "total": 3,
        "used": 1,
        "left": 2,
    }

    # Cancelled: its place in the quota is free again; another company's badge is not found.
    one = api(event, f"companies/{company.pk}/badges/{r.json()['id']}/")
    other = factories.make_company(event)
    elsewhere = api(event, f"companies/{other.pk}/badges/{r.json()['id']}/")
    assert client.delete(elsewhere).status_code in (403, 404)
    assert client.delete(one).status_code == 204
    assert client.get(api(event, f"companies/{company.pk}/badges/")).json()["quota"]["left"] == 3
    assert client.delete(one).status_code == 404


def test_screening_list_upload_api_reports_row_errors(client, event, organiser):
    client.force_login(organiser)
    r = client.post(
        api(event, "screening/"),
        {"csv": "name,aliases,country,source\nX,,QQ,\n"},
        content_type="application/json",
    )
    assert r.status_code == 400
    assert r.json()["errors"] == [{"row": 2, "detail": "Unknown country code QQ."}]


def test_profile_api_patch(client, event, company, company_admin):
    client.force_login(company_admin)
    r = client.patch(
        api(event, f"companies/{company.pk}/profile/"),
        {"description_fr": "Bonjour"},
        content_type="application/json",
    )
    assert r.status_code == 200
    assert r.json()["description_fr"] == "Bonjour"


# --- the profile's products, contacts and logo ----------------------------------------------------


def test_products_api_adds_lists_and_removes_like_the_profile_page(client, event, company, company_admin):
    make_application(event, company, state=S.APPROVED)
    factories.make_sector(event, "cyber")
    client.force_login(company_admin)
    products = api(event, f"companies/{company.pk}/products/")

    r = client.post(
        products,
        {"name": "  Sky Guard ", "description": "Counter-drone radar", "sectors": ["cyber"]},
        content_type="application/json",
    )

    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json() == {
        "id": pk,
        "name": "Sky Guard",
        "description": "Counter-drone radar",
        "sectors": ["cyber"],
    }
    assert client.get(products).json() == [r.json()]
    assert client.get(api(event, f"companies/{company.pk}/profile/")).json()["products"] == [r.json()]
    # The directory finds the company by its product, as after the page's "Add product".
    found = client.get(api(event, "directory/"), {"q": "sky guard"}).json()["results"]
    assert [e["id"] for e in found] == [company.pk]

    assert client.delete(api(event, f"companies/{company.pk}/products/{pk}/")).status_code == 204
    assert client.get(products).json() == []
    assert client.get(api(event, "directory/"), {"q": "sky guard"}).json()["results"] == []
    assert client.delete(api(event, f"companies/{company.pk}/products/{pk}/")).status_code == 404


def test_products_api_field_errors(client, event, other_event, company, company_admin):
    factories.make_sector(other_event, "naval")
    client.force_login(company_admin)
    products = api(event, f"companies/{company.pk}/products/")
    services.add_product(organisation=company, actor=company_admin, name="Sky Guard")

    twice = client.post(products, {"name": "sky guard"}, content_type="application/json")
    elsewhere = client.post(products, {"name": "Hull", "sectors": ["naval"]}, content_type="application/json")
    blank = client.post(products, {"name": "  "}, content_type="application/json")

    assert (twice.status_code, twice.json()) == (
        400,
        {"name": ["Your profile already lists a product of this name."]},
    )
    assert (elsewhere.status_code, elsewhere.json()) == (
        400,
        {"sectors": ["Object with code=naval does not exist."]},
    )
    long = client.post(
        products, {"name": "Essay", "description": "x" * 2001}, content_type="application/json"
    )
    assert (blank.status_code, blank.json()) == (400, {"name": ["This field may not be blank."]})
    assert (long.status_code, list(long.json())) == (400, ["description"])
    assert [p["name"] for p in client.get(products).json()] == ["Sky Guard"]


def test_products_api_refuses_staff_and_other_companies(client, event, company, company_admin):
    product = services.add_product(organisation=company, actor=company_admin, name="Sky Guard")
    staff = factories.make_member(company, "staff")
    other = factories.make_company(event, "Bastion Optics")
    other_admin = factories.make_member(other, "admin")
    products = api(event, f"companies/{company.pk}/products/")
    one = api(event, f"companies/{company.pk}/products/{product.pk}/")

    client.force_login(staff)  # sees the profile, may not change it
    assert [p["name"] for p in client.get(products).json()] == ["Sky Guard"]
    assert client.post(products, {"name": "X"}, content_type="application/json").status_code == 403
    assert client.delete(one).status_code == 403

    client.force_login(other_admin)  # another company's: not even found
    assert client.get(products).status_code == 404
    assert client.post(products, {"name": "X"}, content_type="application/json").status_code == 404
    assert client.delete(one).status_code == 404
    # Its own URL does not reach someone else's product either.
    assert client.delete(api(event, f"companies/{other.pk}/products/{product.pk}/")).status_code == 404

    assert [p.name for p in company.exhibitor_profile.products.all()] == ["Sky Guard"]


@pytest.mark.parametrize("n", [1, 3])
def test_products_api_query_count(client, event, company, company_admin, django_assert_num_queries, n):
    sector = factories.make_sector(event, "cyber")
    for i in range(n):
        services.add_product(organisation=company, actor=company_admin, name=f"Radar {i}", sectors=[sector])
    client.force_login(company_admin)
    with django_assert_num_queries(9):  # event, session, user, company, roles (3), products, sectors
        r = client.get(api(event, f"companies/{company.pk}/products/"))
    assert [p["sectors"] for p in r.json()] == [["cyber"]] * n


def test_contacts_api_adds_lists_and_removes(client, event, company, company_admin, other_event):
    client.force_login(company_admin)
    contacts = api(event, f"companies/{company.pk}/contacts/")

    r = client.post(
        contacts,
        {"name": "Ann One", "role": "Press", "email": "Ann@Aegis.test", "phone": "+33 1", "is_public": True},
        content_type="application/json",
    )

    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json() == {
        "id": pk,
        "name": "Ann One",
        "role": "Press",
        "email": "ann@aegis.test",
        "phone": "+33 1",
        "is_public": True,
    }
    assert client.get(contacts).json() == [r.json()]
    bad = client.post(contacts, {"name": "Bob", "email": "not-an-address"}, content_type="application/json")
    assert (bad.status_code, bad.json()) == (400, {"email": ["Enter a valid email address."]})
    elsewhere = factories.make_company(other_event)
    assert client.get(api(other_event, f"companies/{elsewhere.pk}/contacts/")).status_code == 404
    assert client.get(api(other_event, f"companies/{company.pk}/contacts/")).status_code == 404

    assert client.delete(api(event, f"companies/{company.pk}/contacts/{pk}/")).status_code == 204
    assert client.get(contacts).json() == []


def test_contacts_api_refuses_staff_and_other_companies(client, event, company, company_admin):
    contact = services.add_contact(organisation=company, actor=company_admin, name="Ann One")
    staff = factories.make_member(company, "staff")
    other_admin = factories.make_member(factories.make_company(event), "admin")
    contacts = api(event, f"companies/{company.pk}/contacts/")
    one = api(event, f"companies/{company.pk}/contacts/{contact.pk}/")

    client.force_login(staff)
    assert client.post(contacts, {"name": "X"}, content_type="application/json").status_code == 403
    assert client.delete(one).status_code == 403
    client.force_login(other_admin)
    assert client.get(contacts).status_code == 404
    assert client.delete(one).status_code == 404

    assert [c.name for c in company.exhibitor_profile.contacts.all()] == ["Ann One"]


@pytest.mark.parametrize("n", [1, 3])
def test_contacts_api_query_count(client, event, company, company_admin, django_assert_num_queries, n):
    for i in range(n):
        services.add_contact(organisation=company, actor=company_admin, name=f"Person {i}")
    client.force_login(company_admin)
    with django_assert_num_queries(8):  # event, session, user, company, roles (3), contacts
        r = client.get(api(event, f"companies/{company.pk}/contacts/"))
    assert len(r.json()) == n


def _image(fmt="GIF", size=(12, 8)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, "red").save(buf, fmt)
    return buf.getvalue()


def test_logo_api_stores_the_image_re_encoded_as_png(client, event, company, company_admin):
    client.force_login(company_admin)
    logo = api(event, f"companies/{company.pk}/profile/logo/")
    sent = _image("GIF")

    r = client.put(
        logo,
        encode_multipart(BOUNDARY, {"logo": SimpleUploadedFile("logo.html", sent, "text/html")}),
        content_type=MULTIPART_CONTENT,
    )

    assert r.status_code == 200, r.content
    profile = ExhibitorProfile.objects.get(organisation=company)
    # Never the uploader's bytes, name or type: a PNG drawn from the pixels, under a server name.
    assert profile.logo.name.endswith(".png") and "logo.html" not in profile.logo.name
    with profile.logo.open("rb") as stored:
        data = stored.read()
    assert data != sent
    with Image.open(io.BytesIO(data)) as img:
        assert (img.format, img.size) == ("PNG", (12, 8))
    assert r.json()["logo"] == profile.logo.url

    assert client.delete(logo).status_code == 204
    profile.refresh_from_db()
    assert not profile.logo
    assert client.get(api(event, f"companies/{company.pk}/profile/")).json()["logo"] is None


def test_logo_api_refuses_what_is_not_an_image(client, event, company, company_admin):
    client.force_login(company_admin)
    logo = api(event, f"companies/{company.pk}/profile/logo/")

    fake = client.put(
        logo,
        encode_multipart(
            BOUNDARY, {"logo": SimpleUploadedFile("logo.png", b"<script>x</script>", "image/png")}
        ),
        content_type=MULTIPART_CONTENT,
    )
    missing = client.put(logo, encode_multipart(BOUNDARY, {}), content_type=MULTIPART_CONTENT)
    too_big = client.put(
        logo,
        encode_multipart(BOUNDARY, {"logo": SimpleUploadedFile("l.png", b"\0" * (3 * 1024 * 1024))}),
        content_type=MULTIPART_CONTENT,
    )

    assert (fake.status_code, fake.json()) == (400, {"logo": ["Upload a PNG, JPEG, GIF or WebP image."]})
    assert (missing.status_code, missing.json()) == (400, {"logo": ["No file was submitted."]})
    assert (too_big.status_code, too_big.json()["code"]) == (413, "too_large")
    assert not ExhibitorProfile.objects.filter(organisation=company).exclude(logo="").exists()


def test_logo_api_refuses_staff_and_other_companies(client, event, company, company_admin):
    services.update_profile(
        organisation=company, actor=company_admin, logo=SimpleUploadedFile("a.gif", _image())
    )
    before = ExhibitorProfile.objects.get(organisation=company).logo.name
    logo = api(event, f"companies/{company.pk}/profile/logo/")
    body = encode_multipart(BOUNDARY, {"logo": SimpleUploadedFile("b.gif", _image())})

    client.force_login(factories.make_member(company, "staff"))
    assert client.put(logo, body, content_type=MULTIPART_CONTENT).status_code == 403
    assert client.delete(logo).status_code == 403
    client.force_login(factories.make_member(factories.make_company(event), "admin"))
    assert client.put(logo, body, content_type=MULTIPART_CONTENT).status_code == 404
    assert client.delete(logo).status_code == 404

    assert ExhibitorProfile.objects.get(organisation=company).logo.name == before


# --- documents ----------------------------------------------------------------------------------------


def test_document_delete_api_removes_a_draft_document(
    client, event, company, company_admin, django_capture_on_commit_callbacks
):
    app = make_application(event, company)
    doc = services.add_document(
        application=app, actor=company_admin, uploaded_file=pdf_file(), kind="brochure"
    )
    storage, name = doc.file.storage, doc.file.name
    client.force_login(company_admin)

    with django_capture_on_commit_callbacks(execute=True):
        r = client.delete(api(event, f"applications/{app.pk}/documents/{doc.pk}/"))

    assert r.status_code == 204
    assert client.get(api(event, f"applications/{app.pk}/documents/")).json() == []
    assert not storage.exists(name)
    assert client.delete(api(event, f"applications/{app.pk}/documents/{doc.pk}/")).status_code == 404


def test_document_delete_api_keeps_a_submitted_applications_documents(client, event, company, company_admin):
    app = make_application(event, company)
    doc = services.add_document(application=app, actor=company_admin, uploaded_file=pdf_file())
    Application.objects.filter(pk=app.pk).update(state=S.SUBMITTED)
    client.force_login(company_admin)

    r = client.delete(api(event, f"applications/{app.pk}/documents/{doc.pk}/"))

    assert (r.status_code, r.json()["detail"]) == (409, "Documents of a submitted application are kept.")
    assert app.documents.count() == 1


def test_document_delete_api_refusals(client, event, company, company_admin, organiser):
    app = make_application(event, company)
    doc = services.add_document(application=app, actor=company_admin, uploaded_file=pdf_file())
    other_app = make_application(event)
    other_admin = factories.make_member(other_app.organisation, "admin")
    one = api(event, f"applications/{app.pk}/documents/{doc.pk}/")

    client.force_login(factories.make_member(company, "staff"))  # sees it, may not delete it
    assert client.delete(one).status_code == 403
    client.force_login(organiser)  # organisers read documents; the company keeps its own
    assert client.delete(one).status_code == 403
    client.force_login(other_admin)
    assert client.delete(one).status_code == 404
    # Through another application's URL the document is not found, even for its own admin.
    client.force_login(company_admin)
    assert client.delete(api(event, f"applications/{other_app.pk}/documents/{doc.pk}/")).status_code == 404

    assert app.documents.count() == 1


# --- the organiser's import, re-screening and settings -------------------------------------------------


def test_exhibitor_import_api_creates_drafts_and_invites_contacts_in_the_background(
    client, event, organiser, django_capture_on_commit_callbacks
):
    factories.make_sector(event, "cyber")
    client.force_login(organiser)
    csv = (
        "name,legal_name,country,website,sectors,description_en,contact_email\n"
        "Nova Secure,Nova Secure SAS,FR,https://nova.test,cyber,Encryption,zoe@nova.test\n"
        "Sky Shield,,DE,,,,\n"
    )

    with django_capture_on_commit_callbacks(execute=False) as queued:
        r = client.post(api(event, "applications/import/"), {"csv": csv}, content_type="application/json")
    # Checked and accepted, not yet written: the worker does that.
    assert r.status_code == 202, r.content
    assert (r.json()["status"], r.json()["total"], r.json()["done"]) == ("queued", 2, 0)
    assert Application.objects.count() == 0
    for callback in queued:
        callback()

    job = client.get(r["Location"]).json()

    apps = Application.objects.order_by("pk")
    assert r["Location"] == api(event, f"applications/imports/{r.json()['id']}/")
    assert {k: job[k] for k in ("status", "total", "done", "imported", "applications", "errors")} == {
        "status": "done",
        "total": 2,
        "done": 2,
        "imported": 2,
        "applications": [a.pk for a in apps],
        "errors": [],
    }
    assert [(a.legal_name, a.state, str(a.country)) for a in apps] == [
        ("Nova Secure SAS", "draft", "FR"),
        ("Sky Shield", "draft", "DE"),
    ]
    assert [s.code for s in apps[0].sectors.all()] == ["cyber"]
    assert apps[0].organisation.exhibitor_profile.description_en == "Encryption"
    assert [i.email for i in Invitation.objects.filter(event=event)] == ["zoe@nova.test"]


def test_exhibitor_import_api_takes_a_file(client, event, organiser, django_capture_on_commit_callbacks):
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            api(event, "applications/import/"),
            {"file": SimpleUploadedFile("last-year.csv", b"name,country\nSky Shield,DE\n", "text/csv")},
        )
    job = client.get(r["Location"]).json()
    assert (r.status_code, job["status"], job["imported"], job["filename"]) == (
        202,
        "done",
        1,
        "last-year.csv",
    )
    assert Application.objects.get().legal_name == "Sky Shield"


def test_exhibitor_import_api_reports_rows_that_went_bad_while_it_waited(
    client, event, organiser, django_capture_on_commit_callbacks
):
    """The file was good when sent; by the time a worker writes it, a colleague has registered one
    of its companies. Nothing is imported, and the import says which row and why."""
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        r = client.post(
            api(event, "applications/import/"),
            {"csv": "name,country\nNova Secure,FR\nSky Shield,DE\n"},
            content_type="application/json",
        )
    factories.make_company(event, name="Sky Shield")
    for callback in queued:
        callback()

    job = client.get(r["Location"]).json()

    assert (job["status"], job["imported"], job["applications"]) == ("failed", 0, [])
    assert job["errors"] == [{"row": 3, "detail": "Sky Shield is already registered."}]
    assert Application.objects.count() == 0


def test_exhibitor_import_api_is_all_or_nothing_with_row_errors(client, event, organiser):
    client.force_login(organiser)
    r = client.post(
        api(event, "applications/import/"),
        {"csv": "name,country\nGood Co,FR\nBad Co,QQ\n"},
        content_type="application/json",
    )
    neither = client.post(api(event, "applications/import/"), {}, content_type="application/json")

    assert r.status_code == 400
    assert r.json() == {
        "detail": "The file was not imported: 1 row has errors.",
        "errors": [{"row": 3, "detail": "Unknown country code QQ."}],
    }
    assert (neither.status_code, neither.json()) == (400, {"non_field_errors": ["Send either csv or file."]})
    assert Application.objects.count() == 0


def test_exhibitor_import_api_is_for_organisers(
    client, event, organiser, company_admin, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        mine = client.post(
            api(event, "applications/import/"),
            {"csv": "name,country\nX,FR\n"},
            content_type="application/json",
        )
    other = factories.make_event(slug="other-show")
    client.force_login(company_admin)
    r = client.post(
        api(event, "applications/import/"), {"csv": "name,country\nY,FR\n"}, content_type="application/json"
    )
    peek = client.get(mine["Location"])
    client.force_login(organiser)

    assert (r.status_code, peek.status_code) == (403, 403)
    assert Application.objects.get().legal_name == "X"
    # an import is found only under its own event
    assert client.get(api(other, f"applications/imports/{mine.json()['id']}/")).status_code in (403, 404)


def test_rescreen_api_screens_every_application_in_the_background(
    client, event, organiser, company, django_capture_on_commit_callbacks
):
    app = make_application(event, company, state=S.SUBMITTED, legal_name="Aegis Systems GmbH")
    make_party(event, "Aegis Systems GmbH")
    client.force_login(organiser)

    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(api(event, "screening/rescreen/"))

    assert r.status_code == 202
    assert r.json() == {"id": r.json()["id"], "status": "queued", "done": 0, "total": 0, "hits": 0}
    app.refresh_from_db()
    assert app.screening == Application.Screening.HITS
    assert client.get(api(event, "screening/")).json()["run"] == {
        "id": r.json()["id"],
        "status": "done",
        "done": 1,
        "total": 1,
        "hits": 1,
    }


def test_rescreen_api_is_for_organisers(client, event, company, company_admin):
    make_application(event, company, state=S.SUBMITTED)
    client.force_login(company_admin)
    assert client.post(api(event, "screening/rescreen/")).status_code == 403
    assert not ScreeningRun.objects.exists()


def test_exhibitor_settings_api_reads_and_changes_the_badge_rule(client, event, organiser, company):
    make_stand(event, factories.make_hall(event), "A1", exhibitor=company, width=4, depth=5)  # 20 m2
    client.force_login(organiser)
    url = api(event, "exhibitor-settings/")
    assert client.get(url).json() == {
        "application_deadline": None,
        "profile_deadline": None,
        "badge_deadline": None,
        "terms": "",
        "terms_version": "1",
        "max_document_mb": 10,
        "badge_base": 2,
        "badge_base_area": 9.0,
        "badge_step_area": 10.0,
        "match_threshold": 0.86,
    }

    r = client.patch(
        url,
        {"badge_base": 3, "badge_base_area": 12, "badge_step_area": 4, "profile_deadline": "2027-01-05"},
        content_type="application/json",
    )

    assert r.status_code == 200, r.content
    assert (r.json()["badge_base"], r.json()["profile_deadline"], r.json()["terms_version"]) == (
        3,
        "2027-01-05",
        "1",
    )
    assert badge_quota_for(company).total == 5  # 3 up to 12 m2, then 2 more for 8 m2 in steps of 4
    assert client.get(url).json()["badge_step_area"] == 4.0


def test_exhibitor_settings_api_field_errors(client, event, organiser):
    client.force_login(organiser)
    url = api(event, "exhibitor-settings/")

    small = client.patch(url, {"max_document_mb": 0}, content_type="application/json")
    loose = client.patch(url, {"match_threshold": 0.2}, content_type="application/json")
    unknown = client.patch(url, {"embargoed_countries": ["KP"]}, content_type="application/json")

    assert (small.status_code, small.json()) == (
        400,
        {"max_document_mb": ["Ensure this value is greater than or equal to 1."]},
    )
    assert (loose.status_code, loose.json()) == (
        400,
        {"match_threshold": ["Ensure this value is greater than or equal to 0.5."]},
    )
    assert (unknown.status_code, unknown.json()) == (400, {"embargoed_countries": ["Unknown setting."]})
    assert not ExhibitorSettings.objects.filter(event=event).exists()


def test_exhibitor_settings_api_is_for_organiser_admins(client, event, other_event, company_admin):
    url = api(event, "exhibitor-settings/")
    for user in (
        factories.make_organiser(event, role="staff"),
        company_admin,
        factories.make_organiser(other_event),
    ):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.patch(url, {"badge_base": 9}, content_type="application/json").status_code == 403
    assert not ExhibitorSettings.objects.filter(event=event).exists()
