"""The badge line of a visitor's landing page (see exhibition.events.landing)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from exhibition.accounts.roles import roles_for
from exhibition.events.landing import Todo, landing_todo

from .models import Badge
from .selectors import own_badge
from .services import is_set_up


@landing_todo
def badge_todos(event: Any, user: Any, organisation: Any) -> list[Todo]:
    if organisation is not None or not roles_for(user, event).is_approved_visitor:
        return []
    url = reverse("accreditation:my_badge", kwargs={"event_slug": event.slug})
    badge = own_badge(event, user)
    if badge is not None and badge.status == Badge.Status.VALID:
        return [
            Todo(
                "accreditation.badge",
                50,
                _("Your badge is ready: print it or keep it on your phone"),
                url=url,
                state="done",
            )
        ]
    if badge is not None:
        return [Todo("accreditation.badge", 50, _("Add your photo to your badge"), url=url)]
    if is_set_up(event):
        return [Todo("accreditation.badge", 50, _("Get your badge"), url=url)]
    return []
