"""Two organisers place visits of two delegations at the same stand at the same time: the
stand's capacity holds (row locks on delegation, then stand). Real PostgreSQL only; the
variant without the lock shows that the test does catch a double booking."""

from __future__ import annotations

import contextlib
import threading
from datetime import time

import pytest
from django.db import connection

from exhibition.core.errors import DomainError
from exhibition.delegations import services
from exhibition.delegations.models import Visit
from exhibition.delegations.services import programme
from tests.factories.delegations import DAY

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _race(show, organiser, monkeypatch):
    barrier = threading.Barrier(2)
    real_check = programme.check_placement

    def slow_check(**kw):
        errors = real_check(**kw)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=2)  # both threads between check and insert, if nothing serialises them
        return errors

    monkeypatch.setattr(programme.visits, "check_placement", slow_check)
    outcomes: list[str] = []

    def place(delegation):
        try:
            services.add_visit(
                delegation=delegation, actor=organiser, stand=show.stands[0], day=DAY, start=time(11, 0)
            )
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=place, args=(d,)) for d in (show.delegation, show.other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return outcomes


def test_capacity_holds_under_concurrent_hand_edits(postgres, show, organiser, monkeypatch):
    outcomes = _race(show, organiser, monkeypatch)
    assert len(outcomes) == 2 and outcomes.count("ok") == 1
    assert "already receives 1 delegation then (capacity 1)" in next(o for o in outcomes if o != "ok")
    assert Visit.objects.filter(stand=show.stands[0]).count() == 1


def test_without_the_lock_the_stand_is_double_booked(postgres, show, organiser, monkeypatch):
    monkeypatch.setattr(programme.visits, "_lock", lambda delegation, stand: None)
    outcomes = _race(show, organiser, monkeypatch)
    assert outcomes == ["ok", "ok"]
    assert Visit.objects.filter(stand=show.stands[0]).count() == 2
