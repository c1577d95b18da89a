"""The gates in a real Chromium: an organiser registers a scanner, a visitor gets and prints a
badge, the badge is scanned in and out online and with the network cut (decided on the device,
uploaded with its original time when back), a visitor whose approval is withdrawn is refused at
once, an exhibitor captures a lead, and a withdrawn scanner forgets what it held. The offline
verification is timed in the page."""

from __future__ import annotations

import io
import os
import re
import shutil
from datetime import time

import pytest
import segno
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from exhibition.accounts.models import Membership
from exhibition.accreditation import services
from exhibition.accreditation.models import AccessDay, Badge, BadgeCategory, Lead, Scan
from tests import factories
from tests.e2e.conftest import sign_in
from tests.factories.accreditation import make_site

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def open_today(site) -> None:
    """A rehearsal day today, open round the clock, so that the gates accept badges now."""
    today = timezone.localdate(timezone=site.event.tz)
    day = AccessDay.objects.create(
        event=site.event, date=today, kind=AccessDay.Kind.SHOW, opens_at=time(0, 0), closes_at=time(23, 59)
    )
    for cat in BadgeCategory.objects.filter(event=site.event):
        cat.days.add(day)
    services.setup.bump(site.event)


def result_of(scanner) -> str:
    box = scanner.locator("#result")
    box.wait_for(state="visible")
    return box.inner_text()


def scan(scanner, code: str, direction: str = "entry") -> str:
    scanner.get_by_label("Exit" if direction == "exit" else "Entry", exact=True).check()
    scanner.locator("#result").evaluate("el => { el.hidden = true; }")
    field = scanner.get_by_label("Or enter the code with a barcode reader or the keyboard")
    field.fill(code)
    field.press("Enter")
    return result_of(scanner)


B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def forged(code: str) -> str:
    """The code with one character of its signature changed."""
    i = len(code) - 20
    return code[:i] + B32[(B32.index(code[i]) + 1) % 32] + code[i + 1 :]


def spare_bits_set(code: str) -> str:
    """The same bytes written another way: the last character's spare (padding) bit set."""
    return code[:-1] + B32[B32.index(code[-1]) | 1]


def test_gate_journey_online_offline_revocation_and_leads(browser, live_server):
    event = factories.make_event("milipol-gates", name="Milipol Gates")
    organiser = factories.make_organiser(event, email="org@gates.test", full_name="Olivia Organiser")
    site = make_site(event, organiser)
    open_today(site)
    visitor = factories.make_visitor(event, email="victor@gates.test", full_name="Victor Visitor")
    other = factories.make_visitor(event, email="rita@gates.test", full_name="Rita Rejected")
    company = factories.make_company(event, "Aegis Systems")
    factories.make_member(company, Membership.Role.STAFF, email="sales@aegis.test", full_name="Sam Sales")
    other_badge = services.issue_for_person(event=event, user=other.user, actor=organiser)

    def context():
        return browser.new_context(base_url=live_server.url, locale="en-GB")

    # 1. The organiser registers a scanner and reads its one-time code.
    org_ctx = context()
    org = org_ctx.new_page()
    sign_in(org, "org@gates.test", factories.PASSWORD)
    org.goto(f"/{event.slug}/accreditation/manage/devices/")
    org.get_by_label("Name").fill("Main entrance, lane 1")
    org.get_by_label("Gate").select_option(label="Site entrance gate")
    org.get_by_role("button", name="Get a one-time code").click()
    code = org.locator("#new-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)

    # 2. The tablet at the gate registers with it (no account: the device is what signs in).
    dev_ctx = context()
    scanner = dev_ctx.new_page()
    scanner.set_default_timeout(15_000)
    scanner.goto(f"/{event.slug}/accreditation/scanner/")
    scanner.wait_for_function("() => !!window.exhScanner")
    scanner.get_by_label("One-time code").fill(code.lower())
    scanner.get_by_role("button", name="Register").click()
    scanner.locator("#device-name").filter(has_text="Main entrance, lane 1").wait_for()
    scanner.wait_for_function("() => !!(window.exhScanner && window.exhScanner.state().rules)")
    assert scanner.locator("#gate").input_value() == str(site.gates["site"].pk)

    # 3. The visitor gets their badge and prints it.
    vis_ctx = context()
    vis = vis_ctx.new_page()
    sign_in(vis, "victor@gates.test", factories.PASSWORD)
    vis.goto(f"/{event.slug}/accreditation/badge/")
    vis.get_by_role("button", name="Get my badge").click()
    assert "Your badge is ready." in vis.content()
    assert vis.locator(".wallet-qr svg").count() == 1
    with vis.expect_download() as download:
        vis.get_by_role("link", name="Print my badge (PDF, A6)").click()
    assert download.value.suggested_filename.startswith("badge-")
    badge = Badge.objects.get(user=visitor.user)
    badge_code = services.code_for(badge)

    # 4. Online: in, again (refused), out.
    assert "Welcome" in (text := scan(scanner, badge_code)) and "Victor Visitor" in text
    assert "Already inside" in scan(scanner, badge_code)
    assert "Goodbye" in scan(scanner, badge_code, "exit")
    assert scanner.locator("#result").get_attribute("class") == "result ok"

    # 5. The network drops: the tablet decides itself, and queues.
    dev_ctx.set_offline(True)
    scanner.locator("#net").filter(has_text="Offline").wait_for()
    text = scan(scanner, badge_code)
    assert "Welcome" in text and "Checked offline" in text
    assert "Already inside" in scan(scanner, badge_code)
    assert "Goodbye" in scan(scanner, badge_code, "exit")
    assert "Not a valid badge for this event" in scan(scanner, forged(badge_code))
    assert "Not a valid badge for this event" in scan(scanner, spare_bits_set(badge_code))
    assert "5 scans waiting to upload" in scanner.locator("#queue").inner_text()
    assert Scan.objects.filter(offline=True).count() == 0
    # Offline verification speed, measured in the page: parse, Ed25519 verify, rules.
    per_code = scanner.evaluate(
        """async (code) => {
        const zone = window.exhScanner.state().rules.zones[0].id;
        for (let i = 0; i < 20; i++) await window.exhScanner.checkOffline(code, "entry", zone);
        const n = 300, t0 = performance.now();
        for (let i = 0; i < n; i++) await window.exhScanner.checkOffline(code, "entry", zone);
        return (performance.now() - t0) / n;
    }""",
        badge_code,
    )
    print(f"\noffline verification in the scanner page: {per_code:.3f} ms per code")
    assert per_code < 5

    # 6. Back online: the queue uploads with the original times and what the gate decided.
    dev_ctx.set_offline(False)
    scanner.wait_for_function("() => (window.exhScanner.state().queue || []).length === 0")
    assert scanner.locator("#queue").inner_text() == ""
    uploaded = list(
        Scan.objects.filter(offline=True).order_by("scanned_at").values_list("direction", "result", "forced")
    )
    assert uploaded == [
        ("entry", "ok", False),
        ("entry", "already_inside", False),
        ("exit", "ok", False),
        ("entry", "invalid", False),
        ("entry", "invalid", False),
    ]

    # 7. The organiser withdraws a visitor's approval: refused at once.
    assert "Welcome" in scan(scanner, services.code_for(other_badge))
    org.goto(f"/{event.slug}/manage/visitors/?status=approved")
    row = org.locator("tr", has_text="Rita Rejected")
    row.get_by_role("button", name="Withdraw approval").click()
    org.wait_for_load_state()
    text = scan(scanner, services.code_for(other_badge), "exit")
    assert "Refused" in text and "Badge revoked" in text
    # ... and refused offline too once the tablet has synced.
    scanner.evaluate("() => window.exhScanner.sync()")
    dev_ctx.set_offline(True)
    text = scan(scanner, services.code_for(other_badge))
    assert "Badge revoked" in text and "Checked offline" in text
    dev_ctx.set_offline(False)

    # 8. An exhibitor captures a lead.
    exh_ctx = context()
    exh = exh_ctx.new_page()
    sign_in(exh, "sales@aegis.test", factories.PASSWORD)
    exh.goto(f"/{event.slug}/accreditation/leads/")
    exh.get_by_role("link", name="Scan a badge").click()
    exh.wait_for_function("() => !!window.exhScanner")
    field = exh.get_by_label("Or enter the code with a barcode reader or the keyboard")
    field.fill(badge_code)
    field.press("Enter")
    assert "Lead recorded" in result_of(exh)
    exh.get_by_label("Note").fill("Wants the counter-drone demo")
    exh.get_by_label("Rating").select_option("4")
    exh.get_by_role("button", name="Save the lead").click()
    exh.locator("#lead-saved").filter(has_text="Lead saved.").wait_for()
    lead = Lead.objects.get()
    assert (lead.organisation, lead.badge, lead.note, lead.rating) == (
        company,
        badge,
        "Wants the counter-drone demo",
        4,
    )
    exh.goto(f"/{event.slug}/accreditation/leads/")
    assert "Victor Visitor" in exh.locator("table").inner_text()

    # 9. The organiser withdraws the scanner: it forgets everything at its next contact.
    org.goto(f"/{event.slug}/accreditation/manage/devices/")
    org.get_by_role("button", name="Withdraw").click()
    scanner.evaluate("() => window.exhScanner.sync()")
    scanner.get_by_text("This scanner was withdrawn by the organiser: its data was erased.").wait_for()
    stored = scanner.evaluate(f"() => localStorage.getItem('exh-scanner:{event.slug}')")
    assert stored is None
    expect(scanner.get_by_label("One-time code")).to_be_visible()
    for ctx in (org_ctx, dev_ctx, vis_ctx, exh_ctx):
        ctx.close()


def _y4m_of_qr(code: str, path) -> None:
    """A short video (YUV4MPEG2, grey) showing the badge's QR, as a fake camera would see it."""
    qr = segno.make_qr(code, error="m")

    buf = io.BytesIO()
    qr.save(buf, kind="png", scale=8, border=4)
    img = Image.open(io.BytesIO(buf.getvalue())).convert("L")
    frame = Image.new("L", (640, 480), 255)
    img.thumbnail((440, 440))
    frame.paste(img, ((640 - img.width) // 2, (480 - img.height) // 2))
    y = frame.tobytes()
    uv = bytes([128]) * (320 * 240)
    with open(path, "wb") as f:
        f.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
        for _ in range(10):
            f.write(b"FRAME\n" + y + uv + uv)


def test_the_camera_reads_a_badge(browser, live_server, tmp_path):
    """A fake camera (Chromium's) films a printed badge's QR: the page reads it and lets it in."""
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    event = factories.make_event("milipol-camera", name="Milipol Camera")
    site = make_site(event)
    open_today(site)
    visitor = factories.make_visitor(event, full_name="Camille Camera")
    badge = services.issue_for_person(event=event, user=visitor.user, actor=visitor.user)
    video = tmp_path / "badge.y4m"
    _y4m_of_qr(services.code_for(badge), video)
    _device, code = services.create_device(
        event=event, actor=site.organiser, name="Lane 1", gate=site.gates["site"]
    )
    # A second Chromium from the same Playwright, with a fake camera that films the badge.
    camera_browser = browser.browser_type.launch(
        executable_path=path,
        headless=True,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        ctx = camera_browser.new_context(base_url=live_server.url, locale="en-GB", permissions=["camera"])
        page = ctx.new_page()
        page.set_default_timeout(20_000)
        page.goto(f"/{event.slug}/accreditation/scanner/")
        page.wait_for_function("() => !!window.exhScanner")
        page.get_by_label("One-time code").fill(code)
        page.get_by_role("button", name="Register").click()
        page.wait_for_function("() => !!window.exhScanner.state().rules")
        page.get_by_role("button", name="Start the camera").click()
        text = result_of(page)
        assert "Welcome" in text and "Camille Camera" in text
        assert Scan.objects.get().badge == badge
    finally:
        camera_browser.close()


def test_zones_and_gates_read_as_cards_on_a_phone(page, event, organiser):
    site = make_site(event, organiser)
    page.set_viewport_size({"width": 390, "height": 800})
    sign_in(page, organiser.email, factories.PASSWORD)
    page.goto(f"/{event.slug}/accreditation/manage/site/")
    gate = site.gates["hall-6"]
    row = page.locator("tr", has=page.get_by_role("button", name=f"Delete {gate.name}"))
    assert row.locator("td").first.get_attribute("data-label") == "Gate"
    assert row.locator("td").last.get_attribute("data-label") is None  # "Actions" is for screen readers
    box = page.get_by_role("button", name=f"Delete {gate.name}").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # in sight, no sideways scroll needed
    assert page.get_by_text("No narrower windows.").get_attribute("data-label") is None
