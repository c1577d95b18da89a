"""Webhooks API: what organisers script against; the same rules as the pages."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from exhibition.core.webhooks import emit_webhook
from exhibition.webhooks import services
from exhibition.webhooks.models import Delivery, Endpoint
from tests import factories

pytestmark = pytest.mark.django_db


def _api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _url(event, suffix=""):
    return f"/api/v1/events/{event.slug}/webhooks/{suffix}"


def test_an_organiser_admin_registers_an_endpoint_and_gets_its_secret_once(event, organiser):
    response = _api(organiser).post(
        _url(event),
        {
            "url": "https://crm.example.org/hooks",
            "description": "CRM",
            "event_types": ["booking.confirmed", "invoice.issued"],
        },
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    endpoint = Endpoint.objects.get()
    assert body["secret"] == endpoint.secret and body["secret"].startswith("whsec_")
    assert body["event_types"] == ["booking.confirmed", "invoice.issued"] and body["is_active"] is True
    listed = _api(organiser).get(_url(event)).json()["results"]
    assert [e["url"] for e in listed] == ["https://crm.example.org/hooks"] and "secret" not in listed[0]
    assert _api(organiser).get(_url(event, f"{endpoint.pk}/secret/")).json() == {"secret": endpoint.secret}


def test_a_bad_address_is_a_field_error(event, organiser):
    response = _api(organiser).post(_url(event), {"url": "ftp://crm.example.org"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"url": ["Enter an address starting with https://."]}
    response = _api(organiser).post(
        _url(event), {"url": "https://x.org", "event_types": ["nope"]}, format="json"
    )
    assert response.status_code == 400 and "event_types" in response.json()
    assert Endpoint.objects.count() == 0


@pytest.mark.parametrize("n", [1, 3])
def test_the_endpoint_list_costs_the_same_for_1_and_3(event, organiser, n, django_assert_num_queries):
    for i in range(n):
        services.create_endpoint(event=event, actor=organiser, url=f"https://example.org/{i}")
    client = _api(organiser)
    with django_assert_num_queries(3):
        response = client.get(_url(event))
    assert response.json()["count"] == n


@pytest.mark.parametrize(
    ("who", "get", "post"),
    [
        ("admin", 200, 201),
        ("staff", 200, 403),
        ("exhibitor", 403, 403),
        ("other_organiser", 403, 403),
        ("anonymous", 401, 401),
    ],
)
def test_who_may_see_and_register_endpoints(event, other_event, organiser, company_admin, who, get, post):
    users = {
        "admin": organiser,
        "staff": factories.make_organiser(event, role="staff", email="staff@example.test"),
        "exhibitor": company_admin,
        "other_organiser": factories.make_organiser(other_event, email="o@o.test"),
        "anonymous": None,
    }
    client = _api(users[who])
    assert client.get(_url(event)).status_code == get
    assert client.post(_url(event), {"url": "https://example.org/x"}, format="json").status_code == post
    assert Endpoint.objects.count() == (1 if post == 201 else 0)


def test_another_events_endpoint_is_404(event, other_event, organiser):
    other = services.create_endpoint(
        event=other_event,
        actor=factories.make_organiser(other_event, email="o@o.test"),
        url="https://example.org/x",
    )
    client = _api(organiser)
    assert client.get(_url(event, f"{other.pk}/")).status_code == 404
    assert client.patch(_url(event, f"{other.pk}/"), {"is_active": False}, format="json").status_code == 404
    assert Endpoint.objects.get().is_active is True


def test_delivery_log_retry_and_drop_through_the_api(
    event, organiser, receiver, django_capture_on_commit_callbacks
):
    endpoint = services.create_endpoint(event=event, actor=organiser, url=receiver.url)
    receiver.answers = [500]
    with django_capture_on_commit_callbacks(execute=True):
        emit_webhook(event=event, type="invoice.issued", ids={"invoice": 3})
    client = _api(organiser)
    log = client.get(_url(event, f"{endpoint.pk}/deliveries/")).json()["results"]
    assert [(d["type"], d["status"], d["attempts"], d["last_status_code"]) for d in log] == [
        ("invoice.issued", "pending", 1, 500)
    ]
    assert log[0]["payload"]["data"] == {"event": "milipol-test", "invoice": 3}
    delivery_id = log[0]["id"]
    with django_capture_on_commit_callbacks(execute=True):
        retried = client.post(f"/api/v1/events/{event.slug}/webhook-deliveries/{delivery_id}/retry/")
    assert retried.status_code == 200 and retried.json()["status"] == "pending"  # queued; sent on commit
    assert Delivery.objects.get().status == "succeeded"
    dropped = client.post(f"/api/v1/events/{event.slug}/webhook-deliveries/{delivery_id}/drop/")
    assert dropped.status_code == 409 and dropped.json()["detail"] == "This message was delivered already."
    assert client.get(_url(event, f"{endpoint.pk}/deliveries/?status=succeeded")).json()["count"] == 1
    assert Delivery.objects.get().attempts == 2


def test_send_a_test_message_and_switch_off(event, organiser, receiver, django_capture_on_commit_callbacks):
    endpoint = services.create_endpoint(event=event, actor=organiser, url=receiver.url)
    client = _api(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(_url(event, f"{endpoint.pk}/test/")).status_code == 202
    assert receiver.payloads()[0]["type"] == "webhook.test"
    response = client.patch(_url(event, f"{endpoint.pk}/"), {"is_active": False}, format="json")
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert client.delete(_url(event, f"{endpoint.pk}/")).status_code == 204
    assert Endpoint.objects.count() == 0
