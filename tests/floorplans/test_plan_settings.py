"""The organiser's stand-price and walking settings: the page, the API and the service behind them.

New rates re-price every stand whose price is still open (free, blocked, held: booking quotes a
hold from the current rates and freezes the quote only at confirmation); stands with a confirmed
booking keep the price they were booked and invoiced at."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from exhibition.accounts.models import EventStaff
from exhibition.booking import selectors as booking_selectors
from exhibition.booking import services as booking_services
from exhibition.booking.models import Booking, Invoice
from exhibition.core.audit import action_label
from exhibition.core.errors import DomainError
from exhibition.core.models import AuditLogEntry
from exhibition.floorplans import selectors, services
from exhibition.floorplans.models import PlanSettings, Stand, WalkingMatrix
from tests import factories
from tests.factories.booking import make_exhibitor, make_stand
from tests.support.html import squash

pytestmark = pytest.mark.django_db

SETTINGS = [
    "shell_rate",
    "raw_rate",
    "corner_supplement",
    "peninsula_supplement",
    "island_supplement",
    "hall_entry_minutes",
]
DEFAULTS = {
    "shell_rate": "520",
    "raw_rate": "420",
    "corner_supplement": "5",
    "peninsula_supplement": "10",
    "island_supplement": "15",
    "hall_entry_minutes": "0",
}


# --- a show with one stand in each state ----------------------------------------------------------


@pytest.fixture
def hall(event):
    return factories.make_hall(event, "5A", width=2000, depth=80)


@pytest.fixture
def exhibitor(event):
    return make_exhibitor(event, "Aegis Systems", email="admin@aegis.test")


@pytest.fixture
def stands(event, hall, organiser, exhibitor):
    """free: 9 m² shell corner, 4,914.00; blocked: 16 m² raw inline, 6,720.00; held: 9 m² shell
    inline held by Aegis, 4,680.00; booked: 9 m² shell island assigned to Aegis (invoiced), 5,382.00."""
    company, admin = exhibitor
    free = make_stand(event, "5A-001", hall=hall, open_sides=Stand.OpenSides.CORNER)
    blocked = make_stand(
        event, "5A-002", hall=hall, width=4, depth=4, kind=Stand.Kind.RAW, status=Stand.Status.BLOCKED
    )
    held = make_stand(event, "5A-003", hall=hall)
    booked = make_stand(event, "5A-004", hall=hall, open_sides=Stand.OpenSides.ISLAND)
    booking_services.hold_stand(event=event, stand=held, organisation=company, actor=admin)
    booking_services.assign_stand(event=event, stand=booked, organisation=company, actor=organiser)
    return {"free": free, "blocked": blocked, "held": held, "booked": booked}


def prices(stands) -> dict[str, Decimal]:
    return {name: Stand.objects.get(pk=s.pk).price for name, s in stands.items()}


BEFORE = {
    "free": Decimal("4914.00"),
    "blocked": Decimal("6720.00"),
    "held": Decimal("4680.00"),
    "booked": Decimal("5382.00"),
}


STORED_DEFAULTS = {
    "shell_rate": "520.00",
    "raw_rate": "420.00",
    "corner_supplement": "5.00",
    "peninsula_supplement": "10.00",
    "island_supplement": "15.00",
    "hall_entry_minutes": "0.0",
}


def stored_settings(event) -> dict[str, str]:
    row = PlanSettings.objects.filter(event=event).values(*SETTINGS).first() or {}
    return {k: str(v) for k, v in row.items()}


@pytest.fixture
def staff(event):
    return factories.make_organiser(event, role=EventStaff.Role.STAFF, email="staff@example.test")


@pytest.fixture
def page(event):
    return reverse("floorplans:settings", kwargs={"event_slug": event.slug})


def form_data(**changes) -> dict[str, str]:
    return {**DEFAULTS, **changes}


# --- the page -------------------------------------------------------------------------------------


def test_page_shows_settings_without_trailing_zeros_and_worked_example(client, organiser, page, stands):
    client.force_login(organiser)
    response = client.get(page)
    assert response.status_code == 200
    html = squash(response.content.decode())
    assert 'name="shell_rate" value="520"' in html
    assert 'name="corner_supplement" value="5"' in html
    assert 'name="hall_entry_minutes" value="0"' in html
    # 9 m² x 520 = 4,680.00 + 5 % corner = 234.00: 4,914.00, as booking quotes it
    assert '<td>9 m² × 520.00 EUR per m²</td><td class="num">4,680.00 EUR</td>' in html
    assert '<td>Corner supplement (5 %)</td><td class="num">234.00 EUR</td>' in html
    assert '<th scope="row">Price before VAT</th><td class="num"><strong>4,914.00 EUR</strong>' in html
    assert "3 stands take new rates when you save them. 1 booked stand keeps its price." in html
    assert "Confirmed bookings keep the price they were booked at" in html
    assert '<button type="submit" class="primary">Save</button>' in html


def test_admin_saves_and_only_unbooked_stands_are_repriced(client, organiser, page, stands, event):
    client.force_login(organiser)
    response = client.post(page, form_data(shell_rate="600", corner_supplement="10"), follow=True)
    assert response.redirect_chain == [(page, 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "Settings saved. 2 stands re-priced at the new rates. 1 booked stand keeps its price."
    ]
    assert stored_settings(event) == {
        "shell_rate": "600.00",
        "raw_rate": "420.00",
        "corner_supplement": "10.00",
        "peninsula_supplement": "10.00",
        "island_supplement": "15.00",
        "hall_entry_minutes": "0.0",
    }
    assert prices(stands) == {
        "free": Decimal("5940.00"),  # 9 x 600 + 10 %
        "blocked": Decimal("6720.00"),  # raw space: its rate did not change
        "held": Decimal("5400.00"),  # 9 x 600: a hold is not a booking
        "booked": Decimal("5382.00"),  # booked at 9 x 520 + 15 %: kept
    }
    html = squash(response.content.decode())
    assert "<td>9 m² × 600.00 EUR per m²</td>" in html
    assert "<strong>5,940.00 EUR</strong>" in html


def test_new_prices_agree_with_what_booking_quotes_and_invoiced(event, organiser, stands, exhibitor):
    _company, admin = exhibitor
    services.update_plan_settings(event=event, actor=organiser, shell_rate=Decimal("600"))
    held, booked = (Stand.objects.get(pk=stands[k].pk) for k in ("held", "booked"))
    # the booked stand: the plan, the frozen quote, the invoice and the revenue all say 5,382.00
    confirmed = Booking.objects.get(stand=booked, status=Booking.Status.CONFIRMED)
    invoice = Invoice.objects.get(booking=confirmed)
    assert booked.price == confirmed.net == invoice.net == Decimal("5382.00")
    assert selectors.stand_statistics(event)["revenue"] == "5382.00"
    # the held stand: the company's quote is the plan's new price, and so is its confirmation
    assert booking_selectors.quote_for_stand(event, held).net == held.price == Decimal("5400.00")
    hold = Booking.objects.get(stand=held, status=Booking.Status.HELD)
    booking_services.confirm_booking(booking=hold, actor=admin)
    hold.refresh_from_db()
    assert hold.net == Stand.objects.get(pk=held.pk).price == Decimal("5400.00")


def test_a_booked_stand_freed_after_a_rate_change_goes_back_at_the_new_rates(event, organiser, stands):
    services.update_plan_settings(event=event, actor=organiser, shell_rate=Decimal("600"))
    booked = Stand.objects.get(pk=stands["booked"].pk)
    assert booked.price == Decimal("5382.00")  # booked at the old rates
    booking_services.vacate_stand(event=event, stand=booked, actor=organiser)
    freed = Stand.objects.get(pk=booked.pk)
    assert freed.status == Stand.Status.AVAILABLE
    # what the plan shows is what the next company is quoted: 9 x 600 + 15 % (island)
    assert freed.price == booking_selectors.quote_for_stand(event, freed).net == Decimal("6210.00")


def test_a_booked_stand_keeps_its_price_when_a_neighbour_changes_its_open_sides(
    event, organiser, hall, exhibitor
):
    company, _admin = exhibitor
    booked = make_stand(event, "5A-100", hall=hall, open_sides=Stand.OpenSides.ISLAND)
    booking_services.assign_stand(event=event, stand=booked, organisation=company, actor=organiser)
    price = Stand.objects.get(pk=booked.pk).price
    # a stand drawn right against it: the booked stand loses an open side, not its price
    services.create_stand(
        event=event,
        actor=organiser,
        hall=hall,
        number="5A-101",
        x=booked.x + 3,
        y=booked.y,
        width=3,
        depth=3,
    )
    after = Stand.objects.get(pk=booked.pk)
    assert after.open_sides < Stand.OpenSides.ISLAND and after.price == price


def test_free_stand_offer_shows_the_new_price(event, organiser, stands):
    services.update_plan_settings(event=event, actor=organiser, shell_rate=Decimal("600"))
    free = Stand.objects.get(pk=stands["free"].pk)
    assert (
        booking_selectors.quote_for_stand(event, free).net == free.price == Decimal("5670.00")
    )  # 9 x 600 + 5 %


def test_expired_hold_is_repriced(event, organiser, hall):
    stand = make_stand(
        event, "5A-009", hall=hall, status=Stand.Status.HELD, held_until=timezone.now() - timedelta(days=1)
    )
    result = services.update_plan_settings(event=event, actor=organiser, shell_rate=Decimal("500"))
    assert (result.repriced, result.kept) == (1, 0)
    assert Stand.objects.get(pk=stand.pk).price == Decimal("4500.00")


def test_hall_entry_change_marks_walking_matrix_stale_and_reprices_nothing(
    client, organiser, page, event, stands
):
    WalkingMatrix.objects.create(event=event, plan_version=1, status=WalkingMatrix.Status.READY, progress=1.0)
    client.force_login(organiser)
    response = client.post(page, form_data(hall_entry_minutes="1.5"), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        (
            "Settings saved. The walking times must be computed again for the new hall-entry time: "
            "the floor plan page shows their state."
        )
    ]
    assert stored_settings(event)["hall_entry_minutes"] == "1.5"
    assert WalkingMatrix.objects.get(event=event).status == WalkingMatrix.Status.PENDING
    assert prices(stands) == BEFORE


def test_saving_unchanged_settings_changes_nothing(client, organiser, page, event, stands):
    client.force_login(organiser)
    response = client.post(page, form_data(shell_rate="520.00"), follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Nothing changed."]
    assert not AuditLogEntry.objects.filter(action="plan.settings").exists()
    assert prices(stands) == BEFORE


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("shell_rate", "-1", "A rate cannot be negative."),
        ("raw_rate", "abc", "Enter a number."),
        ("shell_rate", "1.234", "Ensure that there are no more than 2 decimal places."),
        ("corner_supplement", "150", "A supplement is between 0 and 100 %."),
        ("island_supplement", "-5", "A supplement is between 0 and 100 %."),
        ("hall_entry_minutes", "-1", "Enter between 0 and 60 minutes."),
        ("hall_entry_minutes", "abc", "Enter a number."),
    ],
)
def test_bad_input_is_a_field_error_and_changes_nothing(
    client, organiser, page, event, stands, field, value, message
):
    before = stored_settings(event)
    client.force_login(organiser)
    response = client.post(page, form_data(**{"shell_rate": "600", field: value}))
    assert response.status_code == 400
    assert response.context["form"].errors == {field: [message]}
    assert stored_settings(event) == before
    assert prices(stands) == BEFORE
    assert not AuditLogEntry.objects.filter(action="plan.settings").exists()


def test_staff_see_the_settings_but_may_not_save(client, staff, page, event, stands):
    client.force_login(staff)
    response = client.get(page)
    assert response.status_code == 200
    html = squash(response.content.decode())
    assert 'name="shell_rate" value="520" step="0.01" min="0" inputmode="decimal" required disabled' in html
    assert "Only the organiser's admins can change these settings." in html
    assert ">Save</button>" not in html
    assert client.post(page, form_data(shell_rate="1")).status_code == 403
    assert stored_settings(event) == STORED_DEFAULTS
    assert prices(stands) == BEFORE


def test_exhibitor_and_other_show_organiser_are_refused(client, page, event, other_event, stands, exhibitor):
    _company, company_admin = exhibitor
    outsider = factories.make_organiser(other_event, email="admin@other.test")
    for user in (company_admin, outsider):
        client.force_login(user)
        assert client.get(page).status_code == 403
        assert client.post(page, form_data(shell_rate="1")).status_code == 403
    assert stored_settings(event) == STORED_DEFAULTS
    assert prices(stands) == BEFORE


def test_anonymous_is_sent_to_sign_in(client, page, event):
    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert client.post(page, form_data(shell_rate="1")).status_code == 302
    assert stored_settings(event) == {}


def test_overview_links_to_the_settings_for_organisers_only(client, organiser, staff, event, page, exhibitor):
    overview = reverse("floorplans:overview", kwargs={"event_slug": event.slug})
    link = f'<a href="{page}">Stand prices and walking settings</a>'
    for user, shown in ((organiser, True), (staff, True), (exhibitor[1], False)):
        client.force_login(user)
        assert (link in client.get(overview).content.decode()) is shown


# --- the audit log --------------------------------------------------------------------------------


def test_saving_records_the_changes_in_the_audit_log(event, organiser, stands):
    services.update_plan_settings(
        event=event, actor=organiser, shell_rate=Decimal("600.50"), hall_entry_minutes=2.0
    )
    entry = AuditLogEntry.objects.get(action="plan.settings")
    assert (entry.event_id, entry.actor_id, entry.object_type) == (
        event.pk,
        organiser.pk,
        "floorplans.plansettings",
    )
    assert entry.data == {
        "changes": {"shell_rate": ["520", "600.5"], "hall_entry_minutes": [0.0, 2.0]},
        "repriced": 2,  # the free and the held shell scheme stands (the other is raw space)
        "kept": 1,
    }
    assert action_label("plan.settings") == "Stand prices and walking settings changed"


def test_service_refuses_unknown_settings(event, organiser):
    with pytest.raises(DomainError) as exc:
        services.update_plan_settings(event=event, actor=organiser, version=9)
    assert exc.value.message == "Unknown setting: version"
    assert not PlanSettings.objects.filter(event=event, version=9).exists()


def test_service_accepts_the_bounds(event, organiser):
    result = services.update_plan_settings(
        event=event, actor=organiser, raw_rate=Decimal("0"), island_supplement=Decimal("100")
    )
    assert result.changed == ("raw_rate", "island_supplement")
    assert stored_settings(event)["raw_rate"] == "0.00"
    assert stored_settings(event)["island_supplement"] == "100.00"


# --- the API --------------------------------------------------------------------------------------


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def api_url(event):
    return f"/api/v1/events/{event.slug}/plan-settings/"


def test_api_get_for_organisers(api, api_url, staff):
    api.force_authenticate(staff)
    response = api.get(api_url)
    assert response.status_code == 200
    assert response.json() == {
        "shell_rate": "520.00",
        "raw_rate": "420.00",
        "corner_supplement": "5.00",
        "peninsula_supplement": "10.00",
        "island_supplement": "15.00",
        "hall_entry_minutes": 0.0,
    }


def test_api_patch_by_admin_reprices(api, api_url, organiser, event, stands):
    api.force_authenticate(organiser)
    response = api.patch(api_url, {"shell_rate": "600", "corner_supplement": "10"}, format="json")
    assert response.status_code == 200
    assert response.json() == {
        "shell_rate": "600.00",
        "raw_rate": "420.00",
        "corner_supplement": "10.00",
        "peninsula_supplement": "10.00",
        "island_supplement": "15.00",
        "hall_entry_minutes": 0.0,
        "repriced": 2,
        "kept": 1,
    }
    assert prices(stands) == {**BEFORE, "free": Decimal("5940.00"), "held": Decimal("5400.00")}
    assert AuditLogEntry.objects.filter(action="plan.settings", actor=organiser).count() == 1


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"shell_rate": "-1"}, {"shell_rate": ["A rate cannot be negative."]}),
        ({"shell_rate": "abc"}, {"shell_rate": ["A valid number is required."]}),
        ({"corner_supplement": "150"}, {"corner_supplement": ["A supplement is between 0 and 100 %."]}),
        ({"hall_entry_minutes": "NaN"}, {"hall_entry_minutes": ["A valid number is required."]}),
        (
            {"hall_entry_minutes": -1},
            {"hall_entry_minutes": ["Ensure this value is greater than or equal to 0."]},
        ),
        ({"version": 9}, {"version": ["Unknown setting."]}),
        ([1, 2], {"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]}),
    ],
)
def test_api_bad_input_is_400_with_field_errors_and_changes_nothing(
    api, api_url, organiser, event, stands, body, errors
):
    api.force_authenticate(organiser)
    response = api.patch(api_url, body, format="json")
    assert response.status_code == 400
    assert response.json() == errors
    assert stored_settings(event) == STORED_DEFAULTS
    assert prices(stands) == BEFORE
    assert not AuditLogEntry.objects.filter(action="plan.settings").exists()


def test_api_refuses_staff_exhibitor_and_anonymous_writes(api, api_url, staff, event, stands, exhibitor):
    for user, expected in ((staff, 403), (exhibitor[1], 403), (None, 401)):
        api.force_authenticate(user)
        assert api.patch(api_url, {"shell_rate": "1"}, format="json").status_code == expected
    api.force_authenticate(exhibitor[1])
    assert api.get(api_url).status_code == 403
    assert stored_settings(event) == STORED_DEFAULTS
    assert prices(stands) == BEFORE
