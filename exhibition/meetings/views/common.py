"""What the participant's pages share: the posted id, and the mixin that finds whom the
user acts for."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from exhibition.core.views import DomainActionMixin, DomainFormMixin, PermissionMixin

from .. import selectors, services


def posted_id(request) -> int | None:
    value = str(request.POST.get("id", ""))
    return int(value) if value.isdigit() else None


class ParticipantMixin(DomainActionMixin, DomainFormMixin, PermissionMixin):
    """Resolves ``self.me``: the participant the user acts for (``?as=<id>`` if several)."""

    permission_required = "meetings.view_directory"
    needs_participant = True

    def dispatch(self, request, *args, **kwargs):
        self.event = request.event
        return super().dispatch(request, *args, **kwargs)

    def setup_me(self):
        as_id = self.request.GET.get("as") or self.request.POST.get("as")
        mine = selectors.participants_for_user(self.event, self.request.user)
        self.me = services.ensure_acting_participant(
            event=self.event, user=self.request.user, participant_id=as_id, mine=mine
        )
        self.mine = mine or ([self.me] if self.me else [])
        if self.needs_participant and self.me is None:
            raise PermissionDenied

    def ctx(self, **kw):
        return {"event": self.event, "me": self.me, "mine": self.mine, **kw}

    def back(self, name, query=None, **kw):
        url = reverse(f"meetings:{name}", kwargs={"event_slug": self.event.slug, **kw})
        params = dict(query or {})
        if self.me and len(self.mine) > 1:
            params["as"] = self.me.pk
        if params:
            url += "?" + urlencode(params)
        return redirect(url)
