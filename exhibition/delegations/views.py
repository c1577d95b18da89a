"""Pages for delegations: the organiser's list, detail and timeline; the delegation's programme
(page, PDF, calendar feed); the exhibitor's hosting page. Forms parse, one service acts."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from exhibition.accounts import admission
from exhibition.accounts.roles import roles_for
from exhibition.core.errors import DomainError
from exhibition.core.redirects import safe_next
from exhibition.core.views import DomainActionMixin, DomainFormMixin, PermissionMixin
from exhibition.events.models import Hall, ShowDay

from . import forms as f
from . import selectors, services
from .models import (
    CandidateVisit,
    DelegationDay,
    DelegationMember,
    Exclusion,
    HostingWindow,
    HostWish,
    PlanningRun,
    Visit,
    VisitRequest,
)
from .services.common import minutes_of, minutes_of_time

PAGE_SIZE = 25


class _DelegationPage(DomainActionMixin, DomainFormMixin, PermissionMixin):
    """Pages of this app: a NotAllowed from a service is the 403 page, other errors are shown."""

    deny_not_allowed = True


def _say_started(request, run) -> None:
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


def _stand(event, number: str):
    from exhibition.floorplans.models import Stand

    stand = (
        Stand.objects.filter(event=event, number=(number or "").strip()).select_related("exhibitor").first()
    )
    if stand is None:
        raise DomainError(_("There is no stand %(n)s.") % {"n": number}, field="stand")
    return stand


# --- organiser: list ------------------------------------------------------------------------------


class DelegationListView(DomainFormMixin, PermissionMixin, View):
    permission_required = {"GET": "delegations.view_own_delegation", "POST": "delegations.plan_programmes"}

    def post(self, request, event_slug):
        """Register an official delegation (organisers)."""

        def register(form):
            d = services.register_delegation(event=request.event, actor=request.user, **form.cleaned_data)
            messages.success(request, _("%(name)s is registered.") % {"name": d.official_name})
            return redirect("delegations:detail", event_slug=event_slug, pk=d.pk)

        return self.submit(
            f.RegisterDelegationForm(request.POST),
            register,
            lambda form, status: self.get(request, event_slug, register_form=form, status=status),
        )

    def get(self, request, event_slug, register_form=None, status=200):
        event = request.event
        roles = roles_for(request.user, event)
        if not roles.is_organiser:
            own = selectors.own_delegations(request.user, event).first()
            if own is None:
                raise PermissionDenied
            return redirect("delegations:programme", event_slug=event.slug, pk=own.pk)
        form = f.FilterForm(request.GET or None)
        qs = selectors.delegations_for_event(event)
        if form.is_valid():
            qs = selectors.filter_delegations(qs, **{k: v for k, v in form.cleaned_data.items() if v})
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "delegations/manage/list.html",
            {
                "page": page,
                "delegations": page.object_list,
                "form": form,
                "plan_form": f.PlanForm(),
                "run": selectors.latest_run(event),
                "summary": selectors.delegation_summary(event)["delegations"],
                "register_form": register_form or f.RegisterDelegationForm(),
            },
            status=status,
        )


class EventPlanView(_DelegationPage, View):
    """Plan every delegation, or publish every programme (organisers)."""

    permission_required = "delegations.plan_programmes"

    def post(self, request, event_slug):
        event = request.event
        back = redirect("delegations:list", event_slug=event.slug)
        if request.POST.get("action") == "publish":

            def publish():
                out = services.publish_all(event=event, actor=request.user)
                messages.success(
                    request,
                    _("%(d)s programmes published; %(n)s people told what changed.")
                    % {"d": out["delegations"], "n": out["notified"]},
                )

            return self.act(publish, back=back)

        def plan(form):
            run = services.start_planning(
                event=event, actor=request.user, time_limit=form.cleaned_data["time_limit"]
            )
            _say_started(request, run)
            return back

        def refused(form, status):  # the form lives on the list page: its errors come back as a message
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
            return back

        return self.submit(f.PlanForm(request.POST), plan, refused)


# --- one delegation -----------------------------------------------------------------------------------


class DelegationMixin(_DelegationPage):
    """One delegation of the event (404 for another event's), checked against the view's permission."""

    permission_required = "delegations.view_delegation"

    def get_permission_object(self):
        if getattr(self, "delegation", None) is None:
            self.delegation = selectors.delegation_in_event(self.request.event, self.kwargs["pk"])
        return self.delegation


ACTIONS = {
    "edit": "edit_form",
    "day": "day_form",
    "member": "member_form",
    "interest": "interest_form",
    "invite": "invite_form",
    "exclusion": "exclusion_form",
    "request": "request_form",
}


class DelegationDetailView(DelegationMixin, View):
    def forms(self, data=None, action=None):
        event, d, user = self.request.event, self.delegation, self.request.user
        organiser = user.has_perm("delegations.manage_programme", d)
        bound = lambda name: data if action == name else None  # noqa: E731
        out = {}
        if user.has_perm("delegations.change_delegation", d):
            out["edit_form"] = f.DelegationForm(bound("edit"), instance=d, event=event, organiser=organiser)
            out["day_form"] = f.DayForm(bound("day"), event=event)
            out["member_form"] = f.MemberForm(bound("member"))
            out["interest_form"] = f.InterestForm(bound("interest"), event=event)
        if user.has_perm("delegations.request_visit", d):
            out["request_form"] = f.RequestVisitForm(bound("request"), event=event)
        if organiser:
            out["invite_form"] = f.InviteHeadForm(bound("invite"))
            out["exclusion_form"] = f.ExclusionForm(bound("exclusion"), event=event)
        return out

    def render_page(self, forms, status=200):
        d = self.delegation
        ctx = {
            "delegation": d,
            **selectors.delegation_detail(d),
            **forms,
            "can_change": self.request.user.has_perm("delegations.change_delegation", d),
            "is_organiser": self.request.user.has_perm("delegations.manage_programme", d),
            "show_notes": self.request.user.has_perm("delegations.view_internal_notes", d),
        }
        return render(self.request, "delegations/detail.html", ctx, status=status)

    def get(self, request, event_slug, pk):
        return self.render_page(self.forms())

    def post(self, request, event_slug, pk):
        action = request.POST.get("action", "")
        back = redirect(safe_next(request, "delegations:detail", request.event.slug, self.delegation.pk))
        if action not in ACTIONS:

            def small():
                self.small_action(action)
                messages.success(request, _("Saved."))

            return self.act(small, back=back)
        forms = self.forms(request.POST, action)
        form = forms.get(ACTIONS[action])
        if form is None:
            raise PermissionDenied

        def saved(form):
            self.form_action(action, form.cleaned_data, form)
            messages.success(request, _("Saved."))
            return back

        return self.submit(form, saved, lambda form, status: self.render_page(forms, status=status))

    def form_action(self, action: str, c: dict, form) -> None:
        d, user = self.delegation, self.request.user
        if action == "edit":
            services.update_delegation(delegation=d, actor=user, **{k: c[k] for k in form.fields})
        elif action == "day":
            services.set_day(
                delegation=d,
                actor=user,
                day=date.fromisoformat(c["date"]),
                start=c["start"],
                end=c["end"],
                start_point=c["start_point"],
                end_point=c["end_point"],
            )
        elif action == "member":
            services.add_member(delegation=d, actor=user, **c)
        elif action == "interest":
            services.add_interest(
                delegation=d, actor=user, priority=c["priority"], sector=c["sector"], exhibitor=c["exhibitor"]
            )
        elif action == "invite":
            services.invite_head(delegation=d, actor=user, email=c["email"])
        elif action == "exclusion":
            services.add_exclusion(
                delegation=d, actor=user, company=c["company"], country=c["country"] or "", reason=c["reason"]
            )
        elif action == "request":
            services.request_visit(delegation=d, actor=user, company=c["company"], message=c["message"])

    def small_action(self, action: str) -> None:
        d, user, post = self.delegation, self.request.user, self.request.POST
        if action == "remove_member":
            services.remove_member(member=_get(DelegationMember, post, delegation=d), actor=user)
        elif action == "remove_interest":
            services.remove_interest(interest=_get(d.interests, post), actor=user)
        elif action == "remove_day":
            services.remove_day(day=_get(DelegationDay, post, delegation=d), actor=user)
        elif action == "remove_exclusion":
            services.remove_exclusion(exclusion=_get(Exclusion, post, delegation=d), actor=user)
        elif action == "propose":
            services.propose_candidates(delegation=d, actor=user)
        elif action == "candidate":
            form = f.CandidateForm(post)
            if not form.is_valid():
                raise DomainError(" ".join(e for errs in form.errors.values() for e in errs))
            services.update_candidate(
                candidate=_get(CandidateVisit, post, delegation=d), actor=user, **form.cleaned_data
            )
        elif action == "withdraw":
            services.withdraw_delegation(delegation=d, actor=user, reason=post.get("reason", ""))
            messages.warning(
                self.request,
                _(
                    "The delegation is withdrawn: its members have lost access, its "
                    "upcoming visits and meetings are cancelled and the hosts told."
                ),
            )
        elif action == "readmit":
            services.readmit_delegation(delegation=d, actor=user)
        elif action == "add_wish_candidate":
            wish = _get(HostWish, post, delegation=d)
            stand = wish.company.stands.first()
            if stand is None:
                raise DomainError(_("This exhibitor has no stand."))
            services.add_candidate(delegation=d, actor=user, stand=stand)
        else:
            raise Http404


def _get(model_or_qs, post, **filters):
    qs = model_or_qs.objects.all() if hasattr(model_or_qs, "objects") else model_or_qs
    obj = qs.filter(pk=post.get("id") if str(post.get("id", "")).isdigit() else None, **filters).first()
    if obj is None:
        raise Http404
    return obj


# --- timeline (organisers) ------------------------------------------------------------------------


class TimelineView(DelegationMixin, View):
    permission_required = "delegations.manage_programme"

    def context(self, **extra):
        d, event = self.delegation, self.request.event
        days = selectors.programme_days(d, published=False)
        for pd in days:
            lo = minutes_of_time(pd.window.start) if pd.window else 540
            hi = minutes_of_time(pd.window.end) if pd.window else 1080
            span = max(hi - lo, 1)
            for item in pd.items:
                s, e = minutes_of(event, item.visit.start), minutes_of(event, item.visit.end)
                item.left = round((s - lo) / span * 100, 2)
                item.width = round((e - s) / span * 100, 2)
        return {
            "delegation": d,
            "days": days,
            "run": selectors.latest_run(event, d),
            "add_form": extra.pop("add_form", None) or f.VisitForm(event=event),
            "plan_form": f.PlanForm(initial={"time_limit": 5}),
            "late_form": extra.pop("late_form", None) or f.LateForm(event=event, auto_id="late_%s"),
            "candidates": selectors.candidates_for(d)[:60],
            "published_count": d.published_visits.count(),
            **extra,
        }

    def get(self, request, event_slug, pk):
        return render(request, "delegations/manage/timeline.html", self.context())

    def post(self, request, event_slug, pk):
        action = request.POST.get("action", "")
        here = reverse("delegations:timeline", args=[request.event.slug, self.delegation.pk])
        return self.act(lambda: self._change(action), back=redirect(here))

    def _change(self, action):
        request = self.request
        d, user, event, post = self.delegation, request.user, request.event, request.POST
        if action in ("add", "move"):
            form = f.VisitForm(post, event=event)
            if action == "move":
                form.fields["stand"].required = False

            def save(form):
                self.add_or_move(action, form.cleaned_data)
                messages.success(request, _("Visit saved."))
                return redirect("delegations:timeline", event.slug, d.pk)

            return self.submit(form, save, lambda form, status: self.invalid(form, action, status=status))
        elif action in ("pin", "unpin"):
            services.pin_visit(visit=_get(Visit, post, delegation=d), actor=user, pinned=action == "pin")
        elif action == "remove":
            services.remove_visit(visit=_get(Visit, post, delegation=d), actor=user)
            messages.success(request, _("Visit removed."))
        elif action == "plan":
            form = f.PlanForm(post)
            if form.is_valid():
                _say_started(
                    request,
                    services.start_planning(
                        event=event, actor=user, delegation=d, time_limit=form.cleaned_data["time_limit"]
                    ),
                )
        elif action == "publish":
            out = services.publish_programme(delegation=d, actor=user)
            messages.success(
                request,
                _("Published: %(a)s new, %(m)s changed, %(r)s cancelled; %(n)s people told.")
                % {"a": out["added"], "m": out["moved"], "r": out["removed"], "n": out["notified"]},
            )
        elif action == "late":
            form = f.LateForm(post, event=event, auto_id="late_%s")
            if not form.is_valid():
                return self.invalid(form, action)
            c = form.cleaned_data
            out = services.running_late(
                delegation=d,
                actor=user,
                day=date.fromisoformat(c["date"]),
                not_before=c["not_before"],
                since=c["since"],
            )
            messages.success(
                request,
                _("Rest of the day re-planned in %(s)s s; %(n)s programmes changed.")
                % {"s": out["seconds"], "n": len(out["changed_delegations"])},
            )
        else:
            raise Http404

    def add_or_move(self, action, c):
        d, user, event = self.delegation, self.request.user, self.request.event
        day = date.fromisoformat(c["date"])
        if action == "add":
            services.add_visit(
                delegation=d,
                actor=user,
                stand=_stand(event, c["stand"]),
                day=day,
                start=c["start"],
                duration=c["duration"],
            )
        else:
            visit = _get(Visit, self.request.POST, delegation=d)
            services.move_visit(
                visit=visit,
                actor=user,
                day=day,
                start=c["start"],
                stand=_stand(event, c["stand"]) if c.get("stand") else None,
                duration=c["duration"],
            )

    def invalid(self, form, action, status=400):
        ctx = self.context(
            **({"add_form": form} if action == "add" else {"late_form": form} if action == "late" else {})
        )
        if action == "move":
            ctx["move_form"], ctx["move_id"] = form, self.request.POST.get("id")
        return render(self.request, "delegations/manage/timeline.html", ctx, status=status)


class CheckVisitView(DelegationMixin, View):
    """Instant validation for the add / move forms: JSON {ok, errors}."""

    permission_required = "delegations.manage_programme"

    def get(self, request, event_slug, pk):
        event, d, q = request.event, self.delegation, request.GET
        form = f.VisitForm(q, event=event)
        form.fields["stand"].required = not q.get("id")
        if not form.is_valid():
            return JsonResponse({"ok": False, "errors": [e for errs in form.errors.values() for e in errs]})
        c = form.cleaned_data
        visit = (
            Visit.objects.filter(pk=q.get("id"), delegation=d).select_related("stand__exhibitor").first()
            if q.get("id")
            else None
        )
        return self.act(
            lambda: self._check(
                c, visit, _stand(event, c["stand"]) if c.get("stand") else (visit.stand if visit else None)
            ),
            failed=lambda exc: JsonResponse({"ok": False, "errors": [exc.message]}),
        )

    def _check(self, c, visit, stand):
        d = self.delegation
        if stand is None:
            return JsonResponse({"ok": False, "errors": [_("Enter a stand number.")]})
        duration = c["duration"] or (
            round((visit.end - visit.start).total_seconds() / 60)
            if visit
            else services.duration_for(d, stand)
        )
        errors = services.check_placement(
            delegation=d,
            day=date.fromisoformat(c["date"]),
            stand=stand,
            start=minutes_of_time(c["start"]),
            duration=duration,
            ignore=visit,
        )
        return JsonResponse({"ok": not errors, "errors": errors})


class RunStatusView(PermissionMixin, View):
    permission_required = "delegations.plan_programmes"

    def get(self, request, event_slug, run_id):
        run = PlanningRun.objects.filter(pk=run_id, event=request.event).first()
        if run is None:
            raise Http404
        return JsonResponse(
            {
                "id": run.pk,
                "status": run.status,
                "progress": run.progress,
                "message": run.message,
                "active": run.is_active,
                "stats": run.stats,
            }
        )


class RunCancelView(DomainActionMixin, PermissionMixin, View):
    permission_required = "delegations.plan_programmes"

    def post(self, request, event_slug, run_id):
        run = PlanningRun.objects.filter(pk=run_id, event=request.event).select_related("event").first()
        if run is None:
            raise Http404

        def cancel():
            services.cancel_planning(run=run, actor=request.user)
            messages.success(request, _("Cancelling the planning run."))

        return self.act(cancel, back=redirect(safe_next(request, "delegations:list", request.event.slug)))


class HallView(PermissionMixin, View):
    """Every delegation visit in one hall on one day, stand by stand."""

    permission_required = "delegations.plan_programmes"

    def get(self, request, event_slug):
        event = request.event
        halls = list(Hall.objects.filter(event=event).order_by("position", "code"))
        days = list(ShowDay.objects.filter(event=event).order_by("date"))
        hall = next((h for h in halls if h.code == request.GET.get("hall")), halls[0] if halls else None)
        day = next(
            (d.date for d in days if d.date.isoformat() == request.GET.get("day")),
            days[0].date if days else None,
        )
        rows: dict = {}
        if hall and day:
            for v in selectors.visits_for_hall(event, hall, day):
                rows.setdefault(v.stand.number, []).append(v)
        return render(
            request,
            "delegations/manage/hall.html",
            {"halls": halls, "days": days, "hall": hall, "day": day, "rows": sorted(rows.items())},
        )


# --- the delegation's programme -------------------------------------------------------------------


class ProgrammeView(DelegationMixin, View):
    permission_required = "delegations.view_programme"

    def get(self, request, event_slug, pk):
        from .models import Programme

        d = self.delegation
        programme, _c = Programme.objects.get_or_create(delegation=d)
        days = selectors.programme_days(d, published=True)
        for pd in days:
            for item in pd.visits:
                item.host = selectors.host_contact(item.visit.stand)
        feed = None
        if roles_for(request.user, request.event).role_in(d.organisation_id):
            # The person's own address: it dies when they rotate it or leave the delegation.
            feed = request.build_absolute_uri(
                reverse(
                    "delegations:ics",
                    args=[
                        request.event.slug,
                        admission.calendar_token(user=request.user, event=request.event),
                    ],
                )
            )
        return render(
            request,
            "delegations/programme.html",
            {
                "delegation": d,
                "programme": programme,
                "days": days,
                "feed_url": feed,
                "webcal_url": feed.replace("https://", "webcal://").replace("http://", "webcal://")
                if feed
                else None,
                "can_change": request.user.has_perm("delegations.change_delegation", d),
                "is_organiser": request.user.has_perm("delegations.manage_programme", d),
            },
        )


class ProgrammePdfView(DelegationMixin, View):
    permission_required = "delegations.view_programme"

    def get(self, request, event_slug, pk):
        from .pdf import programme_pdf

        d = self.delegation
        days = selectors.programme_days(d, published=True)
        for pd in days:
            for item in pd.visits:
                item.host = selectors.host_contact(item.visit.stand)
        data = programme_pdf(d, days)
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="programme-{d.organisation.country.code.lower()}-{d.pk}.pdf"'
        )
        return response


class IcsFeedView(View):
    """The delegation member's programme feed: public, the signed personal address is the key.
    It dies when the person rotates it, leaves the delegation or the delegation is withdrawn."""

    def get(self, request, event_slug, token):
        from .ics import programme_ics

        user = admission.user_for_calendar_token(token, request.event)
        delegation_ids = sorted(roles_for(user, request.event).delegation_ids) if user else []
        programme = selectors.programme_of_delegations(delegation_ids)
        if programme is None:
            raise Http404
        response = HttpResponse(programme_ics(programme), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="programme.ics"'
        response["Cache-Control"] = "private, max-age=300"
        return response


# --- exhibitors ------------------------------------------------------------------------------------------


class HostingView(_DelegationPage, View):
    permission_required = "delegations.host_delegations"

    def company(self):
        event, user = self.request.event, self.request.user
        companies = list(selectors.companies_of_user(user, event))
        wanted = self.request.GET.get("company") or self.request.POST.get("company")
        if wanted and str(wanted).isdigit():
            from exhibition.accounts.models import Organisation

            company = Organisation.objects.filter(pk=wanted, event=event, kind="company").first()
            if company is None or not user.has_perm("delegations.view_hosting", company):
                raise Http404
            return company
        if not companies:
            raise Http404
        return companies[0]

    def context(self, company, **forms):
        data = selectors.hosting_overview(company)
        event = self.request.event
        return {
            "company": company,
            **data,
            "can_change": self.request.user.has_perm("delegations.change_hosting", company),
            "window_form": forms.get("window_form")
            or f.HostingWindowForm(event=event, stands=data["stands"]),
            "capacity_form": forms.get("capacity_form") or f.CapacityForm(stands=data["stands"]),
            "wish_form": forms.get("wish_form") or f.WishForm(event=event),
        }

    def get(self, request, event_slug):
        return render(request, "delegations/hosting.html", self.context(self.company()))

    def post(self, request, event_slug):
        from exhibition.floorplans.models import Stand

        company, user, post, event = self.company(), request.user, request.POST, request.event
        action = post.get("action", "")
        stands = list(Stand.objects.filter(exhibitor=company).order_by("number"))
        back = redirect(reverse("delegations:hosting", args=[event.slug]) + f"?company={company.pk}")
        if action in ("window", "capacity", "wish"):
            if action == "window":
                form = f.HostingWindowForm(post, event=event, stands=stands)

                def save(form):
                    services.add_hosting_window(
                        company=company,
                        actor=user,
                        day=date.fromisoformat(form.cleaned_data["date"]),
                        start=form.cleaned_data["start"],
                        end=form.cleaned_data["end"],
                        stand=next((s for s in stands if str(s.pk) == form.cleaned_data["stand"]), None),
                    )

            elif action == "capacity":
                form = f.CapacityForm(post, stands=stands)

                def save(form):
                    services.set_capacity(
                        stand=next(s for s in stands if str(s.pk) == form.cleaned_data["stand"]),
                        actor=user,
                        capacity=form.cleaned_data["capacity"],
                    )

            else:
                form = f.WishForm(post, event=event)

                def save(form):
                    services.add_wish(
                        company=company,
                        actor=user,
                        delegation=form.cleaned_data["delegation"],
                        note=form.cleaned_data["note"],
                    )

            def saved(form):
                save(form)
                messages.success(request, _("Saved."))
                return back

            return self.submit(
                form,
                saved,
                lambda form, status: render(
                    request,
                    "delegations/hosting.html",
                    self.context(company, **{f"{action}_form": form}),
                    status=status,
                ),
            )

        def change():
            if action == "remove_window":
                services.remove_hosting_window(
                    window=_get(HostingWindow, post, organisation=company), actor=user
                )
            elif action == "remove_wish":
                services.remove_wish(wish=_get(HostWish, post, company=company), actor=user)
            elif action in ("accept", "decline"):
                services.answer_request(
                    request=_get(
                        VisitRequest.objects.select_related("company", "delegation__organisation"),
                        post,
                        company=company,
                    ),
                    actor=user,
                    accept=action == "accept",
                )
            else:
                raise Http404
            messages.success(request, _("Saved."))

        return self.act(change, back=back)
