"""The exhibitor lines of a company's landing page (see exhibition.events.landing): where its
application stands, and the staff badges it may still request."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from exhibition.events.landing import Todo, landing_todo

from .models import Application
from .selectors import badge_quota_for


@landing_todo
def exhibitor_todos(event: Any, user: Any, organisation: Any) -> list[Todo]:
    if organisation is None:
        return []
    slug = {"event_slug": event.slug}
    out = []
    app = Application.objects.filter(event=event, organisation=organisation).first()
    if app is None:
        out.append(
            Todo(
                "exhibitors.application",
                10,
                _("Apply to exhibit"),
                url=reverse("exhibitors:apply", kwargs=slug),
            )
        )
    else:
        url = reverse("exhibitors:application", kwargs={**slug, "pk": app.pk})
        state = app.state
        if state == Application.State.DRAFT:
            out.append(Todo("exhibitors.application", 10, _("Finish and submit your application"), url=url))
        elif state in (
            Application.State.SUBMITTED,
            Application.State.UNDER_REVIEW,
            Application.State.WAITLISTED,
        ):
            out.append(
                Todo(
                    "exhibitors.application",
                    10,
                    _("Your application is %(state)s") % {"state": app.get_state_display().lower()},
                    url=url,
                    state="wait",
                    detail=_("The organiser decides; you will get an e-mail."),
                )
            )
        elif state == Application.State.APPROVED:
            out.append(
                Todo("exhibitors.application", 10, _("Your application is approved"), url=url, state="done")
            )
        else:
            out.append(
                Todo(
                    "exhibitors.application",
                    10,
                    _("Your application is %(state)s") % {"state": app.get_state_display().lower()},
                    url=url,
                    state="info",
                    detail=app.reason,
                )
            )
    if organisation.admitted_at is not None:
        quota = badge_quota_for(organisation)
        url = reverse("exhibitors:portal_badges", kwargs={**slug, "org": organisation.pk})
        if quota.total and quota.left:
            out.append(
                Todo(
                    "exhibitors.badges",
                    40,
                    ngettext(
                        "%(n)d staff badge left to request",
                        "%(n)d staff badges left to request",
                        quota.left,
                    )
                    % {"n": quota.left},
                    url=url,
                    count=quota.left,
                    detail=ngettext(
                        "%(used)d badge requested out of %(total)d",
                        "%(used)d badges requested out of %(total)d",
                        quota.used,
                    )
                    % {"used": quota.used, "total": quota.total},
                )
            )
        elif quota.total:
            out.append(
                Todo(
                    "exhibitors.badges",
                    40,
                    _("All %(total)d staff badges requested") % {"total": quota.total},
                    url=url,
                    state="done",
                )
            )
    return out
