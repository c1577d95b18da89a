"""Writes that report what happened: a hold (or a meeting request) sent again with the same
Idempotency-Key gets the first answer, and a write whose answer could not be built is not
committed, so a retry is always safe."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from rest_framework.test import APIClient

from exhibition.booking import selectors
from exhibition.booking.models import Booking
from exhibition.meetings.models import MeetingRequest
from tests.factories import meetings as mf

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(company_admin):
    c = APIClient(raise_request_exception=False)
    c.force_authenticate(company_admin)
    return c


def _hold(api, event, key=None, stand="5A-001"):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return api.post(f"/api/v1/events/{event.slug}/booking/holds/", {"stand": stand}, format="json", **headers)


def test_a_retried_hold_gets_the_first_answer_and_holds_once(api, event, stand, stand2, company):
    first = _hold(api, event, key="b4c1e0f2-hold-1")
    again = _hold(api, event, key="b4c1e0f2-hold-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Booking.objects.filter(organisation=company).count() == 1
    other = _hold(api, event, key="b4c1e0f2-hold-1", stand="5A-002")
    assert other.status_code == 201 and other.json() == first.json()  # same key, same path: the first answer
    assert Booking.objects.filter(stand=stand2).count() == 0


def test_a_key_reused_for_another_request_is_refused(api, event, stand, company):
    _hold(api, event, key="k-1")
    booking = Booking.objects.get()
    r = api.post(
        f"/api/v1/events/{event.slug}/booking/bookings/{booking.pk}/confirm/", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert r.status_code == 422 and "another request" in r.json()["Idempotency-Key"][0]
    r = _hold(api, event, key="has spaces")
    assert r.status_code == 400


def test_a_hold_whose_answer_cannot_be_built_is_not_kept_so_the_retry_is_safe(
    api, event, stand, company, monkeypatch
):
    real = selectors.booking_for

    def database_gone(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(selectors, "booking_for", database_gone)
    r = _hold(api, event, key="retry-me")
    assert r.status_code == 500
    assert Booking.objects.count() == 0  # nothing was committed without its answer
    monkeypatch.setattr(selectors, "booking_for", real)
    r = _hold(api, event, key="retry-me")
    assert r.status_code == 201 and Booking.objects.count() == 1


def test_a_retried_meeting_request_is_sent_once(event):
    exh, vis = mf.exhibitor(event), mf.visitor(event)
    c = APIClient()
    c.force_authenticate(vis.user)
    url = f"/api/v1/events/{event.slug}/meetings/requests/"
    answers = [
        c.post(url, {"recipient": exh.pk, "message": "Hello"}, format="json", HTTP_IDEMPOTENCY_KEY="req-7")
        for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [201, 201, 201]
    assert len({a.json()["id"] for a in answers}) == 1
    assert MeetingRequest.objects.count() == 1
