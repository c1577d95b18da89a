"""Races on the real PostgreSQL: threads booking the same scarce resource at once."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import IntegrityError, close_old_connections, connection

from exhibition.core.errors import ConflictError, DomainError
from exhibition.meetings import services
from exhibition.meetings.models import Booking, Meeting, MeetingRequest
from exhibition.meetings.services import booking as booking_module
from tests.factories import meetings as f

pytestmark = [pytest.mark.django_db(transaction=True)]


def _run(n, work):
    """Run ``work(i)`` in n threads released together; return a Counter of outcomes."""
    barrier = threading.Barrier(n, timeout=60)
    outcomes: list[str] = []
    lock = threading.Lock()

    def target(i):
        try:
            barrier.wait()
            work(i)
            result = "ok"
        except ConflictError as exc:
            result = (
                "conflict"
                if exc.message == "Someone else booked this time a moment ago."
                else f"conflict:{exc.code}"
            )
        except DomainError as exc:
            result = f"domain:{exc.code}"
        except IntegrityError:
            result = "integrity"
        except Exception as exc:  # noqa: BLE001 - counted as a server error
            result = f"error:{type(exc).__name__}:{exc}"
        finally:
            close_old_connections()
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return Counter(outcomes)


def test_forty_visitors_booking_same_host_and_slot(postgres, event):
    exh = f.exhibitor(event, instant=True)
    host = exh.hosts.get()
    visitors = [f.visitor(event) for _ in range(40)]
    start = f.at(event, 1, "10:00")

    out = _run(
        40,
        lambda i: services.book_instantly(
            actor=visitors[i].user, sender=visitors[i], recipient=exh, start=start, host=host
        ),
    )

    assert out == Counter({"ok": 1, "conflict": 39})
    assert Meeting.objects.count() == 1
    assert Booking.objects.filter(resource=host.resource_key).count() == 1


def test_visitor_and_delegation_never_both_get_the_same_staff_member(postgres, event):
    exh = f.exhibitor(event, instant=True)
    host = exh.hosts.get()
    vis, dele = f.visitor(event), f.delegation(event)
    for hour in ("10:00", "11:00", "12:00", "14:00", "15:00", "16:00"):
        start = f.at(event, 1, hour)
        sides = [vis, dele]
        out = _run(
            2,
            lambda i, start=start, sides=sides: services.book_instantly(
                actor=f.actor_of(sides[i]), sender=sides[i], recipient=exh, start=start, host=host
            ),
        )
        assert out == Counter({"ok": 1, "conflict": 1}), out
    assert Meeting.objects.count() == 6
    assert len(set(Meeting.objects.values_list("start", flat=True))) == 6


def test_without_the_lock_the_same_slot_race_is_not_a_clean_409(postgres, event, monkeypatch):
    """Proof that the test can catch the bug: without the lock every thread passes the check
    and the exclusion constraint refuses all but one with IntegrityError (a 500), not a 409."""
    exh = f.exhibitor(event, instant=True)
    host = exh.hosts.get()
    visitors = [f.visitor(event) for _ in range(8)]
    start = f.at(event, 1, "10:00")
    gate = threading.Barrier(8, timeout=30)
    checked = threading.Barrier(8, timeout=30)
    busy_keys = booking_module.busy_keys

    def check_then_wait(
        *args, **kwargs
    ):  # every thread checks before any inserts (not only under a quiet machine)
        busy = busy_keys(*args, **kwargs)
        checked.wait()
        return busy

    monkeypatch.setattr(booking_module, "lock_resources", lambda event, keys: gate.wait())  # no lock
    monkeypatch.setattr(booking_module, "busy_keys", check_then_wait)

    out = _run(
        8,
        lambda i: services.book_instantly(
            actor=visitors[i].user, sender=visitors[i], recipient=exh, start=start, host=host
        ),
    )

    assert out["ok"] == 1, out
    assert out["integrity"] == 7, out  # the constraint still holds the line, but as server errors
    assert Meeting.objects.count() == 1


def test_without_the_lock_the_meeting_cap_is_broken(postgres, event, monkeypatch):
    """The constraint cannot guard caps (different slots do not overlap): only the lock does."""
    vis = f.visitor(event, max_meetings=1)
    exhibitors = [f.exhibitor(event, instant=True) for _ in range(6)]
    starts = [f.at(event, 1, h) for h in ("10:00", "10:30", "11:00", "11:30", "12:00", "12:30")]

    def work(i):
        services.book_instantly(actor=vis.user, sender=vis, recipient=exhibitors[i], start=starts[i])

    with_lock = _run(6, work)
    assert with_lock == Counter({"ok": 1, "domain:cap": 5})
    assert Meeting.objects.count() == 1
    Meeting.objects.all().delete()

    gate = threading.Barrier(6, timeout=30)
    counted = threading.Barrier(6, timeout=30)
    meeting_count = booking_module.meeting_count

    def count_then_wait(participant, **kwargs):  # every thread counts before any inserts (on any machine)
        n = meeting_count(participant, **kwargs)
        if participant.pk == vis.pk:
            counted.wait()
        return n

    monkeypatch.setattr(booking_module, "lock_resources", lambda event, keys: gate.wait())
    monkeypatch.setattr(booking_module, "meeting_count", count_then_wait)
    without = _run(6, work)
    assert without["ok"] > 1  # the cap of 1 is exceeded: the lock is what keeps it
    assert Meeting.objects.count() == without["ok"]


def test_a_pair_asking_each_other_at_once_gets_one_request(postgres, event):
    exh, vis = f.exhibitor(event), f.visitor(event)
    pairs = [(vis, exh), (exh, vis)] * 4

    out = _run(
        8,
        lambda i: services.request_meeting(
            actor=f.actor_of(pairs[i][0]), sender=pairs[i][0], recipient=pairs[i][1]
        ),
    )

    assert out == Counter({"ok": 1, "domain:duplicate": 7}), out
    assert MeetingRequest.objects.count() == 1
