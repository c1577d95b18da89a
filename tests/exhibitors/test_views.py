import io
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from exhibition.accounts.models import Membership
from exhibition.core.models import AuditLogEntry as AuditLog
from exhibition.exhibitors import services
from exhibition.exhibitors.models import (
    Application,
    ApplicationDocument,
    BadgeRequest,
    ExhibitorSettings,
    ScreeningHit,
)
from exhibition.exhibitors.selectors import badge_quota_for, settings_for
from tests import factories
from tests.factories.exhibitors import (
    admin_of,
    make_application,
    make_exhibitor,
    make_party,
    make_stand,
    pdf_file,
)
from tests.support.html import squash

S = Application.State


def url(name, event, **kw):
    return reverse(f"exhibitors:{name}", kwargs={"event_slug": event.slug, **kw})


def test_anonymous_apply_redirects_to_sign_in(client, event):
    response = client.get(url("apply", event))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_application_steps_save_a_draft_then_submit(
    client, event, mailoutbox, django_capture_on_commit_callbacks
):
    sector = factories.make_sector(event, "drones")
    factories.make_hall(event, "5A")
    user = factories.make_user(email="nina@corvus.test")
    client.force_login(user)
    response = client.post(
        url("apply", event),
        {
            "legal_name": "Corvus Optics SAS",
            "country": "FR",
            "trading_name": "Corvus",
            "address": "1 quai",
            "registration_number": "RCS 42",
        },
    )
    app = Application.objects.get()
    assert response["Location"] == url("application_step", event, pk=app.pk, step="contacts")
    client.post(
        url("application_step", event, pk=app.pk, step="contacts"),
        {"contacts": "Nina Nova; nina@corvus.test; +33 1; CEO\nIvan Petrov; ivan@corvus.test"},
    )
    client.post(
        url("application_step", event, pk=app.pk, step="sectors"),
        {"sectors": [sector.pk], "products": "Thermal cameras", "exhibits": "EagleEye"},
    )
    client.post(
        url("application_step", event, pk=app.pk, step="stand"),
        {"stand_kind": "raw", "stand_area": "36", "open_sides": "2"},
    )
    client.post(
        url("application_step", event, pk=app.pk, step="co-exhibitors"),
        {"co_exhibitors": "Lynx Optics; DE\nOptique Belge; Belgique"},
    )
    client.post(
        url("application_step", event, pk=app.pk, step="documents"),
        {"kind": "registration", "file": pdf_file()},
    )
    app.refresh_from_db()
    assert app.contacts[1] == {"name": "Ivan Petrov", "email": "ivan@corvus.test", "phone": "", "role": ""}
    assert (app.stand_kind, app.stand_area, app.open_sides, app.co_exhibitors) == (
        "raw",
        36,
        2,
        [{"name": "Lynx Optics", "country": "DE"}, {"name": "Optique Belge", "country": "BE"}],
    )
    assert app.documents.count() == 1
    response = client.post(url("application_step", event, pk=app.pk, step="submit"), {})
    assert response.status_code == 400
    assert "Accept the terms" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("application_step", event, pk=app.pk, step="submit"), {"accept_terms": "on"}
        )
    assert response.status_code == 302
    assert Application.objects.get().state == S.SUBMITTED
    assert mailoutbox[-1].to == ["nina@corvus.test"]


def test_document_is_served_to_company_and_organiser_only(client, event, organiser, company, company_admin):
    other_admin = admin_of(factories.make_company(event, "Other Co"))
    app = make_application(event, company)

    doc = services.add_document(application=app, actor=company_admin, uploaded_file=pdf_file())
    for user, expected in [(company_admin, 200), (organiser, 200), (other_admin, 404)]:
        client.force_login(user)
        response = client.get(url("document", event, pk=doc.pk))
        assert response.status_code == expected, user
        if expected == 200:
            assert b"".join(response.streaming_content).startswith(b"%PDF-")
            assert response["Content-Type"] == "application/pdf"
            assert response["Cache-Control"] == "private, no-store"
    client.logout()
    assert client.get(url("document", event, pk=doc.pk)).status_code == 302


def test_document_upload_of_a_non_pdf_shows_the_error(client, event, company, company_admin):
    app = make_application(event, company)
    client.force_login(company_admin)
    response = client.post(
        url("application_step", event, pk=app.pk, step="documents"),
        {"kind": "other", "file": SimpleUploadedFile("x.pdf", b"<html>hi</html>")},
    )
    assert response.status_code == 400
    assert "Upload a PDF document." in response.content.decode()
    assert ApplicationDocument.objects.count() == 0


@pytest.mark.parametrize("n", [1, 3])
def test_review_queue_query_count_is_constant(client, event, organiser, django_assert_num_queries, n):
    sector = factories.make_sector(event)
    for _i in range(n):
        make_application(event, state=S.SUBMITTED, sectors=[sector])
    client.force_login(organiser)
    client.get(url("review_queue", event))  # warm the session
    with django_assert_num_queries(12):
        response = client.get(url("review_queue", event))
    assert response.status_code == 200
    assert response.content.decode().count('name="ids"') == n


def test_review_queue_filters_by_screening(client, event, organiser):
    flagged = make_application(event, state=S.SUBMITTED, legal_name="Red Star Trading")
    make_application(event, state=S.SUBMITTED, legal_name="Blue Sky Optics")
    make_party(event, "Red Star Trading")

    services.screen_application(application=flagged)
    client.force_login(organiser)
    html = client.get(url("review_queue", event), {"screening": "hits"}).content.decode()
    assert "Red Star Trading" in html and "Blue Sky Optics" not in html


def test_review_queue_filters_by_a_country_chosen_by_name(client, event, organiser):
    make_application(event, state=S.SUBMITTED, legal_name="Nordic Optics", country="SE")
    make_application(event, state=S.SUBMITTED, legal_name="Atlas Défense", country="FR")
    make_application(event, state=S.DRAFT, legal_name="Draft Co", country="DE")
    client.force_login(organiser)

    html = squash(client.get(url("review_queue", event), {"country": "se"}).content.decode())
    assert "Nordic Optics" in html and "Atlas Défense" not in html
    # the countries of submitted applications, by name (not a two-letter box); drafts' left out
    assert '<option value="FR">France</option><option value="SE" selected>Sweden</option></select>' in html
    assert 'value="DE"' not in html
    french = squash(client.get(url("review_queue", event), HTTP_ACCEPT_LANGUAGE="fr").content.decode())
    assert '<option value="FR">France</option><option value="SE">Suède</option>' in french


def test_review_queue_lists_pending_first_oldest_first(client, event, organiser):
    now = timezone.now()
    make_application(
        event, state=S.APPROVED, legal_name="Approved Long Ago", submitted_at=now - timedelta(days=30)
    )
    make_application(
        event, state=S.SUBMITTED, legal_name="Newer Pending", submitted_at=now - timedelta(days=1)
    )
    make_application(
        event, state=S.UNDER_REVIEW, legal_name="Oldest Pending", submitted_at=now - timedelta(days=9)
    )
    make_application(
        event, state=S.WAITLISTED, legal_name="On The List", submitted_at=now - timedelta(days=20)
    )
    make_application(event, state=S.DRAFT, legal_name="Still A Draft")
    client.force_login(organiser)
    rows = [a.legal_name for a in client.get(url("review_queue", event)).context["page"].object_list]
    assert rows == ["Oldest Pending", "Newer Pending", "On The List", "Approved Long Ago"]
    response = client.get(url("review_queue", event), {"state": "pending"})
    assert [a.legal_name for a in response.context["page"].object_list] == ["Oldest Pending", "Newer Pending"]
    html = response.content.decode()
    assert 'aria-current="page">Awaiting a decision <span class="count">2</span>' in html


def test_bulk_reject_is_audited_per_application_and_needs_the_permission(
    client, event, organiser, company_admin
):
    a, b = make_application(event, state=S.SUBMITTED), make_application(event, state=S.SUBMITTED)
    client.force_login(company_admin)
    assert (
        client.post(url("review_queue", event), {"ids": [a.pk, b.pk], "action": "reject"}).status_code == 403
    )
    assert set(Application.objects.values_list("state", flat=True)) == {S.SUBMITTED}
    client.force_login(organiser)
    client.post(url("review_queue", event), {"ids": [a.pk, b.pk], "action": "reject", "reason": "Full"})
    assert set(Application.objects.values_list("state", flat=True)) == {S.REJECTED}
    assert sorted(
        AuditLog.objects.filter(action="application.reject").values_list("object_id", flat=True)
    ) == sorted([str(a.pk), str(b.pk)])


def test_review_queue_denied_to_companies(client, event, company_admin):
    client.force_login(company_admin)
    assert client.get(url("review_queue", event)).status_code == 403


def test_bulk_approve_from_the_queue(client, event, organiser):
    a, b = make_application(event, state=S.SUBMITTED), make_application(event, state=S.SUBMITTED)
    client.force_login(organiser)
    response = client.post(
        url("review_queue", event), {"ids": [a.pk, b.pk], "action": "approve"}, follow=True
    )
    assert "2 applications updated." in response.content.decode()
    assert set(Application.objects.values_list("state", flat=True)) == {S.APPROVED}


def test_review_page_shows_hit_side_by_side_and_clear_then_approve(client, event, organiser, company):
    app = make_application(event, company, state=S.SUBMITTED)
    make_party(event, "Systems Aegis", aliases=["AGS"])

    services.screen_application(application=app)
    hit = ScreeningHit.objects.get()
    client.force_login(organiser)
    html = client.get(url("review_detail", event, pk=app.pk)).content.decode()
    assert "<strong>Aegis Systems</strong>" in html and "<strong>Systems Aegis</strong>" in html
    response = client.post(url("review_detail", event, pk=app.pk), {"action": "approve", "reason": ""})
    assert response.status_code == 400
    assert "Resolve the screening hits" in response.content.decode()
    client.post(url("resolve_hit", event, pk=hit.pk), {"decision": "clear", "reason": "Other company"})
    client.post(url("review_detail", event, pk=app.pk), {"action": "approve", "reason": "Welcome"})
    assert Application.objects.get().state == S.APPROVED


def test_application_contacts_typed_with_commas_or_a_bad_address_are_read_or_refused_by_line(
    client, event, company, company_admin
):
    app = make_application(event, company)
    client.force_login(company_admin)
    step = url("application_step", event, pk=app.pk, step="contacts")
    response = client.post(step, {"contacts": "Nadia Newco; nadia@newco\nPaul Roy, paul@newco.test"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Line 1: “nadia@newco” is not an e-mail address." in html
    assert "Nadia Newco; nadia@newco" in html  # what was typed is kept
    client.post(step, {"contacts": "Nadia Newco; nadia@newco.test\nPaul Roy, paul@newco.test, , Sales"})
    app.refresh_from_db()
    assert [(c["name"], c["email"], c["role"]) for c in app.contacts] == [
        ("Nadia Newco", "nadia@newco.test", ""),
        ("Paul Roy", "paul@newco.test", "Sales"),
    ]
    response = client.post(
        url("application_step", event, pk=app.pk, step="co-exhibitors"),
        {"co_exhibitors": "Partner; Germanyy"},
    )
    assert response.status_code == 400
    assert "Unknown country “Germanyy”" in response.content.decode()


def test_review_page_offers_only_the_decisions_the_state_allows_and_words_its_history(
    client, event, organiser, company
):
    app = make_application(event, company, state=S.SUBMITTED)
    client.force_login(organiser)
    client.post(url("review_detail", event, pk=app.pk), {"action": "approve", "reason": "Welcome"})
    html = client.get(url("review_detail", event, pk=app.pk)).content.decode()
    # Approved: the one decision left is to withdraw the approval, not "Take under review".
    assert "Withdraw the approval (reject)" in html and "Take under review" not in html
    assert "Approved" in html and "application.approve" not in html
    response = client.post(url("review_detail", event, pk=app.pk), {"action": "review", "reason": ""})
    assert response.status_code == 400 and Application.objects.get().state == S.APPROVED
    client.post(
        url("review_detail", event, pk=app.pk), {"action": "reject", "reason": "Export licence refused"}
    )
    html = client.get(url("review_detail", event, pk=app.pk)).content.decode()
    assert "there is no decision left to take" in html and 'name="action"' not in html
    assert "Rejected" in html and "application.reject" not in html


def test_screening_upload_shows_row_errors_and_keeps_the_list(client, event, organiser):
    make_party(event, "Kept Entry")
    client.force_login(organiser)
    csv = SimpleUploadedFile("list.csv", b"name,aliases,country,source\nGood,,FR,EU\n,Alias,FR,EU\n,,,\n")
    response = client.post(url("screening", event), {"file": csv})
    assert response.status_code == 400
    html = squash(response.content.decode())
    assert '<th scope="row">3</th><td>The name is missing.</td>' in html
    assert "Kept Entry" in html


def test_listed_parties_and_embargoed_countries_are_named(client, event, organiser):
    make_party(event, "Shell Trading", country="IR")
    client.force_login(organiser)
    html = client.get(url("screening", event), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Shell Trading" in html and "– Iran" in html and "– IR" not in html
    assert "Aucun pays n'est sous embargo." in html
    assert client.post(url("screening", event), {"countries": "sy, kp"}).status_code == 302
    html = squash(client.get(url("screening", event), HTTP_ACCEPT_LANGUAGE="fr").content.decode())
    # squash() writes the no-break space before the colon as a space
    assert "Sous embargo : Corée du Nord (KP), Syrie (SY)" in html


def test_screening_progress_json(client, event, organiser):
    make_application(event, state=S.SUBMITTED)
    services.start_rescreen(event=event, actor=organiser)
    services.run_rescreen(run_id=event.screening_runs.get().pk)
    client.force_login(organiser)
    assert client.get(url("screening_progress", event)).json() == {
        "status": "done",
        "done": 1,
        "total": 1,
        "hits": 0,
        "percent": 100,
    }


@pytest.mark.parametrize("n", [1, 3])
def test_directory_query_count_is_constant(client, event, django_assert_num_queries, n):
    sector = factories.make_sector(event)
    hall = factories.make_hall(event)
    for i in range(n):
        org = make_exhibitor(event, f"Exhibitor {i}", sectors=[sector])
        make_stand(event, hall, f"A{i}", exhibitor=org, x=i * 4)
    with django_assert_num_queries(9):
        response = client.get(url("directory", event))
    assert response.content.decode().count('<li class="card">') == n


def test_directory_search_and_filters(client, event):
    drones = factories.make_sector(event, "drones")
    hall = factories.make_hall(event, "6")
    sky = make_exhibitor(event, "Sky Shield", country="DE", sectors=[drones], search="counter-drone jammer")
    make_stand(event, hall, "6A12", exhibitor=sky)
    make_exhibitor(event, "Cipher Labs", country="FR", search="encryption")
    pending = factories.make_company(event, "Pending Co")
    make_application(event, pending, state=S.SUBMITTED)

    def names(**params):
        html = client.get(url("directory", event), params).content.decode()
        return [n for n in ("Sky Shield", "Cipher Labs", "Pending Co") if f">{n}</a>" in html]

    assert names() == ["Sky Shield", "Cipher Labs"]
    assert names(q="jammer") == ["Sky Shield"]
    assert names(q="encrypt") == ["Cipher Labs"]
    assert names(country="FR") == ["Cipher Labs"]
    assert names(sector="drones") == ["Sky Shield"]
    assert names(hall="6") == ["Sky Shield"]


def test_directory_names_countries_in_the_readers_language_and_shows_logos_or_initials(client, event):
    sky = make_exhibitor(event, "Sky Shield GmbH", country="DE")
    sky.exhibitor_profile.logo.name = "exhibitors/logos/1/sky.png"
    sky.exhibitor_profile.save()
    make_exhibitor(event, "Cipher Labs", country="AE")
    make_exhibitor(event, "Toro Vision", country="ES")

    html = squash(client.get(url("directory", event)).content.decode())
    assert (
        '<option value="DE">Germany</option><option value="ES">Spain</option>'
        '<option value="AE">United Arab Emirates</option>'
    ) in html
    assert 'src="/media/exhibitors/logos/1/sky.png" alt=""' in html
    assert '<span class="logo initials" aria-hidden="true">CL</span>' in html
    html = squash(client.get(url("directory", event), HTTP_ACCEPT_LANGUAGE="fr").content.decode())
    assert (
        '<option value="DE">Allemagne</option><option value="AE">Émirats arabes unis</option>'
        '<option value="ES">Espagne</option>'
    ) in html  # É files under E
    assert '<p class="muted">Allemagne</p>' in html


def test_profile_page_links_to_the_stand_on_the_plan(client, event):
    hall = factories.make_hall(event, "5A")
    org = make_exhibitor(event, "Sky Shield", description="Counter-drone systems")
    make_stand(event, hall, "5A-101", exhibitor=org)
    html = client.get(url("profile", event, pk=org.pk)).content.decode()
    assert f'href="/{event.slug}/plan/5A/?q=5A-101"' in html
    assert "Counter-drone systems" in html


def test_profile_of_a_company_not_approved_is_hidden(client, event, company):
    make_application(event, company, state=S.SUBMITTED)
    assert client.get(url("profile", event, pk=company.pk)).status_code == 404


def test_portal_shows_checklist_stand_and_quota(client, event, company, company_admin):
    hall = factories.make_hall(event, "5A")
    make_application(event, company, state=S.APPROVED)
    make_stand(event, hall, "5A-1", exhibitor=company, width=4, depth=5)  # 20 m2 -> 4 badges
    ExhibitorSettings.objects.update_or_create(
        event=event,
        defaults={
            "application_deadline": timezone.now() - timedelta(days=30),
            "profile_deadline": date(2030, 3, 1),
            "badge_deadline": date(2030, 4, 1),
        },
    )
    client.force_login(company_admin)
    html = squash(client.get(url("portal", event, org=company.pk)).content.decode())
    assert "Badge quota: 4 badges for 20 m² of stand (0 requested, 4 left)." in html
    assert "Stand 5A-1, Hall 5A, 20 m²</a>– booked and paid" in html
    # done: no link and no deadline, said to a screen reader; to do: a link and its deadline
    assert '<span>Submit your application</span><span class="sr-only">(done)</span></div>' in html
    profile = url("portal_profile", event, org=company.pk)
    assert (
        f'<a href="{profile}">Complete your public profile (description and logo)</a>'
        "<small>Due by 1 Mar 2030</small>"
    ) in html
    assert "✓" not in html and "○" not in html


def test_staff_page_invites_a_colleague(
    client, event, company, company_admin, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(company_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("portal_staff", event, org=company.pk), {"email": "bob@aegis.test"}, follow=True
        )
    assert "Invitation sent to bob@aegis.test." in response.content.decode()
    assert mailoutbox[-1].to == ["bob@aegis.test"]


def test_staff_member_cannot_invite(client, event, company):
    staff = factories.make_member(company, Membership.Role.STAFF)
    client.force_login(staff)
    response = client.post(url("portal_staff", event, org=company.pk), {"email": "eve@aegis.test"})
    assert response.status_code == 403
    assert company.invitations.count() == 0


def test_badge_request_page(client, event, company, company_admin):
    make_stand(event, factories.make_hall(event), "A1", exhibitor=company)
    client.force_login(company_admin)
    client.post(url("portal_badges", event, org=company.pk), {"name": "Ann One", "role": "Sales"})
    client.post(url("portal_badges", event, org=company.pk), {"name": "Bob Two"})
    response = client.post(url("portal_badges", event, org=company.pk), {"name": "Cat Three"})
    assert response.status_code == 409
    assert "quota is used up" in response.content.decode()
    assert BadgeRequest.objects.count() == 2


def test_profile_form_saves_descriptions_and_a_logo(client, event, company, company_admin):
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buf, "PNG")
    client.force_login(company_admin)
    response = client.post(
        url("portal_profile", event, org=company.pk),
        {
            "form": "profile",
            "description_en": "We protect",
            "description_fr": "Nous protégeons",
            "website": "https://aegis.example",
            "logo": SimpleUploadedFile("logo.png", buf.getvalue(), "image/png"),
        },
    )
    assert response.status_code == 302
    profile = company.exhibitor_profile
    assert (profile.description_fr, bool(profile.logo)) == ("Nous protégeons", True)


def test_exports_for_organisers(client, event, organiser, company):
    make_application(event, company, state=S.APPROVED)
    client.force_login(organiser)
    body = client.get(url("export", event, kind="applications")).content.decode("utf-8-sig")
    assert body.splitlines()[0].startswith("No.,State,Legal name,")
    assert f"{Application.objects.get().pk},Approved,Aegis Systems" in body
    client.cookies["django_language"] = "fr"
    body = client.get(url("export", event, kind="applications")).content.decode("utf-8-sig")
    assert body.splitlines()[0].startswith("N°,État,Raison sociale,")
    assert f"{Application.objects.get().pk},Approuvée,Aegis Systems" in body
    assert client.get(url("export", event, kind="nope")).status_code == 404


def test_exports_denied_to_companies(client, event, company_admin):
    client.force_login(company_admin)
    assert client.get(url("export", event, kind="badges")).status_code == 403


def test_import_page_shows_row_errors(client, event, organiser):
    client.force_login(organiser)
    csv = SimpleUploadedFile("x.csv", b"name,country\nGood Co,FR\nBad Co,QQ\n")
    response = client.post(url("import", event), {"file": csv})
    assert response.status_code == 400
    assert '<th scope="row">3</th><td>Unknown country code QQ.</td>' in squash(response.content.decode())
    assert Application.objects.count() == 0


@pytest.mark.parametrize("n", [1, 3])
def test_badges_page_query_count_is_constant(
    client, event, company, company_admin, django_assert_num_queries, n
):
    make_stand(event, factories.make_hall(event), "A1", exhibitor=company, width=10, depth=10)
    for i in range(n):
        BadgeRequest.objects.create(event=event, organisation=company, name=f"Person {i}")
    client.force_login(company_admin)
    client.get(url("portal_badges", event, org=company.pk))
    with django_assert_num_queries(11):
        response = client.get(url("portal_badges", event, org=company.pk))
    assert response.content.decode().count("Person ") == n


def test_submit_step_with_missing_answers_shows_what_is_missing(client, event, company, company_admin):
    app = make_application(event, company)
    client.force_login(company_admin)
    response = client.post(url("application_step", event, pk=app.pk, step="submit"), {"accept_terms": "on"})
    assert response.status_code == 400
    assert "Choose at least one sector." in response.content.decode()
    assert Application.objects.get().state == S.DRAFT


def test_settings_page_changes_the_badge_rule(client, event, organiser, company):
    make_stand(event, factories.make_hall(event), "A1", exhibitor=company, width=4, depth=5)  # 20 m2
    client.force_login(organiser)
    response = client.post(
        url("settings", event),
        {
            "terms_version": "2",
            "max_document_mb": "5",
            "badge_base": "3",
            "badge_base_area": "12",
            "badge_step_area": "4",
            "match_threshold": "0.9",
            "terms": "Be nice.",
        },
    )
    assert response.status_code == 302

    assert badge_quota_for(company).total == 5  # 3 up to 12 m2, then 2 more for 8 m2 in steps of 4


def test_settings_page_in_french_keeps_the_deadlines_when_saved_untouched(client, event, organiser):
    conf = settings_for(event)
    conf.application_deadline = datetime(2026, 12, 21, 8, 30, tzinfo=ZoneInfo(event.time_zone))
    conf.profile_deadline = date(2027, 1, 5)
    conf.badge_deadline = date(2027, 1, 8)
    conf.save()
    client.force_login(organiser)
    client.cookies["django_language"] = "fr"
    html = client.get(url("settings", event)).content.decode()
    # The browser's date pickers take ISO values only; "21/12/2026" would show as an empty field.
    assert (
        'value="2026-12-21T08:30"' in html and 'value="2027-01-05"' in html and 'value="2027-01-08"' in html
    )
    posted = dict(re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', html))
    posted["terms"] = conf.terms
    posted.pop("csrfmiddlewaretoken", None)
    assert client.post(url("settings", event), posted).status_code == 302
    conf.refresh_from_db()
    assert conf.profile_deadline == date(2027, 1, 5) and conf.badge_deadline == date(2027, 1, 8)
    assert conf.application_deadline == datetime(2026, 12, 21, 8, 30, tzinfo=ZoneInfo(event.time_zone))


def test_settings_page_is_for_organiser_admins(client, event):
    staff = factories.make_organiser(event, role="staff")
    client.force_login(staff)
    assert client.get(url("settings", event)).status_code == 403


def test_an_approved_company_is_warned_what_withdrawing_costs(client, event, company, company_admin):
    app = make_application(event, company, state=S.APPROVED)
    client.force_login(company_admin)
    html = client.get(url("application", event, pk=app.pk)).content.decode()
    assert "Withdraw the application" in html
    assert "its meetings and delegation visits are cancelled and its staff badges stop working" in html


def test_adding_a_product_says_so_and_refuses_a_second_of_the_same_name(
    client, event, company, company_admin
):
    client.force_login(company_admin)
    profile = url("portal_profile", event, org=company.pk)
    response = client.post(profile, {"form": "product", "name": "SkyNet Interceptor"}, follow=True)
    assert "Product “SkyNet Interceptor” added to your profile." in response.content.decode()
    response = client.post(profile, {"form": "product", "name": "skynet interceptor"}, follow=True)
    assert "Your profile already lists a product of this name." in response.content.decode()
    assert company.exhibitor_profile.products.count() == 1


# --- the exhibitor import, in the background -------------------------------------------------------


def test_exhibitor_import_page_checks_the_file_then_follows_the_import_to_the_drafts(
    client, event, organiser, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    upload = SimpleUploadedFile("last-year.csv", b"name,country\nNova Secure,FR\nSky Shield,DE\n")

    with django_capture_on_commit_callbacks(execute=False) as queued:
        sent = client.post(url("import", event), {"file": upload})
    job_url = sent["Location"]
    waiting = squash(client.get(job_url).content.decode())
    poll = client.get(job_url, HTTP_HX_REQUEST="true")
    for callback in queued:
        callback()
    over = client.get(job_url, HTTP_HX_REQUEST="true")
    done = squash(client.get(job_url).content.decode())
    listed = squash(client.get(url("import", event)).content.decode())

    assert sent.status_code == 302 and job_url.startswith(url("import", event))
    assert "last-year.csv" in waiting and "2 rows" in waiting
    assert "Waiting for a background worker to start the import" in waiting
    # while it waits, the fragment asks again every second; once over, htmx is told to stop (286)
    assert poll.status_code == 200 and 'hx-trigger="every 1s"' in poll.content.decode()
    assert over.status_code == 286 and "hx-trigger" not in over.content.decode()
    assert "2 exhibitors imported as drafts." in done
    assert f'href="{url("review_queue", event)}?state=draft"' in done
    assert "2 imported" in listed
    assert sorted(Application.objects.values_list("legal_name", flat=True)) == ["Nova Secure", "Sky Shield"]
    # the drafts have their own tab in the queue, where "See the drafts" leads
    drafts = squash(client.get(f"{url('review_queue', event)}?state=draft").content.decode())
    assert 'href="?state=draft" aria-current="page">Not yet submitted<span class="count">2</span>' in drafts
    assert "Nova Secure" in drafts and "Sky Shield" in drafts


def test_exhibitor_import_page_shows_why_nothing_was_imported(
    client, event, organiser, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        sent = client.post(
            url("import", event),
            {"file": SimpleUploadedFile("x.csv", b"name,country\nNova Secure,FR\nSky Shield,DE\n")},
            HTTP_ACCEPT_LANGUAGE="fr",  # the worker writes the rows' errors in the language of that page
        )
    factories.make_company(event, name="Nova Secure")  # registered meanwhile
    for callback in queued:
        callback()

    html = squash(client.get(sent["Location"], HTTP_ACCEPT_LANGUAGE="fr").content.decode())

    assert "Rien n'a été importé" in html
    assert "Nova Secure est déjà inscrit" in html
    assert Application.objects.count() == 0


def test_exhibitor_import_page_refuses_a_bad_file_at_once(client, event, organiser):
    client.force_login(organiser)
    r = client.post(
        url("import", event), {"file": SimpleUploadedFile("x.csv", b"name,country\nGood Co,FR\nBad Co,QQ\n")}
    )
    html = squash(r.content.decode())
    assert r.status_code == 400
    assert "Unknown country code QQ." in html and '<th scope="row">3</th>' in html
    assert event.exhibitor_imports.count() == 0 and Application.objects.count() == 0


def test_exhibitor_imports_are_the_organisers_own(client, event, organiser, company_admin):
    job = services.start_exhibitor_import(event=event, actor=organiser, text="name,country\nX,FR\n")
    other = factories.make_event(slug="elsewhere")
    client.force_login(company_admin)
    assert client.get(url("import_job", event, pk=job.pk)).status_code == 403
    client.force_login(organiser)
    assert client.get(url("import_job", other, pk=job.pk)).status_code in (403, 404)


def test_an_imported_company_accepts_the_e_mailed_invitation_and_submits_its_prefilled_draft(
    client, event, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    """Last year's exhibitor, from the organiser's file to an application awaiting a decision."""
    factories.make_sector(event, "drones")
    client.force_login(organiser)
    csv = (
        b"name,legal_name,country,website,sectors,description_en,contact_email\n"
        b"Corvus,Corvus Optics SAS,FR,https://corvus.test,drones,Thermal cameras,Nina@Corvus.test\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("import", event), {"file": SimpleUploadedFile("2025.csv", csv)})
    client.logout()
    [invitation] = [m for m in mailoutbox if m.to == ["nina@corvus.test"]]
    link = re.search(r"https?://[^/\s]+(/accounts/invitation/[^\s]+/)", invitation.body).group(1)

    joined = client.post(link, {"full_name": "Nina Nova", "password": "a-long-pass-phrase-7"})
    app = Application.objects.get()
    draft = squash(client.get(url("application", event, pk=app.pk)).content.decode())
    client.post(
        url("application_step", event, pk=app.pk, step="company"),
        {
            "legal_name": "Corvus Optics SAS",
            "trading_name": "Corvus",
            "country": "FR",
            "address": "1 quai",
            "registration_number": "RCS 42",
            "website": "https://corvus.test",
        },
    )
    client.post(
        url("application_step", event, pk=app.pk, step="contacts"),
        {"contacts": "Nina Nova; nina@corvus.test"},
    )
    client.post(
        url("application_step", event, pk=app.pk, step="sectors"),
        {"sectors": [s.pk for s in app.sectors.all()], "products": "Thermal cameras"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url("application_step", event, pk=app.pk, step="submit"), {"accept_terms": "on"})

    assert "application to exhibit is prefilled from last year's exhibitors" in invitation.body
    assert joined.status_code == 302
    assert "Corvus Optics SAS" in draft
    assert sent.status_code == 302, squash(sent.content.decode())[:2000]
    app.refresh_from_db()
    assert (app.state, app.legal_name, [s.code for s in app.sectors.all()]) == (
        S.SUBMITTED,
        "Corvus Optics SAS",
        ["drones"],
    )
    client.force_login(organiser)
    queue = squash(client.get(url("review_queue", event)).content.decode())
    assert f'href="{url("review_detail", event, pk=app.pk)}"' in queue  # awaiting a decision
