"""Pages: what each person sees and may do, PDFs and exports read as text, the e-mailed link."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from exhibition.accounts.models import Membership
from exhibition.accreditation import services
from exhibition.accreditation.models import Badge, Gate, Lead, PrintJob
from exhibition.core.csvio import write_csv
from exhibition.core.models import OutboxMessage
from exhibition.delegations.models import DelegationMember
from exhibition.exhibitors.models import BadgeRequest
from exhibition.meetings.models import Meeting
from tests import factories
from tests.accreditation.test_services import jpeg
from tests.factories import meetings as mf
from tests.factories.accreditation import at, make_device
from tests.factories.delegations import make_official_delegation
from tests.factories.floorplans import make_stand, sell
from tests.support.html import squash

pytestmark = pytest.mark.django_db


def page(site, path):
    return f"/{site.event.slug}/accreditation/{path}"


def pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_a_visitor_gets_prints_and_opts_out_of_leads(client, site):
    visitor = factories.make_visitor(site.event, full_name="Zoë <b>Müller</b>")
    client.force_login(visitor.user)
    before = client.get(page(site, "badge/"))
    assert "Get my badge" in before.content.decode()
    client.post(page(site, "badge/"), {"action": "issue"})
    html = client.get(page(site, "badge/")).content.decode()
    assert "<svg" in html and "Zoë &lt;b&gt;Müller&lt;/b&gt;" in html and "<b>Müller" not in html
    pdf = client.get(page(site, "badge/pdf/"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert (
        "Zoë <b>Müller</b>" in text
        and "VISITOR" in text
        and "VISITEUR" in text
        and "Germany / Allemagne" in text
    )
    assert "Acme Police" in text and "Milipol Test" in text
    client.post(page(site, "badge/"), {"action": "leads", "opt_out": "1"})
    assert Badge.objects.get(user=visitor.user).leads_opt_out is True


def test_nobody_unadmitted_sees_or_prints_a_badge(client, site):
    visitor = factories.make_visitor(site.event)
    badge = services.issue_for_person(event=site.event, user=visitor.user, actor=visitor.user)
    pending = factories.make_visitor(site.event, status="pending")
    client.force_login(pending.user)
    for path in ("badge/", "badge/pdf/", f"badges/{badge.pk}/pdf/", "manage/", "manage/badges/", "leads/"):
        r = client.get(page(site, path))
        assert r.status_code in (403, 404), path
        assert badge.name not in r.content.decode()
    other_visitor = factories.make_visitor(site.event)
    client.force_login(other_visitor.user)
    assert (
        client.get(page(site, f"badges/{badge.pk}/pdf/")).status_code == 404
    )  # another's badge: not even there


def test_the_company_admin_orders_prints_and_emails_staff_badges(
    client, site, mailoutbox, django_capture_on_commit_callbacks
):
    company = factories.make_company(site.event, "Aegis Systems")
    admin = factories.make_member(company, Membership.Role.ADMIN)
    sell(make_stand(site.event, site.event.halls.first(), "5A-101", 10, 10, width=6, depth=6), company)
    client.force_login(admin)
    url = page(site, f"organisation/{company.pk}/")
    bad = client.post(url, {"action": "add", "name": "", "email": "nope"})
    assert bad.status_code == 400 and "This field is required." in bad.content.decode()
    client.post(url, {"action": "add", "name": "Ana Silva", "role": "Sales", "email": "ana@aegis.test"})
    badge = Badge.objects.get(name="Ana Silva")
    assert badge.status == "valid" and badge.badge_request.organisation == company
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "send", "badge": badge.pk})
    message = OutboxMessage.objects.get(kind="accreditation.badge")
    assert message.body == "" and message.payload == {"badge": badge.pk}  # the link is built when sent
    assert len(mailoutbox) == 1
    link = re.search(r"http\S+/badge/w/\S+/", mailoutbox[0].body).group(0)
    client.logout()
    wallet = client.get(link.replace("http://127.0.0.1:8000", ""))
    assert (
        wallet.status_code == 200
        and "Ana Silva" in wallet.content.decode()
        and "<svg" in wallet.content.decode()
    )
    client.force_login(admin)
    client.post(url, {"action": "cancel", "badge": badge.pk})
    client.logout()
    assert (
        client.get(link.replace("http://127.0.0.1:8000", "")).status_code == 410
    )  # revoked: no code any more
    assert client.get(page(site, "badge/w/forged-token/")).status_code == 404


def _company_with_stand(site, name="Aegis Systems", width=4, depth=5):
    """An admitted company, its admin, and a sold stand (20 m²: 4 staff badges)."""
    company = factories.make_company(site.event, name)
    admin = factories.make_member(company, Membership.Role.ADMIN)
    hall = site.event.halls.first()
    x = 10 + 20 * (company.pk % 4)  # side by side in the 100 m hall: stands may not overlap
    sell(make_stand(site.event, hall, f"5A-{company.pk}", x, 10, width=width, depth=depth), company)
    return company, admin


def test_badges_requested_on_the_portal_are_listed_and_issued_on_the_badges_page(client, site):
    company, admin = _company_with_stand(site)
    client.force_login(admin)
    portal = f"/{site.event.slug}/exhibitors/companies/{company.pk}/badges/"
    for name, role in (("Ana Silva", "Sales"), ("Bo Chen", ""), ("Cy Diaz", "Engineer")):
        client.post(portal, {"name": name, "role": role})
    url = page(site, f"organisation/{company.pk}/")
    assert f'href="{url}"' in client.get(portal).content.decode()  # "Print the badges and send them…"

    html = squash(client.get(url).content.decode())

    # the same counts as the portal ("3 requested, 1 left"), the same words, the requests listed
    assert "Your stand gives you 4 staff badges. 3 badges requested, 1 left." in html
    assert "are ordered" not in html and "No badges yet." not in html
    assert "<h2>Request a badge</h2>" in html and '<label for="id_role">Role</label>' in html
    assert html.count("<td>Requested, not issued yet</td>") == 3
    assert '<td>Ana Silva<br><span class="muted">Sales</span></td>' in html
    assert '<button type="submit" class="primary">Issue the 3 requested badges</button>' in html

    done = client.post(url, {"action": "issue_requested"}, follow=True)

    html = squash(done.content.decode())
    assert "3 badges issued." in html
    assert sorted(Badge.objects.filter(status="valid").values_list("name", flat=True)) == [
        "Ana Silva",
        "Bo Chen",
        "Cy Diaz",
    ]
    assert "Requested, not issued yet" not in html and "Issue the" not in html
    assert html.count("<td>Valid</td>") == 3
    assert "Your stand gives you 4 staff badges. 3 badges requested, 1 left." in html  # unchanged


def test_a_request_awaiting_its_badge_is_cancelled_from_the_badges_page(client, site):
    company, admin = _company_with_stand(site)
    other, other_admin = _company_with_stand(site, "Other Co")
    client.force_login(other_admin)
    client.post(f"/{site.event.slug}/exhibitors/companies/{other.pk}/badges/", {"name": "Eve Other"})
    theirs = BadgeRequest.objects.get(name="Eve Other")
    client.force_login(admin)
    client.post(f"/{site.event.slug}/exhibitors/companies/{company.pk}/badges/", {"name": "Ana Silva"})
    url = page(site, f"organisation/{company.pk}/")

    html = squash(client.get(url).content.decode())
    assert "1 badge requested, 3 left." in html
    assert '<button type="submit" class="primary">Issue the requested badge</button>' in html

    # another company's request, or no number at all: not found, nothing cancelled
    for pk in (theirs.pk, "x"):
        r = client.post(url, {"action": "cancel_request", "badge_request": pk})
        assert r.status_code == 404 and "Eve Other" not in r.content.decode()
    assert BadgeRequest.objects.count() == 2

    mine = BadgeRequest.objects.get(name="Ana Silva")
    html = squash(
        client.post(url, {"action": "cancel_request", "badge_request": mine.pk}, follow=True).content.decode()
    )

    assert "The badge request of Ana Silva was cancelled." in html
    assert "0 badges requested, 4 left." in html and "No badges yet." in html
    assert list(BadgeRequest.objects.values_list("name", flat=True)) == ["Eve Other"]


def test_badges_page_before_a_stand_is_booked_says_to_book_one(client, site):
    company = factories.make_company(site.event, "No Stand Ltd")
    admin = factories.make_member(company, Membership.Role.ADMIN)
    client.force_login(admin)

    html = squash(client.get(page(site, f"organisation/{company.pk}/")).content.decode())

    booking = f"/{site.event.slug}/booking/"
    assert f'<p class="lede"><a href="{booking}">Book a stand to get staff badges.</a></p>' in html
    assert "0 staff badges" not in html and 'name="action" value="add"' not in html


def test_badges_table_reads_as_cards_on_a_phone(client, site):
    company, admin = _company_with_stand(site)
    services.add_staff_badge(organisation=company, actor=admin, name="Ana Silva", email="ana@aegis.test")
    client.force_login(admin)

    html = squash(client.get(page(site, f"organisation/{company.pk}/")).content.decode())

    # table.stack: one card per badge below 640 px (site.css), no sideways scrolling
    assert '<table class="stack"><caption class="sr-only">Badges</caption>' in html
    assert '<td class="badge-actions">' in html and "E-mail to ana@aegis.test" in html


def test_the_badge_pdf_does_not_repeat_what_both_languages_say_alike(client, site):
    company, admin = _company_with_stand(site)
    site.cats["exhibitor"].__class__.objects.filter(pk=site.cats["exhibitor"].pk).update(
        name_en="Staff", name_fr="Staff"
    )
    badge = services.add_staff_badge(organisation=company, actor=admin, name="Ana Silva")
    client.force_login(admin)

    a6 = pdf_text(client.get(page(site, f"badges/{badge.pk}/pdf/")).content)
    label = pdf_text(client.get(page(site, f"badges/{badge.pk}/pdf/?format=label")).content)

    assert f"Badge n° {badge.number}" in a6 and "Badge / Badge" not in a6
    assert a6.count("STAFF") == 1
    assert "STAFF · STAFF" not in label and "STAFF" in label
    assert "France" in a6 and "France / France" not in a6


def test_a_head_of_delegation_uploads_photos_and_bad_files_are_refused(client, site):
    delegation = make_official_delegation(site.event)
    head = factories.make_member(delegation.organisation, Membership.Role.LEAD)
    member = DelegationMember.objects.create(delegation=delegation, name="Gen. Costa")
    client.force_login(head)
    url = page(site, f"organisation/{delegation.organisation.pk}/")

    r = client.post(
        url,
        {
            "action": "photo",
            "member": member.pk,
            "photo": SimpleUploadedFile("x.jpg", b"<script>alert(1)</script>", "image/jpeg"),
        },
    )
    assert r.status_code == 400 and "This file is not a photo we can read." in r.content.decode()
    assert Badge.objects.filter(delegation_member=member, status="valid").count() == 0
    client.post(
        url, {"action": "photo", "member": member.pk, "photo": SimpleUploadedFile("p.png", jpeg(fmt="PNG"))}
    )
    badge = Badge.objects.get(delegation_member=member)
    assert badge.status == "valid" and badge.photo.name.endswith(".jpg")
    text = pdf_text(client.get(page(site, f"organisation/{delegation.organisation.pk}/pdf/")).content)
    assert "Gen. Costa" in text and "OFFICIAL DELEGATION" in text and "DÉLÉGATION OFFICIELLE" in text


def test_organiser_batch_prints_by_category_and_new_since_last(
    client, site, django_capture_on_commit_callbacks
):
    for _ in range(3):
        factories.make_visitor(site.event)
    services.issue_missing_badges(event=site.event)
    client.force_login(site.organiser)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page(site, "manage/print/"), {"format": "a6", "category": site.cats["visitor"].pk})
    job = PrintJob.objects.get()
    assert (job.status, len(job.badge_ids)) == ("done", 3)
    pdf = client.get(page(site, f"manage/print/{job.pk}/download/"))
    data = b"".join(pdf.streaming_content)
    assert len(PdfReader(io.BytesIO(data)).pages) == 3
    assert Badge.objects.filter(category__code="visitor", printed_at__isnull=True).count() == 0
    again = client.post(
        page(site, "manage/print/"),
        {"format": "label", "category": site.cats["visitor"].pk, "new_only": "on"},
    )
    assert again.status_code == 400 and "No badge to print with this choice." in again.content.decode()


def test_one_badge_is_counted_as_one_in_messages(client, site, django_capture_on_commit_callbacks):
    services.issue_missing_badges(event=site.event)
    factories.make_visitor(site.event)
    client.force_login(site.organiser)

    issued = client.post(page(site, "manage/"), {"action": "issue_missing"}, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        printing = client.post(
            page(site, "manage/print/"),
            {"format": "a6", "category": site.cats["visitor"].pk, "new_only": "on"},
            follow=True,
        )

    assert "1 badge issued." in squash(issued.content.decode())
    assert "Printing 1 badge." in squash(printing.content.decode())
    assert PrintJob.objects.get().message == "1 badge ready"


@pytest.mark.parametrize(
    "path",
    [
        "manage/",
        "manage/badges/",
        "manage/badges/new/",
        "manage/print/",
        "manage/site/",
        "manage/devices/",
        "manage/live/",
    ],
)
def test_organiser_pages_speak_the_show_and_nobody_else_gets_them(client, site, path):
    company = factories.make_company(site.event)
    client.force_login(factories.make_member(company, Membership.Role.ADMIN))
    assert client.get(page(site, path)).status_code == 403
    client.force_login(site.organiser)
    r = client.get(page(site, path))
    assert r.status_code == 200
    html = r.content.decode()
    assert (
        "style=" not in html.split("<main", 1)[1] and "<script>" not in html
    )  # CSP-ready: no inline styles or scripts


def test_site_page_opens_the_form_that_failed_and_names_what_each_delete_removes(client, site):
    client.force_login(site.organiser)
    r = client.post(page(site, "manage/site/"), {"kind": "zone", "zone-code": "", "zone-name_en": ""})
    assert r.status_code == 400
    html = squash(r.content.decode())
    zone_form = html.split("Add a zone", 1)[0].rsplit("<details", 1)[1]
    day_form = html.split("Add a day", 1)[0].rsplit("<details", 1)[1]
    assert zone_form.startswith(" open") and not day_form.startswith(" open")
    assert "This field is required." in html.split("Add a zone", 1)[1].split("</details>", 1)[0]
    gate = site.gates["hall-6"]
    assert (
        f'{gate.pk}"><button type="submit" class="link-button">Delete<span class="sr-only">{gate.name}'
        in html
    )


def test_devices_page_shows_the_code_once_and_withdraws(client, site):
    client.force_login(site.organiser)
    r = client.post(
        page(site, "manage/devices/"),
        {"action": "create", "name": "Hall 6 gate", "gate": site.gates["hall-6"].pk},
    )
    code = re.search(r'id="new-code">([A-Z0-9-]+)<', r.content.decode()).group(1)
    listing = client.get(page(site, "manage/devices/")).content.decode()
    assert code not in listing and "Waiting for its code" in listing
    device, _token = services.register_device(event=site.event, code=code)
    client.post(page(site, "manage/devices/"), {"action": "revoke", "device": device.pk})
    assert "Withdrawn" in client.get(page(site, "manage/devices/")).content.decode()


def test_live_figures_count_who_is_inside_arrivals_and_refusals(client, site):
    device, _t = make_device(site)
    badges = []
    for _ in range(3):
        v = factories.make_visitor(site.event)
        badges.append(services.issue_for_person(event=site.event, user=v.user, actor=v.user))
    for i, b in enumerate(badges):
        services.redeem(
            event=site.event,
            device=device,
            code=services.code_for(b),
            nonce=f"a{i}",
            zone_id=site.zones["site"].pk,
            now=at(site.event, "2025-11-19", f"10:0{i}"),
        )
    services.redeem(
        event=site.event,
        device=device,
        code=services.code_for(badges[0]),
        nonce="x",
        zone_id=site.zones["site"].pk,
        now=at(site.event, "2025-11-19", "10:20"),
        direction="exit",
    )
    services.redeem(
        event=site.event,
        device=device,
        code="FORGED",
        nonce="f",
        zone_id=site.zones["site"].pk,
        now=at(site.event, "2025-11-19", "10:21"),
    )
    client.force_login(site.organiser)
    html = squash(client.get(page(site, "manage/live/?day=2025-11-19")).content.decode())
    assert re.search(r"Site entrance</th><td>2<", html)
    assert re.search(r"Not a valid badge for this event</th><td>1<|Not a valid badge</th><td>1<", html)
    assert html.count("<rect") == 1 and "10:00 Visitor: 3" in html  # three arrivals in the 10:00 quarter
    api = client.get(f"/api/v1/events/{site.event.slug}/accreditation/live/?day=2025-11-19").json()
    assert api["unique"] == [{"day": "2025-11-19", "visitors": 3, "everyone": 3}]
    assert api["countries"] == [{"country": "DE", "name": "Germany", "visitors": 3}]


def test_leads_export_is_safe_in_a_spreadsheet(client, site):
    company = factories.make_company(site.event)
    staff = factories.make_member(company, Membership.Role.STAFF)
    client.force_login(staff)
    empty = client.get(page(site, "leads/")).content.decode()
    assert "Scan a badge" in empty and "Export as CSV" not in empty  # nothing to export yet
    v = factories.make_visitor(site.event, full_name='=HYPERLINK("http://evil")')
    badge = services.issue_for_person(event=site.event, user=v.user, actor=v.user)
    services.capture_lead(
        event=site.event, actor=staff, code=services.code_for(badge), note="+1 call back", rating=5
    )
    lead = Lead.objects.get()
    Lead.objects.filter(pk=lead.pk).update(captured_at=at(site.event, "2025-11-18", "09:05"))
    assert "Export as CSV" in client.get(page(site, "leads/")).content.decode()
    csv = client.get(page(site, "leads/export.csv")).content.decode("utf-8-sig")
    lines = csv.splitlines()
    assert lines[0] == (
        "Name,Organisation,Job title,Country,E-mail,Rating,Note,Captured by,Captured at (Paris time)"
    )
    assert (
        lines[1].startswith('"\'=HYPERLINK(""http://evil"")",Acme Police,Buyer,Germany,')
        and ",5,'+1 call back," in lines[1]
        and lines[1].endswith(",2025-11-18 09:05")  # the show's local time, not UTC (08:05)
    )
    assert write_csv(["a"], [["-2+3"], ["@SUM(A1)"], [7], ["plain"]]).splitlines() == [
        "a",
        "'-2+3",
        "'@SUM(A1)",
        "7",
        "plain",
    ]
    assert Lead.objects.count() == 1


def test_a_meeting_is_held_when_both_sides_scan_at_its_table_and_a_no_show_otherwise(site):
    table = mf.table(site.event, "Business centre table 01")

    gate = Gate.objects.create(event=site.event, name="Table 01", zone=site.zones["meetings"], place=table)
    services.setup.bump(site.event)
    device, _t = make_device(site, "Table 01 tablet", gate="meetings")
    vis, exh = mf.visitor(site.event), mf.exhibitor(site.event)
    start = at(site.event, "2025-11-19", "10:00")
    held = Meeting.objects.create(
        event=site.event,
        sender=vis,
        recipient=exh,
        start=start,
        end=start + timedelta(minutes=30),
        place=table,
    )
    missed = Meeting.objects.create(
        event=site.event,
        sender=vis,
        recipient=exh,
        start=start + timedelta(hours=2),
        end=start + timedelta(hours=2, minutes=30),
        place=table,
    )
    vb = services.issue_for_person(event=site.event, user=vis.user, actor=vis.user)

    eb = services.issue_for_request(
        badge_request=BadgeRequest.objects.create(
            event=site.event, organisation=exh.organisation, name="Host"
        ),
        actor=site.organiser,
    )

    first = services.redeem(
        event=site.event,
        device=device,
        code=services.code_for(vb),
        nonce="m1",
        gate_id=gate.pk,
        now=start - timedelta(minutes=3),
    )
    second = services.redeem(
        event=site.event,
        device=device,
        code=services.code_for(eb),
        nonce="m2",
        gate_id=gate.pk,
        now=start + timedelta(minutes=1),
    )

    assert first.meeting["state"] == "waiting" and first.meeting["with"] == exh.name
    assert second.meeting == {"state": "held", "with": vis.name, "start": "10:00", "meeting": held.pk}
    held.refresh_from_db()
    assert held.status == Meeting.Status.HELD
    assert services.mark_no_shows(now=missed.start + timedelta(minutes=10)) == 0  # within the grace time
    assert services.mark_no_shows(now=missed.start + timedelta(minutes=16)) == 1
    missed.refresh_from_db()
    assert missed.status == Meeting.Status.NO_SHOW


@pytest.mark.parametrize("n", [1, 3])
def test_badges_page_queries_do_not_grow_with_badges_and_requests(client, site, n, django_assert_num_queries):
    company, admin = _company_with_stand(site, width=10, depth=10)
    client.force_login(admin)
    for i in range(n):
        services.add_staff_badge(organisation=company, actor=admin, name=f"Issued {i}", email=f"i{i}@a.test")
        client.post(f"/{site.event.slug}/exhibitors/companies/{company.pk}/badges/", {"name": f"Asked {i}"})
    url = page(site, f"organisation/{company.pk}/")
    client.get(url)  # warm the per-process caches (settings, roles)

    with django_assert_num_queries(13):
        html = squash(client.get(url).content.decode())

    assert html.count("<td>Requested, not issued yet</td>") == n and html.count("<td>Valid</td>") == n
