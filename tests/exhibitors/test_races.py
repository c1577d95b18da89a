"""Two colleagues requesting the company's last badges at the same moment never exceed the
quota (the company row is locked). Real PostgreSQL, threads; the variant without the lock
must overshoot, proving the test can catch the bug."""

import threading
import time

import pytest
from django.db import connection

from exhibition.accounts.models import Organisation
from exhibition.core.errors import ConflictError
from exhibition.exhibitors import selectors, services
from exhibition.exhibitors.models import BadgeRequest
from tests import factories
from tests.factories.exhibitors import make_stand

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _race(company, user, n=8):
    barrier = threading.Barrier(n)
    outcomes = []

    def worker(i):
        try:
            barrier.wait(timeout=10)
            services.request_badge(organisation=company, actor=user, name=f"Person {i}")
            outcomes.append("ok")
        except ConflictError:
            outcomes.append("refused")
        except Exception as exc:  # noqa: BLE001 - counted as a server error
            outcomes.append(f"error: {exc!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.fixture
def setup(postgres):
    event = factories.make_event()
    company = factories.make_company(event, "Racer")
    admin = factories.make_member(company, "admin")
    make_stand(event, factories.make_hall(event), "A1", exhibitor=company)  # 9 m2 -> 2 badges
    return company, admin


def test_concurrent_badge_requests_never_exceed_the_quota(setup):
    company, admin = setup
    outcomes = _race(company, admin)
    assert sorted(outcomes) == ["ok"] * 2 + ["refused"] * 6
    assert BadgeRequest.objects.filter(organisation=company).count() == 2


def test_without_the_lock_the_race_overshoots(setup, monkeypatch):
    company, admin = setup

    # The default manager class is shared: patched only for this test (monkeypatch restores it).
    monkeypatch.setattr(
        Organisation.objects.__class__, "select_for_update", lambda self, *a, **k: self.all(), raising=False
    )

    slow = selectors.badge_quota_for

    def slowed(org, conf=None):  # widen the window between the count and the insert
        quota = slow(org, conf)
        time.sleep(0.2)
        return quota

    monkeypatch.setattr(services.staff, "badge_quota_for", slowed)
    outcomes = _race(company, admin)
    assert BadgeRequest.objects.filter(organisation=company).count() > 2, outcomes
