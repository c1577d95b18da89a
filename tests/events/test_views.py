from __future__ import annotations

import pytest

from exhibition.accounts.models import Invitation, TradeVisitor
from exhibition.core.models import OutboxMessage
from exhibition.exhibitors.models import Application
from tests import factories
from tests.factories.exhibitors import make_application
from tests.support.html import squash

pytestmark = pytest.mark.django_db


def test_each_role_lands_on_its_own_next_steps(client, event, organiser, company, company_admin):
    delegation = factories.make_delegation(event, "Brazil – National Police")
    lead = factories.make_member(delegation, "lead")
    visitor = factories.make_visitor(event, status=TradeVisitor.Status.PENDING)
    expectations = [
        (organiser, "organiser dashboard"),
        (company_admin, "Invite your colleagues"),
        (lead, "Brazil – National Police"),
        (visitor.user, "being vetted by the organiser"),
    ]
    for user, text in expectations:
        client.force_login(user)
        body = client.get(f"/{event.slug}/").content.decode()
        assert text in body, (user, text)


def test_an_applicant_sees_where_the_application_stands_and_why_exhibitor_pages_are_closed(client, event):
    applying = factories.make_company(event, "Newco Drones", admitted=False)
    app = make_application(event, applying, state=Application.State.SUBMITTED)
    client.force_login(factories.make_member(applying, "admin"))

    body = client.get(f"/{event.slug}/").content.decode()
    assert "Your application to exhibit" in body and "Your application is submitted" in body
    assert f"/{event.slug}/exhibitors/applications/{app.pk}/" in body
    assert "Apply to exhibit" not in body

    response = client.get(f"/{event.slug}/meetings/")
    assert response.status_code == 403
    assert "this page opens once the organiser approves your application" in response.content.decode()

    pending = factories.make_visitor(event, status=TradeVisitor.Status.PENDING)
    client.force_login(pending.user)
    response = client.get(f"/{event.slug}/meetings/")
    assert response.status_code == 403
    assert (
        "waiting for the organiser's check: this page opens once you are approved"
        in response.content.decode()
    )


def test_organiser_dashboard_counts_pending_visitors(client, event, organiser):
    for _ in range(3):
        factories.make_visitor(event, status=TradeVisitor.Status.PENDING)
    client.force_login(organiser)
    body = client.get(f"/{event.slug}/").content.decode()
    assert "3 visitors await vetting" in body


def test_landing_in_french_with_local_time_zone(client, event, organiser):
    client.force_login(organiser)
    body = client.get(f"/{event.slug}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="fr">' in body
    assert "Tableau de bord" in body
    assert "heure de Paris" in body and "Europe/Paris" not in body


def test_private_event_hidden_from_strangers(client, db):
    factories.make_event("secret-show", public=False)
    assert client.get("/secret-show/").status_code == 302  # to sign-in
    client.force_login(factories.make_user())
    assert client.get("/secret-show/").status_code == 403


def test_unknown_event_is_404(client, db):
    assert client.get("/no-such-show/").status_code == 404


def test_invitation_form_sends_and_lists(
    client, event, organiser, company, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/{event.slug}/invitations/",
            {"email": "boss@aegis.test", "role": "company_admin", "organisation": company.pk},
        )
    assert response.status_code == 302
    assert Invitation.objects.get().email == "boss@aegis.test"
    # the organiser's list holds every company and delegation: the form says what it is for
    help_text = "For a company or delegation role: the one they join."
    assert help_text in client.get(f"/{event.slug}/invitations/").content.decode()
    assert len(mailoutbox) == 1
    assert "boss@aegis.test" in client.get(f"/{event.slug}/invitations/").content.decode()


def test_invitation_form_bad_input_shows_field_error_and_writes_nothing(client, event, organiser, company):
    client.force_login(organiser)
    response = client.post(
        f"/{event.slug}/invitations/",
        {"email": "not-an-email", "role": "company_admin", "organisation": company.pk},
    )
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    response = client.post(
        f"/{event.slug}/invitations/", {"email": "x@example.test", "role": "company_admin"}
    )
    assert response.status_code == 400
    assert "Choose the organisation to join." in response.content.decode()
    assert Invitation.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_company_admin_sees_only_company_roles_and_own_company(client, event, company, company_admin):
    factories.make_company(event, "Rival Corp")
    client.force_login(company_admin)
    body = client.get(f"/{event.slug}/invitations/").content.decode()
    assert "Company staff" in body
    assert "Organiser admin" not in body
    assert "Rival Corp" not in body
    assert "the one they join" not in body  # their own company, chosen for them


def test_visitor_without_role_cannot_open_invitations(client, event):
    client.force_login(factories.make_visitor(event).user)
    assert client.get(f"/{event.slug}/invitations/").status_code == 403


@pytest.mark.parametrize("n", [1, 3])
def test_invitation_list_query_count_is_constant(
    client, event, organiser, company, n, django_assert_num_queries
):
    for i in range(n):
        Invitation.objects.create(
            event=event,
            email=f"p{i}@x.test",
            role="company_staff",
            organisation=company,
            invited_by=organiser,
        )
    client.force_login(organiser)
    with django_assert_num_queries(10):
        assert client.get(f"/{event.slug}/invitations/").status_code == 200


@pytest.mark.parametrize("n", [1, 3])
def test_visitor_vetting_list_query_count_is_constant(client, event, organiser, n, django_assert_num_queries):
    for _ in range(n):
        factories.make_visitor(event, status="pending")
    client.force_login(organiser)
    with django_assert_num_queries(10):  # and the counts per status and the visitors' countries
        response = client.get(f"/{event.slug}/manage/visitors/?status=pending")
    assert response.content.decode().count('name="decision" value="approve"') == n


def test_visitor_vetting_list_finds_by_name_or_organisation_and_country_and_counts_each_status(
    client, event, organiser
):
    ana = factories.make_visitor(event, status="pending", email="ana@police.test", full_name="Ana Silva")
    TradeVisitor.objects.filter(pk=ana.pk).update(organisation_name="Lisbon Police", country="PT")
    factories.make_visitor(event, status="pending", email="bo@acme.test", full_name="Bo Berg")
    factories.make_visitor(event, status="approved", email="cy@acme.test", full_name="Cy Roux")
    client.force_login(organiser)
    page = f"/{event.slug}/manage/visitors/"

    html = squash(client.get(page).content.decode())
    assert squash('Awaiting vetting <span class="count">2</span>') in html
    assert squash('Approved <span class="count">1</span>') in html
    assert '<option value="DE">Germany</option><option value="PT">Portugal</option>' in html
    for query, found in (
        ({"q": "silva"}, "Ana Silva"),
        ({"q": "lisbon"}, "Ana Silva"),
        ({"q": "bo@acme"}, "Bo Berg"),
        ({"country": "PT"}, "Ana Silva"),
    ):
        listed = squash(client.get(page, {"status": "pending", **query}).content.decode())
        assert found in listed and listed.count('name="decision" value="approve"') == 1, query
    assert "No visitors in this list." in client.get(page, {"q": "nobody"}).content.decode()
    # The API finds the same (everything the page does).
    api = f"/api/v1/events/{event.slug}/visitors/"
    found = client.get(api, {"status": "pending", "q": "lisbon", "country": "pt"}).json()
    rows = found["results"] if isinstance(found, dict) else found
    assert [r["organisation_name"] for r in rows] == ["Lisbon Police"]
    # Approving from a filtered list comes back to it.
    response = client.post(f"{page}?status=pending&q=silva", {"visitor": ana.pk, "decision": "approve"})
    assert response.status_code == 302 and response["Location"].endswith("?status=pending&q=silva")


def test_organiser_vets_several_visitors_at_once_all_or_none(client, event, organiser, other_event):
    ana, bo, cy = (factories.make_visitor(event, status="pending") for _ in range(3))
    stranger = factories.make_visitor(other_event, status="pending")
    client.force_login(organiser)
    page = f"/{event.slug}/manage/visitors/?status=pending"

    html = client.get(page).content.decode()
    assert 'form="bulk-vet"' in html and "With the selected visitors" in html
    response = client.post(page, {"bulk": "1", "ids": [ana.pk, bo.pk], "decision": "approve"}, follow=True)
    assert "2 visitors vetted." in response.content.decode()
    assert [TradeVisitor.objects.get(pk=v.pk).status for v in (ana, bo, cy)] == [
        "approved",
        "approved",
        "pending",
    ]
    assert OutboxMessage.objects.filter(kind="visitor_approved").count() == 2  # each told, as one by one

    # Another show's visitor among them: nobody is changed, and the organiser is told why.
    response = client.post(
        page, {"bulk": "1", "ids": [cy.pk, stranger.pk], "decision": "reject"}, follow=True
    )
    assert "Some of these visitors are not registered for this show." in response.content.decode()
    assert TradeVisitor.objects.get(pk=cy.pk).status == "pending"
    assert TradeVisitor.objects.get(pk=stranger.pk).status == "pending"
    response = client.post(page, {"bulk": "1", "decision": "approve"}, follow=True)
    assert "Tick at least one visitor." in response.content.decode()


def test_api_vets_several_visitors_at_once_all_or_none(client, event, organiser, other_event):
    ana, bo = (factories.make_visitor(event, status="pending") for _ in range(2))
    stranger = factories.make_visitor(other_event, status="pending")
    client.force_login(organiser)
    api = f"/api/v1/events/{event.slug}/visitors/vet/"

    response = client.post(api, {"ids": [ana.pk, bo.pk], "approve": True}, content_type="application/json")
    assert response.status_code == 200 and response.json() == {"vetted": 2}
    assert TradeVisitor.objects.filter(pk__in=[ana.pk, bo.pk], status="approved").count() == 2
    refused = client.post(
        api, {"ids": [ana.pk, stranger.pk], "approve": False}, content_type="application/json"
    )
    assert refused.status_code == 400 and "not registered for this show" in refused.content.decode()
    assert TradeVisitor.objects.get(pk=ana.pk).status == "approved"
    for body in ({"ids": [], "approve": True}, {"ids": ["x"], "approve": True}, {"approve": True}):
        bad = client.post(api, body, content_type="application/json")
        assert bad.status_code == 400 and "ids" in bad.json(), body


def test_organiser_approves_visitor_from_list(client, event, organiser):
    v = factories.make_visitor(event, status="pending")
    client.force_login(organiser)
    client.post(f"/{event.slug}/manage/visitors/?status=pending", {"visitor": v.pk, "decision": "approve"})
    v.refresh_from_db()
    assert v.status == "approved"


def test_visitor_registration_flow(client, event):
    user = factories.make_user()
    client.force_login(user)
    response = client.post(
        f"/{event.slug}/register/", {"organisation_name": "", "job_title": "Chief", "country": "FR"}
    )
    assert response.status_code == 400
    assert not TradeVisitor.objects.exists()
    response = client.post(
        f"/{event.slug}/register/",
        {"organisation_name": "City Police", "job_title": "Chief", "country": "FR"},
    )
    assert response.status_code == 302
    assert TradeVisitor.objects.get(user=user).status == "pending"


def test_the_vetting_country_list_files_accented_names_in_their_place_in_french(client, event, organiser):
    for i, country in enumerate(("ZW", "AE", "FR")):
        visitor = factories.make_visitor(event, status="pending", email=f"v{i}@police.test")
        TradeVisitor.objects.filter(pk=visitor.pk).update(country=country)
    client.force_login(organiser)

    html = client.get(f"/{event.slug}/manage/visitors/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    positions = [html.index(f'<option value="{code}"') for code in ("AE", "FR", "ZW")]
    assert positions == sorted(positions)  # Émirats, France, Zimbabwe
