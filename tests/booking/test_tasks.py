from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from exhibition.booking import services, tasks
from exhibition.booking.models import Booking
from exhibition.events.selectors import event_summary
from exhibition.floorplans.models import Stand

pytestmark = pytest.mark.django_db


def test_release_task_is_scheduled_every_minute():
    assert settings.CELERY_BEAT_SCHEDULE["release-expired-holds"] == {
        "task": "exhibition.booking.release_expired_holds",
        "schedule": 60.0,
    }
    assert tasks.release_expired_holds.name == "exhibition.booking.release_expired_holds"


def test_release_task_frees_expired_hold_and_is_idempotent(event, stand, company, company_admin):
    booking = services.hold_stand(event=event, stand=stand, organisation=company, actor=company_admin)
    past = timezone.now() - timedelta(seconds=5)
    Stand.objects.filter(pk=stand.pk).update(held_until=past)
    Booking.objects.filter(pk=booking.pk).update(held_until=past)
    assert tasks.release_expired_holds.delay().get() == 1
    assert tasks.release_expired_holds.delay().get() == 0
    stand.refresh_from_db()
    assert (stand.status, stand.exhibitor_id, Booking.objects.get().status) == ("available", None, "expired")


def test_release_task_leaves_live_holds(event, stand, company, company_admin):
    services.hold_stand(event=event, stand=stand, organisation=company, actor=company_admin)
    assert tasks.release_expired_holds() == 0
    assert Stand.objects.get(pk=stand.pk).status == Stand.Status.HELD


def test_summary_includes_booking_figures(event, stand, company, company_admin, organiser):
    booking = services.hold_stand(event=event, stand=stand, organisation=company, actor=company_admin)
    services.confirm_booking(booking=booking, actor=company_admin)
    summary = event_summary(event)
    assert summary["bookings"] == {"live_holds": 0, "confirmed": 1}
    assert summary["invoices"] == {
        "total": 1,
        "by_status": {"unpaid": 1, "partly_paid": 0, "paid": 0},
        "invoiced": "7862.40",
        "received": "0.00",
        "overdue": 0,
        "currency": "EUR",
    }
