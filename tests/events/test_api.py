from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from exhibition.accounts.models import ApiToken, Invitation, TradeVisitor
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_token_endpoint_gives_token_that_authenticates(api, event, organiser):
    response = api.post(
        "/api/v1/auth/token/",
        {"email": "org@example.test", "password": factories.PASSWORD, "name": "CRM sync"},
        format="json",
    )
    assert response.status_code == 201
    token = response.json()["token"]
    stored = ApiToken.objects.get(user=organiser)
    assert (stored.name, response.json()["id"]) == ("CRM sync", stored.token_key)
    assert token not in (stored.digest, stored.token_key)  # only a hash is kept
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me/").json()["email"] == "org@example.test"


def test_token_endpoint_bad_credentials_is_400_with_message(api, organiser):
    response = api.post(
        "/api/v1/auth/token/", {"email": "org@example.test", "password": "wrong"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Unable to sign in with that e-mail address and password."]
    }
    response = api.post("/api/v1/auth/token/", {"email": "not-an-email"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"email", "password"}


def test_summary_for_organisers_only(api, event, organiser, company, company_admin):
    factories.make_delegation(event)
    factories.make_visitor(event, status=TradeVisitor.Status.PENDING)
    api.force_authenticate(organiser)
    data = api.get(f"/api/v1/events/{event.slug}/summary/").json()
    # Each domain adds its own figures; these are the accounts' ones.
    assert data["event"] == event.slug
    assert data["exhibitors"]["total"] == 1
    assert data["delegations"]["total"] == 1
    assert data["visitors"] == {"total": 1, "by_status": {"pending": 1, "approved": 0, "rejected": 0}}
    api.force_authenticate(company_admin)
    assert api.get(f"/api/v1/events/{event.slug}/summary/").status_code == 403


def test_organiser_of_other_event_gets_403_and_no_data(api, event, other_event):
    stranger = factories.make_organiser(other_event)
    api.force_authenticate(stranger)
    response = api.get(f"/api/v1/events/{event.slug}/summary/")
    assert response.status_code == 403
    assert "exhibitors" not in response.json()


def test_anonymous_api_is_401(api, event):
    assert api.get(f"/api/v1/events/{event.slug}/summary/").status_code == 401


def test_event_detail_lists_my_roles(api, event, company_admin):
    api.force_authenticate(company_admin)
    data = api.get(f"/api/v1/events/{event.slug}/").json()
    assert data["my_roles"] == ["company_admin"]
    assert data["time_zone"] == "Europe/Paris"
    assert [d["date"] for d in data["days"]] == ["2025-11-18", "2025-11-19", "2025-11-20", "2025-11-21"]
    assert data["days"][-1]["closes_at"] == "17:00:00"


def test_members_see_only_their_organisation(api, event, company, company_admin):
    factories.make_company(event, "Rival Corp")
    api.force_authenticate(company_admin)
    names = [o["name"] for o in api.get(f"/api/v1/events/{event.slug}/organisations/").json()["results"]]
    assert names == ["Aegis Systems"]
    rival = factories.make_company(event, "Other Rival")
    assert api.get(f"/api/v1/events/{event.slug}/organisations/{rival.pk}/").status_code == 403


@pytest.mark.parametrize("n", [1, 3])
def test_organisation_list_query_count_is_constant(api, event, organiser, n, django_assert_num_queries):
    sector = factories.make_sector(event)
    for _ in range(n):
        factories.make_company(event).sectors.add(sector)
    api.force_authenticate(organiser)
    with django_assert_num_queries(7):
        response = api.get(f"/api/v1/events/{event.slug}/organisations/")
    assert response.json()["count"] == n
    assert response.json()["results"][0]["sectors"] == ["cyber"]


def test_invitation_api_field_errors_and_nothing_written(api, event, organiser, company):
    api.force_authenticate(organiser)
    response = api.post(
        f"/api/v1/events/{event.slug}/invitations/",
        {"email": "x@example.test", "role": "company_admin"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"organisation": ["Choose the organisation to join."]}
    response = api.post(
        f"/api/v1/events/{event.slug}/invitations/", {"email": "bad", "role": "nope"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"email", "role"}
    assert Invitation.objects.count() == 0


def test_invitation_api_same_rules_as_pages(api, event, company, company_admin):
    rival = factories.make_company(event, "Rival Corp")
    api.force_authenticate(company_admin)
    ok = api.post(
        f"/api/v1/events/{event.slug}/invitations/",
        {"email": "c@aegis.test", "role": "company_staff", "organisation": company.pk},
        format="json",
    )
    assert ok.status_code == 201
    assert ok.json()["email"] == "c@aegis.test"
    denied = api.post(
        f"/api/v1/events/{event.slug}/invitations/",
        {"email": "d@rival.test", "role": "company_staff", "organisation": rival.pk},
        format="json",
    )
    assert denied.status_code == 403
    assert Invitation.objects.filter(organisation=rival).count() == 0


def test_schema_and_docs_are_served(client, db):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/events/{event_slug}/summary/" in schema.content
    assert b"swagger-ui" in client.get("/api/docs/").content
