from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from exhibition.booking import services
from exhibition.booking.models import Booking, BookingSettings, Invoice
from exhibition.floorplans.models import Pavilion, Stand
from tests import factories
from tests.factories.booking import approve, make_exhibitor, make_stand

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def url(event, path):
    return f"/api/v1/events/{event.slug}/{path}"


def test_hold_returns_201_then_200_for_a_double_click(api, event, stand, company, company_admin):
    api.force_authenticate(company_admin)
    first = api.post(url(event, "booking/holds/"), {"stand": "5A-001"}, format="json")
    second = api.post(url(event, "booking/holds/"), {"stand": "5a-001"}, format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    body = first.json()
    assert second.json() == body
    assert {k: body[k] for k in ("stand", "hall", "organisation", "status", "source", "invoice")} == {
        "stand": "5A-001",
        "hall": "5A",
        "organisation": {"id": company.pk, "name": "Aegis Systems"},
        "status": "held",
        "source": "exhibitor",
        "invoice": None,
    }


def test_hold_lost_race_is_409_with_clear_message(api, event, stand, company, company_admin, rival):
    services.hold_stand(event=event, stand=stand, organisation=rival[0], actor=rival[1])
    api.force_authenticate(company_admin)
    response = api.post(url(event, "booking/holds/"), {"stand": "5A-001"}, format="json")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "This stand was just taken by another exhibitor.",
        "code": "stand_taken",
    }
    assert Booking.objects.filter(organisation=company).count() == 0


def test_hold_unknown_stand_is_400_on_field(api, event, company, company_admin):
    api.force_authenticate(company_admin)
    response = api.post(url(event, "booking/holds/"), {"stand": "NOPE"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"stand": ["There is no stand NOPE at this show."]}


def test_confirm_then_invoice_detail_and_pdf(api, event, stand, company, company_admin):
    api.force_authenticate(company_admin)
    hold = api.post(url(event, "booking/holds/"), {"stand": "5A-001"}, format="json").json()
    confirmed = api.post(url(event, f"booking/bookings/{hold['id']}/confirm/"))
    assert confirmed.status_code == 200
    data = confirmed.json()
    assert (data["status"], data["net"], data["vat"], data["gross"]) == (
        "confirmed",
        "6552.00",
        "1310.40",
        "7862.40",
    )
    invoice = Invoice.objects.get()
    assert data["invoice"] == {"id": invoice.pk, "number": "INV-000001"}
    detail = api.get(url(event, f"invoices/{invoice.pk}/")).json()
    assert {
        k: detail[k]
        for k in (
            "number",
            "stand",
            "currency",
            "net",
            "vat_rate",
            "vat",
            "gross",
            "amount_paid",
            "balance",
            "payment_status",
            "payments",
        )
    } == {
        "number": "INV-000001",
        "stand": "5A-001",
        "currency": "EUR",
        "net": "6552.00",
        "vat_rate": "20.00",
        "vat": "1310.40",
        "gross": "7862.40",
        "amount_paid": "0.00",
        "balance": "7862.40",
        "payment_status": "unpaid",
        "payments": [],
    }
    assert [line["amount"] for line in detail["lines"]] == ["6240.00", "312.00"]
    pdf = api.get(detail["pdf_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and b"INV-000001" in pdf.content and b"7,862.40 EUR" in pdf.content


def test_confirm_of_expired_hold_is_409(api, event, stand, company, company_admin):
    hold = services.hold_stand(event=event, stand=stand, organisation=company, actor=company_admin)
    Booking.objects.filter(pk=hold.pk).update(held_until=timezone.now() - timedelta(seconds=1))
    api.force_authenticate(company_admin)
    response = api.post(url(event, f"booking/bookings/{hold.pk}/confirm/"))
    assert response.status_code == 409
    assert response.json()["code"] == "hold_expired"


def test_available_stands_fit_the_request(api, event, hall, company_admin, company):
    pavilion = Pavilion.objects.create(event=event, name="French Pavilion", country="FR")
    other_hall = factories.make_hall(event, "6", width=500, depth=80)
    fits = make_stand(event, "5A-010", hall=hall, width=3, depth=4)
    make_stand(event, "5A-011", hall=hall, width=6, depth=6)  # too big
    make_stand(event, "5A-012", hall=hall, width=3, depth=4, kind=Stand.Kind.RAW)  # wrong type
    make_stand(event, "5A-013", hall=hall, width=3, depth=4, status=Stand.Status.SOLD)
    make_stand(event, "6-001", hall=other_hall, width=3, depth=4)  # other hall: fits (no preference)
    api.force_authenticate(company_admin)
    numbers = [s["number"] for s in api.get(url(event, "booking/available-stands/")).json()["results"]]
    assert numbers == ["5A-010", "6-001"]
    everything = [
        s["number"] for s in api.get(url(event, "booking/available-stands/?all=1")).json()["results"]
    ]
    assert everything == ["5A-010", "5A-011", "5A-012", "6-001"]
    # A request for hall 5A in the French pavilion.
    company.exhibitor_application.preferred_halls.set([hall])
    company.exhibitor_application.pavilion = pavilion
    company.exhibitor_application.save()
    Stand.objects.filter(pk=fits.pk).update(pavilion=pavilion)
    numbers = [s["number"] for s in api.get(url(event, "booking/available-stands/")).json()["results"]]
    assert numbers == ["5A-010"]


def test_available_stands_refused_for_unapproved_company(api, event, stand):
    company, admin = make_exhibitor(event, "Pending Co", approved=False)
    api.force_authenticate(admin)
    assert api.get(url(event, "booking/available-stands/")).status_code == 403
    assert api.post(url(event, "booking/holds/"), {"stand": "5A-001"}, format="json").status_code == 403
    approve(company)
    api.force_authenticate(factories.make_member(company, "admin"))
    assert api.get(url(event, "booking/available-stands/")).status_code == 200


def test_organiser_assign_move_swap_vacate(api, event, hall, organiser, company, rival):
    for n in ("A", "B", "C"):
        make_stand(event, n, hall=hall)
    api.force_authenticate(organiser)
    r = api.post(url(event, "booking/assign/"), {"organisation": company.pk, "stand": "A"}, format="json")
    assert r.status_code == 201 and r.json()["invoice"]["number"] == "INV-000001"
    r = api.post(
        url(event, "booking/assign/"),
        {"organisation": rival[0].pk, "stand": "B", "issue_invoice": False},
        format="json",
    )
    assert r.status_code == 201 and r.json()["invoice"] is None
    r = api.post(url(event, "booking/assign/"), {"organisation": rival[0].pk, "stand": "A"}, format="json")
    assert (r.status_code, r.json()) == (409, {"detail": "Stand A is not free.", "code": "stand_taken"})
    r = api.post(url(event, "booking/move/"), {"from_stand": "A", "to_stand": "C"}, format="json")
    assert r.status_code == 200 and r.json()["stand"] == "C"
    r = api.post(url(event, "booking/swap/"), {"stand_a": "C", "stand_b": "B"}, format="json")
    assert r.status_code == 200
    assert [(b["stand"], b["organisation"]["name"]) for b in r.json()] == [
        ("B", "Aegis Systems"),
        ("C", "Bastion Optics"),
    ]
    r = api.post(url(event, "booking/vacate/"), {"stand": "B"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    assert dict(Stand.objects.filter(event=event).values_list("number", "status")) == {
        "A": "available",
        "B": "available",
        "C": "reserved",
    }


def test_organiser_issues_the_invoice_of_a_booking_assigned_without_one(
    api, event, hall, organiser, company, company_admin
):
    make_stand(event, "A", hall=hall)
    api.force_authenticate(organiser)
    booking = api.post(
        url(event, "booking/assign/"),
        {"organisation": company.pk, "stand": "A", "issue_invoice": False},
        format="json",
    ).json()
    assert booking["invoice"] is None

    # The company's admin may see the booking but not invoice it.
    api.force_authenticate(company_admin)
    assert api.post(url(event, f"booking/bookings/{booking['id']}/invoice/")).status_code == 403

    api.force_authenticate(organiser)
    first = api.post(url(event, f"booking/bookings/{booking['id']}/invoice/"))
    again = api.post(url(event, f"booking/bookings/{booking['id']}/invoice/"))  # a double click
    assert first.status_code == again.status_code == 200
    assert first.json()["number"] == again.json()["number"] == "INV-000001"
    assert first.json()["stand"] == "A" and Invoice.objects.count() == 1
    assert api.post(url(event, "booking/bookings/999999/invoice/")).status_code == 404

    # A booking that is not confirmed (a hold) is refused with a reason.
    make_stand(event, "B", hall=hall)
    api.force_authenticate(company_admin)
    hold = api.post(url(event, "booking/holds/"), {"stand": "B"}, format="json").json()
    api.force_authenticate(organiser)
    refused = api.post(url(event, f"booking/bookings/{hold['id']}/invoice/"))
    assert (
        refused.status_code == 400 and refused.json()["detail"] == "Only a confirmed booking can be invoiced."
    )
    assert Invoice.objects.count() == 1


def test_payment_overpayment_is_400_on_amount(api, event, stand, company, organiser):
    booking = services.assign_stand(event=event, stand=stand, organisation=company, actor=organiser)
    invoice = Invoice.objects.get(booking=booking)
    api.force_authenticate(organiser)
    response = api.post(
        url(event, f"invoices/{invoice.pk}/payments/"),
        {"amount": "7862.41", "received_on": "2025-07-01", "method": "card"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"amount": ["This payment exceeds the balance due (7,862.40 EUR)."]}
    ok = api.post(
        url(event, f"invoices/{invoice.pk}/payments/"),
        {"amount": "7862.40", "received_on": "2025-07-01", "method": "card", "reference": "CB-1"},
        format="json",
    )
    assert ok.status_code == 201
    assert (ok.json()["payment_status"], ok.json()["balance"]) == ("paid", "0.00")
    assert ok.json()["payments"][0] | {"id": 0} == {
        "id": 0,
        "amount": "7862.40",
        "received_on": "2025-07-01",
        "method": "card",
        "reference": "CB-1",
    }


# --- query counts: 1 and 3 items, same literal count ----------------------------------------------


@pytest.mark.parametrize("n", [1, 3])
def test_invoice_list_query_count(api, event, hall, organiser, n, django_assert_num_queries):
    for i in range(n):
        services.assign_stand(
            event=event,
            stand=make_stand(event, f"Q-{i}", hall=hall),
            organisation=make_exhibitor(event)[0],
            actor=organiser,
        )
    api.force_authenticate(organiser)
    with django_assert_num_queries(6):
        response = api.get(url(event, "invoices/"))
    assert response.json()["count"] == n


@pytest.mark.parametrize("n", [1, 3])
def test_booking_list_query_count(api, event, hall, organiser, n, django_assert_num_queries):
    for i in range(n):
        services.assign_stand(
            event=event,
            stand=make_stand(event, f"Q-{i}", hall=hall),
            organisation=make_exhibitor(event)[0],
            actor=organiser,
        )
    api.force_authenticate(organiser)
    with django_assert_num_queries(6):
        response = api.get(url(event, "booking/bookings/"))
    assert response.json()["count"] == n


@pytest.mark.parametrize("n", [1, 3])
def test_available_stands_query_count(api, event, hall, company, company_admin, n, django_assert_num_queries):
    for i in range(n):
        make_stand(event, f"Q-{i}", hall=hall, width=3, depth=4)
    api.force_authenticate(company_admin)
    with django_assert_num_queries(9):
        response = api.get(url(event, "booking/available-stands/"))
    assert response.json()["count"] == n


# --- the booking settings -------------------------------------------------------------------------


def test_booking_settings_api_reads_and_changes_what_a_hold_lasts(
    api, event, stand, organiser, company_admin
):
    api.force_authenticate(organiser)
    assert api.get(url(event, "booking/settings/")).json() == {
        "hold_minutes": 15,
        "vat_rate": "20.00",
        "invoice_prefix": "INV-",
        "payment_terms_days": 30,
        "organiser_name": "",
        "organiser_address": "",
        "organiser_vat_number": "",
        "organiser_email": "",
        "bank_details": "",
    }

    r = api.patch(
        url(event, "booking/settings/"),
        {"hold_minutes": 45, "vat_rate": "5.5", "organiser_email": "billing@milipol.test"},
        format="json",
    )

    assert r.status_code == 200, r.content
    assert {k: r.json()[k] for k in ("hold_minutes", "vat_rate", "invoice_prefix", "organiser_email")} == {
        "hold_minutes": 45,
        "vat_rate": "5.50",
        "invoice_prefix": "INV-",
        "organiser_email": "billing@milipol.test",
    }
    # The company's next hold lasts 45 minutes, and its booking is charged the new VAT rate.
    api.force_authenticate(company_admin)
    before = timezone.now()
    hold = api.post(url(event, "booking/holds/"), {"stand": stand.number}, format="json").json()
    booking = Booking.objects.get(pk=hold["id"])
    assert before + timedelta(minutes=44) < booking.held_until <= timezone.now() + timedelta(minutes=45)
    confirmed = api.post(url(event, f"booking/bookings/{hold['id']}/confirm/")).json()
    assert (confirmed["status"], confirmed["vat_rate"]) == ("confirmed", "5.50")


def test_booking_settings_api_field_errors(api, event, organiser):
    api.force_authenticate(organiser)
    settings_url = url(event, "booking/settings/")

    vat = api.patch(settings_url, {"vat_rate": "150"}, format="json")
    email = api.patch(settings_url, {"organiser_email": "billing"}, format="json")
    hold = api.patch(settings_url, {"hold_minutes": 0}, format="json")
    unknown = api.patch(settings_url, {"currency": "USD"}, format="json")

    assert (vat.status_code, vat.json()) == (
        400,
        {"vat_rate": ["Ensure this value is less than or equal to 100."]},
    )
    assert (email.status_code, email.json()) == (400, {"organiser_email": ["Enter a valid email address."]})
    assert (hold.status_code, hold.json()) == (
        400,
        {"hold_minutes": ["Ensure this value is greater than or equal to 1."]},
    )
    assert (unknown.status_code, unknown.json()) == (400, {"currency": ["Unknown setting."]})
    assert not BookingSettings.objects.filter(event=event).exists()


def test_booking_settings_api_is_for_organiser_admins(api, event, other_event, company_admin):
    for user in (
        factories.make_organiser(event, role="staff"),
        company_admin,
        factories.make_organiser(other_event),
    ):
        api.force_authenticate(user)
        assert api.get(url(event, "booking/settings/")).status_code == 403
        assert (
            api.patch(url(event, "booking/settings/"), {"hold_minutes": 5}, format="json").status_code == 403
        )
    assert not BookingSettings.objects.filter(event=event).exists()
