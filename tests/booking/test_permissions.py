"""The authorisation matrix: role x object x action, for bookings and invoices, across two
companies of one event and a company of another event. Denied means nothing changed and
nothing leaked: another company's objects are 404 with the bare "Not found." body."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from exhibition.booking import services
from exhibition.booking.models import Booking, Invoice, Payment
from exhibition.floorplans.models import Stand
from tests import factories
from tests.factories.booking import make_exhibitor, make_stand

pytestmark = pytest.mark.django_db

NOT_FOUND = {"detail": "Not found."}


@pytest.fixture
def world(event, other_event, hall, organiser):
    company_a, admin_a = make_exhibitor(event, "Alpha Radios", email="admin@alpha.test")
    staff_a = factories.make_member(company_a, "staff", email="staff@alpha.test")
    company_b, admin_b = make_exhibitor(event, "Bravo Drones", email="admin@bravo.test")
    organiser_b = factories.make_organiser(other_event, email="org@other.test")
    company_c, admin_c = make_exhibitor(other_event, "Charlie Optics", email="admin@charlie.test")
    visitor = factories.make_visitor(event, email="visitor@example.test").user

    inv = {}
    for key, (ev, company, who) in {
        "a": (event, company_a, organiser),
        "b": (event, company_b, organiser),
        "c": (other_event, company_c, organiser_b),
    }.items():
        booking = services.assign_stand(
            event=ev, stand=make_stand(ev, f"S-{key}"), organisation=company, actor=who
        )
        inv[key] = Invoice.objects.get(booking=booking)
    hold_a = services.hold_stand(
        event=event, stand=make_stand(event, "H-a", hall=hall), organisation=company_a, actor=admin_a
    )
    hold_b = services.hold_stand(
        event=event, stand=make_stand(event, "H-b", hall=hall), organisation=company_b, actor=admin_b
    )
    users = {
        "organiser": organiser,
        "organiser_other_event": organiser_b,
        "admin_a": admin_a,
        "staff_a": staff_a,
        "admin_b": admin_b,
        "admin_other_event": admin_c,
        "visitor": visitor,
        "anonymous": None,
    }
    return {"users": users, "invoices": inv, "holds": {"a": hold_a, "b": hold_b}}


def client_for(user):
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


# Invoice detail, PDF and payments through event A's URL. Columns: invoice of company A,
# of company B (same event), of company C (other event: never found under event A).
INVOICE_VIEW = {
    "organiser": {"a": 200, "b": 200, "c": 404},
    "organiser_other_event": {"a": 403, "b": 403, "c": 403},
    "admin_a": {"a": 200, "b": 404, "c": 404},
    "staff_a": {"a": 404, "b": 404, "c": 404},
    "admin_b": {"a": 404, "b": 200, "c": 404},
    "admin_other_event": {"a": 403, "b": 403, "c": 403},
    "visitor": {"a": 403, "b": 403, "c": 403},
    "anonymous": {"a": 401, "b": 401, "c": 401},
}
PAYMENT = {
    "organiser": {"a": 201, "b": 201, "c": 404},
    "organiser_other_event": {"a": 403, "b": 403, "c": 403},
    "admin_a": {"a": 403, "b": 404, "c": 404},
    "staff_a": {"a": 404, "b": 404, "c": 404},
    "admin_b": {"a": 404, "b": 403, "c": 404},
    "admin_other_event": {"a": 403, "b": 403, "c": 403},
    "visitor": {"a": 403, "b": 403, "c": 403},
    "anonymous": {"a": 401, "b": 401, "c": 401},
}
CASES = [(role, key) for role in INVOICE_VIEW for key in "abc"]


@pytest.mark.parametrize(("role", "key"), CASES)
def test_invoice_detail_matrix(world, event, role, key):
    invoice = world["invoices"][key]
    response = client_for(world["users"][role]).get(f"/api/v1/events/{event.slug}/invoices/{invoice.pk}/")
    assert response.status_code == INVOICE_VIEW[role][key]
    if response.status_code == 200:
        assert response.json()["number"] == invoice.number
    elif response.status_code == 404:
        assert response.json() == NOT_FOUND


@pytest.mark.parametrize(("role", "key"), CASES)
def test_invoice_pdf_matrix(world, event, role, key):
    invoice = world["invoices"][key]
    response = client_for(world["users"][role]).get(f"/api/v1/events/{event.slug}/invoices/{invoice.pk}/pdf/")
    assert response.status_code == INVOICE_VIEW[role][key]
    if response.status_code == 200:
        assert response["Content-Type"] == "application/pdf"
        assert invoice.number.encode() in response.content
    else:
        assert b"%PDF" not in response.content and invoice.number.encode() not in response.content


@pytest.mark.parametrize(("role", "key"), CASES)
def test_payment_matrix(world, event, role, key):
    invoice = world["invoices"][key]
    response = client_for(world["users"][role]).post(
        f"/api/v1/events/{event.slug}/invoices/{invoice.pk}/payments/",
        {"amount": "100.00", "received_on": "2025-07-01", "method": "bank_transfer"},
        format="json",
    )
    assert response.status_code == PAYMENT[role][key]
    invoice.refresh_from_db()
    if response.status_code == 201:
        assert invoice.amount_paid == Decimal("100.00")
        assert response.json()["payment_status"] == "partly_paid"
    else:
        assert invoice.amount_paid == 0 and not Payment.objects.exists()
        assert invoice.number not in response.content.decode()


INVOICE_LIST = {
    "organiser": ["a", "b"],
    "admin_a": ["a"],
    "staff_a": [],
    "admin_b": ["b"],
    "organiser_other_event": 403,
    "admin_other_event": 403,
    "visitor": 403,
    "anonymous": 401,
}


@pytest.mark.parametrize("role", list(INVOICE_LIST))
def test_invoice_list_matrix(world, event, role):
    response = client_for(world["users"][role]).get(f"/api/v1/events/{event.slug}/invoices/")
    expected = INVOICE_LIST[role]
    if isinstance(expected, int):
        assert response.status_code == expected
        return
    assert response.status_code == 200
    numbers = sorted(row["number"] for row in response.json()["results"])
    assert numbers == sorted(world["invoices"][k].number for k in expected)


# Holds: confirm (POST) and release (DELETE) of company A's and company B's holds.
HOLD_ACTIONS = {
    "organiser": {"a": 200, "b": 200},
    "admin_a": {"a": 200, "b": 404},
    "staff_a": {"a": 403, "b": 404},
    "admin_b": {"a": 404, "b": 200},
    "organiser_other_event": {"a": 404, "b": 404},
    "visitor": {"a": 404, "b": 404},
    "anonymous": {"a": 401, "b": 401},
}


@pytest.mark.parametrize(("role", "key"), [(r, k) for r in HOLD_ACTIONS for k in "ab"])
def test_confirm_matrix(world, event, role, key):
    hold = world["holds"][key]
    response = client_for(world["users"][role]).post(
        f"/api/v1/events/{event.slug}/booking/bookings/{hold.pk}/confirm/"
    )
    assert response.status_code == HOLD_ACTIONS[role][key]
    hold.refresh_from_db()
    assert hold.status == ("confirmed" if response.status_code == 200 else "held")
    if response.status_code == 404:
        assert response.json() == NOT_FOUND


@pytest.mark.parametrize(("role", "key"), [(r, k) for r in HOLD_ACTIONS for k in "ab"])
def test_release_matrix(world, event, role, key):
    hold = world["holds"][key]
    response = client_for(world["users"][role]).delete(
        f"/api/v1/events/{event.slug}/booking/holds/{hold.pk}/"
    )
    expected = HOLD_ACTIONS[role][key]
    assert response.status_code == (204 if expected == 200 else expected)
    hold.refresh_from_db()
    assert hold.status == ("released" if response.status_code == 204 else "held")
    assert Stand.objects.get(pk=hold.stand_id).status == (
        "available" if response.status_code == 204 else "held"
    )


ALLOCATION = {
    "organiser": 201,
    "organiser_other_event": 403,
    "admin_a": 403,
    "staff_a": 403,
    "visitor": 403,
    "anonymous": 401,
}


@pytest.mark.parametrize("role", list(ALLOCATION))
def test_assign_matrix(world, event, hall, role):
    stand = make_stand(event, "FREE-1", hall=hall)
    company_b = Booking.objects.get(pk=world["holds"]["b"].pk).organisation
    response = client_for(world["users"][role]).post(
        f"/api/v1/events/{event.slug}/booking/assign/",
        {"organisation": company_b.pk, "stand": "FREE-1"},
        format="json",
    )
    assert response.status_code == ALLOCATION[role]
    stand.refresh_from_db()
    assert stand.exhibitor_id == (company_b.pk if response.status_code == 201 else None)


# Pages: the invoice PDF download.
PAGE_PDF = {
    "organiser": {"a": 200, "b": 200, "c": 404},
    "admin_a": {"a": 200, "b": 404, "c": 404},
    "staff_a": {"a": 404, "b": 404, "c": 404},
    "admin_b": {"a": 404, "b": 200, "c": 404},
    "visitor": {"a": 404, "b": 404, "c": 404},
    "anonymous": {"a": 302, "b": 302, "c": 302},
}


@pytest.mark.parametrize(("role", "key"), [(r, k) for r in PAGE_PDF for k in "abc"])
def test_invoice_pdf_page_matrix(world, event, client, role, key):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    invoice = world["invoices"][key]
    response = client.get(f"/{event.slug}/booking/invoices/{invoice.pk}/pdf/")
    assert response.status_code == PAGE_PDF[role][key]
    if response.status_code != 200:
        assert invoice.number.encode() not in response.content


def test_organiser_pages_refuse_exhibitors(world, event, client):
    client.force_login(world["users"]["admin_a"])
    inv = world["invoices"]["a"]
    for url in ("manage/", "manage/invoices/", f"manage/invoices/{inv.pk}/", "manage/settings/"):
        assert client.get(f"/{event.slug}/booking/{url}").status_code == 403
    response = client.post(
        f"/{event.slug}/booking/manage/invoices/{inv.pk}/",
        {"amount": "1", "received_on": "2025-07-01", "method": "cash"},
    )
    assert response.status_code == 403
    assert not Payment.objects.exists()
