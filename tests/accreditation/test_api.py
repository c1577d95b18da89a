"""The API: scanners authenticate as devices; organisers, holders and exhibitors through the
same permission gate as the pages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image
from rest_framework.test import APIClient

from exhibition.accounts import admission
from exhibition.accounts.models import Membership
from exhibition.accreditation import services
from exhibition.accreditation.models import Badge, Device, Lead, Scan
from exhibition.core.models import OutboxMessage
from exhibition.delegations.models import DelegationMember
from tests import factories
from tests.accreditation.test_services import jpeg
from tests.factories.accreditation import at, make_device, make_site
from tests.factories.delegations import make_official_delegation

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
