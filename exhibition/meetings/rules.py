"""Who may do what in meetings. Checked only through ``user.has_perm``.

Objects: the Event (directory, booking, organiser screens), a Participant (acting for it,
changing its profile), a MeetingRequest, a Meeting, a Round, a Place."""

from __future__ import annotations

import rules

from exhibition.accounts.roles import roles_for
from exhibition.events.models import Event


def _roles(user, obj):
    event = obj if isinstance(obj, Event) else getattr(obj, "event_id", None)
    return roles_for(user, event)


@rules.predicate
def is_organiser(user, obj) -> bool:
    return obj is not None and _roles(user, obj).is_organiser


@rules.predicate
def can_book(user, event) -> bool:
    """Approved visitors, exhibitors' and delegations' members."""
    if event is None:
        return False
    r = roles_for(user, event)
    return r.is_approved_visitor or r.is_exhibitor or r.is_delegation


def _acts_for(user, participant) -> bool:
    """The person acts for the participant and is admitted: an approved visitor themself, or a
    member of an admitted company or delegation."""
    if participant is None or not getattr(user, "is_authenticated", False):
        return False
    roles = roles_for(user, participant.event_id)
    if participant.kind == "visitor":
        return participant.user_id == user.pk and roles.is_approved_visitor
    return roles.role_in(participant.organisation_id) is not None


@rules.predicate
def acts_for(user, participant) -> bool:
    return _acts_for(user, participant)


@rules.predicate
def manages_participant(user, participant) -> bool:
    """The company's admin (or head of delegation), or one of its active hosts; a visitor themself."""
    if participant is None or not _acts_for(user, participant):
        return False
    if participant.kind == "visitor":
        return True
    return roles_for(user, participant.event_id).manages(participant.organisation_id) or (
        participant.kind == "exhibitor"
        and participant.hosts.filter(user_id=getattr(user, "pk", None), is_active=True).exists()
    )


@rules.predicate
def is_party(user, obj) -> bool:
    """A side of a request or meeting."""
    return obj is not None and (_acts_for(user, obj.sender) or _acts_for(user, obj.recipient))


@rules.predicate
def is_recipient(user, req) -> bool:
    return req is not None and _acts_for(user, req.recipient)


@rules.predicate
def is_sender(user, req) -> bool:
    return req is not None and _acts_for(user, req.sender)


rules.add_perm("meetings.view_directory", can_book | is_organiser)
rules.add_perm("meetings.book", can_book)
rules.add_perm("meetings.manage_meetings", is_organiser)
rules.add_perm("meetings.act_for", acts_for)
rules.add_perm("meetings.view_participant", acts_for | is_organiser)
rules.add_perm("meetings.change_participant", manages_participant | is_organiser)
rules.add_perm("meetings.view_request", is_party | is_organiser)
rules.add_perm("meetings.respond_request", is_party)
rules.add_perm("meetings.withdraw_request", is_sender)
# the sender's ranking of its own wishes: the sender's and the organisers' to read, not the recipient's
rules.add_perm("meetings.view_request_priority", is_sender | is_organiser)
rules.add_perm("meetings.view_meeting", is_party | is_organiser)
rules.add_perm("meetings.change_meeting", is_party | is_organiser)
rules.add_perm("meetings.view_round", is_organiser)
rules.add_perm("meetings.change_round", is_organiser)
rules.add_perm("meetings.change_place", is_organiser)
