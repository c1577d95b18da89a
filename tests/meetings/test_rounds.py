from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from exhibition.core.errors import ConflictError
from exhibition.meetings import services
from exhibition.meetings.models import Meeting, Participant, Round
from exhibition.meetings.scheduling import evaluate, read_problem, read_schedule
from exhibition.meetings.scheduling.solver import Note
from exhibition.meetings.services.rounds import _progress_text
from tests.factories import make_organiser
from tests.factories import meetings as f
from tests.support.html import squash

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
    _org, _rnd, _exh, dele = _round_with_requests(event)
    # a delegation visit blocks the delegation's 10:00 slot on day 1
    services.block_time(
        event=event,
        participant=dele,
        start=f.at(event, 1, "10:00"),
        end=f.at(event, 1, "10:30"),
        title="Visit",
    )
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
    org, rnd, _exh, _dele = _round_with_requests(event, at_tables=True)
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


def test_round_page_counts_requests_in_words_and_says_what_a_run_does(client, event):
    org, rnd, exh, _dele = _round_with_requests(event, n=2)
    v = f.visitor(event)
    services.decline_request(
        actor=f.actor_of(exh), request=services.request_meeting(actor=v.user, sender=v, recipient=exh)
    )
    Round.objects.filter(pk=rnd.pk).update(time_limit=600)
    client.force_login(org)
    url = reverse("meetings:round", kwargs={"event_slug": event.slug, "pk": rnd.pk})

    page = squash(client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode())

    assert "Requests in this round: 3 accepted · 1 declined" in page
    assert "looks for up to 10 minutes for times when both sides" in page
    raw = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Demandes de cette session\u00a0:" in raw  # French puts a space that never breaks before a colon
    page = squash(raw)
    assert "Demandes de cette session : 3 acceptées · 1 refusée" in page
    assert "Le planificateur cherche pendant 10 minutes au plus" in page


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


def _schedule(rnd, org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.start_scheduling(rnd=rnd, actor=org)
    rnd.refresh_from_db()
    return rnd


def _where(rnd) -> dict[str, tuple[str, str | None]]:
    return {a["meeting"]: (a["slot"], a["location"]) for a in rnd.draft["schedule"]["assignments"]}


def test_stop_keeps_the_best_schedule_so_far_as_draft(event):
    org, rnd, _exh, _dele = _round_with_requests(event, n=3)
    rnd.time_limit = 60
    rnd.save()
    Round.objects.filter(pk=rnd.pk).update(status=Round.Status.SCHEDULING)
    rnd.refresh_from_db()
    services.stop_scheduling(rnd=rnd, actor=org)  # asked while it runs: the scheduler polls it
    rnd = services.run_scheduler(rnd=rnd)
    assert rnd.status == Round.Status.DRAFT
    assert rnd.draft_stats["stopped"] is True
    assert "stop_requested" not in rnd.draft_stats
    problem, _ = services.build_problem(event, rnd)
    ev = evaluate(read_problem(problem), read_schedule(rnd.draft["schedule"]))
    assert ev.valid and ev.scheduled == 4  # the best so far is a whole, valid schedule


def test_stop_refused_when_not_running(event):
    org, rnd, _exh, _dele = _round_with_requests(event, n=1)
    with pytest.raises(ConflictError):
        services.stop_scheduling(rnd=rnd, actor=org)
    rnd.refresh_from_db()
    assert (rnd.status, rnd.draft_stats) == (Round.Status.OPEN, {})


def test_rerun_after_changes_moves_few_meetings_and_keeps_pins(event, django_capture_on_commit_callbacks):
    org, rnd, _exh, dele = _round_with_requests(event, n=6)
    rnd = _schedule(rnd, org, django_capture_on_commit_callbacks)
    assert rnd.status == Round.Status.DRAFT and rnd.draft_stats["scheduled"] == 7
    first = _where(rnd)
    pinned_key = sorted(first)[0]
    pinned_req = rnd.requests.get(pk=int(pinned_key.removeprefix("REQ-")))
    services.pin_draft_meeting(rnd=rnd, actor=org, request=pinned_req, pinned=True)
    # a change: the delegation becomes busy in the slot its meeting took
    dele_key = next(k for k in first if rnd.requests.get(pk=int(k.removeprefix("REQ-"))).sender_id == dele.pk)
    rnd.refresh_from_db()
    start = rnd.draft["slots"][first[dele_key][0]]

    start = datetime.fromisoformat(start)
    services.block_time(
        event=event, participant=dele, start=start, end=start + timedelta(minutes=30), title="Visit"
    )
    rnd = _schedule(rnd, org, django_capture_on_commit_callbacks)
    second = _where(rnd)
    assert rnd.status == Round.Status.DRAFT
    assert rnd.draft_stats["scheduled"] == 7
    assert second[pinned_key] == first[pinned_key]  # the pin held
    assert rnd.draft["pinned"] == [pinned_key]
    # only the delegation's meeting had to move (and perhaps one it displaced)
    moved = [k for k in first if second.get(k) != first[k]]
    assert dele_key in moved and len(moved) <= 2
    assert rnd.draft_stats["moved"] == len(moved) and rnd.draft_stats["dropped"] == 0
    problem, _ = services.build_problem(event, rnd)
    assert evaluate(read_problem(problem), read_schedule(rnd.draft["schedule"])).valid


def test_round_review_shows_moved_meetings_in_english_and_french(
    client, event, django_capture_on_commit_callbacks
):
    org, rnd, _exh, _dele = _round_with_requests(event, n=2)
    rnd = _schedule(rnd, org, django_capture_on_commit_callbacks)
    rnd = _schedule(rnd, org, django_capture_on_commit_callbacks)  # a re-run: nothing changed, nothing moves
    client.force_login(org)
    url = reverse("meetings:round", kwargs={"event_slug": event.slug, "pk": rnd.pk})
    page = squash(client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert 'Meetings moved since the previous draft</dt><dd id="round-moved">0</dd>' in page
    assert "Meetings scheduled</dt><dd>3 of 3</dd>" in page
    rnd.draft_stats = {**rnd.draft_stats, "moved": 4}
    rnd.save()
    page = squash(client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode())
    assert 'Rendez-vous déplacés depuis le brouillon précédent</dt><dd id="round-moved">4</dd>' in page


def test_pin_toggle_from_the_review_page(client, event, django_capture_on_commit_callbacks):
    org, rnd, _exh, _dele = _round_with_requests(event, n=1)
    rnd = _schedule(rnd, org, django_capture_on_commit_callbacks)
    key = next(iter(_where(rnd)))
    client.force_login(org)
    url = reverse("meetings:round", kwargs={"event_slug": event.slug, "pk": rnd.pk})
    client.post(url, {"action": "pin", "id": key.removeprefix("REQ-")})
    rnd.refresh_from_db()
    assert rnd.draft["pinned"] == [key]
    assert client.post(url, {"action": "pin", "id": "nope"}).status_code == 404
    client.post(url, {"action": "unpin", "id": key.removeprefix("REQ-")})
    rnd.refresh_from_db()
    assert rnd.draft["pinned"] == []


def test_api_stop_asks_a_running_round_to_keep_its_best(event):
    org, rnd, _exh, _dele = _round_with_requests(event, n=1)
    vis = f.visitor(event)
    url = f"/api/v1/events/{event.slug}/meetings/rounds/{rnd.pk}/stop/"
    api = APIClient()
    api.force_authenticate(org)
    assert api.post(url, {}, format="json").status_code == 409  # not running
    Round.objects.filter(pk=rnd.pk).update(status=Round.Status.SCHEDULING)
    stranger = APIClient()
    stranger.force_authenticate(vis.user)
    assert stranger.post(url, {}, format="json").status_code == 403
    rnd.refresh_from_db()
    assert rnd.draft_stats == {}
    r = api.post(url, {}, format="json")
    assert (r.status_code, r.json()["status"]) == (200, "scheduling")
    rnd.refresh_from_db()
    assert rnd.draft_stats == {"stop_requested": True}


def test_progress_of_a_round_reads_priority_bound_and_gap_in_the_organisers_words():
    note = Note("search (10 windows): priority 980 of at most 1000 (gap 2.00 %), 12 breaks, 3 moved")
    note.facts = {"priority": 980, "bound": 1000, "gap": 2.0, "breaks": 12, "moved": 3}
    with translation.override("en"):
        assert _progress_text(note) == (
            "Priority 980 of at most 1000 (gap 2.00 %), 12 breaks · 3 meetings of the previous draft moved"
        )
        assert _progress_text("placing pinned meetings") == "Preparing the schedule…"
    with translation.override("fr"):
        assert _progress_text(note) == (
            "Priorité 980 sur 1000 au plus (écart 2.00 %), 12 trous · 3 rendez-vous du brouillon précédent déplacés"
        )


def test_round_review_reads_in_the_shows_words(client, event, django_capture_on_commit_callbacks):
    org, rnd, exh, _dele = _round_with_requests(event, n=4)
    Participant.objects.filter(pk=exh.pk).update(max_meetings=2)
    rnd = _schedule(rnd, org, django_capture_on_commit_callbacks)
    assert rnd.draft_stats["scheduled"] == 2
    client.force_login(org)
    url = reverse("meetings:round", kwargs={"event_slug": event.slug, "pk": rnd.pk})
    response = client.get(url)
    html = response.content.decode()
    review = response.context["review"]
    # who meets whom, when (local time), where; sorted by time
    starts = [m.start for m in review.meetings]
    assert starts == sorted(starts) and len(review.meetings) == sum(
        n for _d, n in review.days if _d == review.day
    )
    first = review.meetings[0]
    assert f"{first.request.sender.name} meets {first.request.recipient.name}" in html
    assert f"{first.start:%H:%M}</time>" in html
    assert first.start.utcoffset() is not None and str(first.start.tzinfo) == event.time_zone
    # counts per day and hall; what could not be placed, and why
    assert sum(total for _d, _h, total in review.counts) == 2 == review.total
    assert [u.reason for u in review.unplaced] == [
        f"{exh.name} already has as many meetings as allowed (2)."
    ] * 3
    assert "What could not be placed" in html and "3 accepted requests have no time in this draft:" in html
    # no internal names, ids or flags
    for internal in ("priority_sum", "at_tables", "REQ-", "False", "None"):
        assert internal not in html, internal
    assert not re.search(r"\b20\d{6}-\d{4}\b", html)  # slot ids
    assert "The scheduler is running." not in html


def test_starting_the_scheduler_says_what_happened(client, event, django_capture_on_commit_callbacks):
    org, rnd, _exh, _dele = _round_with_requests(event, n=1)
    client.force_login(org)
    url = reverse("meetings:round", kwargs={"event_slug": event.slug, "pk": rnd.pk})
    # queued (a worker, or the demo's background thread, has it): the page shows its progress
    html = client.post(url, {"action": "schedule"}, follow=True).content.decode()
    assert "The scheduler started: its progress shows below" in html and 'id="round-progress"' in html
    assert "Draft ready" not in html


@pytest.mark.django_db(transaction=True)
def test_a_scheduler_that_ran_inline_says_the_draft_is_ready(client, event):
    org, rnd, _exh, _dele = _round_with_requests(event, n=1)
    client.force_login(org)
    url = reverse("meetings:round", kwargs={"event_slug": event.slug, "pk": rnd.pk})
    # tasks in the caller's thread (BACKGROUND_THREADS off): the draft is ready when the page comes back
    html = client.post(url, {"action": "schedule"}, follow=True).content.decode()
    assert "The draft is ready to review." in html and "scheduler started" not in html
    assert 'id="round-progress"' not in html


@pytest.mark.parametrize("n", [1, 3])
def test_round_review_query_count(
    client, event, n, django_assert_num_queries, django_capture_on_commit_callbacks
):
    org, rnd, _exh, _dele = _round_with_requests(event, n=n)
    rnd = _schedule(rnd, org, django_capture_on_commit_callbacks)
    client.force_login(org)
    url = reverse("meetings:round", kwargs={"event_slug": event.slug, "pk": rnd.pk})
    client.get(url)  # warm the session
    with django_assert_num_queries(14):
        response = client.get(url)
    assert response.context["review"].total == n + 1


def test_round_publishes_an_exhibitor_meeting_an_exhibitor_with_both_staff(
    event, django_capture_on_commit_callbacks
):
    org = make_organiser(event)
    rnd = services.create_round(event=event, actor=org, name="Pre-show", time_limit=2)
    buyer, seller = f.exhibitor(event, "Buyer", hosts=2), f.exhibitor(event, "Seller")
    req = services.request_meeting(actor=f.actor_of(buyer), sender=buyer, recipient=seller, priority=4)
    services.accept_request(actor=f.actor_of(seller), request=req)

    problem, mapping = services.build_problem(event, rnd)
    (meeting,) = problem["meetings"]
    assert meeting["participants"] == [
        f"H-{mapping['sender_hosts'][meeting['id']]}",
        f"H-{mapping['hosts'][meeting['id']]}",
    ]
    rnd = _schedule(rnd, org, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_round(rnd=rnd, actor=org)

    m = Meeting.objects.get(round=rnd)
    assert (m.sender_host_id, m.host_id) == (mapping["sender_hosts"][meeting["id"]], seller.hosts.get().pk)
    assert m.sender_host.participant == buyer
