"""What the participant's pages share: the posted id, and the mixin that finds whom the
user acts for."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views import View

from exhibition.core.ids import as_id
from exhibition.core.views import DomainActionMixin, DomainFormMixin, PermissionMixin

from .. import selectors, services


def posted_id(request) -> int | None:
    return as_id(request.POST.get("id"))


class JoinFirst(Exception):
    """A page that needs a participant, read by someone who could be one but is not yet."""


class ParticipantMixin(DomainActionMixin, DomainFormMixin, PermissionMixin):
    """Resolves ``self.me``: the participant the user acts for (``?as=<id>`` if several).

    A read never creates the participant (GET never writes): someone admitted who has none
    yet is offered to join (``self.can_join``; a page that needs one shows the join page), and
    their first change (joining, a request, their profile) creates it."""

    permission_required = "meetings.view_directory"
    needs_participant = True
    can_join = False

    def dispatch(self, request, *args, **kwargs):
        self.event = request.event
        try:
            return super().dispatch(request, *args, **kwargs)
        except JoinFirst:
            return render(
                request, "meetings/join.html", {"event": self.event, "next": request.get_full_path()}
            )

    def setup_me(self):
        as_id = self.request.GET.get("as") or self.request.POST.get("as")
        mine = selectors.participants_for_user(self.event, self.request.user)
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            self.me = selectors.acting_participant(self.event, self.request.user, as_id, mine=mine)
            self.can_join = (
                self.me is None
                and not as_id
                and selectors.first_identity(self.event, self.request.user) is not None
            )
        else:
            self.me = services.ensure_acting_participant(
                event=self.event, user=self.request.user, participant_id=as_id, mine=mine
            )
        self.mine = mine or ([self.me] if self.me else [])
        if self.needs_participant and self.me is None:
            if self.can_join:
                raise JoinFirst
            raise PermissionDenied

    def ctx(self, **kw):
        return {"event": self.event, "me": self.me, "mine": self.mine, "can_join": self.can_join, **kw}

    def back(self, name, query=None, **kw):
        url = reverse(f"meetings:{name}", kwargs={"event_slug": self.event.slug, **kw})
        params = dict(query or {})
        if self.me and len(self.mine) > 1:
            params["as"] = self.me.pk
        if params:
            url += "?" + urlencode(params)
        return redirect(url)


class JoinView(ParticipantMixin, View):
    """Join the meetings: the participant is created for the company, delegation or approved
    visitor the user acts for, and they go back to the page they were on."""

    needs_participant = False

    def post(self, request, event_slug):
        self.setup_me()  # a POST: creates the participant
        if self.me is None:
            raise PermissionDenied
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            return self.back("directory")
        return redirect(target)
