"""Organiser pages of webhooks, in English and French."""

from __future__ import annotations

import re

import pytest

from exhibition.core.webhooks import emit_webhook
from exhibition.webhooks import services
from exhibition.webhooks.models import Delivery, Endpoint
from tests import factories

pytestmark = pytest.mark.django_db


def test_an_organiser_adds_an_endpoint_on_the_page(client, event, organiser):
    client.force_login(organiser)
    page = client.get(f"/{event.slug}/webhooks/").content.decode()
    assert "No endpoint yet." in page and "Add an endpoint" in page
    assert "A stand booking was confirmed (booking.confirmed)" in page  # grouped choices

    response = client.post(
        f"/{event.slug}/webhooks/",
        {"url": "https://crm.example.org/in", "description": "CRM", "event_types": ["booking.confirmed"]},
    )
    endpoint = Endpoint.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/{event.slug}/webhooks/{endpoint.pk}/"
    detail = client.get(response["Location"]).content.decode()
    assert endpoint.secret in detail and "Nothing sent yet." in detail


def test_a_bad_address_shows_a_field_error(client, event, organiser):
    client.force_login(organiser)
    response = client.post(f"/{event.slug}/webhooks/", {"url": "ftp://crm.example.org/in"})
    assert response.status_code == 400
    assert re.search(
        r'<ul class="errorlist" id="id_url_error"><li>Enter an address starting with https://.</li>',
        response.content.decode(),
    )
    assert Endpoint.objects.count() == 0


def test_the_delivery_log_has_retry_and_drop(
    client, event, organiser, receiver, django_capture_on_commit_callbacks
):
    endpoint = services.create_endpoint(event=event, actor=organiser, url=receiver.url)
    receiver.answers = [502]
    with django_capture_on_commit_callbacks(execute=True):
        emit_webhook(event=event, type="meeting.requested", ids={"request": 9, "sender": 1, "recipient": 2})
    delivery = Delivery.objects.get()
    client.force_login(organiser)
    page = client.get(f"/{event.slug}/webhooks/{endpoint.pk}/").content.decode()
    row = re.search(rf'<tr data-delivery="{delivery.pk}">(.*?)</tr>', page, re.S).group(1)
    assert "meeting.requested" in row and "Pending" in row and "HTTP 502" in row
    assert "Retry now" in row and "Drop" in row

    response = client.post(f"/{event.slug}/webhooks/deliveries/{delivery.pk}/drop/")
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == "dropped"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/{event.slug}/webhooks/deliveries/{delivery.pk}/retry/")
    delivery.refresh_from_db()
    assert delivery.status == "succeeded" and len(receiver.received) == 2


def test_staff_see_the_log_but_cannot_act_and_exhibitors_see_nothing(
    client, event, organiser, company_admin, receiver, django_capture_on_commit_callbacks
):
    endpoint = services.create_endpoint(event=event, actor=organiser, url=receiver.url)
    receiver.answers = [500]
    with django_capture_on_commit_callbacks(execute=True):
        emit_webhook(event=event, type="invoice.issued", ids={"invoice": 1})
    delivery = Delivery.objects.get()
    staff = factories.make_organiser(event, role="staff", email="staff@example.test")
    client.force_login(staff)
    page = client.get(f"/{event.slug}/webhooks/{endpoint.pk}/").content.decode()
    assert "invoice.issued" in page and endpoint.secret not in page and "Retry now" not in page
    assert client.post(f"/{event.slug}/webhooks/deliveries/{delivery.pk}/drop/").status_code == 403
    assert client.post(f"/{event.slug}/webhooks/", {"url": "https://x.example.org"}).status_code == 403
    client.force_login(company_admin)
    assert client.get(f"/{event.slug}/webhooks/").status_code == 403
    assert Delivery.objects.get().status == "pending" and Endpoint.objects.count() == 1


def test_the_pages_are_in_french(client, event, organiser):
    services.create_endpoint(event=event, actor=organiser, url="https://crm.example.org/in")
    client.force_login(organiser)
    page = client.get(f"/{event.slug}/webhooks/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Ajouter un point de réception" in page and "Aucun" not in page.split("<main")[0]
