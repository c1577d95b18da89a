"""Admission: every capability derives from a person's admission at the event, through the
pages and the API alike. A matrix of admission states x capabilities, each refusal proving
that nothing changed and nothing leaked; then the loss of admission, one cause at a time."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from exhibition.accounts import admission
from exhibition.accounts.models import Membership, TradeVisitor
from exhibition.core.errors import ConflictError
from exhibition.core.models import AuditLogEntry
from exhibition.delegations.models import HostingWindow, VisitRequest
from exhibition.delegations.services import withdraw_delegation
from exhibition.exhibitors import services as exhibitor_services
from exhibition.exhibitors.models import Application, ExhibitorProfile, ScreeningHit
from exhibition.meetings import services as meeting_services
from exhibition.meetings.models import Meeting, MeetingRequest, Participant
from tests import factories
from tests.factories import meetings as mf
from tests.factories.delegations import make_official_delegation
from tests.factories.exhibitors import make_application, make_complete_draft

pytestmark = pytest.mark.django_db

SECRET_VISITOR = "Vera Secret-Visitor"
SECRET_DELEGATION = "Ministry of Hidden Affairs"

STATES = [
    "anonymous",
    "fresh_account",
    "signed_up_verified",
    "draft_applicant",
    "submitted_applicant",
    "rejected_company",
    "hit_confirmed_company",
    "exhibitor_staff",
    "removed_staff",
    "pending_visitor",
    "rejected_visitor",
    "approved_visitor",
    "delegation_member",
    "organiser",
]


@pytest.fixture
def world(event, organiser, django_capture_on_commit_callbacks):
    mf.move_to_future(event)
    ministry = make_official_delegation(event, SECRET_DELEGATION)
    ministry_p = Participant.objects.create(
        event=event, kind="delegation", organisation=ministry.organisation, name=SECRET_DELEGATION
    )
    factories.make_member(ministry.organisation, "lead")
    vera = mf.visitor(event, email="vera@example.test")
    vera.name = SECRET_VISITOR
    vera.save(update_fields=["name"])
    instant = mf.exhibitor(event, "Instant Optics", instant=True)

    users = {"anonymous": None, "organiser": organiser}
    users["fresh_account"] = factories.make_user(verified=False)
    users["signed_up_verified"] = factories.make_user()
    # A brand-new account that started an application (a draft, never submitted).
    users["draft_applicant"] = factories.make_user()
    exhibitor_services.start_application(
        event=event, actor=users["draft_applicant"], legal_name="Draft Co", country="FR"
    )
    submitted = factories.make_company(event, "Submitted Co")
    make_complete_draft(event, submitted, state=Application.State.SUBMITTED)
    users["submitted_applicant"] = factories.make_member(submitted, "admin")
    rejected = factories.make_company(event, "Rejected Co")
    make_application(event, rejected, state=Application.State.REJECTED)
    users["rejected_company"] = factories.make_member(rejected, "admin")
    # Approved, then a restricted-party hit confirmed: admission ends.
    flagged = factories.make_company(event, "Flagged Co")
    app = make_application(event, flagged, state=Application.State.APPROVED)
    users["hit_confirmed_company"] = factories.make_member(flagged, "admin")
    hit = ScreeningHit.objects.create(
        application=app, field="legal_name", candidate="Flagged Co", matched="FLAGGED CO", score=0.97
    )
    exhibitor_services.resolve_hit(hit=hit, actor=organiser, decision="confirm", reason="Same entity")
    aegis = factories.make_company(event, "Aegis Systems")
    make_application(event, aegis, state=Application.State.APPROVED)
    ExhibitorProfile.objects.create(event=event, organisation=aegis)
    aegis_p = mf.exhibitor_of(aegis)
    users["exhibitor_staff"] = factories.make_member(aegis, "staff")
    leaver = factories.make_member(aegis, "staff")
    admission.remove_member(membership=Membership.objects.get(user=leaver), actor=aegis_p.hosts.first().user)
    users["removed_staff"] = leaver
    users["pending_visitor"] = factories.make_visitor(event, status=TradeVisitor.Status.PENDING).user
    users["rejected_visitor"] = factories.make_visitor(event, status=TradeVisitor.Status.REJECTED).user
    users["approved_visitor"] = factories.make_visitor(event).user
    delegation = make_official_delegation(event, "Kenya Civil Protection")
    users["delegation_member"] = factories.make_member(delegation.organisation, "member")
    return {
        "event": event,
        "users": users,
        "ministry": ministry_p,
        "vera": vera,
        "instant": instant,
        "aegis": aegis,
    }


def _client(user):
    c = APIClient()
    if user is not None:
        c.force_login(user)
    return c


def _counts():
    return (
        MeetingRequest.objects.count(),
        Meeting.objects.count(),
        HostingWindow.objects.count(),
        len(mail.outbox),
    )


def _api(event, path):
    return f"/api/v1/events/{event.slug}/{path}"


# capability -> (how it is tried, the states that may use it)
def _directory(w, c):
    r = c.get(_api(w["event"], "meetings/participants/?kind=visitor"))
    return r, r.status_code == 200 and SECRET_VISITOR in r.content.decode()


def _directory_page(w, c):
    r = c.get(reverse("meetings:directory", kwargs={"event_slug": w["event"].slug}) + "?kind=visitor")
    return r, r.status_code == 200 and SECRET_VISITOR in r.content.decode()


def _request(w, c):
    r = c.post(
        _api(w["event"], "meetings/requests/"),
        {"recipient": w["ministry"].pk, "message": "Hello"},
        format="json",
    )
    return r, r.status_code == 201


def _book(w, c):
    r = c.post(
        _api(w["event"], "meetings/book/"),
        {"recipient": w["instant"].pk, "start": mf.at(w["event"], 2, "11:00").isoformat()},
        format="json",
    )
    return r, r.status_code == 201


def _delegations(w, c):
    r = c.get(_api(w["event"], "delegations/"))
    return r, r.status_code == 200 and SECRET_DELEGATION in r.content.decode()


def _hosting(w, c):
    r = c.get(_api(w["event"], "hosting-windows/"))
    return r, r.status_code == 200


def _open_hosting(w, c):
    r = c.post(
        _api(w["event"], "hosting-windows/"),
        {
            "organisation": w["aegis"].pk,
            "date": str(w["event"].days.first().date),
            "start": "10:00",
            "end": "11:00",
        },
        format="json",
    )
    return r, r.status_code == 201


def _staff(w, c):
    r = c.get(_api(w["event"], f"companies/{w['aegis'].pk}/staff/"))
    return r, r.status_code == 200


def _badges(w, c):
    r = c.get(_api(w["event"], f"companies/{w['aegis'].pk}/badges/"))
    return r, r.status_code == 200


def _delegations_page(w, c):
    r = c.get(reverse("delegations:list", kwargs={"event_slug": w["event"].slug}))
    return r, r.status_code == 200 and SECRET_DELEGATION in r.content.decode()


def _hosting_page(w, c):
    r = c.get(reverse("delegations:hosting", kwargs={"event_slug": w["event"].slug}))
    return r, r.status_code == 200


def _agenda(w, c):
    r = c.get(reverse("meetings:agenda", kwargs={"event_slug": w["event"].slug}))
    return r, r.status_code == 200


def _feed(w, c, user):
    if user is None:
        return None, False
    token = admission.calendar_token(user=user, event=w["event"])
    r = c.get(reverse("meetings:ics", kwargs={"event_slug": w["event"].slug, "token": token}))
    return r, r.status_code == 200


PARTICIPANTS = {"exhibitor_staff", "approved_visitor", "delegation_member"}
CAPABILITIES = {
    "meetings directory (API)": (_directory, PARTICIPANTS | {"organiser"}),
    "meetings directory (page)": (_directory_page, PARTICIPANTS | {"organiser"}),
    "request a meeting with a ministry": (_request, PARTICIPANTS),
    "book a meeting instantly": (_book, PARTICIPANTS),
    "list official delegations": (_delegations, {"organiser"}),
    "see hosting windows": (_hosting, {"exhibitor_staff", "organiser"}),
    "open a hosting window for Aegis": (_open_hosting, {"organiser"}),  # and Aegis's admin
    "list official delegations (page)": (_delegations_page, {"organiser"}),
    "see hosting (page)": (_hosting_page, {"exhibitor_staff"}),  # organisers open it per company
    "company staff list": (_staff, {"exhibitor_staff", "organiser"}),
    "company badges": (_badges, {"exhibitor_staff", "organiser"}),
    "agenda": (_agenda, PARTICIPANTS),
}


@pytest.mark.parametrize("state", STATES)
def test_every_capability_follows_admission_and_refusals_change_and_leak_nothing(world, state):
    user = world["users"][state]
    client = _client(user)
    for name, (attempt, allowed_states) in CAPABILITIES.items():
        before = _counts()
        response, allowed = attempt(world, client)
        expected = state in allowed_states
        assert allowed is expected, f"{state}: {name} answered {response.status_code}"
        if not expected:  # refused (3xx/4xx), or a list without what is not theirs to see
            assert response.status_code < 500 and response.status_code != 201, f"{state}: {name}"
            assert _counts() == before, f"{state}: {name} changed something"
            body = response.content.decode()
            assert SECRET_VISITOR not in body and SECRET_DELEGATION not in body, f"{state}: {name} leaked"
    response, allowed = _feed(world, client, user)
    assert allowed is (state in PARTICIPANTS | {"organiser"}), f"{state}: calendar feed"


def test_directory_lists_only_admitted_companies(client, world):
    r = client.get(_api(world["event"], "directory/"))
    names = {row["name"] for row in r.json()["results"]}
    assert "Aegis Systems" in names and "Instant Optics" in names
    assert not names & {"Draft Co", "Submitted Co", "Rejected Co", "Flagged Co"}
    page = client.get(
        reverse("exhibitors:directory", kwargs={"event_slug": world["event"].slug})
    ).content.decode()
    assert "Aegis Systems" in page and "Flagged Co" not in page and "Draft Co" not in page


def test_participant_search_never_shows_a_company_that_is_not_admitted(world):
    event = world["event"]
    drafted = Participant.objects.create(
        event=event,
        kind="exhibitor",
        name="Typed Any Name Ltd",
        organisation=factories.make_company(event, "Typed Any Name Ltd", admitted=False),
    )
    r = _client(world["users"]["approved_visitor"]).get(_api(event, "meetings/participants/?q=Typed"))
    assert r.status_code == 200 and r.json()["count"] == 0
    page = _client(world["users"]["approved_visitor"]).get(
        reverse("meetings:participant", kwargs={"event_slug": event.slug, "pk": drafted.pk})
    )
    assert page.status_code == 404


def test_applicant_follows_only_its_own_application_and_never_sees_screening(world):
    event, user = world["event"], world["users"]["draft_applicant"]
    app = Application.objects.get(legal_name="Draft Co")
    client = _client(user)
    r = client.get(_api(event, f"applications/{app.pk}/"))
    assert r.status_code == 200 and r.json()["legal_name"] == "Draft Co"
    assert not {"screening", "hits", "internal_notes"} & set(r.json())
    listed = client.get(_api(event, "applications/")).json()["results"]
    assert [row["legal_name"] for row in listed] == ["Draft Co"]
    assert "screening" not in listed[0]
    flagged = Application.objects.get(legal_name="Flagged Co")
    r = _client(world["users"]["hit_confirmed_company"]).get(_api(event, f"applications/{flagged.pk}/"))
    assert r.status_code == 200 and not {"screening", "hits"} & set(r.json())


def test_applicant_withdrawing_cannot_touch_the_organisers_notes(world, organiser):
    event = world["event"]
    app = Application.objects.get(legal_name="Submitted Co")
    exhibitor_services.save_internal_notes(application=app, actor=organiser, notes="Check export licence")
    r = _client(world["users"]["submitted_applicant"]).post(
        _api(event, f"applications/{app.pk}/transition/"), {"action": "withdraw", "notes": ""}, format="json"
    )
    assert r.status_code == 200
    app.refresh_from_db()
    assert (app.state, app.internal_notes) == (Application.State.WITHDRAWN, "Check export licence")


# --- losing admission ---------------------------------------------------------------------------------


@pytest.fixture
def busy_company(event, organiser, django_capture_on_commit_callbacks):
    """An admitted company with a pending request from it, two upcoming meetings and a hosting window."""
    mf.move_to_future(event)
    company = factories.make_company(event, "Aegis Systems")
    app = make_application(event, company, state=Application.State.APPROVED)
    exh = mf.exhibitor_of(company, instant=True)
    visitors = [mf.visitor(event, email=f"v{i}@example.test") for i in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        meetings = [
            meeting_services.book_instantly(
                actor=v.user, sender=v, recipient=exh, start=mf.at(event, 1, f"1{i}:00")
            )
            for i, v in enumerate(visitors[:2])
        ]
        pending = meeting_services.request_meeting(actor=mf.actor_of(exh), sender=exh, recipient=visitors[2])
    HostingWindow.objects.create(
        event=event, organisation=company, date=event.days.first().date, start="10:00", end="12:00"
    )
    mail.outbox.clear()
    return {
        "company": company,
        "app": app,
        "exh": exh,
        "meetings": meetings,
        "pending": pending,
        "visitors": visitors,
    }


def _assert_lost(busy, *, notices: int):
    for m in busy["meetings"]:
        m.refresh_from_db()
        assert m.status == Meeting.Status.CANCELLED
    busy["pending"].refresh_from_db()
    assert busy["pending"].status == MeetingRequest.Status.CANCELLED
    assert not HostingWindow.objects.filter(organisation=busy["company"]).exists()
    cancelled = [m for m in mail.outbox if "was cancelled" in m.body]
    assert sorted(m.to[0] for m in cancelled) == sorted(v.user.email for v in busy["visitors"][:2])
    assert len(cancelled) == notices
    assert all("restricted" not in m.body.lower() for m in mail.outbox)  # the reason stays internal


def test_rejecting_an_approved_application_ends_admission_at_once(
    event, organiser, busy_company, django_capture_on_commit_callbacks
):
    staff = mf.actor_of(busy_company["exh"])
    assert _client(staff).get(_api(event, "meetings/participants/")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        exhibitor_services.reject_application(
            application=busy_company["app"], actor=organiser, reason="Export licence withdrawn"
        )
    _assert_lost(busy_company, notices=2)
    assert _client(staff).get(_api(event, "meetings/participants/")).status_code == 403
    entry = AuditLogEntry.objects.get(action="admission.revoked")
    assert (entry.actor, entry.data["reason"]) == (organiser, "Export licence withdrawn")
    # Admission back restores nothing silently.
    busy_company["company"].refresh_from_db()
    admission.admit_organisation(organisation=busy_company["company"], actor=organiser)
    assert all(
        Meeting.objects.get(pk=m.pk).status == Meeting.Status.CANCELLED for m in busy_company["meetings"]
    )


def test_a_confirmed_screening_hit_ends_admission(
    event, organiser, busy_company, django_capture_on_commit_callbacks
):
    hit = ScreeningHit.objects.create(
        application=busy_company["app"],
        field="legal_name",
        candidate="Aegis Systems",
        matched="AEGIS SYSTEMS",
        score=0.99,
    )
    with django_capture_on_commit_callbacks(execute=True):
        exhibitor_services.resolve_hit(hit=hit, actor=organiser, decision="confirm", reason="Listed entity")
    _assert_lost(busy_company, notices=2)


def test_a_company_withdrawing_after_approval_loses_admission(
    event, busy_company, django_capture_on_commit_callbacks
):
    admin = busy_company["company"].memberships.get(role="admin").user
    with django_capture_on_commit_callbacks(execute=True):
        exhibitor_services.withdraw_application(
            application=busy_company["app"], actor=admin, reason="Not coming"
        )
    _assert_lost(busy_company, notices=2)


def test_removing_a_staff_member_cancels_only_the_meetings_they_host(
    event, busy_company, django_capture_on_commit_callbacks
):
    exh = busy_company["exh"]
    admin = exh.organisation.memberships.get(role="admin").user
    colleague = factories.make_member(exh.organisation, "staff")
    host = meeting_services.add_host(participant=exh, actor=admin, user=colleague)
    Meeting.objects.filter(pk=busy_company["meetings"][0].pk).update(host=host)
    with django_capture_on_commit_callbacks(execute=True):
        admission.remove_member(membership=Membership.objects.get(user=colleague), actor=admin, reason="Left")
    first, second = (Meeting.objects.get(pk=m.pk) for m in busy_company["meetings"])
    assert (first.status, second.status) == (Meeting.Status.CANCELLED, Meeting.Status.SCHEDULED)
    host.refresh_from_db()
    assert host.is_active is False
    assert _client(colleague).get(_api(event, "meetings/participants/")).status_code == 403
    assert [m.to for m in mail.outbox if "was cancelled" in m.body] == [
        [busy_company["visitors"][0].user.email],
        [admin.email],
    ]


def test_the_last_admin_cannot_be_removed(event, busy_company):
    admin_m = busy_company["company"].memberships.get(role="admin")
    with pytest.raises(ConflictError):
        admission.remove_member(membership=admin_m, actor=admin_m.user)
    assert Membership.objects.filter(pk=admin_m.pk).exists()


def test_withdrawing_visitor_approval_cancels_their_meetings(
    event, organiser, busy_company, django_capture_on_commit_callbacks
):
    visitor = busy_company["visitors"][0]
    with django_capture_on_commit_callbacks(execute=True):
        admission.set_visitor_status(
            visitor=visitor.visitor, actor=organiser, approve=False, reason="Vetting"
        )
    first, second = (Meeting.objects.get(pk=m.pk) for m in busy_company["meetings"])
    assert (first.status, second.status) == (Meeting.Status.CANCELLED, Meeting.Status.SCHEDULED)
    notified = [m.to[0] for m in mail.outbox if "was cancelled" in m.body]
    assert notified == [busy_company["company"].memberships.get(role="admin").user.email]
    assert AuditLogEntry.objects.filter(action="visitor.approval_withdrawn").count() == 1


def test_a_withdrawn_delegation_loses_admission_and_its_requests(
    event, organiser, django_capture_on_commit_callbacks
):
    delegation = make_official_delegation(event, "Kenya Civil Protection")
    head = factories.make_member(delegation.organisation, "lead")
    company = factories.make_company(event, "Aegis Systems")
    VisitRequest.objects.create(delegation=delegation, company=company)
    client = _client(head)
    assert client.get(_api(event, "delegations/")).status_code == 200
    withdraw_delegation(delegation=delegation, actor=organiser, reason="Visit cancelled by the ministry")
    assert client.get(_api(event, "delegations/")).status_code == 403
    assert VisitRequest.objects.get(delegation=delegation).status == VisitRequest.Status.DECLINED
    token = admission.calendar_token(user=head, event=event)
    assert (
        client.get(reverse("delegations:ics", kwargs={"event_slug": event.slug, "token": token})).status_code
        == 404
    )


def test_losing_admission_kills_the_calendar_address_for_good(event, organiser, busy_company):
    staff = mf.actor_of(busy_company["exh"])
    token = admission.calendar_token(user=staff, event=event)
    url = reverse("meetings:ics", kwargs={"event_slug": event.slug, "token": token})
    assert _client(None).get(url).status_code == 200
    exhibitor_services.reject_application(application=busy_company["app"], actor=organiser, reason="No")
    admission.admit_organisation(organisation=busy_company["company"], actor=organiser)
    assert _client(None).get(url).status_code == 404  # the old address stays dead even after re-admission
