import pytest

from exhibition.exhibitors import services
from exhibition.exhibitors.models import Application, ScreeningHit
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
