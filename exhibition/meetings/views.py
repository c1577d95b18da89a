"""Pages of meetings. Thin: a form parses, one service acts, then redirect or render."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import get_template
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views import View

from exhibition.accounts import admission
from exhibition.accounts.roles import roles_for
from exhibition.core import charts, csvio, formats
from exhibition.core.views import DomainActionMixin, DomainFormMixin, DomainFormView, PermissionMixin
from exhibition.events.models import Sector

from . import selectors, services
from .forms import (
    AcceptForm,
    AvailabilityForm,
    BlockingForm,
    CapsForm,
    DeclineForm,
    HostForm,
    InstantBookingForm,
    MeetingSettingsForm,
    OutcomeForm,
    PlaceForm,
    ProfileForm,
    ProposeForm,
    RequestForm,
    RescheduleForm,
    RoundForm,
)
from .models import MeetingRequest, Participant, Round


def _posted_id(request) -> int | None:
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
        self.me = selectors.acting_participant(self.event, self.request.user, as_id, mine=mine)
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
                "sectors": Sector.objects.filter(event=self.event).order_by("code"),
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
        key = f"meetings:directory:{_digest(base, tuple(page.object_list))}"
        listing = cache.get(key)
        if listing is None:
            rows = selectors.directory(self.event).in_bulk(page.object_list)
            listing = str(
                self._listing([rows[pk] for pk in page.object_list if pk in rows], can_manage, filters)
            )
            cache.set(key, listing, timeout=60 * 60)
        extra = {"listing": mark_safe(listing)}  # noqa: S308 - rendered by the template engine
        if self.me is not None:
            taken = selectors.taken_by(self.me)
            key = f"meetings:suggestions:{self.me.pk}:{_digest(base, sorted(taken))}"
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


def _digest(*parts) -> str:
    import hashlib

    return hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()


class ParticipantView(ParticipantMixin, View):
    """Someone to meet: request a meeting or book a free slot. Organisers (who need not be
    participants) also see and set the participant's caps here."""

    template_name = "meetings/participant.html"

    def _setup(self):
        self.can_manage = self.request.user.has_perm("meetings.manage_meetings", self.event)
        self.needs_participant = not self.can_manage
        self.setup_me()

    def _target(self, pk):
        if self.can_manage:  # every participant of the show, also those hidden from the directory
            target = selectors.participant_for(
                self.request.user, self.event, pk, perm="meetings.manage_meetings"
            )
        else:
            target = selectors.directory(self.event).filter(pk=pk).first()
        if target is None or (self.me and target.pk == self.me.pk):
            raise Http404
        return target

    def _render(self, target, form=None, instant_form=None, caps_form=None, status=200):
        ctx = {"target": target}
        if self.me is not None:
            slots = selectors.free_slots(self.event, self.me, target) if target.instant_booking else []
            ctx.update(
                form=form or RequestForm(),
                may_book=services.may_book(self.me),
                pending=services.pending_between(self.me, target),
                instant_form=instant_form
                or (
                    InstantBookingForm(event=self.event, slots=slots, **self._own_hosts(target))
                    if target.instant_booking
                    else None
                ),
            )
        if self.can_manage:
            conf = services.meeting_settings(self.event)
            ctx.update(
                conf=conf,
                caps_form=caps_form
                or CapsForm(
                    prefix="caps",
                    defaults=conf,
                    initial={"max_requests": target.max_requests, "max_meetings": target.max_meetings},
                ),
            )
        return render(self.request, self.template_name, self.ctx(**ctx), status=status)

    def _own_hosts(self, target) -> dict:
        """An exhibitor booking another exhibitor chooses who from its team takes it (the acting
        person first, if they take meetings)."""
        if self.me.kind != Participant.Kind.EXHIBITOR or target.kind != Participant.Kind.EXHIBITOR:
            return {}
        hosts = selectors.hosts_of(self.me)
        mine = next((h for h in hosts if h.user_id == self.request.user.pk), None)
        return {"own_hosts": hosts, "initial": {"sender_host": mine.pk if mine else None}}

    def get(self, request, event_slug, pk):
        self._setup()
        return self._render(self._target(pk))

    def post(self, request, event_slug, pk):
        self._setup()
        target = self._target(pk)
        if request.POST.get("action") == "caps":
            return self._caps(target)
        if self.me is None:
            raise PermissionDenied
        if request.POST.get("action") == "instant":
            slots = selectors.free_slots(self.event, self.me, target)
            own = self._own_hosts(target)
            own.pop("initial", None)

            def book(form):
                services.book_instantly(
                    actor=request.user,
                    sender=self.me,
                    recipient=target,
                    start=form.cleaned_data["start"],
                    message=form.cleaned_data["message"],
                    sender_host=form.cleaned_data.get("sender_host"),
                )
                messages.success(request, _("Meeting booked."))
                return self.back("agenda")

            return self.submit(
                InstantBookingForm(request.POST, event=self.event, slots=slots, **own),
                book,
                lambda form, status: self._render(target, instant_form=form, status=status),
            )

        def send(form):
            req = services.request_meeting(
                actor=request.user, sender=self.me, recipient=target, **form.cleaned_data
            )
            messages.success(request, _("Request sent to %s.") % target.name)
            return self.back("inbox", {"box": "sent", "sent": req.pk})

        return self.submit(
            RequestForm(request.POST),
            send,
            lambda form, status: self._render(target, form=form, status=status),
        )

    def _caps(self, target):
        if not self.can_manage:
            raise PermissionDenied

        def save(form):
            services.set_caps(participant=target, actor=self.request.user, **form.cleaned_data)
            messages.success(self.request, _("Caps of %(name)s saved.") % {"name": target.name})
            return redirect("meetings:participant", event_slug=self.event.slug, pk=target.pk)

        return self.submit(
            CapsForm(self.request.POST, prefix="caps", defaults=services.meeting_settings(self.event)),
            save,
            lambda form, status: self._render(target, caps_form=form, status=status),
        )


class InboxView(ParticipantMixin, View):
    template_name = "meetings/inbox.html"

    def get(self, request, event_slug):
        self.setup_me()
        box = "sent" if request.GET.get("box") == "sent" else "received"
        qs = selectors.requests_sent(self.me) if box == "sent" else selectors.requests_received(self.me)
        page = Paginator(qs, 25).get_page(request.GET.get("page"))
        sent = request.GET.get("sent", "")
        return render(
            request,
            self.template_name,
            self.ctx(page=page, box=box, highlight=int(sent) if sent.isdigit() else None),
        )


class RequestView(ParticipantMixin, View):
    """One request: accept (slot + place), decline, propose another time, withdraw."""

    template_name = "meetings/request.html"
    permission_required = "meetings.view_request"

    def get_permission_object(self):
        return selectors.request_for(self.request.user, self.request.event, self.kwargs["pk"])

    def _forms(self, req, data=None, which=None):
        event = self.event
        slots = selectors.free_slots(event, req.sender, req.recipient)
        exh = (
            req.recipient
            if req.recipient.kind == Participant.Kind.EXHIBITOR
            else (req.sender if req.sender.kind == Participant.Kind.EXHIBITOR else None)
        )
        round_open = bool(req.round_id and req.round.status == Round.Status.OPEN)
        mk = lambda name, cls, **kw: cls(data if which == name else None, **kw)  # noqa: E731
        return {
            "accept_form": mk(
                "accept",
                AcceptForm,
                event=event,
                slots=slots,
                round_open=round_open,
                places=selectors.places_for_event(event).filter(is_active=True).exclude(kind="stand"),
                hosts=selectors.hosts_of(exh) if exh is not None else None,
            ),
            "propose_form": mk("propose", ProposeForm, event=event, slots=slots),
            "decline_form": mk("decline", DeclineForm),
        }

    def _render(self, req, forms, status=200):
        turn = req.is_open and self.request.user.has_perm(
            "meetings.act_for", services.requests._responder(req)
        )
        return render(
            self.request, self.template_name, self.ctx(req=req, my_turn=turn, **forms), status=status
        )

    def get(self, request, event_slug, pk):
        self.needs_participant = False
        self.setup_me()
        req = selectors.request_for(request.user, self.event, pk)
        return self._render(req, self._forms(req))

    def post(self, request, event_slug, pk):
        self.needs_participant = False
        self.setup_me()
        req = selectors.request_for(request.user, self.event, pk)
        action = request.POST.get("action")
        forms = self._forms(req, request.POST, action)
        if action == "withdraw":

            def withdraw():
                services.withdraw_request(actor=request.user, request=req)
                messages.success(request, _("Request withdrawn."))
                return self.back("inbox")

            def refused(exc):
                messages.error(request, exc.message)
                return self._render(req, forms, status=exc.status_code)

            return self.act(withdraw, failed=refused)
        if action not in ("accept", "propose", "decline"):
            raise Http404

        def answer(form):
            cd = form.cleaned_data
            if action == "accept":
                services.accept_request(
                    actor=request.user,
                    request=req,
                    start=cd.get("start"),
                    host=cd.get("host"),
                    place=cd.get("place"),
                )
                messages.success(request, _("Request accepted."))
            elif action == "propose":
                services.propose_other_time(
                    actor=request.user, request=req, start=cd["start"], message=cd["message"]
                )
                messages.success(request, _("Other time proposed."))
            else:
                services.decline_request(actor=request.user, request=req, reason=cd["reason"])
                messages.success(request, _("Request declined."))
            return self.back("inbox")

        return self.submit(
            forms[f"{action}_form"], answer, lambda form, status: self._render(req, forms, status=status)
        )


class AgendaView(ParticipantMixin, View):
    template_name = "meetings/agenda.html"

    def get(self, request, event_slug, printable=False):
        self.setup_me()
        days = [d.date for d in self.event.days.all().order_by("date")]
        try:
            day = date.fromisoformat(request.GET["day"]) if request.GET.get("day") else None
        except ValueError:
            day = None
        entries = selectors.agenda(self.event, self.me, None if printable else day)
        if request.GET.get("format") == "pdf":
            from .pdf import agenda_pdf

            resp = HttpResponse(agenda_pdf(self.event, self.me, entries), content_type="application/pdf")
            resp["Content-Disposition"] = f'inline; filename="agenda-{self.event.slug}.pdf"'
            return resp
        ics_url = request.build_absolute_uri(
            reverse(
                "meetings:ics",
                kwargs={
                    "event_slug": self.event.slug,
                    "token": admission.calendar_token(user=request.user, event=self.event),
                },
            )
        )
        tmpl = "meetings/agenda_print.html" if printable else self.template_name
        return render(
            request,
            tmpl,
            self.ctx(
                entries=entries,
                days=days,
                day=day,
                ics_url=ics_url,
                show_walk=selectors.agenda_has_walks(entries),
            ),
        )


class MeetingView(ParticipantMixin, View):
    template_name = "meetings/meeting.html"
    permission_required = "meetings.view_meeting"

    def get_permission_object(self):
        return selectors.meeting_for(self.request.user, self.request.event, self.kwargs["pk"])

    def _render(self, m, status=200, **forms):
        slots = selectors.free_slots(self.event, m.sender, m.recipient, exclude_meeting=m)
        forms.setdefault("reschedule_form", RescheduleForm(event=self.event, slots=slots))
        forms.setdefault("outcome_form", OutcomeForm())
        return render(self.request, self.template_name, self.ctx(meeting=m, **forms), status=status)

    def get(self, request, event_slug, pk):
        self.needs_participant = False
        self.setup_me()
        return self._render(selectors.meeting_for(request.user, self.event, pk))

    def post(self, request, event_slug, pk):
        self.needs_participant = False
        self.setup_me()
        m = selectors.meeting_for(request.user, self.event, pk)

        def refused(exc):  # the message above the meeting as it now is
            messages.error(request, exc.message)
            return self._render(selectors.meeting_for(request.user, self.event, pk), status=exc.status_code)

        return self.act(
            lambda: self._change(request, m, request.POST.get("action")),
            back=redirect("meetings:meeting", event_slug=self.event.slug, pk=m.pk),
            failed=refused,
        )

    def _change(self, request, m, action):
        if action == "cancel":
            services.cancel_meeting(actor=request.user, meeting=m, reason=request.POST.get("reason", ""))
            messages.success(request, _("Meeting cancelled; the other side is told."))
        elif action == "reschedule":
            slots = selectors.free_slots(self.event, m.sender, m.recipient, exclude_meeting=m)
            form = RescheduleForm(request.POST, event=self.event, slots=slots)
            if not form.is_valid():
                return self._render(m, status=400, reschedule_form=form)
            services.reschedule_meeting(actor=request.user, meeting=m, start=form.cleaned_data["start"])
            messages.success(request, _("Meeting moved; the other side is told."))
        elif action == "outcome":
            form = OutcomeForm(request.POST)
            if not form.is_valid():
                return self._render(m, status=400, outcome_form=form)
            services.record_outcome(actor=request.user, meeting=m, **form.cleaned_data)
            messages.success(request, _("Thank you."))
        else:
            raise Http404


class ProfileView(ParticipantMixin, View):
    template_name = "meetings/profile.html"

    def _render(self, form, avail, status=200):
        return render(self.request, self.template_name, self.ctx(form=form, avail_form=avail), status=status)

    def get(self, request, event_slug):
        self.setup_me()
        return self._render(
            ProfileForm(instance=self.me, event=self.event),
            AvailabilityForm(event=self.event, current=list(self.me.availability.all())),
        )

    def post(self, request, event_slug):
        self.setup_me()
        form = ProfileForm(request.POST, instance=Participant.objects.get(pk=self.me.pk), event=self.event)
        avail = AvailabilityForm(request.POST, event=self.event, current=[])
        if not avail.is_valid():
            return self._render(form, avail, status=400)

        def save(form):
            cd = form.cleaned_data
            services.update_profile(
                participant=self.me,
                actor=request.user,
                headline=cd["headline"],
                offer=cd["offer"],
                seek=cd["seek"],
                sectors=list(cd["sectors"]),
                opted_in=cd["opted_in"],
                instant_booking=cd.get("instant_booking"),
            )
            services.set_availability(participant=self.me, actor=request.user, windows=avail.windows())
            messages.success(request, _("Profile saved."))
            return self.back("profile")

        return self.submit(form, save, lambda form, status: self._render(form, avail, status=status))


class TeamView(ParticipantMixin, View):
    """An exhibitor's meeting team: the staff who take meetings (the company holds as many
    meetings at once as it has free hosts), added and removed by those who manage the company."""

    template_name = "meetings/team.html"

    def _setup(self):
        self.setup_me()
        if self.me.kind != Participant.Kind.EXHIBITOR:
            raise Http404
        self.can_change = self.request.user.has_perm("meetings.change_participant", self.me)

    def _render(self, form=None, error="", status=200):
        if self.can_change and form is None:
            form = HostForm(candidates=selectors.host_candidates(self.me))
        return render(
            self.request,
            self.template_name,
            self.ctx(
                hosts=selectors.team_of(self.me),
                form=form if self.can_change else None,
                can_change=self.can_change,
                error=error,
                conf=services.meeting_settings(self.event),
            ),
            status=status,
        )

    def get(self, request, event_slug):
        self._setup()
        return self._render()

    def post(self, request, event_slug):
        self._setup()
        if not self.can_change:
            raise PermissionDenied
        action = request.POST.get("action")
        if action == "add":

            def add(form):
                host = services.add_host(
                    participant=self.me, actor=request.user, user=form.cleaned_data["user"]
                )
                messages.success(
                    request, _("%(name)s now takes meetings.") % {"name": host.user.get_full_name()}
                )
                return self.back("team")

            return self.submit(
                HostForm(request.POST, candidates=selectors.host_candidates(self.me)),
                add,
                lambda form, status: self._render(form, status=status),
            )
        if action != "remove":
            raise Http404
        host = selectors.hosts_of(self.me).filter(pk=_posted_id(request)).first()
        if host is None:
            raise Http404

        def remove():
            services.remove_host(participant=self.me, actor=request.user, host=host)
            messages.success(
                request, _("%(name)s no longer takes meetings.") % {"name": host.user.get_full_name()}
            )
            return self.back("team")

        return self.act(remove, failed=lambda exc: self._render(error=exc.message, status=exc.status_code))


class IcsFeedView(View):
    """The person's calendar feed: no sign-in (calendar apps cannot), the signed address is
    the key. It dies when the person rotates it or loses admission."""

    def get(self, request, event_slug, token):
        from .ics import feed

        user = admission.user_for_calendar_token(token, request.event)
        if user is None or not roles_for(user, request.event).is_admitted:
            raise Http404
        participants = selectors.participants_for_user(request.event, user)
        body = feed(request.event, participants, user.get_full_name())
        resp = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        resp["Content-Disposition"] = f'inline; filename="{request.event.slug}-meetings.ics"'
        resp["Cache-Control"] = "private, max-age=300"
        return resp


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
    from django.utils import formats as dj_formats

    halls = dict(event.halls.values_list("code", "name"))
    kinds = dict(Participant.Kind.choices)

    def rows(dim, label):
        return [(label(r["label"]), r) for r in stats[dim]]

    return [
        charts.bar_chart(
            id="chart-day",
            title=_("Requests and meetings per show day"),
            series=series,
            rows=rows("by_day", lambda d: dj_formats.date_format(date.fromisoformat(d), "l j F")),
        ),
        charts.bar_chart(
            id="chart-hall",
            title=_("Meetings per hall"),
            series=series,
            rows=rows("by_hall", lambda h: halls.get(h, h)),
        ),
        charts.bar_chart(
            id="chart-sector",
            title=_("Meetings per sector"),
            series=series,
            rows=sorted(rows("by_sector", str), key=lambda r: -r[1].get("scheduled", 0)),
        ),
        charts.bar_chart(
            id="chart-kind",
            title=_("Requests and meetings per participant type"),
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
        blocking = selectors.blocking_for(request.event, _posted_id(request))

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


class RoundView(DomainActionMixin, PermissionMixin, View):
    permission_required = "meetings.manage_meetings"
    template_name = "meetings/manage/round.html"
    PREVIEW = 50

    def _round(self, pk):
        return get_object_or_404(Round, event=self.request.event, pk=pk)

    def get(self, request, event_slug, pk):
        rnd = self._round(pk)
        if request.GET.get("format") == "json":
            return JsonResponse(
                {
                    "status": rnd.status,
                    "progress": rnd.progress,
                    "message": rnd.progress_message,
                    "stats": rnd.draft_stats,
                }
            )
        counts = [
            (MeetingRequest.Status(s).label, n)
            for s, n in rnd.requests.values_list("status").annotate(n=Count("id")).order_by("status")
        ]
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
            req_id = _posted_id(request)
            req = MeetingRequest.objects.filter(round=rnd, pk=req_id).first() if req_id else None
            if req is None:
                raise Http404
            services.pin_draft_meeting(rnd=rnd, actor=request.user, request=req, pinned=action == "pin")
            messages.success(
                request,
                _("Meeting pinned: a new run keeps it where it is.")
                if action == "pin"
                else _("Meeting unpinned."),
            )
        elif action == "publish":
            result = services.publish_round(rnd=rnd, actor=request.user)
            messages.success(request, _("%(n)d meetings published.") % {"n": result["created"]})
        else:
            raise Http404
