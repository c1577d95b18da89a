"""The organiser's screens: the meetings dashboard with its charts, places and their
blockings, the meeting settings, and scheduling rounds."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import formats as dj_formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

from exhibition.core import charts, csvio, formats
from exhibition.core.partials import reload_page, render_partial
from exhibition.core.views import DomainActionMixin, DomainFormMixin, DomainFormView, PermissionMixin

from .. import selectors, services
from ..forms import (
    BlockingForm,
    MeetingSettingsForm,
    PlaceForm,
    RoundForm,
)
from ..models import MeetingRequest, Participant, Round
from .common import posted_id

# --- organiser -------------------------------------------------------------------------------


class ManageView(PermissionMixin, View):
    permission_required = "meetings.manage_meetings"
    template_name = "meetings/manage/dashboard.html"

    def get(self, request, event_slug):
        stats = selectors.meeting_statistics(request.event)
        if request.GET.get("format") == "csv":
            return csvio.csv_response(
                f"{request.event.slug}-meetings.csv",
                ["dimension", "label", *stats["measures"]],
                (
                    [dim, row["label"], *[row[m] for m in stats["measures"]]]
                    for dim in ("by_day", "by_kind", "by_hall", "by_sector")
                    for row in stats[dim]
                ),
            )
        labels = {
            "sent": _("Requests sent"),
            "accepted": _("Requests accepted"),
            "scheduled": _("Meetings scheduled"),
            "held": _("Meetings held"),
            "no_show": _("No-shows"),
        }
        colours = {
            "sent": "#64748b",
            "accepted": "#1d4ed8",
            "scheduled": "#0f766e",
            "held": "#7c3aed",
            "no_show": "#b91c1c",
        }
        series = [charts.Series(m, labels[m], colours[m]) for m in stats["measures"]]
        return render(
            request,
            self.template_name,
            {
                "stats": stats,
                "charts": _meeting_charts(request.event, stats, series),
                "totals": [{"label": labels[m], "value": stats["totals"][m]} for m in stats["measures"]],
                "rounds": selectors.rounds_for_event(request.event)[:5],
            },
        )


def _meeting_charts(event, stats, series) -> list:
    """The figures per day, hall, sector and participant type as readable charts (labels in the
    show's words: formatted days, hall names, participant types)."""
    halls = selectors.hall_names(event)
    kinds = dict(Participant.Kind.choices)

    def rows(dim, label):
        return [(label(r["label"]), r) for r in stats[dim]]

    return [
        charts.bar_chart(
            id="chart-day",
            title=_("Requests and meetings per show day"),
            heading=_("Day"),
            series=series,
            rows=rows("by_day", lambda d: dj_formats.date_format(date.fromisoformat(d), "l j F")),
        ),
        charts.bar_chart(
            id="chart-hall",
            title=_("Meetings per hall"),
            heading=_("Hall"),
            series=series,
            rows=rows("by_hall", lambda h: halls.get(h, h)),
        ),
        charts.bar_chart(
            id="chart-sector",
            title=_("Meetings per sector"),
            heading=_("Sector"),
            series=series,
            rows=sorted(rows("by_sector", str), key=lambda r: -r[1].get("scheduled", 0)),
        ),
        charts.bar_chart(
            id="chart-kind",
            title=_("Requests and meetings per participant type"),
            heading=_("Participant type"),
            series=series,
            rows=rows("by_kind", lambda k: kinds.get(k, k)),
        ),
    ]


class PlacesView(DomainActionMixin, DomainFormMixin, PermissionMixin, View):
    """Tables and rooms (and stands) where meetings happen, and the times they are blocked."""

    permission_required = "meetings.manage_meetings"
    template_name = "meetings/manage/places.html"

    def _render(self, form=None, block_form=None, error="", status=200):
        event = self.request.event
        page = Paginator(selectors.places_with_blockings(event), 50).get_page(self.request.GET.get("page"))
        return render(
            self.request,
            self.template_name,
            {
                "form": form or PlaceForm(),
                "page": page,
                "error": error,
                "block_form": block_form
                or BlockingForm(prefix="block", places=selectors.places_for_event(event)),
            },
            status=status,
        )

    def get(self, request, event_slug):
        return self._render()

    def post(self, request, event_slug):
        action = request.POST.get("action", "add")
        if action == "block":
            return self._block(request)
        if action == "unblock":
            return self._unblock(request)
        if action != "add":
            raise Http404

        def add(form):
            services.create_place(event=request.event, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Place added."))
            return redirect("meetings:places", event_slug=event_slug)

        return self.submit(
            PlaceForm(request.POST), add, lambda form, status: self._render(form, status=status)
        )

    def _block(self, request):
        return self.submit(
            BlockingForm(request.POST, prefix="block", places=selectors.places_for_event(request.event)),
            lambda form: self._blocked(request, form.cleaned_data),
            lambda form, status: self._render(block_form=form, status=status),
        )

    def _blocked(self, request, cd):
        services.block_place(
            place=cd["place"], actor=request.user, start=cd["start"], end=cd["end"], reason=cd["reason"]
        )
        messages.success(request, _("%(place)s is blocked at that time.") % {"place": cd["place"].name})
        booked = selectors.meetings_at_place(cd["place"], cd["start"], cd["end"]).count()
        if booked:
            messages.warning(
                request,
                ngettext(
                    "%(n)d meeting already booked there at that time keeps its place: move it if needed.",
                    "%(n)d meetings already booked there at that time keep their place: move them if needed.",
                    booked,
                )
                % {"n": booked},
            )
        return redirect("meetings:places", event_slug=request.event.slug)

    def _unblock(self, request):
        blocking = selectors.blocking_for(request.event, posted_id(request))

        def unblock():
            services.unblock_place(blocking=blocking, actor=request.user)
            messages.success(request, _("Blocking of %(place)s removed.") % {"place": blocking.place.name})
            return redirect("meetings:places", event_slug=request.event.slug)

        return self.act(unblock, failed=lambda exc: self._render(error=exc.message, status=exc.status_code))


class MeetingSettingsView(PermissionMixin, DomainFormView):
    permission_required = "meetings.manage_meetings"
    template_name = "meetings/manage/settings.html"
    form_class = MeetingSettingsForm
    success_message = gettext_lazy("Meeting settings saved.")

    def get_form_kwargs(self):
        return {"instance": selectors.settings_form_instance(self.request.event)}

    def perform(self, form):
        services.update_settings(
            event=self.request.event,
            actor=self.request.user,
            **{f: form.cleaned_data[f] for f in form.Meta.fields},
        )


class RoundsView(DomainFormMixin, PermissionMixin, View):
    permission_required = "meetings.manage_meetings"
    template_name = "meetings/manage/rounds.html"

    def _render(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {"form": form, "rounds": selectors.rounds_for_event(self.request.event)},
            status=status,
        )

    def get(self, request, event_slug):
        return self._render(RoundForm())

    def post(self, request, event_slug):
        def create(form):
            rnd = services.create_round(event=request.event, actor=request.user, **form.cleaned_data)
            return redirect("meetings:round", event_slug=event_slug, pk=rnd.pk)

        return self.submit(RoundForm(request.POST), create, self._render)


def _duration(seconds: int) -> str:
    """A scheduler time limit as an organiser reads it: "30 seconds", "10 minutes"."""
    if seconds >= 120 and seconds % 60 == 0:
        n = seconds // 60
        return ngettext("%(n)s minute", "%(n)s minutes", n) % {"n": n}
    return ngettext("%(n)s second", "%(n)s seconds", seconds) % {"n": seconds}


def _requests_phrase(status: str, n: int) -> str:
    """One status of a round's requests, counted: "274 accepted", "12 awaiting an answer"."""
    S = MeetingRequest.Status
    phrase = {
        S.REQUESTED: ngettext("%(n)s awaiting an answer", "%(n)s awaiting an answer", n),
        S.ACCEPTED: ngettext("%(n)s accepted", "%(n)s accepted", n),
        S.DECLINED: ngettext("%(n)s declined", "%(n)s declined", n),
        S.PROPOSED: ngettext("%(n)s with another time proposed", "%(n)s with another time proposed", n),
        S.EXPIRED: ngettext("%(n)s expired", "%(n)s expired", n),
        S.CANCELLED: ngettext("%(n)s cancelled", "%(n)s cancelled", n),
    }[S(status)]
    return phrase % {"n": formats.number(n)}


class RoundView(DomainActionMixin, PermissionMixin, View):
    permission_required = "meetings.manage_meetings"
    template_name = "meetings/manage/round.html"
    PREVIEW = 50

    def _round(self, pk):
        return selectors.round_for(self.request.event, pk)

    def get(self, request, event_slug, pk):
        rnd = self._round(pk)
        if request.htmx:  # the progress poll: the bar while the scheduler runs, then the whole page again
            if rnd.status != Round.Status.SCHEDULING:
                return reload_page()
            return render_partial(request, "meetings/partials/round_progress.html", {"round": rnd})
        if request.GET.get("format") == "json":
            return JsonResponse(
                {
                    "status": rnd.status,
                    "progress": rnd.progress,
                    "message": rnd.progress_message,
                    "stats": rnd.draft_stats,
                }
            )
        counts = [_requests_phrase(s, n) for s, n in selectors.request_counts(rnd)]
        try:
            day = date.fromisoformat(request.GET.get("day", ""))
        except ValueError:
            day = None
        review = (
            selectors.round_review(rnd, day=day, text=request.GET.get("q", "")[:100])
            if rnd.status == Round.Status.DRAFT
            else None
        )
        stats = rnd.draft_stats or {}
        gap = None
        if stats.get("bound") and stats.get("priority_sum") is not None:
            gap = formats.number(round(100.0 * (stats["bound"] - stats["priority_sum"]) / stats["bound"], 2))
        return render(
            request,
            self.template_name,
            {
                "round": rnd,
                "counts": counts,
                "time_limit": _duration(rnd.time_limit),
                "review": review,
                "q": request.GET.get("q", "")[:100],
                "stats": stats,
                "gap": gap,
                "pinned_count": len(rnd.draft.get("pinned", [])) if rnd.draft else 0,
            },
        )

    def post(self, request, event_slug, pk):
        rnd = self._round(pk)
        return self.act(
            lambda: self._change(request, rnd, request.POST.get("action")),
            back=redirect("meetings:round", event_slug=event_slug, pk=rnd.pk),
        )

    def _change(self, request, rnd, action):
        if action == "schedule":
            rnd = services.start_scheduling(rnd=rnd, actor=request.user)
            rnd.refresh_from_db(fields=["status"])
            if rnd.status == Round.Status.SCHEDULING:  # in the background: the page shows its progress
                messages.success(
                    request,
                    _(
                        "The scheduler started: its progress shows below, and the page "
                        "updates when the draft is ready."
                    ),
                )
            elif rnd.status == Round.Status.DRAFT:  # it already finished (tasks run inline)
                messages.success(request, _("The draft is ready to review."))
        elif action == "stop":
            services.stop_scheduling(rnd=rnd, actor=request.user)
            messages.success(
                request, _("The scheduler is stopping; its best schedule so far becomes the draft.")
            )
        elif action == "cancel":
            services.cancel_scheduling(rnd=rnd, actor=request.user)
            messages.success(request, _("Scheduling cancelled."))
        elif action in ("pin", "unpin"):
            req = selectors.round_request(rnd, posted_id(request))
            services.pin_draft_meeting(rnd=rnd, actor=request.user, request=req, pinned=action == "pin")
            messages.success(
                request,
                _("Meeting pinned: a new run keeps it where it is.")
                if action == "pin"
                else _("Meeting unpinned."),
            )
        elif action == "publish":
            result = services.publish_round(rnd=rnd, actor=request.user)
            messages.success(
                request,
                ngettext("%(n)d meeting published.", "%(n)d meetings published.", result["created"])
                % {"n": result["created"]},
            )
        else:
            raise Http404
