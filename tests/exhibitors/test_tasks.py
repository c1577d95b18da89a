from datetime import timedelta

from django.utils import timezone

from exhibition.accounts.models import EventStaff
from exhibition.exhibitors import selectors, services
from exhibition.exhibitors.models import Application, ExhibitorImport, ScreeningHit, ScreeningRun
from exhibition.exhibitors.services import imports
from exhibition.exhibitors.tasks import import_exhibitors, rescreen_event, sweep_imports, sweep_screening_runs
from tests.factories.exhibitors import make_application, make_party


def test_rescreen_task_screens_submitted_applications_and_reports_progress(event, organiser):
    flagged = make_application(
        event, state=Application.State.SUBMITTED, legal_name="Golden Crescent Arms Ltd"
    )
    make_application(
        event, state=Application.State.DRAFT, legal_name="Golden Crescent Arms"
    )  # drafts are skipped
    make_party(event, "Arms Golden Crescent")
    run = ScreeningRun.objects.create(event=event)
    rescreen_event.delay(run_id=run.pk)
    run.refresh_from_db()
    assert (run.status, run.total, run.done, run.hits, run.percent) == ("done", 1, 1, 1, 100)
    assert list(ScreeningHit.objects.values_list("application_id", flat=True)) == [flagged.pk]


def test_rescreen_task_is_idempotent_and_quiet_when_the_run_is_gone(event, organiser):
    make_application(event, state=Application.State.SUBMITTED, legal_name="Golden Crescent Arms")
    make_party(event, "Golden Crescent Arms")
    run = ScreeningRun.objects.create(event=event)
    rescreen_event(run_id=run.pk)
    rescreen_event(run_id=run.pk)
    assert ScreeningHit.objects.count() == 1
    assert rescreen_event(run_id=run.pk + 999) is None
    assert services.run_rescreen(run_id=run.pk + 999) is None


def test_exhibitor_import_task_writes_once_and_forgets_the_file(event, organiser):
    text = "name,country,contact_email\nNova Secure,FR,zoe@nova.test\n"
    job = services.start_exhibitor_import(event=event, actor=organiser, text=text)
    import_exhibitors(job_id=job.pk)
    import_exhibitors(job_id=job.pk)  # delivered twice (acks_late): written once
    job.refresh_from_db()

    assert (job.status, job.imported, job.csv) == ("done", 1, "")  # the e-mail addresses go with it
    assert Application.objects.count() == 1
    assert import_exhibitors(job_id=job.pk + 999) is None


def test_exhibitor_import_reports_progress_through_the_shared_cache(event, organiser, monkeypatch):
    """The rows are written in one transaction nobody else sees: the rows done so far go to the
    cache, where the page reads them."""
    rows = "".join(f"Company {i},FR\n" for i in range(60))
    job = services.start_exhibitor_import(event=event, actor=organiser, text="name,country\n" + rows)
    seen = []
    real_set = imports.cache.set

    def spy(key, value, *a, **kw):
        real_set(key, value, *a, **kw)
        seen.append(selectors.exhibitor_import(event, job.pk).done)

    monkeypatch.setattr(imports.cache, "set", spy)
    services.run_exhibitor_import(job_id=job.pk)

    assert seen == [25, 50]
    assert selectors.exhibitor_import(event, job.pk).done == 60


def test_exhibitor_import_fails_whole_when_the_organiser_lost_the_right(event, organiser):
    job = services.start_exhibitor_import(event=event, actor=organiser, text="name,country\nX,FR\n")
    EventStaff.objects.filter(user=organiser).delete()  # no longer on the organising team

    services.run_exhibitor_import(job_id=job.pk)
    job.refresh_from_db()

    assert job.status == "failed" and job.errors == [[0, "You may not do this."]]
    assert Application.objects.count() == 0


def test_the_sweep_starts_imports_whose_task_was_lost(event, organiser):
    """Queued while the broker was down (two minutes ago), or left running by a worker that died
    (ten minutes ago): the periodic sweep starts them again; a fresh one is left alone."""
    text = "name,country\nNova Secure,FR\n"
    lost = ExhibitorImport.objects.create(event=event, started_by=organiser, csv=text, total=1)
    died = ExhibitorImport.objects.create(
        event=event, started_by=organiser, csv="name,country\nOrion Labs,DE\n", total=1, status="running"
    )
    fresh = ExhibitorImport.objects.create(
        event=event, started_by=organiser, csv="name,country\nX,FR\n", total=1
    )
    ExhibitorImport.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(minutes=3))
    ExhibitorImport.objects.filter(pk=died.pk).update(created_at=timezone.now() - timedelta(minutes=11))

    assert sweep_imports() == 2

    statuses = dict(ExhibitorImport.objects.values_list("pk", "status"))
    assert (statuses[lost.pk], statuses[died.pk], statuses[fresh.pk]) == ("done", "done", "queued")
    assert sorted(Application.objects.values_list("legal_name", flat=True)) == ["Nova Secure", "Orion Labs"]


def test_the_sweep_starts_screening_runs_queued_while_the_broker_was_down(event, organiser):
    flagged = make_application(event, state=Application.State.SUBMITTED, legal_name="Golden Crescent Arms")
    make_party(event, "Golden Crescent Arms")
    lost = ScreeningRun.objects.create(event=event)
    fresh = ScreeningRun.objects.create(event=event)
    ScreeningRun.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(minutes=3))

    assert sweep_screening_runs() == 1

    statuses = dict(ScreeningRun.objects.values_list("pk", "status"))
    assert (statuses[lost.pk], statuses[fresh.pk]) == ("done", "queued")
    assert list(ScreeningHit.objects.values_list("application_id", flat=True)) == [flagged.pk]
