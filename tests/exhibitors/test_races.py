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
from exhibition.exhibitors.models import BadgeRequest, ExhibitorImport
from exhibition.exhibitors.services import imports
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


# --- two imports of the same companies at once ---------------------------------------------------------


@pytest.fixture
def slow_check(monkeypatch):
    """Each import waits half a second after checking its rows: both check before either commits."""
    checked = imports.check_exhibitors_csv

    def slow(**kw):
        rows = checked(**kw)
        time.sleep(0.5)
        return rows

    monkeypatch.setattr(imports, "check_exhibitors_csv", slow)


def _two_imports(event, organiser):
    """Last year's file, and a colleague's copy of it in capitals, imported at the same moment."""
    files = [
        "name,country\n" + "".join(f"{name} {i},FR\n" for i in range(40)) for name in ("Company", "COMPANY")
    ]
    jobs = [
        ExhibitorImport.objects.create(event=event, started_by=organiser, csv=text, total=40)
        for text in files
    ]
    barrier = threading.Barrier(2)

    def worker(job):
        try:
            barrier.wait(timeout=10)
            services.run_exhibitor_import(job_id=job.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for job in jobs:
        job.refresh_from_db()
    return sorted(job.status for job in jobs), jobs


def test_two_imports_of_the_same_file_at_once_import_it_once(postgres, slow_check):
    event = factories.make_event()
    organiser = factories.make_organiser(event)

    statuses, jobs = _two_imports(event, organiser)

    assert statuses == ["done", "failed"]
    assert Organisation.objects.filter(event=event, name__iexact="Company 7").count() == 1
    failed = next(job for job in jobs if job.status == "failed")
    assert failed.errors[0][0] == 2 and failed.errors[0][1].endswith("is already registered.")


def test_without_the_import_lock_both_imports_write(postgres, slow_check, monkeypatch):
    event = factories.make_event()
    organiser = factories.make_organiser(event)
    monkeypatch.setattr(imports, "one_import_at_a_time", lambda event: None)

    statuses, _jobs = _two_imports(event, organiser)

    assert statuses == ["done", "done"]
    assert Organisation.objects.filter(event=event, name__iexact="Company 7").count() == 2


def test_a_company_registered_while_the_import_writes_is_named_in_its_errors(postgres, monkeypatch):
    """A colleague registers one of the file's companies after the import checked its rows and
    before it wrote them: the database refuses the duplicate, and the import names the row."""
    event = factories.make_event()
    organiser = factories.make_organiser(event)
    job = ExhibitorImport.objects.create(
        event=event, started_by=organiser, csv="name,country\nNova Secure,FR\nSky Shield,DE\n", total=2
    )
    checked = imports.check_exhibitors_csv
    calls = []

    def check_then_race(**kw):
        rows = checked(**kw)
        if not calls:
            calls.append(1)
            threading.Thread(
                target=lambda: (factories.make_company(event, "Sky Shield"), connection.close())
            ).start()
            time.sleep(0.5)
        return rows

    monkeypatch.setattr(imports, "check_exhibitors_csv", check_then_race)
    services.run_exhibitor_import(job_id=job.pk)
    job.refresh_from_db()

    assert (job.status, job.errors) == ("failed", [[3, "Sky Shield is already registered."]])
    assert Organisation.objects.filter(event=event).count() == 1
