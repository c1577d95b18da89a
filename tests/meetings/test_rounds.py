from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from exhibition.meetings import services
from exhibition.meetings.models import Meeting, Round
from exhibition.meetings.scheduling import evaluate, read_problem, read_schedule
from tests.factories import make_organiser
from tests.factories import meetings as f

pytestmark = pytest.mark.django_db


def _round_with_requests(event, n=4, at_tables=False):
    org = make_organiser(event)
    rnd = services.create_round(event=event, actor=org, name="Pre-show", time_limit=2, at_tables=at_tables)
    exh = f.exhibitor(event, hosts=2)
    dele = f.delegation(event)
    for _ in range(n):
        v = f.visitor(event)
        req = services.request_meeting(actor=v.user, sender=v, recipient=exh, priority=3)
        services.accept_request(actor=f.actor_of(exh), request=req)
    req = services.request_meeting(actor=f.actor_of(dele), sender=dele, recipient=exh, priority=5)
    services.accept_request(actor=f.actor_of(exh), request=req)
    return org, rnd, exh, dele


def test_export_command_writes_valid_problem(event, tmp_path):
    _org, rnd, exh, dele = _round_with_requests(event)
    # a delegation visit blocks the delegation's 10:00 slot on day 1
    services.block_time(event=event, participant=dele, start=f.at(event, 1, "10:00"), end=f.at(event, 1, "10:30"),
                        title="Visit")
    out = tmp_path / "p.json"
    call_command("export_meeting_problem", "--event", event.slug, "--out", str(out))
    problem = json.loads(out.read_text())
    read_problem(problem)  # valid for the scheduler
    assert len(problem["meetings"]) == 5
    hosts = {p["id"] for p in problem["participants"] if p["id"].startswith("H-")}
    assert len(hosts) == 2  # requests spread over the company's two hosts
    d = next(p for p in problem["participants"] if p["id"] == f"P-{dele.pk}")
    assert d["unavailable"] == ["20251118-1000"]


def test_round_page_runs_scheduler_and_publishes(client, event, django_capture_on_commit_callbacks):
    org, rnd, exh, _dele = _round_with_requests(event, at_tables=True)
    f.table(event, "T1")
    f.table(event, "T2")
    client.force_login(org)
    url = reverse("meetings:round", kwargs={"event_slug": event.slug, "pk": rnd.pk})
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"action": "schedule"}).status_code == 302
    progress = client.get(url + "?format=json").json()
    assert (progress["status"], progress["progress"], progress["stats"]["scheduled"]) == ("draft", 1.0, 5)
    rnd.refresh_from_db()
    problem, _ = services.build_problem(event, rnd, at_tables=True)
    ev = evaluate(read_problem(problem), read_schedule(rnd.draft["schedule"]))
    assert ev.scheduled == 5
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "publish"})
    rnd.refresh_from_db()
    assert rnd.status == Round.Status.PUBLISHED
    meetings = list(Meeting.objects.filter(round=rnd))
    assert len(meetings) == 5
    assert all(m.place is not None and m.place.kind == "table" for m in meetings)
    # never two meetings at one table at once
    assert len({(m.place_id, m.start) for m in meetings}) == 5


def test_cancel_scheduling_reopens(event):
    org, rnd, _exh, _dele = _round_with_requests(event, n=1)
    Round.objects.filter(pk=rnd.pk).update(status=Round.Status.SCHEDULING)
    rnd.refresh_from_db()
    services.cancel_scheduling(rnd=rnd, actor=org)
    assert rnd.status == Round.Status.OPEN
    # a scheduler that finishes after the cancel drops its draft
    services.run_scheduler(rnd=rnd)
    rnd.refresh_from_db()
    assert (rnd.status, rnd.draft) == (Round.Status.OPEN, None)
