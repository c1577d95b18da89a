"""WCAG checks that axe cannot make, in Chromium: each role's journey done with the keyboard alone
(a visible focus, never hidden under a sticky header), a way that needs no dragging for every drag,
targets of at least 24 x 24 CSS pixels, reflow at 320 CSS pixels, and announcements in live regions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from exhibition.accounts.models import TradeVisitor
from exhibition.booking import services as booking_services
from exhibition.booking.models import Booking, Invoice
from exhibition.delegations import services as delegation_services
from exhibition.delegations.models import Visit
from exhibition.events.demo import DEMO_LOGINS, DEMO_PASSWORD, DEMO_SLUG
from exhibition.exhibitors.models import Application
from exhibition.floorplans import services as plan_services
from exhibition.floorplans.models import Stand
from exhibition.meetings.models import Meeting
from exhibition.meetings.services import requests as meeting_requests
from tests import factories
from tests.factories import meetings as mf
from tests.factories.booking import make_exhibitor, make_stand
from tests.factories.delegations import make_show
from tests.factories.exhibitors import make_application
from tests.support.demo import demo_show

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# What the focused element looks like, and whether a sticky or fixed header hides it (WCAG 2.4.7, 2.4.11).
FOCUS_STATE = """(target) => {
  const a = document.activeElement;
  if (!a || a === document.body) return {none: true};
  const cs = getComputedStyle(a);
  const r = a.getBoundingClientRect();
  let ring = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 1) || cs.boxShadow !== 'none';
  // Chromium moves the focus into a date or time field's own parts and highlights the part being
  // edited (the field itself then no longer matches :focus).
  if (!ring && a.tagName === 'INPUT' && ['date', 'time', 'datetime-local'].includes(a.type)) ring = true;
  if (!ring && a instanceof SVGElement) {  // a stand on the plan: its outline thickens and changes colour
    const shape = a.querySelector('rect');
    ring = !!shape && parseFloat(getComputedStyle(shape).strokeWidth) !== parseFloat(shape.getAttribute('stroke-width'));
  }
  let hidden = false;
  for (const el of document.querySelectorAll('header, nav, [data-sticky]')) {
    const pos = getComputedStyle(el).position;
    if ((pos === 'sticky' || pos === 'fixed') && !el.contains(a)) {
      const h = el.getBoundingClientRect();
      if (r.top >= h.top && r.bottom <= h.bottom && r.left >= h.left && r.right <= h.right) hidden = true;
    }
  }
  const name = (a.getAttribute('aria-label') || a.innerText || a.value || a.name || a.id || a.tagName).trim().slice(0, 50);
  return {hit: a === target, ring, hidden, name, tag: a.tagName, style: cs.outlineStyle + ' ' + cs.outlineWidth + ' ' + cs.boxShadow};
}"""


def tab_to(page, target, *, limit: int = 250, key: str = "Tab") -> int:
    """Press Tab until ``target`` has the focus; every element on the way shows a visible focus
    indicator that no sticky header covers. Returns the number of key presses."""
    target = target.element_handle()
    seen = []
    for n in range(1, limit + 1):
        page.keyboard.press(key)
        state = page.evaluate(FOCUS_STATE, target)
        if state.get("none"):
            continue
        seen.append(state["name"])
        assert state["ring"], (
            f"no visible focus on {state['tag']} {state['name']!r} ({state['style']}) (WCAG 2.4.7)"
        )
        assert not state["hidden"], (
            f"{state['name']!r} has the focus hidden under a sticky header (WCAG 2.4.11)"
        )
        if state["hit"]:
            return n
    raise AssertionError(f"never reached the target with {key} after {limit} presses: {seen[-15:]}")


def keyboard_sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    tab_to(page, page.get_by_label("E-mail address"))
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(factories.PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def activate(page, target) -> None:
    """Reach ``target`` with Tab and press Enter on it, waiting for the page it opens."""
    tab_to(page, target)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_skip_link_is_the_first_stop_and_moves_the_focus_to_the_content(page, live_server):
    factories.make_event("milipol-kb", name="Milipol Keyboard")
    page.goto("/milipol-kb/")
    page.keyboard.press("Tab")
    skip = page.evaluate("document.activeElement.getAttribute('href')")
    assert skip and skip.startswith("#")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    inside = page.evaluate(f"!!document.querySelector({skip!r}).contains(document.activeElement)")
    assert inside, "after the skip link the next Tab stop is inside the main content"


def test_exhibitor_books_a_stand_with_the_keyboard_and_the_countdown_is_announced(page, live_server):
    event = factories.make_event("milipol-kb", name="Milipol Keyboard")
    hall = factories.make_hall(event, "5A", width=200, depth=80)
    make_stand(event, "5A-101", hall=hall, width=3, depth=4)
    make_exhibitor(event, "Aegis Systems", email="exhibitor@aegis.test")

    keyboard_sign_in(page, "exhibitor@aegis.test")
    page.goto(f"/{event.slug}/booking/")
    activate(page, page.get_by_role("button", name="Hold stand 5A-101"))
    expect(page.get_by_role("heading", name="Stand 5A-101 is held for you")).to_be_visible()
    countdown = page.locator(".countdown")
    assert countdown.get_attribute("role") == "timer"  # the ticking clock itself is not read out every second

    # one minute before the hold lapses, a polite live region says so
    Booking.objects.filter(stand__number="5A-101").update(held_until=timezone.now() + timedelta(seconds=62))
    page.reload()
    expect(page.locator("[role=status].countdown-announce")).to_contain_text("One minute left", timeout=8_000)
    Booking.objects.filter(stand__number="5A-101").update(held_until=timezone.now() + timedelta(minutes=10))
    page.reload()

    activate(page, page.get_by_role("button", name="Confirm and book"))
    invoice = Invoice.objects.get()
    expect(page.locator(".invoice-number").first).to_have_text(invoice.number)
    assert Stand.objects.get(number="5A-101").status == Stand.Status.RESERVED


def test_someone_else_was_faster_is_an_alert(page, live_server):
    event = factories.make_event("milipol-kb", name="Milipol Keyboard")
    hall = factories.make_hall(event, "5A", width=200, depth=80)
    make_stand(event, "5A-101", hall=hall, width=3, depth=4)
    make_exhibitor(event, "Aegis Systems", email="exhibitor@aegis.test")
    rival, rival_admin = make_exhibitor(event, "Boreal Defence", email="exhibitor@boreal.test")

    keyboard_sign_in(page, "exhibitor@aegis.test")
    page.goto(f"/{event.slug}/booking/")
    hold = page.get_by_role("button", name="Hold stand 5A-101")
    tab_to(page, hold)
    # the rival holds the stand while this page is open

    booking_services.hold_stand(
        event=event, actor=rival_admin, organisation=rival, stand=Stand.objects.get(number="5A-101")
    )
    with page.expect_navigation():
        page.keyboard.press("Enter")
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    assert (
        "5A-101" in alert.inner_text()
        or "faster" in alert.inner_text().lower()
        or "taken" in alert.inner_text().lower()
    )


def test_exhibitor_accepts_a_meeting_with_the_keyboard(page, live_server):
    event = factories.make_event("milipol-kb", name="Milipol Keyboard")
    mf.move_to_future(event)
    exh = mf.exhibitor(event, "SkyShield Systems", offer="Counter-drone systems")
    vis = mf.visitor(event, email="buyer@kb.test")
    meeting_requests.request_meeting(
        actor=mf.actor_of(vis), sender=vis, recipient=exh, message="A demo, please"
    )
    host = mf.actor_of(exh)

    keyboard_sign_in(page, host.email)
    page.goto(f"/{event.slug}/meetings/inbox/")
    activate(page, page.get_by_role("link", name="Answer").first)
    tab_to(page, page.get_by_label("Time"))
    page.keyboard.press("ArrowDown")  # a later slot than the first one offered, chosen with the arrow key
    activate(page, page.get_by_role("button", name="Accept"))
    expect(page.get_by_text("Request accepted.")).to_be_visible()
    assert Meeting.objects.filter(sender=vis, recipient=exh).count() == 1


def test_organiser_reviews_an_application_and_vets_a_visitor_with_the_keyboard(page, live_server):
    event = factories.make_event("milipol-kb", name="Milipol Keyboard")
    factories.make_organiser(event, email="org@kb.test")
    app = make_application(event, state=Application.State.SUBMITTED, legal_name="Orion Optics SAS")
    visitor = factories.make_visitor(event, status=TradeVisitor.Status.PENDING)

    keyboard_sign_in(page, "org@kb.test")
    page.goto(f"/{event.slug}/exhibitors/manage/applications/{app.pk}/")
    tab_to(page, page.get_by_label("Decision"))
    page.keyboard.type("Approve")  # type-ahead picks the option
    tab_to(page, page.get_by_label("Reason (sent to the company)"))
    page.keyboard.type("Welcome to the show")
    activate(page, page.get_by_role("button", name="Record the decision"))
    expect(page.get_by_text("Application updated; the company has been told.")).to_be_visible()
    app.refresh_from_db()
    assert app.state == Application.State.APPROVED

    page.goto(f"/{event.slug}/manage/visitors/")
    activate(page, page.get_by_role("button", name="Approve").first)
    visitor.refresh_from_db()
    assert visitor.status == TradeVisitor.Status.APPROVED


def test_organiser_edits_a_programme_with_the_keyboard(page, live_server):
    event = factories.make_event("milipol-kb", name="Milipol Keyboard")
    organiser = factories.make_organiser(event, email="org@kb.test")
    show = make_show(event)
    for stand in show.stands:
        delegation_services.add_candidate(delegation=show.delegation, actor=organiser, stand=stand)

    keyboard_sign_in(page, "org@kb.test")
    page.goto(f"/{event.slug}/delegations/{show.delegation.pk}/timeline/")
    form = page.locator("form.visit-form").last  # "Add a visit by hand"
    tab_to(page, form.get_by_label("Stand number"))
    page.keyboard.type(show.stands[0].number)
    tab_to(page, form.get_by_label("Start"))  # the day: the first one is already chosen
    page.keyboard.type("1100A")  # the digits, and "A" for a.m. where the browser shows a 12-hour clock
    activate(page, page.get_by_role("button", name="Add the visit"))
    visit = Visit.objects.get(delegation=show.delegation)
    assert (visit.stand_id, visit.start.astimezone(event.tz).strftime("%H:%M")) == (
        show.stands[0].pk,
        "11:00",
    )


def test_moving_a_stand_needs_no_dragging(page, live_server):
    """WCAG 2.5.7: the plan's drag has a keyboard way (Shift + arrow keys) through the same service,
    and the stand's own form moves it with no pointer at all."""
    event = factories.make_event("milipol-kb", name="Milipol Keyboard")
    organiser = factories.make_organiser(event, email="org@kb.test")
    hall = factories.make_hall(event, "5A", width=60, depth=40)
    plan_services.create_stand(
        event=event, actor=organiser, hall=hall, number="5A-A2", x=30, y=10, width=6, depth=4
    )

    keyboard_sign_in(page, "org@kb.test")
    page.goto(f"/{event.slug}/plan/5A/")
    tab_to(page, page.locator('a.stand-link[aria-label^="5A-A2"]'))
    page.keyboard.press("Shift+ArrowRight")
    expect(page.locator("#plan-status")).to_contain_text("Stand 5A-A2 moved")
    stand = Stand.objects.get(number="5A-A2")
    assert stand.x > 30 and stand.version == 2
    page.reload()
    assert float(page.locator('g.stand[data-number="5A-A2"]').get_attribute("data-x")) == stand.x


def test_form_errors_are_linked_to_their_fields(page, live_server):
    page.goto("/accounts/signup/")
    page.get_by_label("Full name").fill("Nina Nova")
    page.get_by_label("E-mail address").fill("not-an-address@")
    page.get_by_label("Password").fill("x")
    page.evaluate(
        "document.querySelector('form[method=post]') && document.querySelectorAll('form [required]').forEach(e => e.removeAttribute('required'))"
    )
    page.evaluate(
        "document.querySelectorAll('input[type=email]').forEach(e => e.type = 'text')"
    )  # reach the server's check
    page.get_by_role("button", name="Create account").click()
    page.wait_for_load_state()
    email = page.get_by_label("E-mail address")
    assert email.get_attribute("aria-invalid") == "true"
    described = (email.get_attribute("aria-describedby") or "").split()
    texts = " ".join(page.locator(f"#{i}").inner_text() for i in described if page.locator(f"#{i}").count())
    assert "valid e-mail" in texts.lower() or "valid email" in texts.lower(), texts


# --- targets and reflow, on the demo show, for each role ---------------------------------------

TARGETS_JS = """() => {
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex]:not([tabindex="-1"])';
  const els = [...document.querySelectorAll(sel)].filter(e => {
    if (e.closest('svg') || e.closest('[hidden]') || e.closest('.skip')) return false;
    const fold = e.closest('details');  // a closed menu's links are laid out but not shown
    if (fold && !fold.open && !e.closest('summary')) return false;
    const r = e.getBoundingClientRect(), cs = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && cs.visibility !== 'hidden';
  });
  const rects = els.map(e => e.getBoundingClientRect());
  const small = [];
  els.forEach((e, i) => {
    const r = rects[i];
    if (r.width >= 23.5 && r.height >= 23.5) return;
    const cs = getComputedStyle(e);
    // Inline exception: a link inside a sentence.
    if (cs.display === 'inline' && e.parentElement && e.parentElement.innerText.trim().length > e.innerText.trim().length + 3) return;
    // User-agent control: an unstyled checkbox or radio button.
    if ((e.type === 'checkbox' || e.type === 'radio') && cs.appearance !== 'none') return;
    // Spacing exception: a 24 px circle on its centre meets no other target.
    const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
    const clear = rects.every((o, j) => {
      if (j === i || els[j].contains(e) || e.contains(els[j])) return true;
      const dx = Math.max(o.left - cx, 0, cx - o.right), dy = Math.max(o.top - cy, 0, cy - o.bottom);
      return dx * dx + dy * dy >= 144;
    });
    if (!clear) small.push(`${e.tagName} "${(e.innerText || e.value || e.getAttribute('aria-label') || '').trim().slice(0, 30)}" ${Math.round(r.width)}x${Math.round(r.height)}`);
  });
  return small;
}"""


@pytest.fixture
def demo(db):
    return demo_show()


def _role_pages(show) -> dict[str, list[str]]:
    s = f"/{DEMO_SLUG}"
    hall = show.event.halls.order_by("position").first().code
    company = show.companies[0]
    return {
        "anonymous": [
            "/",
            f"{s}/",
            f"{s}/exhibitors/",
            f"{s}/plan/",
            f"{s}/plan/{hall}/list/",
            "/accounts/login/",
        ],
        "organiser": [
            f"{s}/",
            f"{s}/exhibitors/manage/applications/",
            f"{s}/booking/manage/",
            f"{s}/booking/manage/invoices/",
            f"{s}/delegations/",
            f"{s}/meetings/manage/",
            f"{s}/manage/visitors/",
        ],
        "exhibitor": [
            f"{s}/",
            f"{s}/booking/",
            f"{s}/exhibitors/companies/{company.pk}/",
            f"{s}/meetings/inbox/",
            f"{s}/meetings/agenda/",
        ],
        "delegation": [f"{s}/", f"{s}/meetings/agenda/"],
        "visitor": [f"{s}/", f"{s}/meetings/", f"{s}/meetings/agenda/"],
    }


def test_targets_are_24_pixels_and_pages_reflow_at_320_without_sideways_scrolling(browser, live_server, demo):
    """At laptop width and at 320 CSS px (1.4.10), one demo show for both."""
    problems: list[str] = []
    for width, height in ((1280, 800), (320, 640)):
        for role, urls in _role_pages(demo).items():
            context = browser.new_context(
                base_url=live_server.url, viewport={"width": width, "height": height}, locale="en-GB"
            )
            page = context.new_page()
            page.set_default_timeout(20_000)
            if role != "anonymous":
                page.goto("/accounts/login/")
                page.locator("input[name=username]").fill(DEMO_LOGINS[role])
                page.locator("input[name=password]").fill(DEMO_PASSWORD)
                page.locator("form button[type=submit]").last.click()
                page.wait_for_load_state()
            for url in urls:
                assert page.goto(url).status == 200, (role, url)
                overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
                if overflow > 0:
                    problems.append(
                        f"{role} {url} at {width}px scrolls sideways by {overflow}px (WCAG 1.4.10)"
                    )
                problems.extend(
                    f"{role} {url} at {width}px: target {small} under 24x24 (WCAG 2.5.8)"
                    for small in page.evaluate(TARGETS_JS)
                )
            context.close()
    assert problems == [], "\n".join(problems)
