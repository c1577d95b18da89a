"""The API: scanners authenticate as devices; organisers, holders and exhibitors through the
same permission gate as the pages."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader
from rest_framework.test import APIClient

from exhibition.accounts import admission
from exhibition.accounts.models import Membership
from exhibition.accreditation import services
from exhibition.accreditation.models import Badge, Device, Lead, PrintJob, Scan
from exhibition.core.models import OutboxMessage
from exhibition.delegations.models import DelegationMember
from exhibition.exhibitors import services as exhibitor_services
from tests import factories
from tests.accreditation.test_services import jpeg
from tests.factories.accreditation import at, make_device, make_site
from tests.factories.delegations import make_official_delegation
from tests.factories.floorplans import make_stand, sell

pytestmark = pytest.mark.django_db


def api(site, path):
    return f"/api/v1/events/{site.event.slug}/accreditation/{path}"


def device_client(token):
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Device {token}")
    return c


def visitor_badge(site):
    v = factories.make_visitor(site.event)
    return services.issue_for_person(event=site.event, user=v.user, actor=v.user)


def test_a_scanner_registers_once_with_its_code_syncs_and_redeems(site, clock):
    clock.set(at(site.event, "2025-11-19", "10:00"))
    device, code = services.create_device(
        event=site.event, actor=site.organiser, name="Hall 5A north", gate=site.gates["hall-5a"]
    )
    anon = APIClient()
    wrong = anon.post(api(site, "checkin/register/"), {"code": "AAAA-BBBB"}, format="json")
    first = anon.post(api(site, "checkin/register/"), {"code": code.lower()}, format="json")
    again = anon.post(api(site, "checkin/register/"), {"code": code}, format="json")
    assert (wrong.status_code, first.status_code, again.status_code) == (400, 201, 400)
    assert wrong.json() == {"code": ["This code is not valid: ask the organiser for a new one."]}
    token = first.json()["token"]
    stored = Device.objects.get(pk=device.pk)
    assert token not in (stored.token_hash, stored.code_hash) and stored.code_hash == ""

    scanner = device_client(token)
    sync = scanner.get(api(site, "checkin/sync/"))
    badge = visitor_badge(site)
    services.revoke_badge(badge=visitor_badge(site), actor=site.organiser)
    answer = scanner.post(
        api(site, "checkin/redeem/"), {"code": services.code_for(badge), "nonce": "n1"}, format="json"
    )

    assert sync.status_code == 200
    assert sync.json()["device"] == {
        "id": device.pk,
        "name": "Hall 5A north",
        "gate": site.gates["hall-5a"].pk,
    }
    assert {"keys", "days", "categories", "zones", "rules", "gates", "revoked", "time_zone"} <= set(
        sync.json()
    )
    assert answer.status_code == 200
    body = answer.json()
    assert (body["status"], body["reason"], body["zone"], body["badge"]["name"]) == (
        "ok",
        None,
        site.zones["hall-5a"].pk,
        badge.name,
    )
    assert Scan.objects.get().gate == site.gates["hall-5a"]
    assert len(scanner.get(api(site, "checkin/sync/")).json()["revoked"]) == 1


def test_a_withdrawn_scanner_is_refused_and_nothing_else_lets_a_device_in(site, other_event):
    device, token = make_device(site)
    scanner = device_client(token)
    assert scanner.get(api(site, "checkin/sync/")).status_code == 200
    # A device is not a person: it reaches nothing but its own event's scanner endpoints.
    for path in ("badges/", "devices/", "scans/", "live/", "leads/", "my-badge/"):
        assert scanner.get(api(site, path)).status_code in (401, 403), path
    other_site = make_site(other_event)
    assert (
        scanner.get(f"/api/v1/events/{other_site.event.slug}/accreditation/checkin/sync/").status_code == 403
    )

    services.revoke_device(device=device, actor=site.organiser)
    refused = scanner.post(api(site, "checkin/redeem/"), {"code": "X", "nonce": "n"}, format="json")
    assert refused.status_code == 401
    assert refused.json()["detail"] == "This scanner was withdrawn by the organiser."
    assert Scan.objects.count() == 0
    assert device_client("made-up").get(api(site, "checkin/sync/")).status_code == 401


def test_redeem_answers_bad_input_with_field_errors(site):
    _device, token = make_device(site)
    scanner = device_client(token)
    r = scanner.post(
        api(site, "checkin/redeem/"), {"code": "X", "nonce": "n", "direction": "sideways"}, format="json"
    )
    assert r.status_code == 400 and "direction" in r.json()
    r = scanner.post(api(site, "checkin/redeem/"), {"code": "X", "nonce": "n", "gate": 999999}, format="json")
    assert r.status_code == 400 and r.json() == {"gate": ["Unknown gate."]}
    r = scanner.post(
        api(site, "checkin/redeem/"),
        {"code": "X", "nonce": "n", "scanned_at": "2099-01-01T00:00:00Z"},
        format="json",
    )
    assert r.status_code == 400 and "scanned_at" in r.json()
    assert Scan.objects.count() == 0


@pytest.mark.parametrize("who", ["anonymous", "visitor", "exhibitor", "other_organiser"])
def test_organiser_endpoints_refuse_everyone_else_and_change_nothing(site, other_event, who):
    badge = visitor_badge(site)
    client = APIClient()
    if who == "visitor":
        client.force_authenticate(badge.user)
    elif who == "exhibitor":
        company = factories.make_company(site.event)
        client.force_authenticate(factories.make_member(company, Membership.Role.ADMIN))
    elif who == "other_organiser":
        client.force_authenticate(factories.make_organiser(other_event))
    for method, path in [
        ("get", "badges/"),
        ("get", "devices/"),
        ("get", "scans/"),
        ("get", "live/"),
        ("get", "categories/"),
        ("post", f"badges/{badge.pk}/revoke/"),
        ("post", f"badges/{badge.pk}/reissue/"),
        ("post", f"badges/{badge.pk}/photo/"),
        ("post", f"badges/{badge.pk}/send/"),
        ("post", "devices/"),
        ("post", "set-up/"),
    ]:
        r = getattr(client, method)(api(site, path), {"name": "x"}, format="json")
        assert r.status_code in (401, 403), (method, path, r.status_code)
        assert badge.name not in r.content.decode()
    badge.refresh_from_db()
    assert badge.status == "valid" and Device.objects.count() == 0


def test_organiser_completes_a_badge_waiting_for_its_photo(site):
    member = DelegationMember.objects.create(
        delegation=make_official_delegation(site.event), name="Gen. Costa"
    )
    badge = services.issue_for_member(member=member, actor=site.organiser)
    assert badge.status == Badge.Status.PENDING
    client = APIClient()
    client.force_authenticate(site.organiser)
    url = api(site, f"badges/{badge.pk}/photo/")

    # Not a photo, too small, or missing: field errors, the badge still waits.
    for upload in (
        SimpleUploadedFile("cv.pdf", b"%PDF-1.4 not a photo", "application/pdf"),
        SimpleUploadedFile("tiny.jpg", jpeg(100, 120), "image/jpeg"),
        None,
    ):
        r = client.post(url, {"photo": upload} if upload else {}, format="multipart")
        assert r.status_code == 400 and list(r.json()) == ["photo"], r.json()
    badge.refresh_from_db()
    assert badge.status == Badge.Status.PENDING and not badge.photo

    r = client.post(
        url, {"photo": SimpleUploadedFile("me.png", jpeg(fmt="PNG"), "image/png")}, format="multipart"
    )
    assert r.status_code == 200 and (r.json()["status"], r.json()["has_photo"]) == ("valid", True)
    badge.refresh_from_db()
    with badge.photo.open("rb") as f:
        assert Image.open(f).format == "JPEG"  # re-encoded, not the PNG sent

    # Now printable: its holder can be sent the link; a badge without an address cannot.
    send = api(site, f"badges/{badge.pk}/send/")
    assert client.post(send).json() == {"email": ["This badge has no e-mail address."]}
    Badge.objects.filter(pk=badge.pk).update(email="costa@gov.test")
    assert client.post(send).status_code == 202
    assert OutboxMessage.objects.filter(recipient="costa@gov.test", kind="accreditation.badge").count() == 1

    services.revoke_badge(badge=badge, actor=site.organiser, note="lost")
    again = client.post(
        url, {"photo": SimpleUploadedFile("me.jpg", jpeg(), "image/jpeg")}, format="multipart"
    )
    assert again.status_code == 409
    assert client.post(send).status_code == 409  # a revoked badge is not sent


def test_organiser_manages_badges_categories_and_devices(site):
    client = APIClient()
    client.force_authenticate(site.organiser)
    badge = visitor_badge(site)
    r = client.post(api(site, f"badges/{badge.pk}/reissue/"), {}, format="json")
    assert r.status_code == 201 and r.json()["replaces"] == badge.pk
    r = client.post(
        api(site, "badges/"), {"category": "contractor", "name": "Jo Builder", "country": "BE"}, format="json"
    )
    assert r.status_code == 201 and r.json()["category"] == "contractor"
    cat = site.cats["visitor"]
    r = client.patch(
        api(site, f"categories/{cat.pk}/"),
        {"colour": "#ff0000", "zones": [site.zones["site"].pk]},
        format="json",
    )
    assert r.status_code == 200 and r.json()["zones"] == [site.zones["site"].pk]
    r = client.patch(api(site, f"categories/{cat.pk}/"), {"colour": "red"}, format="json")
    assert r.status_code == 400 and "colour" in r.json()
    r = client.post(api(site, "devices/"), {"name": "Lane 9", "gate": site.gates["site"].pk}, format="json")
    assert r.status_code == 201 and len(r.json()["code"]) == 9
    assert client.get(api(site, "devices/")).json()[0]["state"] == "waiting"
    device = client.get(api(site, "devices/")).json()[0]["id"]
    r = client.patch(api(site, f"devices/{device}/"), [1, 2, 3], format="json")  # not an object: 400, not 500
    assert r.status_code == 400 and "JSON object" in r.json()["detail"]
    r = client.post(
        api(site, "rules/"),
        {"category": "visitor", "zone": site.zones["site"].pk, "starts_at": "12:00", "ends_at": "10:00"},
        format="json",
    )
    assert r.status_code == 400 and r.json() == {"ends_at": ["A window must start before it ends."]}


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200
    return len(ctx.captured_queries)


def test_badge_and_scan_lists_take_the_same_queries_for_one_and_three(site):
    client = APIClient()
    client.force_authenticate(site.organiser)
    _device, token = make_device(site)
    scanner = device_client(token)
    counts = []
    for n in (1, 3):
        while Scan.objects.count() < n:
            scanner.post(
                api(site, "checkin/redeem/"),
                {"code": "X", "nonce": f"q{Scan.objects.count()}"},
                format="json",
            )
        while Device.objects.count() < n:
            services.create_device(
                event=site.event, actor=site.organiser, name=f"Lane {Device.objects.count()}"
            )
        services.issue_missing_badges(event=site.event)
        assert services.issue_missing_badges(event=site.event) == 0
        counts.append([_count_queries(client, api(site, p)) for p in ("badges/", "scans/", "devices/")])
        factories.make_visitor(site.event)
        factories.make_visitor(site.event)
    assert counts[0] == counts[1]


def test_leads_through_the_api_for_the_company_only(site):
    company = factories.make_company(site.event, "Aegis Systems")
    staff = factories.make_member(company, Membership.Role.STAFF)
    rival = factories.make_member(factories.make_company(site.event, "Rival"), Membership.Role.ADMIN)
    badge = visitor_badge(site)
    c = APIClient()
    c.force_authenticate(staff)
    r = c.post(
        api(site, "leads/"),
        {"code": services.code_for(badge), "note": "Wants a demo", "rating": 4},
        format="json",
    )
    assert r.status_code == 201
    assert {k: r.json()[k] for k in ("name", "email", "note", "rating")} == {
        "name": badge.name,
        "email": badge.email,
        "note": "Wants a demo",
        "rating": 4,
    }
    again = c.post(api(site, "leads/"), {"code": services.code_for(badge)}, format="json")
    assert again.status_code == 200 and Lead.objects.count() == 1
    lead_id = r.json()["id"]
    assert c.patch(api(site, f"leads/{lead_id}/"), {"rating": 9}, format="json").status_code == 400
    other = APIClient()
    other.force_authenticate(rival)
    assert other.get(api(site, "leads/")).json()["results"] == []
    assert other.get(api(site, f"leads/{lead_id}/")).status_code == 404
    assert other.delete(api(site, f"leads/{lead_id}/")).status_code == 404
    services.set_leads_opt_out(badge=badge, actor=badge.user, opt_out=True)
    refused = other.post(api(site, "leads/"), {"code": services.code_for(badge)}, format="json")
    assert refused.status_code == 409
    assert refused.json()["detail"] == "This visitor does not share their details with exhibitors."
    assert Lead.objects.count() == 1
    v = APIClient()
    v.force_authenticate(badge.user)
    assert v.post(api(site, "leads/"), {"code": services.code_for(badge)}, format="json").status_code == 403


def test_my_badge_gives_the_code_only_while_admitted(site):
    visitor = factories.make_visitor(site.event)
    c = APIClient()
    c.force_authenticate(visitor.user)
    assert c.get(api(site, "my-badge/")).status_code == 404
    assert c.post(api(site, "my-badge/")).status_code == 201
    body = c.get(api(site, "my-badge/")).json()
    assert body["status"] == "valid" and len(body["code"]) == 122

    admission.set_visitor_status(visitor=visitor, actor=site.organiser, approve=False)
    c.force_authenticate(
        type(visitor.user).objects.get(pk=visitor.user_id)
    )  # as the next request would load it
    r = c.get(api(site, "my-badge/"))
    assert r.status_code == 403 and "code" not in r.json()


# --- the lead-scan opt-out ------------------------------------------------------------------------------


def test_a_visitor_opts_out_of_lead_scans_and_exhibitors_scans_are_refused(site):
    badge = visitor_badge(site)
    staff = factories.make_member(factories.make_company(site.event, "Aegis Systems"), Membership.Role.STAFF)
    exhibitor = APIClient()
    exhibitor.force_authenticate(staff)
    holder = APIClient()
    holder.force_authenticate(badge.user)
    url = api(site, "my-badge/leads-opt-out/")
    assert holder.get(url).json() == {"opt_out": False}

    r = holder.put(url, {"opt_out": True}, format="json")

    assert (r.status_code, r.json()) == (200, {"opt_out": True})
    badge.refresh_from_db()
    assert badge.leads_opt_out is True
    assert holder.get(url).json() == {"opt_out": True}
    refused = exhibitor.post(api(site, "leads/"), {"code": services.code_for(badge)}, format="json")
    assert refused.status_code == 409
    assert refused.json()["detail"] == "This visitor does not share their details with exhibitors."
    assert holder.put(url, {"opt_out": False}, format="json").json() == {"opt_out": False}
    assert (
        exhibitor.post(api(site, "leads/"), {"code": services.code_for(badge)}, format="json").status_code
        == 201
    )


def test_the_lead_opt_out_wants_a_yes_or_no_and_a_badge_of_ones_own(site):
    badge = visitor_badge(site)
    holder = APIClient()
    holder.force_authenticate(badge.user)
    url = api(site, "my-badge/leads-opt-out/")
    for body in ({}, {"opt_out": "maybe"}, {"opt_out": None}):
        r = holder.put(url, body, format="json")
        assert r.status_code == 400 and list(r.json()) == ["opt_out"], body
    no_badge = APIClient()
    no_badge.force_authenticate(factories.make_visitor(site.event).user)
    r = no_badge.put(url, {"opt_out": True}, format="json")
    assert (r.status_code, r.json()) == (404, {"detail": "You have no badge yet."})
    pending = APIClient()
    pending.force_authenticate(factories.make_visitor(site.event, status="pending").user)
    assert pending.put(url, {"opt_out": True}, format="json").status_code == 403
    assert APIClient().put(url, {"opt_out": True}, format="json").status_code in (401, 403)
    badge.refresh_from_db()
    assert badge.leads_opt_out is False


def test_a_holder_e_mails_their_own_badge_to_themselves(site, django_capture_on_commit_callbacks):
    badge = visitor_badge(site)
    holder = APIClient()
    holder.force_authenticate(badge.user)

    with django_capture_on_commit_callbacks(execute=True):
        r = holder.post(api(site, "my-badge/send/"))

    assert r.status_code == 202
    assert OutboxMessage.objects.get(kind="accreditation.badge").recipient == badge.user.email
    # without a badge: 404 and nothing sent; before admission: 403
    no_badge = APIClient()
    no_badge.force_authenticate(factories.make_visitor(site.event).user)
    r = no_badge.post(api(site, "my-badge/send/"))
    assert (r.status_code, r.json()) == (404, {"detail": "You have no badge yet."})
    pending = APIClient()
    pending.force_authenticate(factories.make_visitor(site.event, status="pending").user)
    assert pending.post(api(site, "my-badge/send/")).status_code == 403
    assert OutboxMessage.objects.filter(kind="accreditation.badge").count() == 1


# --- a company's or a delegation's badges ----------------------------------------------------------------


def _company_with_stand(site, name="Aegis Systems", width=4, depth=5):
    """An admitted company, its admin, and a sold stand (20 m²: 4 staff badges)."""
    company = factories.make_company(site.event, name)
    admin = factories.make_member(company, Membership.Role.ADMIN)
    x = 10 + 20 * (company.pk % 4)  # side by side in the hall: stands may not overlap
    sell(
        make_stand(site.event, site.event.halls.first(), f"5A-{company.pk}", x, 10, width=width, depth=depth),
        company,
    )
    return company, admin


def test_the_company_admin_adds_issues_sends_and_cancels_staff_badges(
    site, django_capture_on_commit_callbacks
):
    company, admin = _company_with_stand(site)
    exhibitor_services.request_badge(organisation=company, actor=admin, name="Bo Chen", role="", email="")
    c = APIClient()
    c.force_authenticate(admin)
    url = api(site, f"organisations/{company.pk}/badges/")

    bad = c.post(url, {"name": "", "email": "nope"}, format="json")
    assert bad.status_code == 400 and sorted(bad.json()) == ["email", "name"]
    added = c.post(url, {"name": "Ana Silva", "role": "Sales", "email": "ana@aegis.test"}, format="json")
    assert added.status_code == 201
    assert {k: added.json()[k] for k in ("name", "job_title", "status", "category", "organisation")} == {
        "name": "Ana Silva",
        "job_title": "Sales",
        "status": "valid",
        "category": "exhibitor",
        "organisation": company.pk,
    }
    page = c.get(url).json()
    assert page["quota"] == {"area": 20.0, "total": 4, "used": 2, "left": 2}
    assert [b["name"] for b in page["badges"]] == ["Ana Silva"]
    assert [r["name"] for r in page["awaiting"]] == ["Bo Chen"] and page["members"] == []

    assert c.post(url + "issue-requested/").json() == {"issued": 1}
    ana = Badge.objects.get(name="Ana Silva")
    with django_capture_on_commit_callbacks(execute=True):
        assert c.post(url + f"{ana.pk}/send/").status_code == 202
    assert OutboxMessage.objects.get(kind="accreditation.badge").recipient == "ana@aegis.test"
    cancelled = c.post(url + f"{ana.pk}/cancel/")

    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "revoked")
    page = c.get(url).json()
    assert page["quota"] == {"area": 20.0, "total": 4, "used": 1, "left": 3}  # its place is free again
    assert sorted((b["name"], b["status"]) for b in page["badges"]) == [
        ("Ana Silva", "revoked"),
        ("Bo Chen", "valid"),
    ]
    assert page["awaiting"] == []


def test_the_organiser_acts_on_a_companys_badges_from_the_accreditation_side(site):
    company, admin = _company_with_stand(site)
    badge = services.add_staff_badge(organisation=company, actor=admin, name="Ana Silva")
    c = APIClient()
    c.force_authenticate(site.organiser)
    url = api(site, f"organisations/{company.pk}/badges/")
    assert [b["id"] for b in c.get(url).json()["badges"]] == [badge.pk]
    r = c.post(url + f"{badge.pk}/send/")
    assert (r.status_code, r.json()) == (400, {"email": ["This badge has no e-mail address."]})
    assert c.post(url, {"name": "Cy Diaz"}, format="json").status_code == 201
    assert c.post(url + f"{badge.pk}/cancel/").json()["status"] == "revoked"
    assert c.post(url + f"{badge.pk}/send/").status_code == 409  # a revoked badge is not sent
    assert sorted(Badge.objects.filter(status="valid").values_list("name", flat=True)) == ["Cy Diaz"]


def test_staff_badges_past_the_quota_are_refused_and_nothing_is_issued(site):
    company, admin = _company_with_stand(site, width=3, depth=3)  # 9 m²: 2 badges
    c = APIClient()
    c.force_authenticate(admin)
    url = api(site, f"organisations/{company.pk}/badges/")
    for name in ("Ana Silva", "Bo Chen"):
        assert c.post(url, {"name": name}, format="json").status_code == 201
    r = c.post(url, {"name": "Cy Diaz"}, format="json")
    assert (r.status_code, r.json()["detail"]) == (409, "Your badge quota is used up (2 of 2).")
    assert not Badge.objects.filter(name="Cy Diaz").exists()


@pytest.mark.parametrize(
    "who", ["anonymous", "other_company_admin", "own_staff", "visitor", "other_organiser"]
)
def test_a_companys_badges_are_not_found_by_anyone_else_and_nothing_changes(site, other_event, who):
    company, admin = _company_with_stand(site)
    badge = services.add_staff_badge(organisation=company, actor=admin, name="Ana Silva", email="a@a.test")
    c = APIClient()
    if who == "other_company_admin":
        c.force_authenticate(_company_with_stand(site, "Rival")[1])
    elif who == "own_staff":
        c.force_authenticate(factories.make_member(company, Membership.Role.STAFF))
    elif who == "visitor":
        c.force_authenticate(visitor_badge(site).user)
    elif who == "other_organiser":
        c.force_authenticate(factories.make_organiser(other_event))
    url = api(site, f"organisations/{company.pk}/badges/")
    for method, path in [
        ("get", ""),
        ("post", ""),
        ("post", "issue-requested/"),
        ("post", f"{badge.pk}/send/"),
        ("post", f"{badge.pk}/cancel/"),
    ]:
        r = getattr(c, method)(url + path, {"name": "Intruder"}, format="json")
        assert r.status_code == (401 if who == "anonymous" else 404), (method, path, r.status_code)
        assert "Ana Silva" not in r.content.decode()
    badge.refresh_from_db()
    assert badge.status == "valid"
    assert list(Badge.objects.filter(organisation=company).values_list("name", flat=True)) == ["Ana Silva"]
    assert OutboxMessage.objects.filter(kind="accreditation.badge").count() == 0


def test_another_companys_or_events_badge_is_not_found_through_ones_own_company(site, other_event):
    company, admin = _company_with_stand(site)
    rival, rival_admin = _company_with_stand(site, "Rival")
    theirs = services.add_staff_badge(organisation=rival, actor=rival_admin, name="Eve Rival")
    other_site = make_site(other_event)
    elsewhere = factories.make_company(other_event, "Elsewhere")
    c = APIClient()
    c.force_authenticate(admin)
    mine = api(site, f"organisations/{company.pk}/badges/")
    assert c.post(mine + f"{theirs.pk}/cancel/").status_code == 404
    assert c.post(mine + f"{theirs.pk}/send/").status_code == 404
    assert c.get(api(site, f"organisations/{elsewhere.pk}/badges/")).status_code == 404
    org = APIClient()
    org.force_authenticate(other_site.organiser)
    assert org.get(api(site, f"organisations/{company.pk}/badges/")).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "valid"


def test_a_head_of_delegation_completes_members_badges_with_photos(site):
    delegation = make_official_delegation(site.event)
    head = factories.make_member(delegation.organisation, Membership.Role.LEAD)
    member = DelegationMember.objects.create(delegation=delegation, name="Gen. Costa")
    c = APIClient()
    c.force_authenticate(head)
    base = api(site, f"organisations/{delegation.organisation.pk}/")
    listed = c.get(base + "badges/").json()
    assert (listed["kind"], listed["quota"], listed["awaiting"]) == ("delegation", None, [])
    assert {"id": member.pk, "name": "Gen. Costa", "badge": None} in listed["members"]
    # a delegation has no staff badges to add
    assert c.post(base + "badges/", {"name": "Extra"}, format="json").status_code == 404
    assert c.post(base + "badges/issue-requested/").status_code == 404

    url = base + f"members/{member.pk}/photo/"
    bad = c.post(url, {"photo": SimpleUploadedFile("x.jpg", b"<script>", "image/jpeg")}, format="multipart")
    assert bad.status_code == 400 and list(bad.json()) == ["photo"]
    assert not Badge.objects.filter(delegation_member=member).exists()
    r = c.post(url, {"photo": SimpleUploadedFile("p.png", jpeg(fmt="PNG"), "image/png")}, format="multipart")

    assert r.status_code == 200 and (r.json()["name"], r.json()["status"], r.json()["has_photo"]) == (
        "Gen. Costa",
        "valid",
        True,
    )
    badge = Badge.objects.get(delegation_member=member)
    assert {"id": member.pk, "name": "Gen. Costa", "badge": badge.pk} in c.get(base + "badges/").json()[
        "members"
    ]
    company, _admin = _company_with_stand(site)
    c.force_authenticate(site.organiser)
    assert (
        c.post(
            api(site, f"organisations/{company.pk}/members/{member.pk}/photo/"),
            {"photo": SimpleUploadedFile("p.jpg", jpeg(), "image/jpeg")},
            format="multipart",
        ).status_code
        == 404
    )  # the member is not the company's


def test_an_organisations_badges_take_the_same_queries_for_one_and_three(site):
    company, admin = _company_with_stand(site, width=10, depth=10)
    c = APIClient()
    c.force_authenticate(admin)
    url = api(site, f"organisations/{company.pk}/badges/")
    counts = []
    for n in (1, 3):
        while Badge.objects.filter(organisation=company).count() < n:
            i = Badge.objects.count()
            services.add_staff_badge(
                organisation=company, actor=admin, name=f"Issued {i}", email=f"i{i}@a.test"
            )
            exhibitor_services.request_badge(
                organisation=company, actor=admin, name=f"Asked {i}", role="", email=""
            )
        c.get(url)  # warm the per-process caches (settings, roles)
        counts.append(_count_queries(c, url))
    assert len(c.get(url).json()["badges"]) == 3
    assert counts[0] == counts[1]


# --- signing keys ------------------------------------------------------------------------------------------


def test_the_organiser_rotates_the_signing_key_and_withdraws_a_leaked_one(site):
    c = APIClient()
    c.force_authenticate(site.organiser)
    old = visitor_badge(site)
    old_code = services.code_for(old)
    first = c.get(api(site, "keys/")).json()
    assert [(k["kid"], k["state"]) for k in first] == [(1, "signs")]

    r = c.post(api(site, "keys/rotate/"))

    assert r.status_code == 201 and (r.json()["kid"], r.json()["state"]) == (2, "signs")
    assert [(k["kid"], k["state"]) for k in c.get(api(site, "keys/")).json()] == [
        (2, "signs"),
        (1, "verifies"),
    ]
    new = visitor_badge(site)
    assert (new.key.kid, Badge.objects.get(pk=old.pk).key.kid) == (2, 1)  # no reprint after a rotation
    _device, token = make_device(site)
    scanner = device_client(token)
    assert len(scanner.get(api(site, "checkin/sync/")).json()["keys"]) == 2

    Badge.objects.filter(pk=old.pk).update(printed_at=at(site.event, "2025-11-17", "09:00"))
    key1 = first[0]["id"]
    withdrawn = c.post(api(site, f"keys/{key1}/withdraw/"))

    assert withdrawn.status_code == 200
    assert (withdrawn.json()["key"]["state"], withdrawn.json()["reprint"]) == ("withdrawn", 1)
    old.refresh_from_db()
    assert (old.key.kid, old.printed_at) == (2, None)  # signed again: to be printed again
    assert services.code_for(old) != old_code
    again = c.post(api(site, f"keys/{key1}/withdraw/"))
    assert (again.status_code, again.json()["detail"]) == (409, "This key is already withdrawn.")


def test_keys_are_the_organisers_of_their_own_event_only(site, other_event):
    other_site = make_site(other_event)
    other_key = other_site.event.signing_keys.get()
    theirs = APIClient()
    theirs.force_authenticate(other_site.organiser)
    assert theirs.post(api(site, f"keys/{site.event.signing_keys.get().pk}/withdraw/")).status_code == 403
    mine = APIClient()
    mine.force_authenticate(site.organiser)
    assert mine.post(api(site, f"keys/{other_key.pk}/withdraw/")).status_code == 404
    visitor = APIClient()
    visitor.force_authenticate(visitor_badge(site).user)
    for method, path in [("get", "keys/"), ("post", "keys/rotate/")]:
        assert getattr(visitor, method)(api(site, path)).status_code == 403
    assert APIClient().post(api(site, "keys/rotate/")).status_code in (401, 403)
    other_key.refresh_from_db()
    assert other_key.withdrawn_at is None
    assert list(site.event.signing_keys.values_list("kid", "retired_at", "withdrawn_at")) == [(1, None, None)]


def test_the_key_list_takes_the_same_queries_for_one_and_three(site):
    c = APIClient()
    c.force_authenticate(site.organiser)
    c.get(api(site, "keys/"))  # warm the per-process caches (roles)
    one = _count_queries(c, api(site, "keys/"))
    services.rotate_key(event=site.event, actor=site.organiser)
    services.rotate_key(event=site.event, actor=site.organiser)
    assert len(c.get(api(site, "keys/")).json()) == 3
    assert _count_queries(c, api(site, "keys/")) == one


# --- batch printing ----------------------------------------------------------------------------------------


def test_the_organiser_prints_a_batch_follows_it_and_downloads_the_pdf(
    site, django_capture_on_commit_callbacks
):
    for _ in range(3):
        visitor_badge(site)
    c = APIClient()
    c.force_authenticate(site.organiser)

    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(api(site, "print-jobs/"), {"format": "label", "category": "visitor"}, format="json")

    assert r.status_code == 201
    assert {k: r.json()[k] for k in ("format", "category", "organisation", "new_only", "badges")} == {
        "format": "label",
        "category": "visitor",
        "organisation": None,
        "new_only": False,
        "badges": 3,
    }
    job = c.get(api(site, f"print-jobs/{r.json()['id']}/")).json()
    assert (job["status"], job["progress"], job["message"]) == ("done", 1.0, "3 badges ready")
    assert (
        job["download_url"]
        == f"/api/v1/events/{site.event.slug}/accreditation/print-jobs/{job['id']}/download/"
    )
    pdf = c.get(job["download_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages) == 3
    assert Badge.objects.filter(category__code="visitor", printed_at__isnull=True).count() == 0
    assert [j["id"] for j in c.get(api(site, "print-jobs/")).json()] == [job["id"]]
    # a batch whose stored file was lost answers 404, on the page as in the API, never a 500
    stored = PrintJob.objects.get(pk=job["id"])
    stored.file.storage.delete(stored.file.name)
    assert c.get(job["download_url"]).status_code == 404
    page = Client()
    page.force_login(site.organiser)
    page_url = reverse(
        "accreditation:print_download", kwargs={"event_slug": site.event.slug, "pk": job["id"]}
    )
    assert page.get(page_url).status_code == 404

    nothing_new = c.post(api(site, "print-jobs/"), {"category": "visitor", "new_only": True}, format="json")
    assert (nothing_new.status_code, nothing_new.json()["detail"]) == (
        400,
        "No badge to print with this choice.",
    )
    assert PrintJob.objects.count() == 1


def test_a_print_batch_answers_bad_choices_with_field_errors(site, other_event):
    visitor_badge(site)
    elsewhere = factories.make_company(other_event, "Elsewhere")
    c = APIClient()
    c.force_authenticate(site.organiser)
    for body, field in [
        ({"format": "poster"}, "format"),
        ({"category": "nope"}, "category"),
        ({"organisation": elsewhere.pk}, "organisation"),
        ({"organisation": "x"}, "organisation"),
        ({"new_only": "perhaps"}, "new_only"),
    ]:
        r = c.post(api(site, "print-jobs/"), body, format="json")
        assert r.status_code == 400 and list(r.json()) == [field], (body, r.json())
    assert PrintJob.objects.count() == 0


def test_print_batches_are_the_organisers_of_their_own_event_only(site, other_event):
    visitor_badge(site)
    job = services.start_print_job(event=site.event, actor=site.organiser)
    other_site = make_site(other_event)
    c = APIClient()
    c.force_authenticate(other_site.organiser)
    for path in ("print-jobs/", f"print-jobs/{job.pk}/", f"print-jobs/{job.pk}/download/"):
        assert c.get(api(site, path)).status_code == 403, path
    assert c.post(api(site, "print-jobs/"), {}, format="json").status_code == 403
    # the organiser of the other event, on their own event: another event's batch is not found
    assert c.get(api(other_site, f"print-jobs/{job.pk}/")).status_code == 404
    assert c.get(api(other_site, f"print-jobs/{job.pk}/download/")).status_code == 404
    visitor = APIClient()
    visitor.force_authenticate(visitor_badge(site).user)
    assert visitor.post(api(site, "print-jobs/"), {}, format="json").status_code == 403
    assert PrintJob.objects.count() == 1


def test_a_batch_not_printed_yet_has_nothing_to_download(site):
    visitor_badge(site)
    job = services.start_print_job(event=site.event, actor=site.organiser)  # no on_commit: still queued
    c = APIClient()
    c.force_authenticate(site.organiser)
    body = c.get(api(site, f"print-jobs/{job.pk}/")).json()
    assert (body["status"], body["progress"], body["download_url"]) == ("queued", 0.0, None)
    assert c.get(api(site, f"print-jobs/{job.pk}/download/")).status_code == 404


def test_the_print_job_list_takes_the_same_queries_for_one_and_three(site):
    visitor_badge(site)
    c = APIClient()
    c.force_authenticate(site.organiser)
    counts = []
    for n in (1, 3):
        while PrintJob.objects.count() < n:
            services.start_print_job(event=site.event, actor=site.organiser)
        counts.append(_count_queries(c, api(site, "print-jobs/")))
    assert len(c.get(api(site, "print-jobs/")).json()) == 3
    assert counts[0] == counts[1]
