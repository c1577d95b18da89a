"""Races on the real PostgreSQL: two (or eight) gates scanning the same badge at the same moment."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import close_old_connections, connection

from exhibition.accreditation import services
from exhibition.accreditation.models import Badge, Presence, Scan
from exhibition.accreditation.services import checkin
from tests import factories
from tests.factories.accreditation import at, make_device, make_site

pytestmark = [pytest.mark.django_db(transaction=True)]


def _run(n, work):
    barrier = threading.Barrier(n, timeout=60)
    outcomes: list[str] = []
    lock = threading.Lock()

    def target(i):
        try:
            barrier.wait()
            answer = work(i)
            result = "ok" if answer.ok else answer.reason
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


@pytest.fixture
def scene(postgres, event, organiser):
    site = make_site(event, organiser)
    devices = [make_device(site, f"Lane {i}")[0] for i in range(8)]
    visitor = factories.make_visitor(event)
    badge = services.issue_for_person(event=event, user=visitor.user, actor=visitor.user)
    return site, devices, badge, services.code_for(badge)


def _scan(site, devices, code, i, nonce=None):
    return services.redeem(
        event=site.event,
        device=devices[i],
        code=code,
        nonce=nonce or f"race-{i}",
        zone_id=site.zones["site"].pk,
        now=at(site.event, "2025-11-19", "10:00"),
    )


def test_two_gates_same_badge_same_instant_give_exactly_one_entry(scene):
    site, devices, badge, code = scene
    out = _run(2, lambda i: _scan(site, devices, code, i))
    assert out == Counter({"ok": 1, "already_inside": 1})
    assert Scan.objects.filter(result="ok").count() == 1
    assert Presence.objects.get(badge=badge).inside is True


def test_eight_gates_same_badge_give_one_entry_and_seven_refusals(scene):
    site, devices, _badge, code = scene
    out = _run(8, lambda i: _scan(site, devices, code, i))
    assert out == Counter({"ok": 1, "already_inside": 7})
    assert Scan.objects.count() == 8


def test_the_same_nonce_raced_on_one_device_is_recorded_once(scene):
    site, devices, _badge, code = scene
    out = _run(4, lambda i: _scan(site, [devices[0]] * 4, code, i, nonce="same"))
    assert out == Counter({"ok": 4})  # all four get the first answer
    assert Scan.objects.count() == 1


def test_without_the_lock_both_gates_let_the_badge_in(scene, monkeypatch):
    """Proof that the test can catch the bug: without the row lock both gates read "outside"
    before either writes, and both entries are accepted."""
    site, devices, badge, code = scene
    Presence.objects.create(badge=badge, zone=site.zones["site"])  # the row both gates will read
    gate = threading.Barrier(2, timeout=30)

    def unlocked(badge_id, event):
        return (
            Badge.objects.select_related("category", "visitor", "organisation", "user")
            .filter(pk=badge_id, event=event)
            .first()
        )

    decide = checkin._presence_reason

    def decide_together(*args, **kwargs):
        reason = decide(*args, **kwargs)
        gate.wait()  # both have read the presence before either writes
        return reason

    monkeypatch.setattr(checkin, "lock_badge", unlocked)
    monkeypatch.setattr(checkin, "_presence_reason", decide_together)
    out = _run(2, lambda i: _scan(site, devices, code, i))
    assert out == Counter({"ok": 2})
    assert Scan.objects.filter(result="ok").count() == 2
