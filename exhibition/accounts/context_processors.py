from __future__ import annotations

from .roles import NO_ROLES, roles_for


def navigation(request):
    event = getattr(request, "event", None)
    roles = roles_for(request.user, event) if event is not None else NO_ROLES
    return {"event": event, "roles": roles}
