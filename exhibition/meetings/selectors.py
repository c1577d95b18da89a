"""Reads for meetings: access-checked fetches, the directory and suggestions, inboxes,
agendas, free slots and the organiser's figures."""

from __future__ import annotations

import re
import threading
from collections import Counter, OrderedDict, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from exhibition.accounts.models import Organisation, TradeVisitor, User
from exhibition.accounts.roles import roles_for
from exhibition.events.selectors import Todo, chart_provider, summary_provider, todo_provider

from .models import (
    ADMITTED,
    AgendaItem,
    Booking,
    ExhibitorHost,
    Meeting,
    MeetingRequest,
    MeetingSettings,
    Participant,
    Place,
    PlaceBlocking,
    Round,
)
from .services.booking import ACTIVE, day_slots

# --- who am I ------------------------------------------------------------------------------


def participants_for_user(event: Any, user: Any) -> list[Participant]:
    """The participants the user acts for at this event (visitor first, then organisations)."""
    if not getattr(user, "is_authenticated", False):
        return []
    roles = roles_for(user, event)
    mine = Q(organisation_id__in=list(roles.memberships))
    if roles.is_approved_visitor:
        mine |= Q(kind=Participant.Kind.VISITOR, user=user)
    return list(Participant.objects.filter(event=event).filter(mine).order_by("kind", "id"))


def acting_participant(
    event: Any, user: Any, participant_id: int | None = None, mine: list[Participant] | None = None
) -> Participant | None:
    """The participant the user acts for now; creates it on first use (visitor, company or delegation)."""
    from .services import ensure_participant

    if mine is None:
        mine = participants_for_user(event, user)
    if participant_id:
        return next((p for p in mine if p.pk == int(participant_id)), None)
    if mine:
        return mine[0]
    roles = roles_for(user, event)
    if roles.is_approved_visitor:
        tv = TradeVisitor.objects.filter(event=event, user=user).select_related("user").first()
        return ensure_participant(event=event, visitor=tv)
    org_id = next(iter(sorted(roles.company_ids)), None) or next(iter(sorted(roles.delegation_ids)), None)
    if org_id:
        return ensure_participant(
            event=event, organisation=Organisation.objects.get(pk=org_id), host_user=user
        )
    return None


def participant_for(user: Any, event: Any, pk: int, perm: str = "meetings.view_participant") -> Participant:
    p = (
        Participant.objects.filter(event=event, pk=pk)
        .select_related("stand", "event", "organisation", "visitor")
        .first()
    )
    if p is None or (not p.is_admitted and not roles_for(user, event).is_organiser):
        raise Http404
    if not user.has_perm(perm, p):
        raise PermissionDenied
    return p


def request_for(user: Any, event: Any, pk: int, perm: str = "meetings.view_request") -> MeetingRequest:
    req = (
        MeetingRequest.objects.filter(event=event, pk=pk)
        .select_related("sender", "recipient", "event")
        .first()
    )
    if req is None:
        raise Http404
    if not user.has_perm(perm, req):
        raise PermissionDenied
    return req


def meeting_for(user: Any, event: Any, pk: int, perm: str = "meetings.view_meeting") -> Meeting:
    m = (
        Meeting.objects.filter(event=event, pk=pk)
        .select_related("sender", "recipient", "place", "host__user", "sender_host__user", "event")
        .first()
    )
    if m is None:
        raise Http404
    if not user.has_perm(perm, m):
        raise PermissionDenied
    return m


# --- directory and suggestions ---------------------------------------------------------------


def directory(
    event: Any, *, exclude: Participant | None = None, kind: str = "", sector: str = "", q: str = ""
) -> QuerySet[Participant]:
    qs = (
        Participant.objects.filter(event=event, opted_in=True)
        .filter(ADMITTED)
        .select_related("stand")
        .prefetch_related("sectors")
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    if kind:
        qs = qs.filter(kind=kind)
    if sector:  # the only join that can repeat a participant
        qs = qs.filter(sectors__code=sector).distinct()
    if q:
        qs = qs.filter(
            Q(name__icontains=q) | Q(offer__icontains=q) | Q(seek__icontains=q) | Q(headline__icontains=q)
        )
    return qs.order_by("name", "id")


STOPWORDS = set(
    """about after also among and any are been being both but can could each every for from have having
into its more most much need needs other our ours out over same such than that the their them then there these
they this those through under very want wants what when where which while who with within without would your yours
looking seeking offer offers solution solutions system systems services service products product provide
nous pour avec dans des les une sur par vos votre""".split()
)
WORD = re.compile(r"[^\W\d_]{4,}", re.UNICODE)


def _words(text: str) -> set[str]:
    out = set()
    for w in WORD.findall((text or "").lower()):
        if w in STOPWORDS:
            continue
        out.add(w[:-1] if w.endswith("s") and len(w) > 4 else w)
    return out


@dataclass(frozen=True)
class _Words:
    """Every participant of an event (in the directory or not) with the words of what they offer
    and seek and their sectors, and the same inverted: who offers, seeks or works on each."""

    kinds: dict[int, str]
    offer: dict[int, frozenset[str]]
    seek: dict[int, frozenset[str]]
    offer_by_word: dict[str, tuple[int, ...]]
    seek_by_word: dict[str, tuple[int, ...]]
    by_sector: dict[int, tuple[int, ...]]
    ordered: tuple[int, ...]  # who is in the directory (opted in, admitted), in its order
    members: frozenset[int]


_WORDS: OrderedDict[tuple, _Words] = OrderedDict()
_words_lock = threading.Lock()


_WORDS_PARTS = ("p", "v", "o")


def _state_rows(event: Any) -> tuple:
    """One query: what moves when a participant is added, removed or saved (``update_profile``
    saves it with its sectors; ``opted_in`` is on it), when a visitor or organisation is saved
    (admission, vetting: who is in the directory), when a stand is saved (a participant shows its
    stand's number) and the sectors' codes and names."""
    from django.db import connection

    from exhibition.events.models import Sector
    from exhibition.floorplans.models import Stand

    t = {m: m._meta.db_table for m in (Participant, TradeVisitor, Organisation, Stand, Sector)}
    sql = (
        f"SELECT 'p', COUNT(*), SUM(id), CAST(MAX(updated_at) AS TEXT) FROM {t[Participant]} WHERE event_id = %s"
        f" UNION ALL SELECT 'v', 0, 0, CAST(MAX(updated_at) AS TEXT) FROM {t[TradeVisitor]} WHERE event_id = %s"
        f" UNION ALL SELECT 'o', 0, 0, CAST(MAX(updated_at) AS TEXT) FROM {t[Organisation]} WHERE event_id = %s"
        f" UNION ALL SELECT 't', COUNT(*), SUM(version), CAST(MAX(updated_at) AS TEXT) FROM {t[Stand]} WHERE event_id = %s"
        f" UNION ALL SELECT 's', id, 0, code || '|' || colour || '|' || name_en || '|' || name_fr FROM {t[Sector]}"
        f" WHERE event_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [event.pk] * 5)
        return (event.pk, *sorted(cursor.fetchall(), key=lambda row: (row[0], row[1])))


@dataclass(frozen=True)
class DirectoryState:
    """The directory as read once for a request: ``key`` moves whenever anything the directory
    or a suggestion shows changes; ``words`` are the participants' words (see ``_profile_words``)."""

    key: str
    words: _Words


def directory_state(event: Any) -> DirectoryState:
    import hashlib

    rows = _state_rows(event)
    created = event.created_at.timestamp() if getattr(event, "created_at", None) else 0
    digest = hashlib.sha1(repr(rows).encode(), usedforsecurity=False).hexdigest()[:24]
    return DirectoryState(key=f"{event.pk}:{created:.6f}:{digest}", words=_profile_words(event, rows))


def _profile_words(event: Any, rows: tuple | None = None) -> _Words:
    """Every participant of the event with the words of what they offer and seek, their sectors
    and whether they are in the directory, kept by the process while nothing of it changed (the
    participants', visitors' and organisations' part of ``_state_rows`` is the key), so a new,
    gone or edited participant, or one admitted or vetted, is seen on the next request.
    Tokenising thousands of profiles cost more than the rest of a suggestions request."""
    rows = rows or _state_rows(event)
    key = (rows[0], *(row for row in rows[1:] if row[0] in _WORDS_PARTS))
    with _words_lock:
        found = _WORDS.get(key)
        if found is not None:
            _WORDS.move_to_end(key)
            return found
    base = Participant.objects.filter(event=event).order_by()
    kinds: dict[int, str] = {}
    offers: dict[int, frozenset[str]] = {}
    seeks: dict[int, frozenset[str]] = {}
    offer_by_word: dict[str, list[int]] = defaultdict(list)
    seek_by_word: dict[str, list[int]] = defaultdict(list)
    by_sector: dict[int, list[int]] = defaultdict(list)
    # Plain rows, not model instances: thousands of participants.
    for pk, kind, offer, seek in base.values_list("id", "kind", "offer", "seek"):
        kinds[pk], offers[pk], seeks[pk] = kind, frozenset(_words(offer)), frozenset(_words(seek))
        for w in offers[pk]:
            offer_by_word[w].append(pk)
        for w in seeks[pk]:
            seek_by_word[w].append(pk)
    for pid, sid in Participant.sectors.through.objects.filter(participant__event=event).values_list(
        "participant_id", "sector_id"
    ):
        by_sector[sid].append(pid)
    ordered = tuple(directory(event).prefetch_related(None).select_related(None).values_list("pk", flat=True))
    words = _Words(
        kinds,
        offers,
        seeks,
        {w: tuple(v) for w, v in offer_by_word.items()},
        {w: tuple(v) for w, v in seek_by_word.items()},
        {s: tuple(v) for s, v in by_sector.items()},
        ordered,
        frozenset(ordered),
    )
    with _words_lock:
        _WORDS[key] = words
        while len(_WORDS) > 4:
            _WORDS.popitem(last=False)
    return words


@dataclass
class Suggestion:
    participant: Participant
    score: float
    reasons: list[str] = field(default_factory=list)


COMPLEMENT = {
    Participant.Kind.VISITOR: {Participant.Kind.EXHIBITOR: 2.0, Participant.Kind.DELEGATION: 0.5},
    Participant.Kind.DELEGATION: {Participant.Kind.EXHIBITOR: 2.0, Participant.Kind.VISITOR: 0.5},
    Participant.Kind.EXHIBITOR: {Participant.Kind.VISITOR: 1.5, Participant.Kind.DELEGATION: 2.0},
}


def taken_by(me: Participant) -> frozenset[int]:
    """Whom ``me`` asked or was asked by (requests neither declined, expired nor cancelled), and me."""
    taken = (
        MeetingRequest.objects.filter(Q(sender=me) | Q(recipient=me))
        .exclude(
            status__in=[
                MeetingRequest.Status.DECLINED,
                MeetingRequest.Status.EXPIRED,
                MeetingRequest.Status.CANCELLED,
            ]
        )
        .values_list("sender_id", "recipient_id")
        .distinct()
    )
    return frozenset(x for pair in taken for x in pair)


def suggestions(
    event: Any,
    me: Participant,
    limit: int = 8,
    *,
    state: DirectoryState | None = None,
    taken: frozenset[int] | None = None,
) -> list[Suggestion]:
    """People you should meet: shared sectors (3 each), what they offer that you seek (2 per
    word), what they seek that you offer (1 per word), and who usually meets whom; each
    with the reasons shown. Participants you already asked or meet are left out, and so is
    anybody not in the directory. ``state`` and ``taken`` if already read."""
    words = state.words if state is not None else _profile_words(event)
    mine_sectors = {s.pk: s for s in me.sectors.all()}
    my_seek, my_offer = _words(me.seek), _words(me.offer)
    taken_ids = taken if taken is not None else taken_by(me)
    # Only those who share a word or a sector score at all: counted through the inverted lists.
    n_offer: Counter = Counter()
    n_seek: Counter = Counter()
    shared_of: dict[int, list[int]] = defaultdict(list)
    for w in my_seek:
        n_offer.update(words.offer_by_word.get(w, ()))
    for w in my_offer:
        n_seek.update(words.seek_by_word.get(w, ()))
    for sid in mine_sectors:
        for pk in words.by_sector.get(sid, ()):
            shared_of[pk].append(sid)
    bonus = COMPLEMENT.get(me.kind, {})
    scored = []
    for pk in n_offer.keys() | n_seek.keys() | shared_of.keys():
        if pk == me.pk or pk in taken_ids or pk not in words.kinds:
            continue
        score = (
            3.0 * len(shared_of.get(pk, ()))
            + 2.0 * n_offer.get(pk, 0)
            + 1.0 * n_seek.get(pk, 0)
            + bonus.get(words.kinds[pk], 0.0)
        )
        scored.append((score, pk))
    scored.sort(key=lambda t: (-t[0], t[1]))
    # The reasons (translated, in the profiles' own words) only for a few more than are shown:
    # building them for every scored participant cost more than the ranking itself. Among those,
    # one whose reasons repeat another's word for word gives way to one that says something new.
    # The pool is the best of those in the directory (admitted, opted in).
    pool = [t for t in scored if t[1] in words.members][: limit * 3]
    objs = Participant.objects.select_related("stand").in_bulk([t[1] for t in pool])
    picked: list[Suggestion] = []
    repeats: list[Suggestion] = []
    seen: set[tuple[str, ...]] = set()
    for score, pk in pool:
        other = objs.get(pk)
        if other is None:  # gone since the words were read
            continue
        they_offer = my_seek & words.offer[pk] if my_seek else set()
        they_seek = my_offer & words.seek[pk] if my_offer else set()
        reasons = _reasons(me, other, [mine_sectors[s] for s in shared_of.get(pk, ())], they_offer, they_seek)
        (repeats if tuple(reasons) in seen else picked).append(Suggestion(other, score, reasons))
        seen.add(tuple(reasons))
    out = (picked + repeats)[:limit]
    # Their sectors only for those shown (a prefetch costs per participant, and the pool is 3x that).
    prefetch_related_objects([s.participant for s in out], "sectors")
    return out


SEGMENT = re.compile(r"[.;,\n]+")


def _segments(text: str) -> list[str]:
    """A profile's text cut into its phrases ("Forensic lab equipment", "DNA and fingerprint analysis")."""
    return [seg.strip() for seg in SEGMENT.split(text or "") if seg.strip()]


def _phrase(segments: list[str], limit: int = 2) -> str:
    """Phrases as written, joined and lower-cased at the start (not an acronym like "CCTV")."""
    out = []
    for seg in segments[:limit]:
        seg = seg if len(seg) <= 60 else seg[:59].rstrip() + "…"
        out.append(seg[0].lower() + seg[1:] if len(seg) > 1 and not seg[1].isupper() else seg)
    return ", ".join(out)


@lru_cache(maxsize=4096)
def _segment_words(text: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """A profile's phrases with their words (a pure function of the text: the reasons of a
    suggestion read the same few profiles again and again)."""
    return tuple((seg, frozenset(_words(seg))) for seg in _segments(text))


def _matching(text: str, stems: set[str] | frozenset[str]) -> list[str]:
    return [seg for seg, words in _segment_words(text or "") if words & stems]


def _reasons(
    me: Participant, other: Participant, shared: list[Any], they_offer: set[str], they_seek: set[str]
) -> list[str]:
    """Why ``other`` is suggested to ``me``, in whole words taken from both profiles."""
    reasons = []
    if shared:
        names = [s.name for s in sorted(shared, key=lambda s: s.code)]
        reasons.append(_("Both work on %(sectors)s") % {"sectors": _phrase(names, limit=3)})
    if they_offer:
        reasons.append(
            _("Looking for: %(seek)s — they offer %(offer)s")
            % {
                "seek": _phrase(_matching(me.seek, they_offer)),
                "offer": _phrase(_matching(other.offer, they_offer)),
            }
        )
    if they_seek:
        reasons.append(
            _("They look for %(seek)s — you offer %(offer)s")
            % {
                "seek": _phrase(_matching(other.seek, they_seek)),
                "offer": _phrase(_matching(me.offer, they_seek)),
            }
        )
    rest = [seg for seg, words in _segment_words(other.offer or "") if not (words & they_offer)]
    if rest:
        reasons.append(_("Also offers %(what)s") % {"what": _phrase(rest, limit=3)})
    return reasons


# --- inbox ---------------------------------------------------------------------------------


def requests_received(participant: Participant) -> QuerySet[MeetingRequest]:
    return (
        MeetingRequest.objects.filter(recipient=participant)
        .select_related("sender", "recipient", "meeting")
        .order_by("-created_at", "-id")
    )


def requests_sent(participant: Participant) -> QuerySet[MeetingRequest]:
    return (
        MeetingRequest.objects.filter(sender=participant)
        .select_related("sender", "recipient", "meeting")
        .order_by("-created_at", "-id")
    )


def requests_for_event(event: Any) -> QuerySet[MeetingRequest]:
    return (
        MeetingRequest.objects.filter(event=event)
        .select_related("sender", "recipient")
        .order_by("-created_at", "-id")
    )


# --- meetings and agenda --------------------------------------------------------------------


def meetings_for_participant(
    event: Any, participant: Participant, *, include_cancelled: bool = False
) -> QuerySet[Meeting]:
    qs = (
        Meeting.objects.filter(event=event)
        .filter(Q(sender=participant) | Q(recipient=participant))
        .select_related("sender", "recipient", "place", "host__user", "sender_host__user", "place__stand")
    )
    if not include_cancelled:
        qs = qs.exclude(status=Meeting.Status.CANCELLED)
    return qs.order_by("start", "id")


def meetings_for_event(event: Any) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(event=event)
        .select_related("sender", "recipient", "place", "host__user", "sender_host__user")
        .order_by("start", "id")
    )


def agenda_items_for(event: Any, participant: Participant) -> QuerySet[AgendaItem]:
    q = Q(participant=participant)
    if participant.kind == Participant.Kind.EXHIBITOR:
        q |= Q(host__participant=participant)
    return (
        AgendaItem.objects.filter(event=event).filter(q).select_related("host__user").order_by("start", "id")
    )


@dataclass
class AgendaEntry:
    start: datetime
    end: datetime
    title: str
    where: str
    walking_id: str
    meeting: Meeting | None = None
    item: AgendaItem | None = None
    walk_minutes: float | None = None
    walk_note: str = ""
    kind_label: str = ""
    walk_from: str = ""


def _where(m: Meeting) -> tuple[str, str]:
    if m.place is None:
        return "", ""
    return str(m.place), (m.place.walking_id or (m.place.stand.number if m.place.stand_id else ""))


def hosted_visits(event: Any, participant: Participant) -> QuerySet[Any]:
    """The delegation visits published at an exhibitor's stands (none for anybody else)."""
    from exhibition.delegations.models import PublishedVisit

    if participant.kind != Participant.Kind.EXHIBITOR or not participant.organisation_id:
        return PublishedVisit.objects.none()
    return (
        PublishedVisit.objects.filter(stand__event=event, stand__exhibitor_id=participant.organisation_id)
        .select_related("delegation__organisation", "stand")
        .order_by("start", "pk")
    )


def agenda(
    event: Any, participant: Participant, day: date | None = None, *, walking: bool = True
) -> list[AgendaEntry]:
    """Meetings, other agenda items and (for an exhibitor) the delegation visits it hosts, in time
    order; each entry following another at a different place the same day gets the walking time
    from the previous place when both are on the plan (errors of the walking graph are shown,
    not raised)."""
    tz = event.tz
    entries = []
    for m in meetings_for_participant(event, participant):
        if day and m.start.astimezone(tz).date() != day:
            continue
        other = m.recipient if m.sender_id == participant.pk else m.sender
        where, wid = _where(m)
        mine = m.host_for(participant.pk)
        title = other.name + (f" · {mine.user.get_full_name()}" if mine is not None else "")
        entries.append(AgendaEntry(m.start, m.end, title, where, wid, meeting=m))
    mirrored = set()
    for it in agenda_items_for(event, participant):
        mirrored.add(it.source)
        if day and it.start.astimezone(tz).date() != day:
            continue
        entries.append(
            AgendaEntry(
                it.start,
                it.end,
                it.title,
                it.place_label,
                it.walking_id,
                item=it,
                kind_label=str(it.get_kind_display()),
            )
        )
    for v in hosted_visits(event, participant):
        if f"delegations.visit:{v.uid}" in mirrored or (day and v.start.astimezone(tz).date() != day):
            continue
        entries.append(
            AgendaEntry(
                v.start,
                v.end,
                _("Delegation visit: %(name)s") % {"name": v.delegation.organisation.name},
                _("Stand %(number)s") % {"number": v.stand.number},
                v.stand.number,
            )
        )
    entries.sort(key=lambda e: (e.start, e.title))
    pairs = [
        (prev, cur)
        for prev, cur in zip(entries, entries[1:], strict=False)
        if prev.walking_id
        and cur.walking_id
        and prev.walking_id != cur.walking_id
        and prev.start.astimezone(tz).date() == cur.start.astimezone(tz).date()
    ]
    if walking and pairs:
        from exhibition.floorplans.selectors import walking_graph

        try:
            graph = walking_graph(event)  # once per page: route_between() would load it per pair
        except Exception as exc:  # noqa: BLE001 - no plan yet: show, do not fail
            graph, note = None, _("No walking route: %s") % exc
        for prev, cur in pairs:
            cur.walk_from = prev.where or prev.walking_id
            try:
                if graph is None:
                    raise RuntimeError(note)
                cur.walk_minutes = max(1, round(graph.route(prev.walking_id, cur.walking_id).minutes))
            except Exception as exc:  # noqa: BLE001 - unknown place, unreachable: show, do not fail
                cur.walk_note = _("No walking route: %s") % exc
    return entries


def agenda_has_walks(entries: list[AgendaEntry]) -> bool:
    """Whether the agenda's "Walk" column has anything to show."""
    return any(e.walk_minutes is not None or e.walk_note for e in entries)


def busy_resources(event: Any, keys: list[str]) -> dict[str, list[tuple[datetime, datetime]]]:
    out: dict[str, list] = defaultdict(list)
    for r, s, e in Booking.objects.filter(event=event, resource__in=keys).values_list(
        "resource", "start", "end"
    ):
        out[r].append((s, e))
    return out


def free_slots(
    event: Any,
    a: Participant,
    b: Participant,
    *,
    place: Place | None = None,
    exclude_meeting: Meeting | None = None,
) -> list[tuple[datetime, datetime]]:
    """Slots in which both sides (for an exhibitor: at least one host) and the place are free."""

    def side(p):
        if p.kind == Participant.Kind.EXHIBITOR:
            return [f"u:{u}" for u in p.hosts.filter(is_active=True).values_list("user_id", flat=True)]
        return [p.resource_key]

    groups = [side(a), side(b)] + ([[place.resource_key]] if place is not None and place.is_bookable else [])
    keys = [k for g in groups for k in g]
    qs = Booking.objects.filter(event=event, resource__in=keys)
    if exclude_meeting is not None:
        qs = qs.exclude(meeting=exclude_meeting)
    busy: dict[str, list] = defaultdict(list)
    for r, s, e in qs.values_list("resource", "start", "end"):
        busy[r].append((s, e))
    out = []
    for d in event.days.all().order_by("date"):
        for s, e in day_slots(event, d):
            if all(
                any(not any(bs < e and s < be for bs, be in busy.get(k, [])) for k in g) for g in groups if g
            ):
                out.append((s, e))
    return out


# --- organiser --------------------------------------------------------------------------------


def rounds_for_event(event: Any) -> QuerySet[Round]:
    return (
        Round.objects.filter(event=event)
        .annotate(n_requests=Count("requests"))
        .order_by("-created_at", "-id")
    )


def places_for_event(event: Any) -> QuerySet[Place]:
    return Place.objects.filter(event=event).select_related("stand").order_by("kind", "name")


def places_with_blockings(event: Any) -> QuerySet[Place]:
    return places_for_event(event).prefetch_related(
        Prefetch("blockings", queryset=PlaceBlocking.objects.order_by("start", "id"))
    )


def place_for(event: Any, pk: int) -> Place:
    place = Place.objects.filter(event=event, pk=pk).select_related("event").first()
    if place is None:
        raise Http404
    return place


def blockings_of(place: Place) -> QuerySet[PlaceBlocking]:
    return place.blockings.order_by("start", "id")


def blocking_for(event: Any, pk: int | None, place: Place | None = None) -> PlaceBlocking:
    """A blocking of one of the event's places (of ``place``, if given); 404 otherwise."""
    qs = PlaceBlocking.objects.filter(place__event=event, pk=pk)
    if place is not None:
        qs = qs.filter(place=place)
    blocking = qs.select_related("place__event").first()
    if blocking is None:
        raise Http404
    return blocking


def meetings_at_place(place: Place, start: datetime, end: datetime) -> QuerySet[Meeting]:
    """Scheduled meetings at the place overlapping the time."""
    return Meeting.objects.filter(place=place, status=Meeting.Status.SCHEDULED, start__lt=end, end__gt=start)


def settings_form_instance(event: Any) -> MeetingSettings:
    """The event's settings as a fresh object for a form (not the cached one the booking paths read)."""
    return MeetingSettings.objects.filter(event=event).first() or MeetingSettings(event=event)


def hosts_of(participant: Participant) -> QuerySet[ExhibitorHost]:
    return participant.hosts.filter(is_active=True).select_related("user").order_by("id")


def team_of(participant: Participant) -> QuerySet[ExhibitorHost]:
    """The active hosts with ``upcoming``: their scheduled meetings not over yet."""
    now = timezone.now()
    return hosts_of(participant).annotate(
        upcoming=Count(
            "meetings",
            filter=Q(meetings__status=Meeting.Status.SCHEDULED, meetings__end__gt=now),
            distinct=True,
        )
        + Count(
            "sender_meetings",
            filter=Q(sender_meetings__status=Meeting.Status.SCHEDULED, sender_meetings__end__gt=now),
            distinct=True,
        )
    )


def company_member(participant: Participant, user_id: int) -> User | None:
    """The member of the participant's organisation with this id, if there is one."""
    return User.objects.filter(pk=user_id, memberships__organisation_id=participant.organisation_id).first()


def host_candidates(participant: Participant) -> QuerySet[User]:
    """Members of the exhibiting company who do not take meetings yet."""
    return (
        User.objects.filter(memberships__organisation_id=participant.organisation_id)
        .exclude(pk__in=participant.hosts.filter(is_active=True).values("user_id"))
        .order_by("full_name", "email")
    )


def meeting_statistics(event: Any) -> dict[str, Any]:
    """Requests sent / accepted, meetings scheduled / held / no-show per day, participant type,
    hall and sector (of the exhibitor side or, failing that, the recipient)."""
    tz = event.tz
    days = [d.date for d in event.days.all().order_by("date")]
    by_day: dict[str, Counter] = {d.isoformat(): Counter() for d in days}
    by_kind: dict[str, Counter] = defaultdict(Counter)
    by_hall: dict[str, Counter] = defaultdict(Counter)
    by_sector: dict[str, Counter] = defaultdict(Counter)
    totals: Counter = Counter()
    for created, status, skind in MeetingRequest.objects.filter(event=event).values_list(
        "created_at", "status", "sender__kind"
    ):
        d = created.astimezone(tz).date().isoformat()
        totals["sent"] += 1
        by_kind[skind]["sent"] += 1
        if d in by_day:
            by_day[d]["sent"] += 1
        if status == MeetingRequest.Status.ACCEPTED:
            totals["accepted"] += 1
            by_kind[skind]["accepted"] += 1
            if d in by_day:
                by_day[d]["accepted"] += 1
    sectors_of = defaultdict(list)
    for pid, name in Participant.sectors.through.objects.filter(participant__event=event).values_list(
        "participant_id", "sector__name_en"
    ):
        sectors_of[pid].append(name)
    rows = (
        Meeting.objects.filter(event=event)
        .exclude(status=Meeting.Status.CANCELLED)
        .values_list(
            "start",
            "status",
            "sender_id",
            "sender__kind",
            "recipient_id",
            "recipient__kind",
            "place__stand__hall__code",
            "recipient__stand__hall__code",
            "sender__stand__hall__code",
        )
    )
    for start, status, sid, skind, rid, rkind, place_hall, rhall, shall in rows:
        d = start.astimezone(tz).date().isoformat()
        keys = (
            ["scheduled"]
            + (["held"] if status == Meeting.Status.HELD else [])
            + (["no_show"] if status == Meeting.Status.NO_SHOW else [])
        )
        exh = (
            rid
            if rkind == Participant.Kind.EXHIBITOR
            else (sid if skind == Participant.Kind.EXHIBITOR else rid)
        )
        hall = place_hall or rhall or shall or _("Business centre")
        for k in keys:
            totals[k] += 1
            if d in by_day:
                by_day[d][k] += 1
            by_kind[skind][k] += 1
            by_hall[hall][k] += 1
            for s in sectors_of.get(exh, [])[:1]:
                by_sector[s][k] += 1
    measures = ["sent", "accepted", "scheduled", "held", "no_show"]

    def table(d):
        return [{"label": k, **{m: v.get(m, 0) for m in measures}} for k, v in sorted(d.items())]

    return {
        "totals": {m: totals.get(m, 0) for m in measures},
        "by_day": table(by_day),
        "by_kind": table(by_kind),
        "by_hall": table(by_hall),
        "by_sector": table(by_sector),
        "measures": measures,
    }


@summary_provider
def _meetings_summary(event: Any) -> dict[str, Any]:
    states = dict(
        Meeting.objects.filter(event=event).values_list("status").annotate(n=Count("id")).order_by()
    )
    requests = dict(
        MeetingRequest.objects.filter(event=event).values_list("status").annotate(n=Count("id")).order_by()
    )
    return {
        "meetings": {
            "total": sum(states.values()),
            "by_status": {s: states.get(s, 0) for s in Meeting.Status.values},
            "requests": {s: requests.get(s, 0) for s in MeetingRequest.Status.values},
        }
    }


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
    from .services.participants import meeting_settings

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
            hall = place.stand.hall.name if place.stand_id else centre
        elif exhibitor is not None and exhibitor.stand_id:
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
    per_day: dict[date, Counter] = defaultdict(Counter)
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
    load: Counter = Counter()
    for m in placed:
        load[m.request.sender_id] += 1
        load[m.request.recipient_id] += 1
    for pid in Meeting.objects.filter(event=event, status__in=ACTIVE).values_list(
        "sender_id", "recipient_id"
    ):
        load.update(pid)

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


@todo_provider
def _meetings_todos(event: Any) -> list[Todo]:
    from django.urls import reverse
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    rounds = (
        Round.objects.filter(
            event=event, status__in=[Round.Status.OPEN, Round.Status.SCHEDULING, Round.Status.DRAFT]
        )
        .annotate(n=Count("requests"))
        .order_by("created_at", "pk")
    )
    out = []
    for rnd in rounds:
        url = reverse("meetings:round", kwargs={"event_slug": event.slug, "pk": rnd.pk})
        if rnd.status == Round.Status.DRAFT:
            n = (rnd.draft_stats or {}).get("scheduled") or 0
            out.append(
                Todo(
                    key=f"round-{rnd.pk}",
                    order=61,
                    count=max(n, 1),
                    url=url,
                    label=_("%(round)s: draft ready to review and publish") % {"round": rnd.name},
                    detail=ngettext("%(n)s meeting placed", "%(n)s meetings placed", n) % {"n": n},
                )
            )
        elif rnd.status == Round.Status.SCHEDULING:
            out.append(
                Todo(
                    key=f"round-{rnd.pk}",
                    order=62,
                    count=1,
                    url=url,
                    label=_("%(round)s: the scheduler is working") % {"round": rnd.name},
                    detail=_("%(p)s %% done") % {"p": int(rnd.progress * 100)},
                )
            )
        else:
            out.append(
                Todo(
                    key=f"round-{rnd.pk}",
                    order=60,
                    count=max(rnd.n, 1),
                    url=url,
                    label=_("%(round)s: open for requests, to schedule") % {"round": rnd.name},
                    detail=ngettext("%(n)s request so far", "%(n)s requests so far", rnd.n) % {"n": rnd.n},
                )
            )
    return out


@chart_provider
def _meetings_per_day(event: Any) -> list[tuple[int, Any]]:
    """Meetings on each show day (scheduled, of which held), for the organiser's dashboard."""
    from django.db.models.functions import TruncDate
    from django.utils import formats

    from exhibition.core.charts import Series, bar_chart

    per_day: dict[date, dict[str, int]] = {d.date: {} for d in event.days.all().order_by("date")}
    # Counted per day (the show's time) by the database: a row per day, not per meeting.
    for day, scheduled, held in (
        Meeting.objects.filter(event=event)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by()
        .annotate(day=TruncDate("start", tzinfo=event.tz))
        .values("day")
        .annotate(n=Count("id"), held=Count("id", filter=Q(status=Meeting.Status.HELD)))
        .values_list("day", "n", "held")
    ):
        values = per_day.get(day)
        if values is None:
            continue
        values["scheduled"] = scheduled
        if held:
            values["held"] = held
    rows = [(formats.date_format(d, "l j F"), v) for d, v in per_day.items()]
    series = [Series("scheduled", _("Meetings scheduled")), Series("held", _("Meetings held"))]
    return [
        (
            30,
            bar_chart(
                id="chart-meetings-day", title=_("Business meetings per show day"), rows=rows, series=series
            ),
        )
    ]


__all__ = ["ACTIVE", "Prefetch"]
