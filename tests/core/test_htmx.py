"""Partial updates are htmx: no hand-written fetch code nor home-made partial protocol is left,
and each fragment is what its page answers to an htmx request (``HX-Request: true``), the whole
page answering any other request."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from exhibition.accreditation.models import PrintJob
from exhibition.delegations.models import PlanningRun
from exhibition.exhibitors.models import ScreeningRun
from exhibition.floorplans import selectors as floorplan_selectors
from exhibition.floorplans.models import WalkingMatrix
from exhibition.meetings import services as meeting_services
from exhibition.meetings.models import Round
from exhibition.privacy.models import Job
from tests import factories
from tests.factories.delegations import DAY, make_show
from tests.factories.floorplans import make_stand
from tests.support.html import squash

pytestmark = pytest.mark.django_db

BASE = Path(settings.BASE_DIR)
STATIC = BASE / "exhibition" / "static"

# The only scripts that may talk to the server by hand, each with its reason.
HAND_WRITTEN_REQUESTS = {
    # the offline gate scanner: its own queue of scans, synchronised when the network comes back
    "accreditation/scanner.js": "offline gate scanner",
    # the drop of a dragged stand: a POST whose 400/409 puts the stand back where it was
    "floorplans/plan.js": "drag to move a stand",
}
HOME_MADE_PROTOCOL = ("partial=1", "X-Requested-With", "HTTP_X_REQUESTED_WITH", "X-Partial", "HTTP_X_PARTIAL")


def test_no_script_sends_requests_by_hand_but_the_scanner_and_the_drag():
    talking = sorted(
        str(path.relative_to(STATIC))
        for path in STATIC.rglob("*.js")
        if "vendor" not in path.relative_to(STATIC).parts
        and re.search(r"\bfetch\(|XMLHttpRequest", path.read_text())
    )

    assert talking == sorted(HAND_WRITTEN_REQUESTS)
    plan = (STATIC / "floorplans" / "plan.js").read_text()
    assert plan.count("fetch(") == 1 and 'method: "POST"' in plan  # the move, and nothing else


def test_no_code_or_template_speaks_the_old_partial_protocol():
    offenders = [
        f"{path.relative_to(BASE)}: {word}"
        for folder, pattern in (
            ("exhibition", "*.py"),
            ("templates", "*.html"),
            ("exhibition/static", "*.js"),
        )
        for path in (BASE / folder).rglob(pattern)
        if "vendor" not in path.parts
        for word in HOME_MADE_PROTOCOL
        if word in path.read_text()
    ]

    assert offenders == []


def test_htmx_is_loaded_once_from_our_own_files_under_the_policy(client):
    html = squash(client.get("/accounts/login/").content.decode())

    assert html.count("django_htmx/htmx-2.min.js") == 1
    config = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", html).group(1)
    assert '"includeIndicatorStyles": false' in config and '"allowEval": false' in config
    assert " hx-on" not in html


# --- each fragment: alone for htmx, inside its page otherwise ---------------------------------------

HX = {"HTTP_HX_REQUEST": "true"}


def fragment_and_page(client, url, fragment_marker, *, page_marker="<html"):
    """GET ``url`` as htmx and as a browser; the first is the bare fragment, the second the page
    (both squashed: the markers are looked for however the template lays them out)."""
    part = client.get(url, **HX)
    page = client.get(url)
    assert part.status_code in (200, 286), url
    assert page.status_code == 200, url
    part_html, page_html = squash(part.content.decode()), squash(page.content.decode())
    assert "<html" not in part_html and "<main" not in part_html
    assert fragment_marker in part_html and fragment_marker in page_html
    assert page_marker in page_html
    assert "HX-Request" in part["Vary"]
    return part, part_html, page_html


def test_screening_run_polls_while_it_runs_and_stops_when_done(client, event, organiser):
    run = ScreeningRun.objects.create(event=event, status=ScreeningRun.Status.RUNNING, total=4, done=1)
    client.force_login(organiser)
    url = reverse("exhibitors:screening", kwargs={"event_slug": event.slug})

    part, part_html, page_html = fragment_and_page(client, url, '<progress max="100" value="25">')

    assert part.status_code == 200
    assert f'id="screening-run" hx-get="{url}" hx-trigger="every 1s"' in page_html
    assert '<span data-field="status" role="status">Running</span>' in part_html
    assert "Restricted-party list" in page_html and "Restricted-party list" not in part_html
    ScreeningRun.objects.filter(pk=run.pk).update(status=ScreeningRun.Status.DONE, done=4)
    last = client.get(url, **HX)
    assert last.status_code == 286  # htmx swaps it in and stops polling
    assert '<progress max="100" value="100">' in last.content.decode()
    assert "hx-trigger" not in client.get(url).content.decode()


def test_shredder_runs_poll_while_one_runs_then_reload_the_page(client, event, organiser):
    job = Job.objects.create(
        kind=Job.Kind.SHRED, event=event, status=Job.Status.RUNNING, done=1, total=2, message="Archive"
    )
    client.force_login(organiser)
    url = f"/{event.slug}/privacy/"

    _part, part_html, _page_html = fragment_and_page(client, url, 'id="shredder-runs"')

    assert f'<div id="shredder-runs" hx-get="{url}" hx-trigger="every 1s" hx-swap="outerHTML">' in part_html
    assert "1 / 2 Archive" in part_html and "Retention periods" not in part_html
    assert '<progress max="100" value="50" aria-label="Progress">' in part_html
    Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE)
    over = client.get(url, **HX)
    assert over.status_code == 200 and over["HX-Refresh"] == "true" and over.content == b""
    assert "hx-get" not in client.get(url).content.decode()


def test_my_data_requests_poll_while_one_runs(client, event):
    visitor = factories.make_visitor(event, email="me@example.test")
    Job.objects.create(kind=Job.Kind.EXPORT, person=visitor.user, status=Job.Status.QUEUED)
    client.force_login(visitor.user)
    url = reverse("privacy_person:my_data")

    _part, part_html, page_html = fragment_and_page(client, url, 'id="privacy-jobs"')

    assert 'hx-trigger="every 1s"' in part_html and "Erase your data" in page_html
    assert "Erase your data" not in part_html


def test_round_progress_polls_while_the_scheduler_runs_then_reloads_the_page(client, event):
    org = factories.make_organiser(event)
    rnd = meeting_services.create_round(event=event, actor=org, name="Pre-show", time_limit=2)
    Round.objects.filter(pk=rnd.pk).update(
        status=Round.Status.SCHEDULING, progress=0.5, progress_message="Placing 3 of 6"
    )
    client.force_login(org)
    url = reverse("meetings:round", kwargs={"event_slug": event.slug, "pk": rnd.pk})

    _part, part_html, page_html = fragment_and_page(client, url, '<span class="msg">Placing 3 of 6</span>')

    assert f'<div id="round-progress" aria-live="polite" hx-get="{url}" hx-trigger="every 1s">' in page_html
    assert 'aria-label="Scheduler progress"' in part_html and "round-progress" not in part_html
    Round.objects.filter(pk=rnd.pk).update(status=Round.Status.DRAFT)
    assert client.get(url, **HX)["HX-Refresh"] == "true"


def test_planning_run_polls_from_the_list_and_the_timeline(client, event, organiser):
    show = make_show(event)
    client.force_login(organiser)
    pages = {
        reverse("delegations:list", kwargs={"event_slug": event.slug}): None,
        reverse("delegations:timeline", kwargs={"event_slug": event.slug, "pk": show.delegation.pk}): (
            show.delegation
        ),
    }
    for url, delegation in pages.items():
        run = PlanningRun.objects.create(
            event=event, delegation=delegation, status=PlanningRun.Status.RUNNING, progress=0.25
        )

        _part, part_html, _page_html = fragment_and_page(client, url, 'aria-label="Planning progress"')

        assert f'<div class="run" data-active="1" hx-get="{url}" hx-trigger="every 1s"' in part_html
        assert f'name="next" value="{url}"' in part_html  # the cancel comes back to this page
        PlanningRun.objects.filter(pk=run.pk).update(status=PlanningRun.Status.DONE)
        assert client.get(url, **HX)["HX-Refresh"] == "true"
        assert 'data-active="0"' in client.get(url).content.decode()


def test_visit_check_answers_htmx_with_a_fragment(client, event, organiser):
    show = make_show(event)
    client.force_login(organiser)
    url = reverse("delegations:check_visit", kwargs={"event_slug": event.slug, "pk": show.delegation.pk})
    day = DAY

    typing = client.get(url, {"stand": "5A-101"}, **HX)
    fits = client.get(url, {"stand": "5A-101", "date": day.isoformat(), "start": "11:00"}, **HX)
    nowhere = client.get(url, {"stand": "nowhere", "date": day.isoformat(), "start": "11:00"}, **HX)

    assert typing.content.decode().strip() == ""
    assert fits.content.decode().strip().startswith('<p class="ok">✓ Fits')
    assert nowhere.content.decode().strip().startswith('<p class="bad">')
    timeline = squash(
        client.get(
            reverse("delegations:timeline", kwargs={"event_slug": event.slug, "pk": show.delegation.pk})
        ).content.decode()
    )
    assert f'hx-get="{url}" hx-trigger="input delay:300ms, change" hx-target="find .check"' in timeline
    assert 'hx-params="not csrfmiddlewaretoken"' in timeline


def test_print_batch_row_polls_while_it_prints(client, event, organiser):
    job = PrintJob.objects.create(event=event, requested_by=organiser, status=PrintJob.Status.RUNNING)
    client.force_login(organiser)
    row = reverse("accreditation:print_job", kwargs={"event_slug": event.slug, "pk": job.pk})
    printing = reverse("accreditation:print", kwargs={"event_slug": event.slug})

    part = client.get(row, **HX)
    page = squash(client.get(printing).content.decode())

    html = part.content.decode()
    assert html.strip().startswith("<tr") and "<html" not in html and "HX-Request" in part["Vary"]
    assert f'<tr data-status="running" hx-get="{row}" hx-trigger="every 1s" hx-swap="outerHTML">' in page
    assert client.get(row).url == printing  # without htmx, the batch's address is the printing page
    PrintJob.objects.filter(pk=job.pk).update(status=PrintJob.Status.FAILED)
    assert "hx-get" not in client.get(row, **HX).content.decode()


def test_live_operations_refresh_their_figures(client, event, organiser):
    client.force_login(organiser)
    url = reverse("accreditation:live", kwargs={"event_slug": event.slug})

    _part, part_html, page_html = fragment_and_page(client, url, "on site now")

    assert f'<div id="live" aria-live="polite" hx-get="{url}" hx-trigger="every 30s">' in page_html
    assert 'class="kpis"' in part_html and "Live operations" not in part_html


def test_stand_panel_is_the_stand_pages_fragment(client, event, organiser):
    hall = factories.make_hall(event, "5A")
    make_stand(event, hall, "5A-A1", x=10, y=10)
    client.force_login(organiser)
    url = reverse("floorplans:stand", kwargs={"event_slug": event.slug, "hall_code": "5A", "number": "5A-A1"})

    _part, part_html, _page_html = fragment_and_page(client, url, 'data-number="5A-A1"')

    assert part_html.lstrip().startswith('<div class="panel-body"')


def test_walking_matrix_polls_while_computed_and_after_compute_now(client, event, organiser):
    version = floorplan_selectors.plan_settings_for(event).version
    matrix = WalkingMatrix.objects.create(
        event=event, plan_version=version, status=WalkingMatrix.Status.RUNNING, progress=0.5
    )
    client.force_login(organiser)
    url = reverse("floorplans:overview", kwargs={"event_slug": event.slug})

    part, part_html, page_html = fragment_and_page(
        client, url, '<strong class="matrix-status">Computing</strong>'
    )

    assert part.status_code == 200
    assert f'<div id="matrix-state" aria-live="polite" hx-get="{url}" hx-trigger="every 2s">' in page_html
    assert "Site map" not in part_html
    WalkingMatrix.objects.filter(pk=matrix.pk).update(status=WalkingMatrix.Status.READY, progress=1.0)
    assert client.get(url, **HX).status_code == 286  # ready and current: the last swap
    WalkingMatrix.objects.filter(pk=matrix.pk).update(plan_version=version + 1)
    assert client.get(url + "?computing=1", **HX).status_code == 200  # asked for: until it is current
    assert 'hx-trigger="every 2s"' not in client.get(url).content.decode()
