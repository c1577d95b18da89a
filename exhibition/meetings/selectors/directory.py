"""The meetings directory and the suggestions of whom to meet, with the reasons shown."""

from __future__ import annotations

import hashlib
import re
import threading
from collections import Counter, OrderedDict, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet, prefetch_related_objects
from django.utils.translation import gettext as _

from exhibition.accounts.models import Organisation, TradeVisitor
from exhibition.events.models import Sector
from exhibition.floorplans.models import Stand

from ..models import (
    ADMITTED,
    MeetingRequest,
    Participant,
)

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
nous pour avec dans des les une sur par vos votre""".split()  # noqa: SIM905 -- a word list reads better as running text
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


_WORDS: OrderedDict[tuple[Any, ...], _Words] = OrderedDict()
_words_lock = threading.Lock()


_WORDS_PARTS = ("p", "v", "o")


def _state_rows(event: Any) -> tuple[Any, ...]:
    """One query: what moves when a participant is added, removed or saved (``update_profile``
    saves it with its sectors; ``opted_in`` is on it), when a visitor or organisation is saved
    (admission, vetting: who is in the directory), when a stand is saved (a participant shows its
    stand's number) and the sectors' codes and names."""
    t = {m: m._meta.db_table for m in (Participant, TradeVisitor, Organisation, Stand, Sector)}
    sql = (
        f"SELECT 'p', COUNT(*), SUM(id), CAST(MAX(updated_at) AS TEXT) FROM {t[Participant]} WHERE event_id = %s"  # noqa: S608 -- table names from the models' _meta; every value is a parameter
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
    rows = _state_rows(event)
    created = event.created_at.timestamp() if getattr(event, "created_at", None) else 0
    digest = hashlib.sha1(repr(rows).encode(), usedforsecurity=False).hexdigest()[:24]
    return DirectoryState(key=f"{event.pk}:{created:.6f}:{digest}", words=_profile_words(event, rows))


def _profile_words(event: Any, rows: tuple[Any, ...] | None = None) -> _Words:
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


COMPLEMENT: dict[str, dict[str, float]] = {
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
    n_offer: Counter[int] = Counter()
    n_seek: Counter[int] = Counter()
    shared_of: dict[int, list[int]] = defaultdict(list)
    for w in my_seek:
        for pk in words.offer_by_word.get(w, ()):
            n_offer[pk] += 1
    for w in my_offer:
        for pk in words.seek_by_word.get(w, ()):
            n_seek[pk] += 1
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


def cache_digest(*parts: Any) -> str:
    """A short, stable key for the shared cache from what a cached answer depends on (its state
    key, the exact rows, whom the participant asked): the directory page and the landing page
    key their cached suggestions the same way."""
    return hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()


def directory_entry(event: Any, pk: Any) -> Participant | None:
    """Participant ``pk`` if the directory lists them, else None."""
    return directory(event).filter(pk=pk).first()


def directory_rows(event: Any, pks: list[int]) -> dict[int, Participant]:
    """The directory's participants among ``pks``, by id (those not listed are left out)."""
    return directory(event).in_bulk(pks)


def sectors_for(event: Any) -> QuerySet[Sector]:
    """The event's sectors, by name as every list of sectors orders them (the directory's filter)."""
    return Sector.objects.filter(event=event).order_by("name_en")


def sectors_with_codes(event: Any, codes: list[str]) -> list[Sector]:
    """The event's sectors among ``codes`` (unknown codes are left out)."""
    return list(Sector.objects.filter(event=event, code__in=codes))
