"""Webhooks end to end in one process: a domain service emits, a real HTTP receiver gets a signed,
thin message; failures are retried with back-off over about three days; a 410 switches the endpoint off."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from exhibition.booking import services as booking
from exhibition.core.errors import DomainError, NotAllowed
from exhibition.core.models import AuditLogEntry
from exhibition.core.webhooks import emit_webhook
from exhibition.exhibitors import services as exhibitors
from exhibition.meetings import services as meetings
from exhibition.webhooks import services, signing
from exhibition.webhooks.models import Attempt, Delivery, Endpoint, Message
from exhibition.webhooks.tasks import sweep
from tests import factories
from tests.factories import booking as booking_factories
from tests.factories import meetings as meeting_factories
from tests.factories.exhibitors import make_application

pytestmark = pytest.mark.django_db


def _endpoint(event, organiser, url, types=()):
    return services.create_endpoint(event=event, actor=organiser, url=url, event_types=list(types))


def test_a_confirmed_booking_reaches_the_receiver_signed_and_thin(
    event, organiser, receiver, django_capture_on_commit_callbacks
):
    endpoint = _endpoint(event, organiser, receiver.url, ["booking.confirmed"])
    company, admin = booking_factories.make_exhibitor(event, "Aegis Systems")
    stand = booking_factories.make_stand(event, "5A-001")
    with django_capture_on_commit_callbacks(execute=True):
        hold = booking.hold_stand(event=event, stand=stand, organisation=company, actor=admin)
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = booking.confirm_booking(booking=hold, actor=admin)

    assert len(receiver.received) == 1  # the hold and the invoice are not subscribed
    sent = receiver.received[0]
    invoice = confirmed.invoices.get() if hasattr(confirmed, "invoices") else confirmed.invoice
    assert json.loads(sent["body"]) == {
        "type": "booking.confirmed",
        "timestamp": json.loads(sent["body"])["timestamp"],
        "data": {
            "event": "milipol-test",
            "booking": confirmed.pk,
            "stand": stand.pk,
            "organisation": company.pk,
            "invoice": invoice.pk,
        },
    }
    headers = sent["headers"]
    assert headers["content-type"] == "application/json"
    assert headers["webhook-id"].startswith("msg_")
    assert headers["webhook-signature"].startswith("v1,")
    assert signing.verify(endpoint.secret, sent["body"], headers)
    assert not signing.verify(signing.new_secret(), sent["body"], headers)  # another secret does not verify
    assert not signing.verify(endpoint.secret, sent["body"] + b" ", headers)  # nor a changed body
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("succeeded", 1, 200)
    assert list(Attempt.objects.values_list("status_code", "response_body")) == [(200, "answered 200")]


def test_an_endpoint_without_types_gets_every_event_in_order(
    event, organiser, receiver, django_capture_on_commit_callbacks
):
    _endpoint(event, organiser, receiver.url)
    company, admin = booking_factories.make_exhibitor(event, "Aegis Systems")
    stand = booking_factories.make_stand(event, "5A-001")
    with django_capture_on_commit_callbacks(execute=True):
        hold = booking.hold_stand(event=event, stand=stand, organisation=company, actor=admin)
        booking.confirm_booking(booking=hold, actor=admin)
    assert [p["type"] for p in receiver.payloads()] == ["booking.held", "invoice.issued", "booking.confirmed"]


def test_a_change_that_rolls_back_sends_nothing(
    event, organiser, receiver, django_capture_on_commit_callbacks
):
    _endpoint(event, organiser, receiver.url)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        emit_webhook(event=event, type="booking.held", ids={"booking": 1})
        raise RuntimeError("the service failed after emitting")
    assert Message.objects.count() == 0 and Delivery.objects.count() == 0
    assert receiver.received == []


def test_domain_services_emit_applications_and_meetings(
    event, organiser, receiver, django_capture_on_commit_callbacks
):
    _endpoint(
        event, organiser, receiver.url, ["application.approved", "meeting.requested", "meeting.declined"]
    )
    application = make_application(event, state="submitted")
    sender, recipient = meeting_factories.visitor(event), meeting_factories.exhibitor(event)
    with django_capture_on_commit_callbacks(execute=True):
        exhibitors.approve_application(application=application, actor=organiser)
        request = meetings.request_meeting(
            actor=meeting_factories.actor_of(sender), sender=sender, recipient=recipient
        )
        meetings.decline_request(actor=meeting_factories.actor_of(recipient), request=request)
    assert [(p["type"], p["data"]) for p in receiver.payloads()] == [
        (
            "application.approved",
            {
                "event": "milipol-test",
                "application": application.pk,
                "organisation": application.organisation_id,
            },
        ),
        (
            "meeting.requested",
            {"event": "milipol-test", "request": request.pk, "sender": sender.pk, "recipient": recipient.pk},
        ),
        (
            "meeting.declined",
            {"event": "milipol-test", "request": request.pk, "sender": sender.pk, "recipient": recipient.pk},
        ),
    ]


def test_another_events_endpoint_hears_nothing(
    event, other_event, receiver, django_capture_on_commit_callbacks
):
    other_organiser = factories.make_organiser(other_event, email="org@other.test")
    _endpoint(other_event, other_organiser, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        emit_webhook(event=event, type="booking.held", ids={"booking": 1})
    assert receiver.received == [] and Message.objects.count() == 0


def _due_now(delivery: Delivery) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_failures_are_retried_with_back_off_for_about_three_days_then_given_up(
    event, organiser, receiver, django_capture_on_commit_callbacks
):
    _endpoint(event, organiser, receiver.url)
    receiver.answers = [500] * 20
    with django_capture_on_commit_callbacks(execute=True):
        emit_webhook(event=event, type="invoice.issued", ids={"invoice": 7})
    delivery = Delivery.objects.get()
    waits = []
    for _ in range(services.MAX_ATTEMPTS - 1):
        delivery.refresh_from_db()
        assert delivery.status == "pending"
        waits.append(round((delivery.next_attempt_at - delivery.updated_at).total_seconds()))
        _due_now(delivery)
        services.deliver(delivery.pk)
    delivery.refresh_from_db()

    assert waits == [5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 72000]
    assert 70 * 3600 < sum(waits) < 74 * 3600  # about three days
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("failed", 10, 500)
    assert len(receiver.received) == 10
    assert len({r["headers"]["webhook-id"] for r in receiver.received}) == 1  # the same message each time
    assert Attempt.objects.filter(delivery=delivery).count() == 10
    _due_now(delivery)
    assert services.deliver(delivery.pk) is None and len(receiver.received) == 10  # given up


def test_a_receiver_that_cannot_be_reached_is_retried(event, organiser, django_capture_on_commit_callbacks):
    _endpoint(event, organiser, "http://127.0.0.1:1/nothing-listens")
    with django_capture_on_commit_callbacks(execute=True):
        emit_webhook(event=event, type="invoice.issued", ids={"invoice": 7})
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, None)
    assert delivery.last_error.startswith("URLError") and "Connection refused" in delivery.last_error


def test_a_410_switches_the_endpoint_off_and_nothing_more_is_sent_to_it(
    event, organiser, receiver, django_capture_on_commit_callbacks
):
    endpoint = _endpoint(event, organiser, receiver.url)
    receiver.answers = [410]
    with django_capture_on_commit_callbacks(execute=True):
        emit_webhook(event=event, type="invoice.issued", ids={"invoice": 7})
    endpoint.refresh_from_db()
    assert endpoint.is_active is False and "410" in endpoint.disabled_reason
    assert Delivery.objects.get().status == "failed"
    assert (
        AuditLogEntry.objects.filter(action="webhooks.endpoint_disabled", object_id=str(endpoint.pk)).count()
        == 1
    )
    with django_capture_on_commit_callbacks(execute=True):
        emit_webhook(event=event, type="invoice.issued", ids={"invoice": 8})
    assert len(receiver.received) == 1 and Delivery.objects.count() == 1


def test_the_sweep_sends_what_the_broker_never_got(event, organiser, receiver):
    _endpoint(event, organiser, receiver.url)
    with transaction.atomic():  # on_commit never runs here: as if Redis was down when it committed
        emit_webhook(event=event, type="invoice.issued", ids={"invoice": 7})
    Delivery.objects.update(created_at=timezone.now() - timedelta(minutes=1))
    assert receiver.received == []
    assert sweep() == 1
    assert Delivery.objects.get().status == "succeeded" and len(receiver.received) == 1
    assert sweep() == 0 and len(receiver.received) == 1


def test_drop_stops_retries_and_retry_sends_again(
    event, organiser, receiver, django_capture_on_commit_callbacks
):
    _endpoint(event, organiser, receiver.url)
    receiver.answers = [503]
    with django_capture_on_commit_callbacks(execute=True):
        emit_webhook(event=event, type="invoice.issued", ids={"invoice": 7})
    delivery = Delivery.objects.get()
    services.drop_delivery(delivery=delivery, actor=organiser)
    _due_now(delivery)
    Delivery.objects.update(created_at=timezone.now() - timedelta(minutes=1))
    assert sweep() == 0 and len(receiver.received) == 1

    with django_capture_on_commit_callbacks(execute=True):
        services.retry_delivery(delivery=delivery, actor=organiser)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, len(receiver.received)) == ("succeeded", 2, 2)
    with pytest.raises(DomainError, match="delivered already"):
        services.drop_delivery(delivery=delivery, actor=organiser)


def test_private_addresses_are_refused_in_production(
    event, organiser, receiver, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    _endpoint(event, organiser, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        emit_webhook(event=event, type="invoice.issued", ids={"invoice": 7})
    assert receiver.received == []
    assert "non-public address" in Delivery.objects.get().last_error


@pytest.mark.parametrize(
    ("url", "types", "field", "message"),
    [
        ("ftp://example.org/x", [], "url", "Enter an address starting with https://."),
        (
            "https://user:pw@example.org/x",
            [],
            "url",
            "Put no user name or password in the address: messages are signed.",
        ),
        (
            "https://example.org/x",
            ["booking.exploded"],
            "event_types",
            "Unknown event types: booking.exploded.",
        ),
    ],
)
def test_bad_endpoints_are_field_errors(event, organiser, url, types, field, message):
    with pytest.raises(DomainError) as caught:
        services.create_endpoint(event=event, actor=organiser, url=url, event_types=types)
    assert (caught.value.field, caught.value.message) == (field, message)
    assert Endpoint.objects.count() == 0


def test_http_is_refused_when_not_allowed(event, organiser, settings):
    settings.WEBHOOKS_ALLOW_HTTP = False
    with pytest.raises(DomainError, match="https://"):
        services.create_endpoint(event=event, actor=organiser, url="http://example.org/x")


def test_only_organiser_admins_manage_endpoints(event, organiser, company_admin):
    staff = factories.make_organiser(event, role="staff", email="staff@example.test")
    for actor in (staff, company_admin):
        with pytest.raises(NotAllowed):
            services.create_endpoint(event=event, actor=actor, url="https://example.org/x")
    assert Endpoint.objects.count() == 0


def test_reactivating_an_endpoint_sends_what_waited(
    event, organiser, receiver, django_capture_on_commit_callbacks
):
    endpoint = _endpoint(event, organiser, receiver.url)
    receiver.answers = [500]
    with django_capture_on_commit_callbacks(execute=True):
        emit_webhook(event=event, type="invoice.issued", ids={"invoice": 7})  # fails once: pending
    services.update_endpoint(endpoint=endpoint, actor=organiser, is_active=False)
    assert Endpoint.objects.get().disabled_reason == "Switched off by an organiser."
    with django_capture_on_commit_callbacks(execute=True):
        emit_webhook(
            event=event, type="invoice.issued", ids={"invoice": 8}
        )  # nobody listens now: not recorded
    assert Delivery.objects.count() == 1 and len(receiver.received) == 1

    with django_capture_on_commit_callbacks(execute=True):
        services.update_endpoint(endpoint=endpoint, actor=organiser, is_active=True)
    assert Endpoint.objects.get().disabled_reason == ""
    assert [p["data"]["invoice"] for p in receiver.payloads()] == [7, 7]
    assert Delivery.objects.get().status == "succeeded"
