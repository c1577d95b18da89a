"""What delegations undo when admission is lost (registered with accounts.admission)."""

from __future__ import annotations

from django.utils import timezone

from exhibition.accounts.admission import AdmissionLoss
from exhibition.accounts.models import Organisation
from exhibition.core import audit
from exhibition.floorplans.models import Stand

from ..models import CandidateVisit, Delegation, HostingWindow, HostWish, Visit, VisitRequest
from .programme import publish_changes


def withdraw_admission(loss: AdmissionLoss) -> None:
    """A company that loses admission stops hosting: its hosting windows close, pending visit
    requests to it are declined, and its upcoming visits leave the delegations' programmes
    (published programmes are republished, which tells each delegation and host what was
    cancelled). A withdrawn delegation's upcoming visits are cancelled the same way.
    One person leaving an organisation changes nothing here."""
    org = loss.organisation
    if org is None or loss.user is not None:
        return
    now = timezone.now()
    if org.kind == Organisation.Kind.COMPANY:
        stands = list(Stand.objects.filter(exhibitor=org).values_list("pk", flat=True))
        windows, _d = HostingWindow.objects.filter(organisation=org).delete()
        declined = VisitRequest.objects.filter(company=org, status=VisitRequest.Status.PENDING).update(
            status=VisitRequest.Status.DECLINED, updated_at=now
        )
        HostWish.objects.filter(company=org).delete()
        CandidateVisit.objects.filter(stand_id__in=stands).delete()
        upcoming = Visit.objects.filter(stand_id__in=stands, start__gt=now)
    else:
        delegation = Delegation.objects.filter(organisation=org).first()
        if delegation is None:
            return
        windows = 0
        declined = VisitRequest.objects.filter(
            delegation=delegation, status=VisitRequest.Status.PENDING
        ).update(status=VisitRequest.Status.DECLINED, updated_at=now)
        upcoming = Visit.objects.filter(delegation=delegation, start__gt=now)
    affected = set(upcoming.values_list("delegation_id", flat=True))
    removed, _d = upcoming.delete()
    for delegation in Delegation.objects.filter(
        pk__in=affected, programme__published_version__gt=0
    ).select_related("organisation__event"):
        publish_changes(delegation=delegation, actor=loss.actor)
    audit.record(
        actor=loss.actor,
        action="delegations.admission_lost",
        obj=org,
        event=loss.event,
        hosting_windows=windows,
        requests_declined=declined,
        visits_cancelled=removed,
    )
