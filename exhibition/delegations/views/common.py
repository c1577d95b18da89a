"""What the delegation pages share: the page size, the page mixin, telling that a planning
run started, and finding a stand."""

from __future__ import annotations

from django.contrib import messages
from django.utils.translation import gettext as _

from exhibition.core.errors import DomainError
from exhibition.core.views import DomainActionMixin, DomainFormMixin, PermissionMixin

PAGE_SIZE = 25


class DelegationPage(DomainActionMixin, DomainFormMixin, PermissionMixin):
    """Pages of this app: a NotAllowed from a service is the 403 page, other errors are shown."""

    deny_not_allowed = True


def say_started(request, run) -> None:
    """One message that agrees with the run box below it: started (it runs in the background and
    the box shows its progress) or, when it already ended (tasks run inline), how it ended."""
    run.refresh_from_db()
    if run.is_active:
        messages.success(
            request, _("Planning started: its progress shows below, and the page updates when it is done.")
        )
    elif run.status == run.Status.DONE:
        messages.success(request, run.message or _("Planning finished."))
    else:
        messages.error(request, run.message or run.get_status_display())


def stand_by_number(event, number: str):
    from exhibition.floorplans.models import Stand

    stand = (
        Stand.objects.filter(event=event, number=(number or "").strip()).select_related("exhibitor").first()
    )
    if stand is None:
        raise DomainError(_("There is no stand %(n)s.") % {"n": number}, field="stand")
    return stand
