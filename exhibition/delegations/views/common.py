"""What the delegation pages share: the page size, the page mixin, telling that a planning
run started, finding a stand, and the id an action posts."""

from __future__ import annotations

from django.contrib import messages
from django.utils.translation import gettext as _

from exhibition.core.errors import DomainError
from exhibition.core.ids import as_id
from exhibition.core.views import DomainActionMixin, DomainFormMixin, PermissionMixin

from .. import selectors

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
    stand = selectors.stand_numbered(event, (number or "").strip())
    if stand is None:
        raise DomainError(_("There is no stand %(n)s.") % {"n": number}, field="stand")
    return stand


def posted_id(post):
    """The ``id`` an action posted, when it is a number (else None: the fetch then 404s)."""
    return as_id(post.get("id"))
