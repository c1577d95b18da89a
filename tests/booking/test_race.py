"""Races on the real PostgreSQL: many threads, one stand.

Each thread is a separate connection and transaction. A barrier starts them together, and
``lock_stands`` is wrapped to sleep 50 ms after reading the stand, so that every thread is
inside the critical section at once: with the lock they queue, without it they all read
"available" before anyone writes. The unlocked variants must give a wrong result, which
proves these tests catch the bug.
"""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
from django.db import IntegrityError, OperationalError, connection, connections

from exhibition.booking import services
from exhibition.booking.models import Booking, Invoice
from exhibition.core.errors import ConflictError
from exhibition.floorplans.models import Stand
from tests import factories
from tests.factories.booking import make_exhibitor, make_stand

pytestmark = [pytest.mark.django_db(transaction=True)]

WINDOW = 0.05
real_lock_stands = services.lock_stands


def slow_locked(ids):
    rows = real_lock_stands(ids)
    time.sleep(WINDOW)
    return rows


def slow_unlocked(ids):
    """The bug: a plain read instead of SELECT ... FOR UPDATE."""
    rows = {s.pk: s for s in Stand.objects.filter(pk__in=sorted(set(ids))).order_by("pk")}
    time.sleep(WINDOW)
    return rows


def run_together(calls):
    """Run the callables in threads started at the same instant; classify what each did."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait(timeout=10)
            results[i] = ("ok", call())
        except ConflictError as exc:
            results[i] = ("conflict", exc)
        except Exception as exc:  # noqa: BLE001 - any other exception is what the test counts
            results[i] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.fixture
def contenders(postgres, event):
    hall = factories.make_hall(event, "5A", width=2000, depth=80)
    stand = make_stand(event, "5A-001", hall=hall, width=3, depth=4)
    companies = [make_exhibitor(event, f"Company {i:02d}") for i in range(20)]
    for _company, user in companies:  # warm the per-user role cache outside the race
        user.has_perm("booking.book_stand", _company)
    return event, stand, companies


def hold_calls(event, stand, companies):
    return [
        lambda c=c, u=u: services.hold_stand(event=event, stand=stand, organisation=c, actor=u)
        for c, u in companies
    ]


def test_twenty_companies_one_stand_exactly_one_wins(contenders, monkeypatch):
    event, stand, companies = contenders
    monkeypatch.setattr(services.common, "lock_stands", slow_locked)
    results = run_together(hold_calls(event, stand, companies))

    kinds = Counter(kind for kind, _ in results)
    assert kinds == {"ok": 1, "conflict": 19}, [r for r in results if r[0] == "error"]
    assert {str(exc) for kind, exc in results if kind == "conflict"} == {
        "This stand was just taken by another exhibitor."
    }
    winner = next(value for kind, value in results if kind == "ok")
    stand.refresh_from_db()
    assert (stand.status, stand.exhibitor_id) == (Stand.Status.HELD, winner.organisation_id)
    assert list(Booking.objects.filter(stand=stand).values_list("organisation_id", "status")) == [
        (winner.organisation_id, "held")
    ]


def test_same_company_double_click_gives_one_hold(contenders, monkeypatch):
    event, stand, companies = contenders
    monkeypatch.setattr(services.common, "lock_stands", slow_locked)
    company, user = companies[0]
    results = run_together(hold_calls(event, stand, [(company, user)] * 5))

    assert [kind for kind, _ in results] == ["ok"] * 5
    assert len({booking.pk for _, booking in results}) == 1
    assert sorted(b.was_created for _, b in results) == [False, False, False, False, True]
    assert Booking.objects.filter(stand=stand).count() == 1


def test_without_the_lock_the_race_is_lost(contenders, monkeypatch):
    """The same race with a plain read: every thread sees the stand available. The partial
    unique constraint stops the double sale, but as raw IntegrityErrors and deadlocks (500s), not a clean
    1 win + 19 conflicts, so the assertion of the locked test would fail."""
    event, stand, companies = contenders
    monkeypatch.setattr(services.common, "lock_stands", slow_unlocked)
    results = run_together(hold_calls(event, stand, companies))

    kinds = Counter(kind for kind, _ in results)
    assert kinds != {"ok": 1, "conflict": 19}
    assert kinds["error"] >= 1
    # Unique violations and deadlocks between the stand update and the booking insert.
    assert all(
        isinstance(exc, IntegrityError | OperationalError) for kind, exc in results if kind == "error"
    ), [repr(e) for k, e in results if k == "error"]
    assert Booking.objects.filter(stand=stand, status="held").count() == 1  # the constraint held the line


def test_without_lock_and_constraint_the_stand_is_sold_twice(contenders, monkeypatch):
    """Both guards off: the service-level check alone double-sells."""
    event, stand, companies = contenders
    monkeypatch.setattr(services.common, "lock_stands", slow_unlocked)
    constraint = next(c for c in Booking._meta.constraints if c.name == "booking_one_active_per_stand")
    with connection.schema_editor() as editor:
        editor.remove_constraint(Booking, constraint)
    try:
        results = run_together(hold_calls(event, stand, companies))
    finally:
        Booking.objects.all().delete()
        with connection.schema_editor() as editor:
            editor.add_constraint(Booking, constraint)

    kinds = Counter(kind for kind, _ in results)
    assert kinds["ok"] > 1, kinds  # more than one company was told the stand is theirs


def test_concurrent_confirmations_get_gap_free_invoice_numbers(postgres, event):
    hall = factories.make_hall(event, "5A", width=2000, depth=80)
    holds = []
    for i in range(8):
        company, user = make_exhibitor(event, f"Buyer {i}")
        stand = make_stand(event, f"5A-{i:03d}", hall=hall)
        holds.append((services.hold_stand(event=event, stand=stand, organisation=company, actor=user), user))
    results = run_together([lambda b=b, u=u: services.confirm_booking(booking=b, actor=u) for b, u in holds])

    assert [kind for kind, _ in results] == ["ok"] * 8
    assert sorted(Invoice.objects.filter(event=event).values_list("sequence", flat=True)) == list(range(1, 9))
    assert Invoice.objects.filter(event=event).values("number").distinct().count() == 8


def test_organiser_assign_racing_exhibitor_hold_one_wins(contenders, monkeypatch):
    event, stand, companies = contenders
    monkeypatch.setattr(services.common, "lock_stands", slow_locked)
    organiser = factories.make_organiser(event)
    (holder, holder_user), (assignee, _user) = companies[0], companies[1]
    results = run_together(
        [
            lambda: services.hold_stand(event=event, stand=stand, organisation=holder, actor=holder_user),
            lambda: services.assign_stand(event=event, stand=stand, organisation=assignee, actor=organiser),
        ]
    )
    assert sorted(kind for kind, _ in results) == ["conflict", "ok"]
    winner = next(value for kind, value in results if kind == "ok")
    stand.refresh_from_db()
    assert stand.exhibitor_id == winner.organisation_id
    assert Booking.objects.filter(stand=stand, status__in=["held", "confirmed"]).count() == 1
