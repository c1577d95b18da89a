"""The meetings directory and its suggestions, served from the shared cache."""

from __future__ import annotations

from django.core.cache import cache
from django.core.paginator import Paginator
from django.shortcuts import render
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views import View

from .. import selectors
from ..models import Participant
from .common import ParticipantMixin


class DirectoryView(ParticipantMixin, View):
    template_name = "meetings/directory.html"

    def get(self, request, event_slug):
        self.needs_participant = False
        self.setup_me()
        kind, sector, q = (
            request.GET.get("kind", ""),
            request.GET.get("sector", ""),
            request.GET.get("q", "").strip(),
        )
        number = request.GET.get("page", "")
        can_manage = request.user.has_perm("meetings.manage_meetings", self.event)
        filters = {"kind": kind, "sector": sector, "q": q}
        extra = {}
        if not (q or kind or sector) and len(number) <= 6 and (not number or number.isdigit()):
            page, extra = self._unfiltered(number, can_manage, filters)
        else:  # a search: the query as it comes
            qs = selectors.directory(self.event, exclude=self.me, kind=kind, sector=sector, q=q)
            page = Paginator(qs, 25).get_page(number)
            extra["listing"] = self._listing(page.object_list, can_manage, filters)
        return render(
            request, self.template_name, self.ctx(page=page, can_manage=can_manage, **filters, **extra)
        )

    def _links(self, can_manage) -> tuple:
        """What the links of a row or a suggestion depend on besides the participant shown."""
        return (bool(self.me or can_manage), self.me.pk if self.me and len(self.mine) > 1 else None)

    def _listing(self, rows, can_manage, filters):
        """The filters and the table of a page."""
        return get_template("meetings/_directory_listing.html").render(
            {
                "event": self.event,
                "rows": rows,
                "me": self.me,
                "mine": self.mine,
                "can_manage": can_manage,
                "kinds": Participant.Kind.choices,
                "sectors": selectors.sectors_for(self.event),
                **filters,
            }
        )

    def _unfiltered(self, number: str, can_manage: bool, filters: dict):
        """The whole directory: who is on the page comes from the directory's state (read in one
        query, see ``selectors.directory_state``: it holds the sectors of the filter too); the
        filters and table of a page and the suggestions of a participant from the shared cache,
        keyed by that state (so any change shows at once)."""
        state = selectors.directory_state(self.event)
        me_pk = self.me.pk if self.me else None
        page = Paginator([pk for pk in state.words.ordered if pk != me_pk], 25).get_page(number)
        base = f"{state.key}:{get_language()}:{self._links(can_manage)}"
        key = f"meetings:directory:{selectors.cache_digest(base, tuple(page.object_list))}"
        listing = cache.get(key)
        if listing is None:
            rows = selectors.directory_rows(self.event, page.object_list)
            listing = str(
                self._listing([rows[pk] for pk in page.object_list if pk in rows], can_manage, filters)
            )
            cache.set(key, listing, timeout=60 * 60)
        extra = {"listing": mark_safe(listing)}  # noqa: S308 - rendered by the template engine
        if self.me is not None:
            taken = selectors.taken_by(self.me)
            key = f"meetings:suggestions:{self.me.pk}:{selectors.cache_digest(base, sorted(taken))}"
            html = cache.get(key)
            if html is None:
                extra["suggestions"] = selectors.suggestions(self.event, self.me, state=state, taken=taken)
                html = str(
                    get_template("meetings/_suggestions.html").render(
                        {
                            "event": self.event,
                            "suggestions": extra["suggestions"],
                            "me": self.me,
                            "mine": self.mine,
                        }
                    )
                )
                cache.set(key, html, timeout=10 * 60)
            extra["suggestions_html"] = mark_safe(html)  # noqa: S308 - rendered by the template engine
        return page, extra
