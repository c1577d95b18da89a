"""Publishing programmes: the delegation's itinerary lines, the changes since the last
publication, and the notifications they send."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from exhibition.accounts.models import Membership, User
from exhibition.core import audit
from exhibition.core.errors import require_perm
from exhibition.core.notifications import queue_email
from exhibition.core.webhooks import emit_webhook
from exhibition.events.models import Event
from exhibition.floorplans.models import Stand

from ...models import (
    Delegation,
    DelegationDay,
    Programme,
    PublishedVisit,
    Visit,
)
from ...signals import programme_published
from ..common import place_names

# --- publishing -------------------------------------------------------------------------------


def _line(event: Event, number: str, company: str, start: datetime, end: datetime) -> str:
    """One visit in an e-mail: the day and times in the show's time, the stand and its hall."""
    a, b = start.astimezone(event.tz), end.astimezone(event.tz)
    hall = Stand.objects.filter(event=event, number=number).values_list("hall__name", flat=True).first() or ""
    where = (
        _("Stand %(number)s, %(hall)s") % {"number": number, "hall": hall}
        if hall
        else f"{_('stand')} {number}"
    )
    return f"{formats.date_format(a, 'l j F')} {a:%H:%M}–{b:%H:%M} · {where} · {company}"


def _lunch_lines(event: Event, delegation: Delegation) -> list[str]:
    """The lunch breaks of the programme, for the first e-mail (times in the show's time)."""
    days = list(
        DelegationDay.objects.filter(
            delegation=delegation, lunch_start__isnull=False, lunch_end__isnull=False
        ).order_by("date")
    )
    names = place_names(event, {d.lunch_place for d in days})
    return [
        _("Lunch break: %(day)s %(a)s–%(b)s · %(place)s")
        % {
            "day": formats.date_format(d.date, "l j F"),
            "a": f"{d.lunch_start:%H:%M}",
            "b": f"{d.lunch_end:%H:%M}",
            "place": names.get(d.lunch_place, ""),
        }
        for d in days
    ]


def publish_programme(*, delegation: Delegation, actor: User) -> dict[str, Any]:
    """Publish the working programme of one delegation: the published rows follow it, each
    changed visit's calendar SEQUENCE is bumped, and only the people a change affects are told
    what changed (the head of delegation, and the exhibitors whose visits were added, moved or
    cancelled)."""
    require_perm(actor, "delegations.manage_programme", delegation)
    return publish_changes(delegation=delegation, actor=actor)


def publish_changes(*, delegation: Delegation, actor: User | None) -> dict[str, Any]:
    """Publishing itself, for the services that already decided it must happen (publishing,
    and loss of admission removing visits)."""
    event = delegation.organisation.event
    with transaction.atomic():
        Delegation.objects.select_for_update().filter(pk=delegation.pk).first()
        visits = {v.uid: v for v in delegation.visits.select_related("stand__exhibitor")}
        published = {p.uid: p for p in delegation.published_visits.select_related("stand__exhibitor")}
        added = [v for u, v in visits.items() if u not in published]
        removed = [p for u, p in published.items() if u not in visits]
        moved = [
            (published[u], v)
            for u, v in visits.items()
            if u in published
            and (published[u].stand_id, published[u].start, published[u].end) != (v.stand_id, v.start, v.end)
        ]
        if not (added or removed or moved):
            Visit.objects.filter(delegation=delegation).update(status=Visit.Status.PUBLISHED)
            if Programme.objects.filter(delegation=delegation, published_version__gt=0).exists():
                # The visits stand, but a re-plan may have moved a lunch break: the meeting
                # system's busy time follows the programme as published now (idempotent).
                programme_published.send(
                    sender=Programme, event=event, delegation_organisation=delegation.organisation
                )
            return {"added": 0, "moved": 0, "removed": 0, "notified": 0}
        # who is affected, and what changed for them
        for_delegation: list[str] = []
        for_company: dict[int, list[str]] = defaultdict(list)
        for v in sorted(added, key=lambda v: v.start):
            line = _line(
                event, v.stand.number, v.stand.exhibitor.name if v.stand.exhibitor else "", v.start, v.end
            )
            for_delegation.append(_("New: %(line)s") % {"line": line})
            if v.stand.exhibitor_id:
                for_company[v.stand.exhibitor_id].append(
                    _("New: %(line)s")
                    % {"line": _line(event, v.stand.number, delegation.official_name, v.start, v.end)}
                )
        for p, v in moved:
            line = _line(
                event, v.stand.number, v.stand.exhibitor.name if v.stand.exhibitor else "", v.start, v.end
            )
            for_delegation.append(_("Changed: %(line)s") % {"line": line})
            if p.stand_id != v.stand_id and p.stand.exhibitor_id:
                for_company[p.stand.exhibitor_id].append(
                    _("Cancelled: %(line)s")
                    % {"line": _line(event, p.stand.number, delegation.official_name, p.start, p.end)}
                )
            if v.stand.exhibitor_id:
                label = _("Changed: %(line)s") if p.stand_id == v.stand_id else _("New: %(line)s")
                for_company[v.stand.exhibitor_id].append(
                    label % {"line": _line(event, v.stand.number, delegation.official_name, v.start, v.end)}
                )
        for p in removed:
            for_delegation.append(
                _("Cancelled: %(line)s")
                % {
                    "line": _line(
                        event,
                        p.stand.number,
                        p.stand.exhibitor.name if p.stand.exhibitor else "",
                        p.start,
                        p.end,
                    )
                }
            )
            if p.stand.exhibitor_id:
                for_company[p.stand.exhibitor_id].append(
                    _("Cancelled: %(line)s")
                    % {"line": _line(event, p.stand.number, delegation.official_name, p.start, p.end)}
                )
        if not PublishedVisit.objects.filter(delegation=delegation).exists():
            for_delegation += _lunch_lines(event, delegation)
        now = timezone.now()
        PublishedVisit.objects.filter(pk__in=[p.pk for p in removed]).delete()
        for old, v in moved:
            v.sequence = old.sequence + 1
            old.date, old.stand, old.start, old.end, old.sequence, old.published_at = (
                v.date,
                v.stand,
                v.start,
                v.end,
                v.sequence,
                now,
            )
            old.save()
            Visit.objects.filter(pk=v.pk).update(sequence=v.sequence)
        PublishedVisit.objects.bulk_create(
            PublishedVisit(
                uid=v.uid,
                delegation=delegation,
                date=v.date,
                stand=v.stand,
                start=v.start,
                end=v.end,
                sequence=v.sequence,
                published_at=now,
            )
            for v in added
        )
        Visit.objects.filter(delegation=delegation).update(status=Visit.Status.PUBLISHED)
        programme, _c = Programme.objects.get_or_create(delegation=delegation)
        first = programme.published_version == 0
        programme.published_version += 1
        programme.published_at = now
        programme.save(update_fields=["published_version", "published_at"])

        # Published visits block the delegation's (and the host's) meeting time, so that
        # nobody is ever booked into a B2B meeting during a stand visit.
        programme_published.send(
            sender=Programme, event=event, delegation_organisation=delegation.organisation
        )
        notified = _notify(
            event=event,
            delegation=delegation,
            first=first,
            for_delegation=for_delegation,
            for_company=for_company,
        )
        audit.record(
            actor=actor,
            action="programme.published",
            obj=delegation,
            event=event,
            added=len(added),
            moved=len(moved),
            removed=len(removed),
            notified=notified,
        )
        emit_webhook(event=event, type="programme.published", ids={"delegation": delegation.pk})
    return {"added": len(added), "moved": len(moved), "removed": len(removed), "notified": notified}


def _notify(
    *,
    event: Event,
    delegation: Delegation,
    first: bool,
    for_delegation: list[str],
    for_company: dict[int, list[str]],
) -> int:
    sent = 0
    heads = list(
        User.objects.filter(
            memberships__organisation_id=delegation.organisation_id, memberships__role=Membership.Role.LEAD
        ).values_list("email", "language")
    )
    if not heads:
        heads = [(m.email, m.language) for m in delegation.members.filter(is_head=True).exclude(email="")]
    for email, language in heads:
        queue_email(
            to=email,
            kind="delegation_programme",
            template="delegations_programme",
            event=event,
            language=language,
            context={
                "delegation": delegation.official_name,
                "first": first,
                "changes": for_delegation,
                "delegation_id": delegation.pk,
            },
        )
        sent += 1
    hosts = defaultdict(list)
    for org_id, email, language in User.objects.filter(
        memberships__organisation_id__in=for_company, memberships__role__in=Membership.COMPANY_ROLES
    ).values_list("memberships__organisation_id", "email", "language"):
        hosts[org_id].append((email, language))
    for org_id, lines in for_company.items():
        for email, language in hosts.get(org_id, []):
            queue_email(
                to=email,
                kind="delegation_visit",
                template="delegations_visit",
                event=event,
                language=language,
                context={"delegation": delegation.official_name, "changes": lines},
            )
            sent += 1
    return sent


def publish_all(*, event: Event, actor: User) -> dict[str, int]:
    require_perm(actor, "delegations.plan_programmes", event)
    totals = {"delegations": 0, "added": 0, "moved": 0, "removed": 0, "notified": 0}
    ids = set(
        Visit.objects.filter(delegation__organisation__event=event).values_list("delegation_id", flat=True)
    ) | set(
        PublishedVisit.objects.filter(delegation__organisation__event=event).values_list(
            "delegation_id", flat=True
        )
    )
    for d in Delegation.objects.filter(pk__in=ids).select_related("organisation__event"):
        out = publish_programme(delegation=d, actor=actor)
        if out["added"] or out["moved"] or out["removed"]:
            totals["delegations"] += 1
        for k in ("added", "moved", "removed", "notified"):
            totals[k] += out[k]
    return totals
