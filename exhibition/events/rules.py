"""Who may do what to an event. ``obj`` is the Event."""

from __future__ import annotations

import rules

from exhibition.accounts.roles import roles_for


@rules.predicate
def is_organiser(user, event) -> bool:
    return event is not None and roles_for(user, event).is_organiser


@rules.predicate
def is_organiser_admin(user, event) -> bool:
    return event is not None and roles_for(user, event).is_organiser_admin


@rules.predicate
def is_involved(user, event) -> bool:
    """Admitted, or applying, or waiting for vetting: may see the event's landing page (which
    shows them where they stand), and nothing more than that through it."""
    return event is not None and roles_for(user, event).involved


@rules.predicate
def is_admitted(user, event) -> bool:
    return event is not None and roles_for(user, event).is_admitted


@rules.predicate
def is_platform_staff(user, _obj=None) -> bool:
    """Whoever runs this installation (Django's staff flag, given in the admin or by
    ``createsuperuser``) opens new shows; the show's own organisers set it up from then on."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.is_staff
        and getattr(user, "email_verified_at", None) is not None
    )


@rules.predicate
def is_public_event(user, event) -> bool:
    return event is not None and event.is_public


rules.add_perm("events.view_event", is_public_event | is_involved)
rules.add_perm("events.manage_event", is_organiser)
rules.add_perm("events.change_event", is_organiser_admin)
rules.add_perm("events.view_setup", is_organiser)
rules.add_perm("events.create_event", is_platform_staff)
rules.add_perm("events.view_dashboard", is_organiser)
rules.add_perm("events.invite_organiser", is_organiser_admin)
rules.add_perm("events.invite_participant", is_organiser)
rules.add_perm("events.use_calendar_feed", is_admitted)
