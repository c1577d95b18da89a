"""The shredder, a person's download and erasure, through the services and eager Celery."""

from __future__ import annotations

import json
import zipfile
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from exhibition.accounts.models import TradeVisitor, User
from exhibition.booking import services as booking
from exhibition.booking.models import Invoice
from exhibition.core import audit
from exhibition.core.errors import ConflictError, DomainError, NotAllowed
from exhibition.core.models import AuditLogEntry, OutboxMessage
from exhibition.delegations.models import DelegationMember
from exhibition.events.models import ShowDay
from exhibition.exhibitors.models import ApplicationDocument, ExhibitorImport
from exhibition.privacy import services
from exhibition.privacy.models import Job
from tests import factories
from tests.factories import booking as booking_factories
from tests.factories.delegations import make_official_delegation
from tests.factories.exhibitors import make_application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.PRIVACY_MIN_DAYS_AFTER_SHOW = 30


def _show_ended(event, days_ago: int) -> date:
    """Move the show so that its last day was ``days_ago`` days ago (in the show's time zone)."""
    last = timezone.localdate(timezone.now(), event.tz) - timedelta(days=days_ago)
    days = list(event.days.order_by("-date"))
    for i, day in enumerate(days):  # latest first: (event, date) stays unique on the way
        ShowDay.objects.filter(pk=day.pk).update(date=last - timedelta(days=i) - timedelta(days=10_000))
    for i, day in enumerate(days):
        ShowDay.objects.filter(pk=day.pk).update(date=last - timedelta(days=i))
    return last


@pytest.fixture
def personal_data(event, organiser):
    visitor = factories.make_visitor(event, email="visitor@example.test")
    TradeVisitor.objects.filter(pk=visitor.pk).update(
        organisation_name="Gendarmerie", job_title="Colonel", looking_for="drones"
    )
    audit.record(
        actor=visitor.user,
        action="visitor.registered",
        obj=visitor,
        event=event,
        email="visitor@example.test",
        name="Jean Dupont",
    )
    delegation = make_official_delegation(event, "Brazil")
    member = DelegationMember.objects.create(
        delegation=delegation, name="Gen. Silva", title="General", email="silva@example.test"
    )
    application = make_application(event, state="submitted")
    doc = ApplicationDocument.objects.create(
        application=application,
        kind="other",
        original_name="kbis.pdf",
        size=5,
        file=SimpleUploadedFile("kbis.pdf", b"%PDF-"),
    )
    sent = OutboxMessage.objects.create(
        event=event,
        kind="t",
        recipient="visitor@example.test",
        subject="Welcome",
        body="Dear Jean",
        status=OutboxMessage.Status.SENT,
    )
    refused = ExhibitorImport.objects.create(
        event=event,
        started_by=organiser,
        status=ExhibitorImport.Status.FAILED,
        filename="2025.csv",
        total=1,
        errors=[
            [
                2,
                "visitor@example.test already has an invitation waiting: revoke it, or leave the contact out.",
            ]
        ],
    )
    return {"visitor": visitor, "member": member, "doc": doc, "sent": sent, "import": refused}


def test_nothing_is_shredded_before_the_floor_after_the_show(event, organiser, personal_data):
    _show_ended(event, days_ago=29)
    services.update_retention(event=event, actor=organiser, days={"outbox_bodies": 30})
    with pytest.raises(DomainError, match="Nothing is due"):
        services.start_shredder(event=event, actor=organiser)
    assert services.shred_due_events() == 0
    assert Job.objects.count() == 0
    with pytest.raises(DomainError) as caught:
        services.update_retention(event=event, actor=organiser, days={"outbox_bodies": 7})
    assert caught.value.field == "outbox_bodies" and "Between 30 and 3650 days" in caught.value.message


def test_the_shredder_archives_then_shreds_only_the_due_categories(
    event, organiser, personal_data, django_capture_on_commit_callbacks, settings
):
    _show_ended(event, days_ago=100)
    services.update_retention(
        event=event,
        actor=organiser,
        days={
            "visitor_registrations": 90,
            "delegation_members": 90,
            "uploaded_documents": 90,
            "screening_evidence": 365,
            "outbox_bodies": 30,
        },
    )
    company, admin = booking_factories.make_exhibitor(event, "Aegis Systems")
    hold = booking.hold_stand(
        event=event, stand=booking_factories.make_stand(event, "5A-001"), organisation=company, actor=admin
    )
    booking.confirm_booking(booking=hold, actor=admin)
    invoice = Invoice.objects.get()
    doc_file = personal_data["doc"].file  # through the storage API (in memory in the tests, S3 in production)
    assert doc_file.storage.exists(doc_file.name)

    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_shredder(event=event, actor=organiser)
    job.refresh_from_db()

    assert job.status == "done" and job.done == job.total
    assert job.report["counts"] == {
        "visitor_registrations": 1,
        "delegation_members": 1,
        "uploaded_documents": 1,
        "outbox_bodies": 1,
        "ip_addresses": 0,
        "exhibitor_imports": 1,
    }  # screening: not due; unsent e-mail: kept
    visitor = TradeVisitor.objects.get(pk=personal_data["visitor"].pk)
    assert (visitor.organisation_name, visitor.job_title, visitor.looking_for) == (
        "[shredded]",
        "[shredded]",
        "",
    )
    member = DelegationMember.objects.get(pk=personal_data["member"].pk)
    assert (member.name, member.email, member.title) == ("[shredded]", "", "")
    assert not ApplicationDocument.objects.exists() and not doc_file.storage.exists(doc_file.name)
    sent = OutboxMessage.objects.get(pk=personal_data["sent"].pk)
    assert (sent.recipient, sent.body) == ("", "")
    # kept: the invoice, whole; the audit entry, redacted
    assert Invoice.objects.get().gross == invoice.gross and Invoice.objects.get().buyer == invoice.buyer
    entry = AuditLogEntry.objects.get(action="visitor.registered")
    assert entry.data == {"email": "[redacted]", "name": "[redacted]"} and entry.redacted_at is not None
    assert entry.object_repr == "[redacted]"
    # the archive holds what went, for the organiser
    with zipfile.ZipFile(services.file_path(job)) as archive:
        assert sorted(archive.namelist()) == [
            "delegation_members.json",
            "exhibitor_imports.json",
            "ip_addresses.json",
            "outbox_bodies.json",
            "uploaded_documents.json",
            "visitor_registrations.json",
        ]
        visitors = json.loads(archive.read("visitor_registrations.json"))
    assert visitors[0]["job_title"] == "Colonel" and visitors[0]["email"] == "visitor@example.test"

    # a second run finds nothing more to shred
    with django_capture_on_commit_callbacks(execute=True):
        again = services.start_shredder(event=event, actor=organiser)
    again.refresh_from_db()
    assert again.report["counts"] == dict.fromkeys(job.report["counts"], 0)


def test_the_daily_sweep_starts_a_run_once_a_category_is_due(
    event, organiser, personal_data, django_capture_on_commit_callbacks
):
    _show_ended(event, days_ago=31)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.shred_due_events() == 1  # sent e-mails: 30 days by default
    job = Job.objects.get()
    assert (
        job.status == "done"
        and job.started_by is None
        and job.report["counts"] == {"outbox_bodies": 1, "ip_addresses": 0, "exhibitor_imports": 1}
    )
    assert not ExhibitorImport.objects.exists()  # the refused row named a contact's address
    assert services.shred_due_events() == 0


def test_only_one_shredder_run_at_a_time_and_only_organiser_admins(
    event, organiser, company_admin, personal_data
):
    _show_ended(event, days_ago=100)
    services.start_shredder(event=event, actor=organiser)  # queued: on_commit not run here
    with pytest.raises(ConflictError):
        services.start_shredder(event=event, actor=organiser)
    staff = factories.make_organiser(event, role="staff", email="staff@example.test")
    for actor in (staff, company_admin):
        with pytest.raises(NotAllowed):
            services.start_shredder(event=event, actor=actor)
        with pytest.raises(NotAllowed):
            services.update_retention(event=event, actor=actor, days={"outbox_bodies": 60})


def test_a_person_downloads_everything_the_platform_holds_about_them(
    event, personal_data, django_capture_on_commit_callbacks
):
    user = personal_data["visitor"].user
    with django_capture_on_commit_callbacks(execute=True):
        job = services.request_export(person=user)
    job.refresh_from_db()
    data = json.loads(services.file_path(job).read_text())
    assert job.status == "done" and job.percent == 100
    assert data["account"] == [
        {
            "email": "visitor@example.test",
            "name": user.full_name,
            "language": user.language,
            "joined": user.date_joined.isoformat(),
            "last_login": None,
        }
    ]
    assert data["visitor_registrations"][0]["job_title"] == "Colonel"
    assert data["emails"] == [{"subject": "Welcome", "sent": None, "status": "sent", "body": "Dear Jean"}]
    assert [a["action"] for a in data["actions"]] == ["visitor.registered", "privacy.export_requested"]
    assert [r["row"] for r in data["exhibitor_import_rows"]] == [2]


def test_erasure_needs_the_e_mail_typed_then_anonymises_everywhere_but_keeps_invoices(
    event, personal_data, django_capture_on_commit_callbacks
):
    user = personal_data["visitor"].user
    DelegationMember.objects.create(
        delegation=personal_data["member"].delegation, name="Jean Dupont", email="VISITOR@example.test"
    )
    with pytest.raises(DomainError) as caught:
        services.request_erasure(person=user, confirm_email="someone@else.test")
    assert caught.value.field == "confirm_email" and Job.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        job = services.request_erasure(person=user, confirm_email="Visitor@Example.test")
    job.refresh_from_db()
    user = User.objects.get(pk=user.pk)
    assert job.status == "done"
    assert (user.email, user.full_name, user.is_active, user.has_usable_password()) == (
        f"erased-{user.pk}@erased.invalid",
        "",
        False,
        False,
    )
    assert TradeVisitor.objects.get(user=user).job_title == "[shredded]"
    assert DelegationMember.objects.filter(email__iexact="visitor@example.test").count() == 0
    assert OutboxMessage.objects.get(pk=personal_data["sent"].pk).body == ""
    assert AuditLogEntry.objects.get(action="visitor.registered").data["email"] == "[redacted]"
    assert AuditLogEntry.objects.filter(action="privacy.erased").count() == 1
    # the refused import row that named the person keeps its row number, not the address
    assert ExhibitorImport.objects.get().errors == [
        [2, "[erased] already has an invitation waiting: revoke it, or leave the contact out."]
    ]
    with pytest.raises(ConflictError):
        services.request_erasure(person=user, confirm_email=user.email)
