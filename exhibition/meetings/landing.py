"""The meetings lines of a participant's landing page (see exhibition.events.landing): requests
to answer, requests waiting for an answer, the meetings ahead, people to meet, the profile, the
state of the matchmaking round and, for an exhibitor, the delegation visits it hosts."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from exhibition.accounts.roles import roles_for
from exhibition.core import formats
from exhibition.events.landing import Todo, landing_todo

from . import selectors
from .models import Meeting, MeetingRequest, Participant, Round


def _me(event: Any, user: Any, organisation: Any) -> Participant | None:
    if organisation is not None:
        return Participant.objects.filter(event=event, organisation=organisation).first()
    return Participant.objects.filter(event=event, kind=Participant.Kind.VISITOR, user=user).first()


def my_turn_q(me: Participant) -> Q:
    """Open requests that wait for ``me`` to answer (see services.requests._responder)."""
    proposed = MeetingRequest.Status.PROPOSED
    return Q(status__in=MeetingRequest.OPEN) & (
        (Q(recipient=me) & ~Q(status=proposed, proposed_by=me))
        | Q(sender=me, status=proposed, proposed_by=F("recipient"))
    )


def _when(event: Any, moment: Any) -> str:
    return formats.when(moment, "daytime", tz=event.tz)


def profile_gaps(me: Participant) -> list[str]:
    """What the meeting profile still lacks, in the words of its form."""
    gaps = []
    if not me.headline.strip():
        gaps.append(_("a headline"))
    if not me.seek.strip():
        gaps.append(_("what you are looking for"))
    if not me.offer.strip():
        gaps.append(_("what you offer"))
    if not me.sectors.exists():
        gaps.append(_("your sectors"))
    return gaps


@landing_todo
def meeting_todos(event: Any, user: Any, organisation: Any) -> list[Todo]:
    roles = roles_for(user, event)
    if organisation is None and not roles.is_approved_visitor:
        return []
    if organisation is not None and organisation.pk not in roles.company_ids:
        return []
    slug = {"event_slug": event.slug}
    directory, inbox = reverse("meetings:directory", kwargs=slug), reverse("meetings:inbox", kwargs=slug)
    agenda, profile = reverse("meetings:agenda", kwargs=slug), reverse("meetings:profile", kwargs=slug)
    as_ = ""
    me = _me(event, user, organisation)
    if me is not None and len(selectors.participants_for_user(event, user)) > 1:
        as_ = f"?as={me.pk}"
    out = []
    rnd = (
        Round.objects.filter(event=event)
        .exclude(status=Round.Status.CANCELLED)
        .order_by("-created_at", "-id")
        .first()
    )
    if rnd is not None and rnd.status == Round.Status.OPEN:
        out.append(
            Todo(
                "meetings.round",
                5,
                _("The matchmaking round “%(name)s” is open for requests") % {"name": rnd.name},
                url=directory + as_,
                state="info",
                detail=_("The organiser schedules the accepted requests together."),
            )
        )
    elif rnd is not None and rnd.status in (Round.Status.SCHEDULING, Round.Status.DRAFT):
        out.append(
            Todo(
                "meetings.round",
                5,
                _("The meetings of the round “%(name)s” are being scheduled") % {"name": rnd.name},
                state="info",
            )
        )
    if me is None:
        out.append(
            Todo("meetings.start", 20, _("Find people to meet and send them meeting requests"), url=directory)
        )
        return out
    to_answer = MeetingRequest.objects.filter(my_turn_q(me)).count()
    if to_answer:
        out.append(
            Todo(
                "meetings.to_answer",
                10,
                ngettext(
                    "%(n)d meeting request awaits your answer",
                    "%(n)d meeting requests await your answer",
                    to_answer,
                )
                % {"n": to_answer},
                url=inbox + as_,
                count=to_answer,
            )
        )
    waiting = MeetingRequest.objects.filter(sender=me, status=MeetingRequest.Status.REQUESTED).count()
    if waiting:
        out.append(
            Todo(
                "meetings.waiting",
                40,
                ngettext(
                    "%(n)d request you sent awaits an answer",
                    "%(n)d requests you sent await an answer",
                    waiting,
                )
                % {"n": waiting},
                url=inbox + (as_ + "&" if as_ else "?") + "box=sent",
                count=waiting,
                state="wait",
            )
        )
    now = timezone.now()
    scheduled = Meeting.objects.filter(Q(sender=me) | Q(recipient=me), status=Meeting.Status.SCHEDULED)
    n_meetings = scheduled.count()
    if n_meetings:
        # the next one still ahead (or, once the show is over, the first of them)
        nxt = (
            scheduled.filter(end__gt=now)
            .order_by("start")
            .select_related("sender", "recipient", "place")
            .first()
            or scheduled.order_by("start").select_related("sender", "recipient", "place").first()
        )
        other = nxt.recipient if nxt.sender_id == me.pk else nxt.sender
        detail = _("Next: %(when)s with %(name)s") % {"when": _when(event, nxt.start), "name": other.name}
        if nxt.place_id:
            detail += f" · {nxt.place}"
        out.append(
            Todo(
                "meetings.ahead",
                30,
                ngettext("%(n)d meeting in your agenda", "%(n)d meetings in your agenda", n_meetings)
                % {"n": n_meetings},
                url=agenda + as_,
                count=n_meetings,
                detail=detail,
                state="info",
            )
        )
    if me.kind == Participant.Kind.EXHIBITOR:
        if not me.hosts.filter(is_active=True).exists():
            out.append(
                Todo(
                    "meetings.team",
                    15,
                    _("Nobody takes meetings for your company yet"),
                    url=reverse("meetings:team", kwargs=slug) + as_,
                )
            )
        visits = selectors.hosted_visits(event, me)
        n_visits = visits.count()
        if n_visits:
            v = visits.filter(end__gt=now).first() or visits.first()
            out.append(
                Todo(
                    "meetings.visits",
                    35,
                    ngettext(
                        "%(n)d delegation visit at your stand",
                        "%(n)d delegation visits at your stand",
                        n_visits,
                    )
                    % {"n": n_visits},
                    url=agenda + as_,
                    count=n_visits,
                    state="info",
                    detail=_("Next: %(when)s, %(name)s at stand %(stand)s")
                    % {
                        "when": _when(event, v.start),
                        "name": v.delegation.organisation.name,
                        "stand": v.stand.number,
                    },
                )
            )
    n_suggested, names = _suggested(event, me)
    if n_suggested:
        out.append(
            Todo(
                "meetings.suggestions",
                20,
                ngettext("%(n)d person you should meet", "%(n)d people you should meet", n_suggested)
                % {"n": n_suggested},
                url=directory + as_,
                count=n_suggested,
                detail=", ".join(names) + ("…" if n_suggested > 3 else ""),
            )
        )
    gaps = profile_gaps(me)
    if gaps:
        filled = 4 - len(gaps)
        out.append(
            Todo(
                "meetings.profile",
                25,
                _("Your meeting profile is %(pct)d%% complete") % {"pct": 100 * filled // 4},
                url=profile + as_,
                detail=_("Add %(what)s.") % {"what": ", ".join(gaps)},
            )
        )
    else:
        out.append(
            Todo(
                "meetings.profile", 25, _("Your meeting profile is complete"), url=profile + as_, state="done"
            )
        )
    return out


def _suggested(event: Any, me: Participant) -> tuple[int, list[str]]:
    """How many people ``me`` should meet and the first three names, from the shared cache
    under the directory's state and whom ``me`` already asked (any change shows at once), as
    the directory page keeps its suggestions."""
    state = selectors.directory_state(event)
    taken = selectors.taken_by(me)
    key = f"meetings:landing-suggestions:{me.pk}:{selectors.cache_digest(state.key, sorted(taken))}"
    found = cache.get(key)
    if found is None:
        suggested = selectors.suggestions(event, me, limit=8, state=state, taken=taken)
        found = (len(suggested), [s.participant.name for s in suggested[:3]])
        cache.set(key, found, timeout=10 * 60)
    return found
