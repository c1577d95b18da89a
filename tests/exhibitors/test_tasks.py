from exhibition.exhibitors import services
from exhibition.exhibitors.models import Application, ScreeningHit, ScreeningRun
from exhibition.exhibitors.tasks import rescreen_event
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
