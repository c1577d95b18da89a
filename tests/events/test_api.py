from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from exhibition.accounts import admission
from exhibition.accounts.models import ApiToken, Invitation, TradeVisitor
from exhibition.core.models import AuditLogEntry
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


# --- visitor self-registration ------------------------------------------------------------------------


def _register_url(event):
    return f"/api/v1/events/{event.slug}/registration/"


def test_visitor_registers_and_awaits_vetting(api, event):
    cyber, drones = factories.make_sector(event, "cyber"), factories.make_sector(event, "drones")
    factories.make_sector(event, "naval")
    user = factories.make_user(email="chief@police.test")
    api.force_authenticate(user)

    response = api.post(
        _register_url(event),
        {
            "organisation_name": " City Police ",
            "job_title": "Chief",
            "country": "fr",
            "looking_for": "Body cameras",
            "sectors": ["drones", "cyber"],
        },
        format="json",
    )

    assert response.status_code == 201
    visitor = TradeVisitor.objects.get(event=event, user=user)
    assert response.json() == {
        "id": visitor.pk,
        "user": {
            "id": user.pk,
            "email": "chief@police.test",
            "full_name": user.full_name,
            "language": "en",
            "email_verified": True,
        },
        "organisation_name": "City Police",
        "job_title": "Chief",
        "country": "FR",
        "status": "pending",
        "created_at": response.json()["created_at"],
    }
    assert (visitor.status, visitor.looking_for) == ("pending", "Body cameras")
    assert set(visitor.sectors.all()) == {cyber, drones}
    assert AuditLogEntry.objects.filter(action="visitor.registered", object_id=str(visitor.pk)).count() == 1
    # what the person then reads: their registration, awaiting the organiser's vetting
    mine = api.get(_register_url(event))
    assert (mine.status_code, mine.json()["id"], mine.json()["status"]) == (200, visitor.pk, "pending")
    # not admitted until approved: no calendar yet
    assert api.post(f"/api/v1/events/{event.slug}/calendar/new-address/").status_code == 403


@pytest.mark.parametrize(
    "body, fields",
    [
        ({"organisation_name": "", "job_title": "Chief", "country": "FR"}, {"organisation_name"}),
        ({"organisation_name": "Police", "job_title": "   ", "country": "FR"}, {"job_title"}),
        ({"organisation_name": "Police", "job_title": "Chief", "country": "XX"}, {"country"}),
        (
            {"organisation_name": "Police", "job_title": "Chief", "country": "FR", "sectors": ["naval"]},
            {"sectors"},
        ),
        ({}, {"organisation_name", "job_title", "country"}),
    ],
)
def test_registration_field_errors_and_nothing_written(api, event, other_event, body, fields):
    factories.make_sector(other_event, "naval")  # another show's sector is not one of this show's
    api.force_authenticate(factories.make_user())
    response = api.post(_register_url(event), body, format="json")
    assert response.status_code == 400
    assert set(response.json()) == fields
    assert not TradeVisitor.objects.exists()


def test_registration_needs_a_confirmed_address(api, event):
    user = factories.make_user(verified=False)
    api.force_authenticate(user)
    response = api.post(
        _register_url(event),
        {"organisation_name": "Police", "job_title": "Chief", "country": "FR"},
        format="json",
    )
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Confirm your e-mail address first: open the link we sent you.",
        "code": "unverified",
    }
    assert not TradeVisitor.objects.exists()


def test_registering_twice_is_a_conflict_and_keeps_the_first(api, event):
    visitor = factories.make_visitor(event, status=TradeVisitor.Status.APPROVED)
    api.force_authenticate(visitor.user)
    response = api.post(
        _register_url(event),
        {"organisation_name": "Other", "job_title": "Chief", "country": "FR"},
        format="json",
    )
    assert (response.status_code, response.json()["detail"]) == (
        409,
        "You are already registered for this event.",
    )
    visitor.refresh_from_db()
    assert (visitor.organisation_name, visitor.status) == ("Acme Police", "approved")


def test_registration_at_a_private_show_is_refused(api):
    private = factories.make_event("private-show", public=False)
    api.force_authenticate(factories.make_user())
    body = {"organisation_name": "Police", "job_title": "Chief", "country": "FR"}
    assert api.post(_register_url(private), body, format="json").status_code == 403
    assert api.get(_register_url(private)).status_code == 403
    assert not TradeVisitor.objects.exists()


def test_registration_needs_a_signed_in_person(api, event):
    body = {"organisation_name": "Police", "job_title": "Chief", "country": "FR"}
    assert api.post(_register_url(event), body, format="json").status_code == 401
    assert not TradeVisitor.objects.exists()


def test_own_registration_is_not_found_without_one_and_never_another_shows(api, event, other_event):
    visitor = factories.make_visitor(other_event)
    api.force_authenticate(visitor.user)
    assert api.get(_register_url(event)).status_code == 404
    assert api.get(_register_url(other_event)).json()["id"] == visitor.pk


# --- a new calendar address ---------------------------------------------------------------------------


def test_admitted_person_gets_a_new_calendar_address_and_the_old_one_dies(api, event):
    visitor = factories.make_visitor(event, status=TradeVisitor.Status.APPROVED)
    old = admission.calendar_token(user=visitor.user, event=event)
    api.force_authenticate(visitor.user)

    response = api.post(f"/api/v1/events/{event.slug}/calendar/new-address/")

    assert response.status_code == 200
    new = response.json()["token"]
    assert new != old and new == admission.calendar_token(user=visitor.user, event=event)
    assert admission.user_for_calendar_token(old, event) is None
    assert admission.user_for_calendar_token(new, event) == visitor.user
    assert AuditLogEntry.objects.filter(action="calendar_feed.rotated").count() == 1
    # the address given is the calendar a person subscribes to; the old one answers no more
    meetings = response.json()["meetings"]
    assert meetings == f"http://testserver/{event.slug}/meetings/ics/{new}.ics"
    assert response.json()["programme"] == f"http://testserver/{event.slug}/delegations/feed/{new}.ics"
    api.force_authenticate(None)
    feed = api.get(meetings.removeprefix("http://testserver"))
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    assert api.get(f"/{event.slug}/meetings/ics/{old}.ics").status_code == 404


@pytest.mark.parametrize("who", ["pending_visitor", "stranger", "other_events_organiser"])
def test_calendar_address_refused_to_those_not_admitted(api, event, other_event, who):
    user = {
        "pending_visitor": lambda: factories.make_visitor(event, status=TradeVisitor.Status.PENDING).user,
        "stranger": lambda: factories.make_user(),
        "other_events_organiser": lambda: factories.make_organiser(other_event),
    }[who]()
    before = admission.calendar_token(user=user, event=event)
    api.force_authenticate(user)
    response = api.post(f"/api/v1/events/{event.slug}/calendar/new-address/")
    assert response.status_code == 403
    assert "token" not in response.json()
    assert admission.calendar_token(user=user, event=event) == before
    assert not AuditLogEntry.objects.filter(action="calendar_feed.rotated").exists()
