"""The organiser's screens: the delegations list, the show's plan, the timeline with its
instant check, planning runs, and a hall's view."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from exhibition.core.partials import reload_page, render_partial
from exhibition.core.redirects import safe_next
from exhibition.core.views import DomainActionMixin, DomainFormMixin, PermissionMixin

from .. import forms as f
from .. import selectors, services
from ..clock import minutes_of, minutes_of_time
from .common import PAGE_SIZE, DelegationPage, posted_id, say_started, stand_by_number
from .delegation import DelegationMixin

# --- organiser: list ------------------------------------------------------------------------------


def run_progress(request, run):
    """The run's fragment while it runs (polled by htmx), then the whole page again."""
    if run is None or not run.is_active:
        return reload_page()
    return render_partial(request, "delegations/partials/run.html", {"run": run})


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
        if not request.user.has_perm("delegations.list_delegations", event):
            own = selectors.own_delegations(request.user, event).first()
            if own is None:
                raise PermissionDenied
            return redirect("delegations:programme", event_slug=event.slug, pk=own.pk)
        if request.htmx:  # the planning run's progress poll
            return run_progress(request, selectors.latest_run(event))
        form = f.FilterForm(request.GET or None, countries=selectors.delegation_countries(event))
        qs = selectors.delegations_for_event(event)
        filters = {k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}
        if filters:
            qs = selectors.filter_delegations(qs, **filters)
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "delegations/manage/list.html",
            {
                "page": page,
                "delegations": page.object_list,
                # a new show: nothing to plan or filter yet
                "none_yet": not filters and page.paginator.count == 0,
                "form": form,
                "plan_form": f.PlanForm(),
                "run": selectors.latest_run(event),
                "summary": selectors.delegation_summary(event)["delegations"],
                "register_form": register_form or f.RegisterDelegationForm(),
            },
            status=status,
        )


class EventPlanView(DelegationPage, View):
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
            say_started(request, run)
            return back

        def refused(form, status):  # the form lives on the list page: its errors come back as a message
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
            return back

        return self.submit(f.PlanForm(request.POST), plan, refused)


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
        if request.htmx:  # the planning run's progress poll
            return run_progress(request, selectors.latest_run(request.event, self.delegation))
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
        if action in ("pin", "unpin"):
            services.pin_visit(
                visit=selectors.visit_in_delegation(d, posted_id(post)), actor=user, pinned=action == "pin"
            )
        elif action == "remove":
            services.remove_visit(visit=selectors.visit_in_delegation(d, posted_id(post)), actor=user)
            messages.success(request, _("Visit removed."))
        elif action == "plan":
            form = f.PlanForm(post)
            if form.is_valid():
                say_started(
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
                ngettext(
                    "Rest of the day re-planned in %(s)s s; %(n)s programme changed.",
                    "Rest of the day re-planned in %(s)s s; %(n)s programmes changed.",
                    len(out["changed_delegations"]),
                )
                % {"s": out["seconds"], "n": len(out["changed_delegations"])},
            )
        else:
            raise Http404
        return None

    def add_or_move(self, action, c):
        d, user, event = self.delegation, self.request.user, self.request.event
        day = date.fromisoformat(c["date"])
        if action == "add":
            services.add_visit(
                delegation=d,
                actor=user,
                stand=stand_by_number(event, c["stand"]),
                day=day,
                start=c["start"],
                duration=c["duration"],
            )
        else:
            visit = selectors.visit_in_delegation(d, posted_id(self.request.POST))
            services.move_visit(
                visit=visit,
                actor=user,
                day=day,
                start=c["start"],
                stand=stand_by_number(event, c["stand"]) if c.get("stand") else None,
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
    """Instant validation for the add / move forms: a fragment for htmx, else JSON {ok, errors}."""

    permission_required = "delegations.manage_programme"

    def get(self, request, event_slug, pk):
        event, d, q = request.event, self.delegation, request.GET
        if request.htmx and not (q.get("date") and q.get("start")):
            return self._answer(None)  # still being typed: nothing to say yet
        form = f.VisitForm(q, event=event)
        form.fields["stand"].required = not q.get("id")
        if not form.is_valid():
            return self._answer([e for errs in form.errors.values() for e in errs])
        c = form.cleaned_data
        visit = selectors.visit_of_delegation(d, q.get("id"))
        return self.act(
            lambda: self._check(
                c,
                visit,
                stand_by_number(event, c["stand"]) if c.get("stand") else (visit.stand if visit else None),
            ),
            failed=lambda exc: self._answer([exc.message]),
        )

    def _answer(self, errors):
        if self.request.htmx:
            ctx = {} if errors is None else {"ok": not errors, "errors": errors}
            return render_partial(self.request, "delegations/partials/visit_check.html", ctx)
        return JsonResponse({"ok": not errors, "errors": errors})

    def _check(self, c, visit, stand):
        d = self.delegation
        if stand is None:
            return self._answer([_("Enter a stand number.")])
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
        return self._answer(errors)


class RunStatusView(PermissionMixin, View):
    permission_required = "delegations.plan_programmes"

    def get(self, request, event_slug, run_id):
        run = selectors.planning_run_in_event(request.event, run_id)
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
        run = selectors.planning_run_in_event(request.event, run_id)

        def cancel():
            services.cancel_planning(run=run, actor=request.user)
            messages.success(request, _("Cancelling the planning run."))

        return self.act(cancel, back=redirect(safe_next(request, "delegations:list", request.event.slug)))


class HallView(PermissionMixin, View):
    """Every delegation visit in one hall on one day, stand by stand."""

    permission_required = "delegations.plan_programmes"

    def get(self, request, event_slug):
        event = request.event
        halls = list(selectors.halls_of_event(event))
        days = list(selectors.show_days_of_event(event))
        hall = next((h for h in halls if h.code == request.GET.get("hall")), halls[0] if halls else None)
        day = next(
            (d.date for d in days if d.date.isoformat() == request.GET.get("day")),
            days[0].date if days else None,
        )
        rows: dict = {}
        visits = list(selectors.visits_for_hall(event, hall, day)) if hall and day else []
        for v in visits:
            exhibitor = v.stand.exhibitor.name if v.stand.exhibitor else ""
            rows.setdefault((v.stand.number, exhibitor), []).append(v)
        return render(
            request,
            "delegations/manage/hall.html",
            {
                "halls": halls,
                "days": days,
                "hall": hall,
                "day": day,
                "rows": [(number, exhibitor, vs) for (number, exhibitor), vs in sorted(rows.items())],
                "visit_count": len(visits),
            },
        )
