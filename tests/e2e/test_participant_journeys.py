"""A visitor's and an exhibitor's journeys, on a laptop and on a phone: the landing page's
to-dos, suggestions with distinct reasons, a request sent and seen as sent, a duplicate refused,
the agenda with its walks; an exhibitor answering a request, booking another exhibitor with the
colleague who takes it, and seeing the delegation visits it hosts in its agenda. No page
scrolls sideways."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from exhibition.delegations.models import PublishedVisit
from exhibition.events.models import Sector
from exhibition.meetings import services
from exhibition.meetings.models import Meeting, MeetingRequest, Place, Round
from tests import factories
from tests.e2e.conftest import sign_in
from tests.factories import meetings as f
from tests.factories.delegations import make_official_delegation
from tests.factories.floorplans import make_stand, sell

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"laptop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def no_sideways_scroll(page) -> None:
    width, inner = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"{page.url} scrolls sideways: {width} > {inner}"


def _at_stand(event, participant, stand):
    sell(stand, participant.organisation)
    participant.stand = stand
    participant.save(update_fields=["stand"])
    Place.objects.create(
        event=event, kind=Place.Kind.STAND, name=f"Stand {stand.number}", stand=stand, walking_id=stand.number
    )
    return participant


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_visitor_journey(page, device):
    page.set_viewport_size(VIEWPORTS[device])
    event = factories.make_event("visitor-e2e", name="Milipol E2E")
    drones = Sector.objects.create(event=event, code="drones", name_en="Drones", name_fr="Drones")
    hall = factories.make_hall(event)
    vis = f.visitor(
        event,
        email="buyer@e2e.test",
        headline="Airport security buyer",
        seek="Counter-drone systems, crisis management software",
    )
    vis.sectors.add(drones)
    sky = f.exhibitor(
        event, "SkyShield Systems", offer="Counter-drone systems. Perimeter radar", instant=True
    )
    f.exhibitor(event, "Drone Wall", offer="Counter-drone systems. Body armour")
    f.exhibitor(event, "Crisis Desk", offer="Crisis management software")
    sky.sectors.add(drones)
    near = _at_stand(
        event,
        f.exhibitor(event, "Near Co", offer="Catering", instant=True),
        make_stand(event, hall, "5A-01", 2, 2),
    )
    far = _at_stand(
        event,
        f.exhibitor(event, "Far Co", offer="Catering", instant=True),
        make_stand(event, hall, "5A-09", 60, 40),
    )
    services.book_instantly(actor=vis.user, sender=vis, recipient=near, start=f.at(event, 1, "10:00"))
    services.book_instantly(actor=vis.user, sender=vis, recipient=far, start=f.at(event, 1, "10:30"))
    asker = f.exhibitor(event, "Asker Ltd")
    services.request_meeting(actor=f.actor_of(asker), sender=asker, recipient=vis)
    Round.objects.create(event=event, name="Pre-show")

    sign_in(page, "buyer@e2e.test", factories.PASSWORD)
    page.goto(f"/{event.slug}/")
    todos = page.get_by_role("region", name="What to do next")
    expect(todos).to_contain_text("1 meeting request awaits your answer")
    expect(todos).to_contain_text("3 people you should meet")
    expect(todos).to_contain_text("2 meetings in your agenda")
    expect(todos).to_contain_text("The matchmaking round “Pre-show” is open for requests")
    assert "not open" not in todos.inner_text()
    no_sideways_scroll(page)

    todos.get_by_role("link", name="3 people you should meet").click()
    page.wait_for_load_state()
    suggestions = page.get_by_role("region", name="People you should meet")
    reasons = [r.inner_text() for r in suggestions.locator("ul.reasons").all()]
    assert len(reasons) == 3 and len(set(reasons)) == 3, reasons
    expect(suggestions).to_contain_text(
        "Looking for: counter-drone systems — they offer counter-drone systems"
    )
    expect(suggestions).to_contain_text("Also offers perimeter radar")
    expect(suggestions).to_contain_text(
        "Looking for: crisis management software — they offer crisis management software"
    )
    no_sideways_scroll(page)

    suggestions.get_by_role("link", name="SkyShield Systems").click()
    page.wait_for_load_state()
    page.get_by_label("Message").first.fill("Can we see your counter-drone demo?")
    page.get_by_role("button", name="Send request").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Request sent to SkyShield Systems.")).to_be_visible()
    expect(page.get_by_role("link", name="Sent", exact=True)).to_have_attribute("aria-current", "page")
    sent_row = page.locator("tr.just-sent")
    expect(sent_row).to_contain_text("SkyShield Systems")
    expect(sent_row).to_contain_text("just sent")
    expect(sent_row).to_contain_text("Awaiting an answer")
    no_sideways_scroll(page)

    page.goto(f"/{event.slug}/meetings/p/{sky.pk}/")
    expect(page.get_by_role("status")).to_contain_text("You asked for a meeting on")
    page.get_by_role("button", name="Send request").click()
    page.wait_for_load_state()
    expect(
        page.get_by_text("You already asked SkyShield Systems for a meeting: see your sent requests.")
    ).to_be_visible()
    assert MeetingRequest.objects.filter(sender=vis, recipient=sky).count() == 1
    no_sideways_scroll(page)

    page.goto(f"/{event.slug}/meetings/agenda/")
    agenda = page.locator("table.agenda")
    expect(agenda.get_by_role("columnheader", name="Walk")).to_have_count(1)
    expect(agenda).to_contain_text("Far Co")
    expect(agenda).to_contain_text("min walk")
    expect(agenda).to_contain_text("from Stand 5A-01")
    no_sideways_scroll(page)


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_exhibitor_journey(page, device):
    page.set_viewport_size(VIEWPORTS[device])
    event = factories.make_event("exhibitor-e2e", name="Milipol E2E")
    hall = factories.make_hall(event)
    me = f.exhibitor(event, "Aegis Systems", hosts=2, offer="Perimeter radar")
    boss, colleague = (h.user for h in me.hosts.select_related("user").order_by("id"))
    stand = make_stand(event, hall, "5A-01", 2, 2)
    _at_stand(event, me, stand)
    seller = f.exhibitor(event, "Seller Co", instant=True, offer="Thermal cameras")
    vis = f.visitor(event, seek="Radar")
    services.request_meeting(actor=vis.user, sender=vis, recipient=me, message="Radar demo?")
    dele = make_official_delegation(event, "Brazil Federal Police")
    visit = f.at(event, 3, "11:00")
    PublishedVisit.objects.create(
        uid=uuid.uuid4(),
        delegation=dele,
        date=visit.date(),
        stand=stand,
        start=visit,
        end=visit + timedelta(minutes=20),
    )

    sign_in(page, boss.email, factories.PASSWORD)
    page.goto(f"/{event.slug}/")
    todos = page.get_by_role("region", name="What to do next")
    expect(todos).to_contain_text("1 meeting request awaits your answer")
    expect(todos).to_contain_text("1 delegation visit at your stand")
    expect(todos).to_contain_text("at stand 5A-01")
    no_sideways_scroll(page)

    todos.get_by_role("link", name="1 meeting request awaits your answer").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Answer").click()
    page.get_by_label("Time").select_option(label="Wed 19 Nov 10:30–11:00")
    page.get_by_role("button", name="Accept").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Request accepted.")).to_be_visible()
    assert Meeting.objects.filter(sender=vis, recipient=me).count() == 1
    no_sideways_scroll(page)

    page.goto(f"/{event.slug}/meetings/p/{seller.pk}/")
    booking = page.get_by_role("region", name="Book a free slot now")
    booking.get_by_label("Free slot").select_option(label="Tue 18 Nov 14:00–14:30")
    booking.get_by_label("Who from your company takes it").select_option(label=colleague.get_full_name())
    booking.get_by_role("button", name="Book").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Meeting booked.")).to_be_visible()
    m = Meeting.objects.get(sender=me, recipient=seller)
    assert (m.sender_host.user, m.host) == (colleague, seller.hosts.get())
    no_sideways_scroll(page)

    page.goto(f"/{event.slug}/meetings/agenda/")
    agenda = page.locator("table.agenda")
    expect(agenda).to_contain_text(f"Seller Co · {colleague.get_full_name()}")
    expect(agenda).to_contain_text(f"Delegation visit: {dele.organisation.name}")
    expect(agenda).to_contain_text("11:00–11:20")
    expect(agenda).to_contain_text(vis.name)
    no_sideways_scroll(page)
