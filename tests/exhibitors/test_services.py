from datetime import timedelta

import pytest
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from exhibition.accounts import services as account_services
from exhibition.accounts.models import Invitation, Membership, Organisation
from exhibition.core.errors import ConflictError, DomainError, NotAllowed
from exhibition.core.models import AuditLogEntry
from exhibition.exhibitors import services
from exhibition.exhibitors.models import (
    Application,
    ApplicationDocument,
    BadgeRequest,
    ExhibitorProfile,
    ExhibitorSettings,
    RestrictedParty,
    ScreeningHit,
    ScreeningRun,
)
from exhibition.exhibitors.selectors import badge_quota, badge_quota_for, settings_for
from tests import factories
from tests.factories.exhibitors import (
    make_application,
    make_complete_draft,
    make_party,
    make_stand,
    pdf_file,
)

S = Application.State


def test_start_application_creates_company_and_makes_actor_admin(event):
    user = factories.make_user(email="new@corp.test", full_name="Nina New")
    app = services.start_application(
        event=event,
        actor=user,
        legal_name="Corvus Optics SAS",
        country="FR",
        trading_name="Corvus",
        website="https://corvus.example",
    )
    org = app.organisation
    assert (org.name, org.kind, org.country.code, org.event_id) == ("Corvus", "company", "FR", event.pk)
    assert Membership.objects.get(organisation=org, user=user).role == Membership.Role.ADMIN
    assert app.state == S.DRAFT
    assert app.contacts == [{"name": "Nina New", "email": "new@corp.test", "phone": "", "role": ""}]
    assert AuditLogEntry.objects.filter(action="application.started", object_id=str(app.pk)).count() == 1


def test_start_application_twice_is_a_conflict(event):
    user = factories.make_user()
    services.start_application(event=event, actor=user, legal_name="One", country="FR")
    with pytest.raises(ConflictError):
        services.start_application(event=event, actor=user, legal_name="Two", country="FR")
    assert Application.objects.count() == 1


def test_start_application_refuses_a_taken_name(event, company):
    with pytest.raises(DomainError) as exc:
        services.start_application(
            event=event, actor=factories.make_user(), legal_name="Aegis Systems", country="FR"
        )
    assert exc.value.field == "legal_name"
    assert Organisation.objects.filter(event=event).count() == 1


def test_update_application_saves_steps_and_syncs_the_company(event, company, company_admin):
    sector = factories.make_sector(event, "drones")
    other_sector = factories.make_sector(factories.make_event(), "cyber")
    app = make_application(event, company)
    services.update_application(
        application=app,
        actor=company_admin,
        trading_name="Aegis Drones",
        sectors=[sector],
        stand_area="24",
        open_sides=2,
    )
    app.refresh_from_db()
    company.refresh_from_db()
    assert (app.trading_name, app.stand_area, app.open_sides) == ("Aegis Drones", 24, 2)
    assert list(app.sectors.all()) == [sector]
    assert company.name == "Aegis Drones"
    with pytest.raises(DomainError) as exc:
        services.update_application(application=app, actor=company_admin, sectors=[other_sector])
    assert exc.value.field == "sectors"


def test_update_application_after_submission_is_refused(event, company, company_admin):
    app = make_application(event, company, state=S.SUBMITTED)
    with pytest.raises(ConflictError):
        services.update_application(application=app, actor=company_admin, products="changed")
    app.refresh_from_db()
    assert app.products == "Encrypted radios"


def test_update_application_by_staff_member_is_not_allowed(event, company):
    staff = factories.make_member(company, Membership.Role.STAFF)
    app = make_application(event, company)
    with pytest.raises(NotAllowed):
        services.update_application(application=app, actor=staff, products="x")


def test_submit_requires_terms_and_complete_answers(event, company, company_admin):
    app = make_application(event, company)
    with pytest.raises(DomainError) as exc:
        services.submit_application(application=app, actor=company_admin, accept_terms=False)
    assert exc.value.field == "accept_terms"
    with pytest.raises(DomainError) as exc:
        services.submit_application(application=app, actor=company_admin, accept_terms=True)
    assert exc.value.field == "sectors"
    assert Application.objects.get(pk=app.pk).state == S.DRAFT


def test_submit_records_terms_screens_and_emails_after_commit(
    event, company, company_admin, mailoutbox, django_capture_on_commit_callbacks
):
    make_party(event, "Aegis Systemes")
    app = make_complete_draft(event, company)
    with django_capture_on_commit_callbacks(execute=True):
        app = services.submit_application(application=app, actor=company_admin, accept_terms=True)
    assert app.state == S.SUBMITTED
    assert app.terms_version == "1" and app.terms_accepted_at is not None
    assert app.screening == Application.Screening.HITS
    hit = ScreeningHit.objects.get(application=app)
    assert (hit.field, hit.candidate, hit.matched, hit.status) == (
        "legal_name",
        "Aegis Systems",
        "Aegis Systemes",
        "open",
    )
    assert [m.to for m in mailoutbox] == [["admin@aegis.test"]]
    assert "Submitted" in mailoutbox[0].subject


def test_submit_after_deadline_is_waitlisted(event, company, company_admin):
    ExhibitorSettings.objects.create(event=event, application_deadline=timezone.now() - timedelta(days=1))
    app = make_complete_draft(event, company)
    app = services.submit_application(application=app, actor=company_admin, accept_terms=True)
    assert (app.state, app.is_late) == (S.WAITLISTED, True)


def test_approve_is_refused_while_a_hit_is_open_then_allowed_once_cleared(
    event, organiser, company, company_admin, mailoutbox, django_capture_on_commit_callbacks
):
    make_party(event, "Aegis Systems Ltd")
    app = make_complete_draft(event, company)
    services.submit_application(application=app, actor=company_admin, accept_terms=True)
    with pytest.raises(DomainError) as exc:
        services.approve_application(application=app, actor=organiser)
    assert exc.value.code == "screening_open"
    assert Application.objects.get(pk=app.pk).state == S.SUBMITTED
    hit = ScreeningHit.objects.get(application=app)
    services.resolve_hit(hit=hit, actor=organiser, decision="clear", reason="Different company, checked Kbis")
    with django_capture_on_commit_callbacks(execute=True):
        app = services.approve_application(application=app, actor=organiser)
    assert app.state == S.APPROVED
    assert Application.objects.get(pk=app.pk).screening == Application.Screening.RESOLVED
    assert ExhibitorProfile.objects.filter(organisation=company).count() == 1
    assert "Approved" in mailoutbox[-1].subject
    assert AuditLogEntry.objects.filter(action="application.approve", object_id=str(app.pk)).count() == 1
    assert AuditLogEntry.objects.filter(action="screening.hit_cleared").count() == 1


def test_confirmed_hit_blocks_approval(event, organiser, company, company_admin):
    make_party(event, "Aegis Systems")
    app = make_complete_draft(event, company)
    services.submit_application(application=app, actor=company_admin, accept_terms=True)
    services.resolve_hit(
        hit=ScreeningHit.objects.get(application=app),
        actor=organiser,
        decision="confirm",
        reason="Same registration number",
    )
    with pytest.raises(DomainError) as exc:
        services.approve_application(application=app, actor=organiser)
    assert exc.value.code == "screening_confirmed"


def test_resolve_hit_needs_a_reason_and_an_organiser(event, organiser, company, company_admin):
    app = make_application(event, company, state=S.SUBMITTED)
    make_party(event, "Aegis Systems")
    services.screen_application(application=app)
    hit = ScreeningHit.objects.get(application=app)
    with pytest.raises(DomainError):
        services.resolve_hit(hit=hit, actor=organiser, decision="clear", reason=" ")
    with pytest.raises(NotAllowed):
        services.resolve_hit(hit=hit, actor=company_admin, decision="clear", reason="it's us")
    assert ScreeningHit.objects.get(pk=hit.pk).status == "open"


def test_reject_needs_a_reason_and_cannot_be_repeated(event, organiser, company):
    app = make_application(event, company, state=S.UNDER_REVIEW)
    with pytest.raises(DomainError):
        services.reject_application(application=app, actor=organiser, reason="")
    services.reject_application(application=app, actor=organiser, reason="Not a security company")
    with pytest.raises(ConflictError):
        services.reject_application(application=app, actor=organiser, reason="again")
    app.refresh_from_db()
    assert (app.state, app.reason) == (S.REJECTED, "Not a security company")


def test_company_cannot_approve_itself(event, company, company_admin):
    app = make_application(event, company, state=S.SUBMITTED)
    with pytest.raises(NotAllowed):
        services.approve_application(application=app, actor=company_admin)
    assert Application.objects.get(pk=app.pk).state == S.SUBMITTED


def test_withdraw_by_company_admin(event, company, company_admin):
    app = make_application(event, company, state=S.SUBMITTED)
    app = services.withdraw_application(application=app, actor=company_admin, reason="Budget")
    assert (app.state, app.reason) == (S.WITHDRAWN, "Budget")


def test_bulk_transition_reports_each_failure(event, organiser):
    ok = make_application(event, state=S.SUBMITTED)
    draft = make_application(event, state=S.DRAFT)
    flagged = make_application(event, state=S.SUBMITTED, legal_name="Red Star Trading")
    make_party(event, "Red Star Trading")
    services.screen_application(application=flagged)
    done, failed = services.bulk_transition(
        event=event, actor=organiser, ids=[ok.pk, draft.pk, flagged.pk], action="approve"
    )
    assert done == [ok.pk]
    assert [pk for pk, _m in failed] == [draft.pk, flagged.pk]
    assert Application.objects.get(pk=flagged.pk).state == S.SUBMITTED


def test_add_document_accepts_a_pdf_and_stores_it_privately(event, company, company_admin):
    app = make_application(event, company)
    doc = services.add_document(
        application=app, actor=company_admin, uploaded_file=pdf_file(), kind="registration"
    )
    assert (doc.original_name, doc.size, doc.kind) == (
        "certificate.pdf",
        len(pdf_file().read()),
        "registration",
    )

    assert doc.file.storage is storages["private"]  # PrivateStorage (never served by URL) in production
    assert storages["private"].exists(doc.file.name) and not default_storage.exists(doc.file.name)


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"MZ\x90\x00 not a pdf", "virus.pdf"),
        (b"%PDF-1.4 truncated without end", "broken.pdf"),
    ],
)
def test_add_document_refuses_what_is_not_a_pdf(event, company, company_admin, content, name):
    app = make_application(event, company)
    with pytest.raises(DomainError) as exc:
        services.add_document(application=app, actor=company_admin, uploaded_file=pdf_file(name, content))
    assert exc.value.field == "file"
    assert ApplicationDocument.objects.count() == 0


def test_add_document_refuses_oversized_files(event, company, company_admin):
    ExhibitorSettings.objects.create(event=event, max_document_mb=1)
    big = b"%PDF-1.4\n" + b"0" * (1024 * 1024) + b"\n%%EOF\n"
    with pytest.raises(DomainError) as exc:
        services.add_document(
            application=make_application(event, company),
            actor=company_admin,
            uploaded_file=pdf_file("big.pdf", big),
        )
    assert "1 MB" in exc.value.message


def test_import_restricted_parties_is_all_or_nothing(event, organiser):
    make_party(event, "Old Entry")
    bad = "name,aliases,country,source\nRed Star Trading,RST|Krasnaya Zvezda,RU,EU\n,x,FR,EU\nBlue,,ZZ,UN\n"
    with pytest.raises(services.ImportFailed) as exc:
        services.import_restricted_parties(event=event, actor=organiser, text=bad)
    assert [row for row, _m in exc.value.errors] == [3, 4]
    assert list(RestrictedParty.objects.values_list("name", flat=True)) == ["Old Entry"]


def test_import_restricted_parties_replaces_the_list_and_rescreens(
    event, organiser, company, django_capture_on_commit_callbacks
):
    app = make_application(
        event, company, state=S.SUBMITTED, co_exhibitors=[{"name": "Krasnaya Zvezda OOO", "country": "RU"}]
    )
    text = "name,aliases,country,source\nRed Star Trading,RST|Krasnaya Zvezda,RU,EU\n"
    with django_capture_on_commit_callbacks(execute=True):
        n = services.import_restricted_parties(event=event, actor=organiser, text=text)
    assert n == 1
    run = ScreeningRun.objects.get(event=event)
    assert (run.status, run.total, run.done, run.hits) == ("done", 1, 1, 1)
    hit = ScreeningHit.objects.get(application=app)
    assert (hit.field, hit.candidate, hit.matched) == (
        "co_exhibitor",
        "Krasnaya Zvezda OOO",
        "Krasnaya Zvezda",
    )
    assert settings_for(event).list_version == 1


def test_rescreen_keeps_decisions_and_drops_hits_that_no_longer_match(event, organiser, company):
    app = make_application(
        event,
        company,
        state=S.SUBMITTED,
        legal_name="Aegis Systems",
        contacts=[{"name": "Ivan Petrov", "email": "", "phone": "", "role": ""}],
    )
    party = make_party(event, "Aegis Systems")
    person = make_party(event, "Petrov Ivan")
    services.screen_application(application=app)
    hits = {h.candidate: h for h in ScreeningHit.objects.filter(application=app)}
    services.resolve_hit(
        hit=hits["Aegis Systems"], actor=organiser, decision="clear", reason="Different firm"
    )
    person.delete()
    party.name = "Aegis Systems"
    open_count = services.screen_application(application=Application.objects.get(pk=app.pk))
    assert open_count == 0
    assert list(ScreeningHit.objects.filter(application=app).values_list("status", flat=True)) == ["cleared"]


def test_embargoed_country_is_a_hit(event, organiser, company):
    app = make_application(event, company, state=S.SUBMITTED, country="KP")
    services.set_embargoed_countries(event=event, actor=organiser, codes=["kp", " IR"])
    services.screen_application(application=app)
    hit = ScreeningHit.objects.get(application=app)
    assert (hit.field, hit.candidate, hit.score) == ("country", "KP", 1.0)
    assert settings_for(event).embargoed_countries == ["IR", "KP"]


@pytest.mark.parametrize(("area", "badges"), [(0, 0), (6, 2), (9, 2), (9.5, 3), (19, 3), (19.01, 4), (50, 7)])
def test_badge_quota_default_rule(event, area, badges):
    assert badge_quota(settings_for(event), area) == badges


def test_badge_quota_counts_reserved_and_sold_stands_only(event, company):
    hall = factories.make_hall(event)
    make_stand(event, hall, "A1", exhibitor=company, width=3, depth=4)  # 12, sold
    make_stand(event, hall, "A2", exhibitor=company, width=2, depth=4, x=10, status="reserved")  # 8
    make_stand(event, hall, "A3", exhibitor=company, width=5, depth=5, x=20, status="held")  # not counted
    q = badge_quota_for(company)
    assert (q.area, q.total) == (20.0, 4)


def test_request_badge_within_quota_then_refused(event, company, company_admin):
    hall = factories.make_hall(event)
    make_stand(event, hall, "A1", exhibitor=company)  # 9 m2 -> 2 badges
    services.request_badge(organisation=company, actor=company_admin, name="Ann One", role="Sales")
    services.request_badge(organisation=company, actor=company_admin, name="Bob Two")
    with pytest.raises(ConflictError):
        services.request_badge(organisation=company, actor=company_admin, name="Cat Three")
    assert list(BadgeRequest.objects.values_list("name", flat=True)) == ["Ann One", "Bob Two"]


def test_request_badge_without_a_stand_is_refused(event, company, company_admin):
    with pytest.raises(ConflictError):
        services.request_badge(organisation=company, actor=company_admin, name="Ann One")


def test_invite_colleague_only_by_company_admin(
    event, company, company_admin, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        inv = services.invite_colleague(organisation=company, actor=company_admin, email="bob@aegis.test")
    assert (inv.role, inv.organisation_id) == (Invitation.Role.COMPANY_STAFF, company.pk)
    assert mailoutbox[-1].to == ["bob@aegis.test"]
    staff = factories.make_member(company, Membership.Role.STAFF)
    with pytest.raises(NotAllowed):
        services.invite_colleague(organisation=company, actor=staff, email="eve@aegis.test")


def test_update_profile_and_products_feed_the_search_text(event, company, company_admin):
    sector = factories.make_sector(event, "drones")
    services.update_profile(
        organisation=company,
        actor=company_admin,
        description_en="We build drones",
        description_fr="Nous construisons des drones",
        website="https://aegis.example",
    )
    services.add_product(organisation=company, actor=company_admin, name="SkyNet Jammer", sectors=[sector])
    profile = ExhibitorProfile.objects.get(organisation=company)
    assert profile.description_fr == "Nous construisons des drones"
    assert "SkyNet Jammer" in profile.search_text and "Drones" in profile.search_text


def test_update_profile_refuses_a_fake_logo(event, company, company_admin):
    with pytest.raises(DomainError) as exc:
        services.update_profile(
            organisation=company,
            actor=company_admin,
            logo=SimpleUploadedFile("logo.png", b"not an image", content_type="image/png"),
        )
    assert exc.value.field == "logo"


def test_import_exhibitors_all_or_nothing_with_row_errors(event, organiser, company):
    factories.make_sector(event, "cyber")
    text = (
        "name,legal_name,country,website,sectors,description_en,description_fr,contact_email\n"
        "Nova Secure,Nova Secure SAS,FR,https://nova.example,cyber,Encryption,Chiffrement,boss@nova.test\n"
        "Aegis Systems,,FR,,,,,\n"
        "Bad Country,,XX,,nope,,,\n"
    )
    with pytest.raises(services.ImportFailed) as exc:
        services.import_exhibitors_csv(event=event, actor=organiser, text=text)
    assert [row for row, _m in exc.value.errors] == [3, 4]
    assert "Unknown sector nope" in exc.value.errors[1][1]
    assert Organisation.objects.filter(event=event).count() == 1


def test_import_exhibitors_names_contacts_who_cannot_be_invited(event, organiser, company):
    """Each contact is invited as their company's admin, and a person has one invitation waiting
    at a time: a contact already invited, or the contact of two rows, is a row error, found before
    anything is written (an expired invitation no longer counts)."""
    account_services.invite(
        event=event, actor=organiser, email="Waiting@Nova.test", role="company_admin", organisation=company
    )
    expired = account_services.invite(
        event=event, actor=organiser, email="old@nova.test", role="company_admin", organisation=company
    )
    Invitation.objects.filter(pk=expired.pk).update(created_at=timezone.now() - timedelta(days=30))
    text = (
        "name,country,contact_email\n"
        "Nova Secure,FR,waiting@nova.test\n"
        "Orion Labs,DE,consultant@example.test\n"
        "Sky Shield,DE,CONSULTANT@example.test\n"
        "Old Friends,FR,old@nova.test\n"
    )
    with pytest.raises(services.ImportFailed) as exc:
        services.check_exhibitors_csv(event=event, text=text)

    assert exc.value.errors == [
        (2, "waiting@nova.test already has an invitation waiting: revoke it, or leave the contact out."),
        (
            4,
            "consultant@example.test is also the contact of row 3: a person is invited to one company at a time.",
        ),
    ]


def test_import_exhibitors_creates_drafts_profiles_and_invitations(event, organiser):
    factories.make_sector(event, "cyber")
    text = (
        "name,legal_name,country,website,sectors,description_en,description_fr,contact_email\n"
        "Nova Secure,Nova Secure SAS,FR,https://nova.example,cyber|cyber,Encryption,Chiffrement,boss@nova.test\n"
        "Orion Labs,,DE,,,,,\n"
    )
    [app, other] = services.import_exhibitors_csv(event=event, actor=organiser, text=text)
    # a sector named twice counts once, for the company and its draft alike
    assert (
        [s.code for s in app.sectors.all()] == [s.code for s in app.organisation.sectors.all()] == ["cyber"]
    )
    assert not other.sectors.exists() and not other.organisation.sectors.exists()
    assert (app.state, app.legal_name, app.trading_name, app.organisation.name) == (
        "draft",
        "Nova Secure SAS",
        "Nova Secure",
        "Nova Secure",
    )
    assert ExhibitorProfile.objects.get(organisation=app.organisation).description_fr == "Chiffrement"
    assert Invitation.objects.get(organisation=app.organisation).email == "boss@nova.test"


def test_import_exhibitors_refuses_a_file_beyond_the_limit_at_once(event, organiser):
    rows = "".join(f"Company {i},FR\n" for i in range(services.MAX_ROWS + 1))
    with pytest.raises(services.ImportFailed) as exc:
        services.start_exhibitor_import(event=event, actor=organiser, text="name,country\n" + rows)
    assert exc.value.errors[-1][1] == "The file has more than 10,000 rows: split it."
    assert not event.exhibitor_imports.exists()
