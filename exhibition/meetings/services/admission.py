"""What meetings undo when admission is lost (registered with accounts.admission)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from exhibition.accounts.admission import AdmissionLoss
from exhibition.core import audit

from ..models import ExhibitorHost, Meeting, MeetingRequest, Participant
from .requests import notify_participant


def withdraw_admission(loss: AdmissionLoss) -> None:
    """A participant that loses admission (a company, a delegation, a visitor) has its open
    requests cancelled and its upcoming meetings cancelled, the other side told once each. One
    staff member leaving a company stops taking meetings: the meetings they host are cancelled
    the same way. The reason the other side reads never says why admission was lost."""
    now = timezone.now()
    if loss.visitor is not None:
        participants = list(Participant.objects.filter(event=loss.event, visitor=loss.visitor))
        _withdraw(loss, participants, now)
    elif loss.organisation is not None and loss.user is None:
        participants = list(Participant.objects.filter(event=loss.event, organisation=loss.organisation))
        _withdraw(loss, participants, now)
    elif loss.organisation is not None and loss.user is not None:
        hosts = list(
            ExhibitorHost.objects.filter(participant__organisation=loss.organisation, user=loss.user)
        )
        if not hosts:
            return
        ExhibitorHost.objects.filter(pk__in=[h.pk for h in hosts]).update(is_active=False)
        meetings = _cancel_meetings(loss, Meeting.objects.filter(host__in=hosts), now, sides=None)
        audit.record(
            actor=loss.actor,
            action="meetings.host_lost_admission",
            obj=hosts[0],
            event=loss.event,
            user_id=loss.user.pk,
            meetings_cancelled=meetings,
        )


def _withdraw(loss: AdmissionLoss, participants: list[Participant], now: datetime) -> None:
    for p in participants:
        requests = MeetingRequest.objects.filter(Q(sender=p) | Q(recipient=p), status__in=MeetingRequest.OPEN)
        cancelled_requests = requests.update(
            status=MeetingRequest.Status.CANCELLED, updated_at=now, response=_("No longer available.")
        )
        meetings = _cancel_meetings(
            loss, Meeting.objects.filter(Q(sender=p) | Q(recipient=p)), now, sides={p.pk}
        )
        audit.record(
            actor=loss.actor,
            action="meetings.admission_lost",
            obj=p,
            event=loss.event,
            requests_cancelled=cancelled_requests,
            meetings_cancelled=meetings,
            reason=loss.reason,
        )


def _cancel_meetings(
    loss: AdmissionLoss, meetings: QuerySet[Meeting], now: datetime, *, sides: set[int] | None
) -> int:
    """Cancel the upcoming scheduled ones; tell each other side once. ``sides``: the
    participants that lost admission (not told); None: tell both sides (a host left)."""
    count = 0
    reason = _("The other participant can no longer attend.")
    for m in (
        meetings.filter(status=Meeting.Status.SCHEDULED, start__gt=now)
        .select_related("sender", "recipient", "event", "host__user")
        .select_for_update(of=("self",))
    ):
        m.status, m.sequence = Meeting.Status.CANCELLED, m.sequence + 1
        m.save(update_fields=["status", "sequence", "updated_at"])
        m.bookings.all().delete()
        audit.record(
            actor=loss.actor, action="meetings.cancelled", obj=m, event=m.event, reason="admission lost"
        )
        for side in (m.sender, m.recipient):
            if sides is None or side.pk not in sides:
                notify_participant(side, "cancelled", meeting=m, reason=reason)
        count += 1
    return count
