"""A participant's pages: one participant, the inbox and one request, the agenda, one
meeting, the meetings profile, the team, and the calendar feed."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View

from exhibition.accounts import admission
from exhibition.accounts.roles import roles_for
from exhibition.core.ids import as_id

from .. import selectors, services
from ..forms import (
    AcceptForm,
    AvailabilityForm,
    CapsForm,
    DeclineForm,
    HostForm,
    InstantBookingForm,
    OutcomeForm,
    ProfileForm,
    ProposeForm,
    RequestForm,
    RescheduleForm,
)
from ..ics import feed
from ..models import Participant, Round
from ..pdf import agenda_pdf, local_time_note
from .common import JoinFirst, ParticipantMixin, posted_id


class ParticipantView(ParticipantMixin, View):
    """Someone to meet: request a meeting or book a free slot. Organisers (who need not be
    participants) also see and set the participant's caps here."""

    template_name = "meetings/participant.html"

    def _setup(self):
        self.can_manage = self.request.user.has_perm("meetings.manage_meetings", self.event)
        # Read, the page shows whom it is about to someone who may join (and offers to);
        # any action needs a participant (a POST creates it).
        self.needs_participant = not self.can_manage
        try:
            self.setup_me()
        except JoinFirst:
            self.needs_participant = False

    def _target(self, pk):
        if self.can_manage:  # every participant of the show, also those hidden from the directory
            target = selectors.participant_for(
                self.request.user, self.event, pk, perm="meetings.manage_meetings"
            )
        else:
            target = selectors.directory_entry(self.event, pk)
        if target is None or (self.me and target.pk == self.me.pk):
            raise Http404
        return target

    def _render(self, target, form=None, instant_form=None, caps_form=None, status=200):
        ctx = {"target": target, "can_manage": self.can_manage}
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
        return render(
            request,
            self.template_name,
            self.ctx(page=page, box=box, highlight=as_id(request.GET.get("sent"))),
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
                places=selectors.open_tables(event),
                hosts=selectors.hosts_of(exh) if exh is not None else None,
            ),
            "propose_form": mk("propose", ProposeForm, event=event, slots=slots),
            "decline_form": mk("decline", DeclineForm),
        }

    def _render(self, req, forms, status=200):
        turn = req.is_open and self.request.user.has_perm(
            "meetings.act_for", services.requests._responder(req)
        )
        ranked = self.request.user.has_perm("meetings.view_request_priority", req)
        return render(
            self.request,
            self.template_name,
            self.ctx(req=req, my_turn=turn, show_priority=ranked, **forms),
            status=status,
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
        days = selectors.show_dates(self.event)
        try:
            day = date.fromisoformat(request.GET["day"]) if request.GET.get("day") else None
        except ValueError:
            day = None
        entries = selectors.agenda(self.event, self.me, None if printable else day)
        if request.GET.get("format") == "pdf":
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
            + "?"
            + urlencode({"lang": translation.get_language()})
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
                times_note=local_time_note(self.event),
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
        sides = {m.sender_id: m.recipient, m.recipient_id: m.sender}
        return render(
            self.request,
            self.template_name,
            self.ctx(
                meeting=m,
                other=sides.get(self.me.pk) if self.me else None,  # whom the reader meets
                started=m.start <= timezone.now(),  # how it went is asked once it has begun
                **forms,
            ),
            status=status,
        )

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
        return None


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
        form = ProfileForm(request.POST, instance=selectors.participant_reloaded(self.me), event=self.event)
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
        host = selectors.host_of(self.me, posted_id(request))

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
        user = admission.user_for_calendar_token(token, request.event)
        if user is None or not roles_for(user, request.event).is_admitted:
            raise Http404
        participants = selectors.participants_for_user(request.event, user)
        with translation.override(admission.calendar_language(request, user)):
            body = feed(request.event, participants, user.get_full_name())
        resp = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        resp["Content-Disposition"] = f'inline; filename="{request.event.slug}-meetings.ics"'
        resp["Cache-Control"] = "private, max-age=300"
        return resp
