"""A round's draft in the show's words, for the review screen."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _

from ..models import (
    ExhibitorHost,
    Meeting,
    MeetingRequest,
    Participant,
    Place,
    Round,
)
from ..slots import ACTIVE, meeting_settings

# --- a round's draft in the show's words ------------------------------------------------------------


@dataclass
class DraftMeeting:
    request: MeetingRequest
    start: datetime  # local time
    where: str
    hall: str
    host: str = ""
    pinned: bool = False


@dataclass
class Unplaced:
    request: MeetingRequest
    reason: str


@dataclass
class RoundReview:
    meetings: list[DraftMeeting]  # of the chosen day, sorted by time, then place, then names
    days: list[tuple[date, int]]  # every day of the draft and how many meetings it has
    day: date | None
    halls: list[str]
    counts: list[tuple[date, list[int], int]]  # per day: meetings per hall (as ``halls``), total
    unplaced: list[Unplaced]
    total: int


def round_review(rnd: Round, *, day: date | None = None, text: str = "") -> RoundReview | None:
    """The round's draft as the show says it: who meets whom, when (local time), where (the
    table, or the exhibitor's stand and hall); counts per day and hall; each accepted request
    the draft could not place, with the reason. None without a draft."""
    if not rnd.draft or not rnd.draft.get("schedule"):
        return None
    event, draft = rnd.event, rnd.draft
    tz = event.tz
    requests = {
        f"REQ-{r.pk}": r
        for r in MeetingRequest.objects.filter(round=rnd).select_related(
            "sender__stand__hall", "recipient__stand__hall", "sender__organisation", "recipient__organisation"
        )
    }
    hosts = {
        h.pk: h
        for h in ExhibitorHost.objects.filter(pk__in=list(draft.get("hosts", {}).values())).select_related(
            "user"
        )
    }
    places = {
        p.pk: p
        for p in Place.objects.filter(pk__in=list(draft.get("locations", {}).values())).select_related(
            "stand__hall"
        )
    }
    pinned = set(draft.get("pinned", []))
    centre = _("Business centre")
    placed: list[DraftMeeting] = []
    for a in draft["schedule"]["assignments"]:
        req, start = requests.get(a["meeting"]), draft["slots"].get(a["slot"])
        if req is None or start is None:
            continue
        place = places.get(draft.get("locations", {}).get(a.get("location"))) if a.get("location") else None
        exhibitor = next(
            (p for p in (req.recipient, req.sender) if p.kind == Participant.Kind.EXHIBITOR), None
        )
        if place is not None:
            where = place.name
            hall = place.stand.hall.name if place.stand is not None else centre
        elif exhibitor is not None and exhibitor.stand is not None:
            where = _("Stand %(number)s") % {"number": exhibitor.stand.number}
            hall = exhibitor.stand.hall.name
        else:
            where, hall = _("Place to be agreed"), _("No stand")
        host = hosts.get(draft.get("hosts", {}).get(a["meeting"]))
        placed.append(
            DraftMeeting(
                request=req,
                start=datetime.fromisoformat(start).astimezone(tz),
                where=where,
                hall=hall,
                host=host.user.get_full_name() if host else "",
                pinned=a["meeting"] in pinned,
            )
        )
    placed.sort(
        key=lambda m: (m.start, m.where, m.request.sender.name, m.request.recipient.name, m.request.pk)
    )
    per_day: dict[date, Counter[str]] = defaultdict(Counter)
    for m in placed:
        per_day[m.start.date()][m.hall] += 1
    halls = sorted(
        {h for c in per_day.values() for h in c}, key=lambda h: (h == _("No stand"), h == centre, h)
    )
    days = sorted(per_day)
    counts = [(d, [per_day[d][h] for h in halls], sum(per_day[d].values())) for d in days]
    chosen = day if day in per_day else (days[0] if days else None)
    shown = [m for m in placed if m.start.date() == chosen]
    text = (text or "").strip().lower()
    if text:
        shown = [
            m
            for m in placed
            if text in m.request.sender.name.lower() or text in m.request.recipient.name.lower()
        ]
    # What could not be placed, and why.
    in_draft = {a["meeting"] for a in draft["schedule"]["assignments"]}
    booked = set(Meeting.objects.filter(request__round=rnd).values_list("request_id", flat=True))
    waiting = {
        key: req
        for key, req in requests.items()
        if key not in in_draft and req.status == MeetingRequest.Status.ACCEPTED and req.pk not in booked
    }
    with_hosts = set(
        ExhibitorHost.objects.filter(
            is_active=True,
            participant_id__in={p.pk for r in waiting.values() for p in (r.sender, r.recipient)},
        ).values_list("participant_id", flat=True)
    )
    default_max = meeting_settings(event).default_max_meetings
    load: Counter[int] = Counter()
    for m in placed:
        load[m.request.sender_id] += 1
        load[m.request.recipient_id] += 1
    for pid in Meeting.objects.filter(event=event, status__in=ACTIVE).values_list(
        "sender_id", "recipient_id"
    ):
        for participant_id in pid:
            load[participant_id] += 1

    def cap(p: Participant) -> int:
        return p.max_meetings if p.max_meetings is not None else default_max

    unplaced = []
    for _key, req in sorted(
        waiting.items(), key=lambda kv: (kv[1].sender.name, kv[1].recipient.name, kv[1].pk)
    ):
        exhibitor = next(
            (p for p in (req.recipient, req.sender) if p.kind == Participant.Kind.EXHIBITOR), None
        )
        full = next((p for p in (req.sender, req.recipient) if load[p.pk] >= cap(p)), None)
        if exhibitor is not None and exhibitor.pk not in with_hosts:
            reason = _("Nobody at %(company)s takes meetings: add a host on the company's team page.") % {
                "company": exhibitor.name
            }
        elif full is not None:
            reason = _("%(name)s already has as many meetings as allowed (%(n)s).") % {
                "name": full.name,
                "n": cap(full),
            }
        elif (rnd.draft_stats or {}).get("stopped"):
            reason = _("The run was stopped before this meeting found a time: run the scheduler again.")
        else:
            reason = _(
                "No time when both are free: their availability, their other meetings and the free "
                "tables leave no common slot."
            )
        unplaced.append(Unplaced(request=req, reason=reason))
    return RoundReview(
        meetings=shown,
        days=[(d, sum(per_day[d].values())) for d in days],
        day=chosen,
        halls=halls,
        counts=counts,
        unplaced=unplaced,
        total=len(placed),
    )
