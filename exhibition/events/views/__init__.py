from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy
from django.views import View
from django.views.generic import TemplateView

from exhibition.accounts import admission
from exhibition.accounts import selectors as account_selectors
from exhibition.accounts import services as account_services
from exhibition.accounts.forms import InvitationForm, VisitorRegistrationForm
from exhibition.accounts.models import Invitation, Organisation, TradeVisitor
from exhibition.accounts.roles import roles_for
from exhibition.core import formats
from exhibition.core.ids import as_id
from exhibition.core.views import DomainActionMixin, DomainFormMixin, PermissionMixin

from .. import selectors
from ..landing import landing_todos
from ..selectors import events_for_user, organiser_dashboard


class HomeView(TemplateView):
    """The site's front page: the events this user can see, each with a link to their landing."""

    template_name = "events/home.html"

    def get(self, request, *args, **kwargs):
        events = list(events_for_user(request.user))
        if request.user.is_authenticated:
            mine = [e for e in events if roles_for(request.user, e).involved]
            if len(mine) == 1:
                return redirect("events:home", event_slug=mine[0].slug)
        return render(request, self.template_name, {"events": events})


class EventHomeView(PermissionMixin, TemplateView):
    """Landing page per role: what this person has to do next at this event."""

    permission_required = "events.view_event"

    def get_template_names(self):
        if self.request.user.has_perm("events.view_dashboard", self.request.event):
            return ["events/manage/landing.html"]
        roles = roles_for(self.request.user, self.request.event)
        if roles.is_exhibitor:
            return ["events/landing_exhibitor.html"]
        if roles.is_delegation:
            return ["events/landing_delegation.html"]
        if roles.is_visitor:
            return ["events/landing_visitor.html"]
        return ["events/landing_public.html"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        event, user = self.request.event, self.request.user
        roles = roles_for(user, event)
        organiser = user.has_perm("events.view_dashboard", event)
        ctx["days"] = list(event.days.all())
        ctx["halls"] = list(event.halls.all())
        if organiser:
            ctx["summary"], ctx["todos"], ctx["charts"] = organiser_dashboard(event)
        if roles.memberships:
            ctx["memberships"] = list(selectors.memberships_of_user(event, user))
            ctx["organisations"] = [m.organisation for m in ctx["memberships"]]
            ctx["members"] = list(selectors.members_of_organisations(event, ctx["organisations"]))
        if roles.is_visitor:
            ctx["visitor"] = selectors.visitor_of_user(event, user)
        if roles.is_exhibitor and not organiser:
            for m in ctx.get("memberships", []):  # each company's own list
                if m.organisation.kind == Organisation.Kind.COMPANY:
                    m.todos = landing_todos(event, user, m.organisation)
        elif roles.is_visitor and not (organiser or roles.is_delegation):
            ctx["visitor_todos"] = landing_todos(event, user)
        if roles.applications and not (organiser or roles.memberships):
            # Applying, not admitted yet: where the application stands instead of "Apply".
            companies = [
                org
                for org in selectors.organisations_by_ids(event, roles.applications)
                if org.kind == Organisation.Kind.COMPANY
            ]
            ctx["application_todos"] = [t for org in companies for t in landing_todos(event, user, org)]
        return ctx


class InvitationsView(DomainActionMixin, DomainFormMixin, PermissionMixin, View):
    """The team page. Organisers invite organisers and participants, remove organisers and
    revoke invitations; company admins and heads of delegation invite colleagues, remove
    them and hand over their role. Every change goes through the admission services."""

    template_name = "events/invitations.html"
    permission_required = "events.view_event"

    def _form_kwargs(self):
        event, user = self.request.event, self.request.user
        roles = roles_for(user, event)
        if user.has_perm("events.invite_participant", event):
            admin = user.has_perm("events.invite_organiser", event)
            allowed = [r for r in Invitation.Role.values if admin or not r.startswith("organiser")]
            orgs = selectors.organisations_of_event(event)
            return {"event": event, "roles": allowed, "organisations": orgs, "pick_any": True}
        managed = [oid for oid in roles.memberships if roles.manages(oid)]
        orgs = selectors.organisations_by_ids(event, managed)
        kinds = {"company" if oid in roles.company_ids else "delegation" for oid in managed}
        allowed = [r for r, (kind, _m) in Invitation.ORGANISATION_ROLES.items() if kind in kinds]
        if len(managed) == 1:
            return {
                "event": event,
                "roles": allowed,
                "organisations": orgs,
                "initial_organisation": managed[0],
            }
        return {"event": event, "roles": allowed, "organisations": orgs}

    def _render(self, request, form, status=200):
        kwargs = self._form_kwargs()
        if not kwargs["roles"]:
            return render(request, "403.html", status=403)
        organiser = request.user.has_perm("events.invite_participant", request.event)
        if organiser:
            visible = selectors.invitations_for_team(request.event)
            teams = []
        else:
            visible = selectors.invitations_for_team(request.event, kwargs["organisations"])
            teams = [(org, list(account_selectors.members_of(org))) for org in kwargs["organisations"]]
        page = Paginator(visible, 25).get_page(request.GET.get("page"))
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "page": page,
                "teams": teams,
                "organisers": list(account_selectors.organisers_of(request.event)) if organiser else [],
                "may_remove_organisers": request.user.has_perm("events.invite_organiser", request.event),
            },
            status=status,
        )

    def get(self, request, event_slug):
        return self._render(request, InvitationForm(**self._form_kwargs()))

    def post(self, request, event_slug):
        kwargs = self._form_kwargs()
        if not kwargs["roles"]:
            return render(request, "403.html", status=403)
        action = request.POST.get("action", "invite")
        if action != "invite":
            return self._act(request, action)

        def invite(form):
            account_services.invite(
                event=request.event,
                actor=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                organisation=form.cleaned_data["organisation"],
            )
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
            )
            return redirect("events:invitations", event_slug=event_slug)

        return self.submit(
            InvitationForm(request.POST, **kwargs),
            invite,
            lambda form, status: self._render(request, form, status=status),
        )

    def _act(self, request, action):
        target = as_id(request.POST.get("id"))
        if target is None:
            raise Http404
        return self.act(
            lambda: self._change_team(request, action, target),
            back=redirect("events:invitations", event_slug=request.event.slug),
        )

    def _change_team(self, request, action, target):
        event, user = request.event, request.user
        if action == "revoke_invitation":
            invitation = selectors.invitation_in_event(event, target)
            if not (
                user.has_perm("events.invite_participant", event)
                or (
                    invitation.organisation
                    and user.has_perm("accounts.manage_members", invitation.organisation)
                )
            ):
                raise PermissionDenied
            account_services.revoke_invitation(invitation=invitation, actor=user)
            messages.success(
                request, _("The invitation to %(email)s no longer works.") % {"email": invitation.email}
            )
        elif action in ("remove_member", "make_admin"):
            membership = selectors.membership_in_event(event, target)
            if action == "remove_member":
                admission.remove_member(
                    membership=membership, actor=user, reason=request.POST.get("reason", "")
                )
                messages.success(
                    request,
                    _("%(name)s was removed from %(org)s.")
                    % {"name": membership.user.get_full_name(), "org": membership.organisation.name},
                )
            else:
                admission.hand_over_admin(organisation=membership.organisation, actor=user, to=membership)
                messages.success(
                    request,
                    _("%(name)s now manages %(org)s.")
                    % {"name": membership.user.get_full_name(), "org": membership.organisation.name},
                )
        elif action == "remove_organiser":
            staff = selectors.organiser_in_event(event, target)
            admission.remove_organiser(staff=staff, actor=user, reason=request.POST.get("reason", ""))
            messages.success(
                request, _("%(name)s is no longer an organiser.") % {"name": staff.user.get_full_name()}
            )
        else:
            raise Http404


class VisitorRegistrationView(LoginRequiredMixin, DomainFormMixin, PermissionMixin, View):
    permission_required = "events.view_event"
    template_name = "events/visitor_register.html"

    def get(self, request, event_slug):
        if roles_for(request.user, request.event).is_visitor:
            return redirect("events:home", event_slug=event_slug)
        return render(request, self.template_name, {"form": VisitorRegistrationForm(event=request.event)})

    def post(self, request, event_slug):
        return self.submit(VisitorRegistrationForm(request.POST, event=request.event))

    def perform(self, form):
        request = self.request
        account_services.register_visitor(event=request.event, user=request.user, **form.cleaned_data)
        messages.success(request, _("Thank you. The organiser will review your registration."))
        return redirect("events:home", event_slug=request.event.slug)


# The vetting list's tabs: short enough, with their counts, for a phone's width in either language.
VETTING_TABS = {
    TradeVisitor.Status.PENDING: pgettext_lazy("vetting tab", "Awaiting vetting"),
    TradeVisitor.Status.APPROVED: pgettext_lazy("vetting tab", "Approved"),
    TradeVisitor.Status.REJECTED: pgettext_lazy("vetting tab", "Rejected"),
}


class VisitorVettingView(DomainActionMixin, PermissionMixin, View):
    permission_required = "events.manage_event"
    template_name = "events/manage/visitors.html"

    def get(self, request, event_slug):
        status = request.GET.get("status", TradeVisitor.Status.PENDING)
        q, country = request.GET.get("q", "")[:100], request.GET.get("country", "")[:2].upper()
        page = Paginator(selectors.visitors_for_vetting(request.event, status, q, country), 50).get_page(
            request.GET.get("page")
        )
        counts = selectors.visitor_status_counts(request.event)
        return render(
            request,
            self.template_name,
            {
                "page": page,
                "status": status,
                "statuses": [(code, label, counts[code]) for code, label in VETTING_TABS.items()],
                "q": q,
                "country": country,
                "countries": selectors.visitor_countries(request.event),
            },
        )

    def post(self, request, event_slug):
        if request.POST.get("bulk"):
            ids = [i for i in map(as_id, request.POST.getlist("ids")) if i is not None]

            def vet_all():
                n = account_services.vet_visitors(
                    event=request.event,
                    actor=request.user,
                    ids=ids,
                    approve=request.POST.get("decision") == "approve",
                    reason=request.POST.get("reason", ""),
                )
                messages.success(
                    request,
                    ngettext("%(n)s visitor vetted.", "%(n)s visitors vetted.", n) % {"n": formats.number(n)},
                )

            return self.act(vet_all, back=redirect(request.get_full_path()))
        visitor = selectors.visitor_in_event(request.event, request.POST.get("visitor"))

        def vet():
            vetted = account_services.vet_visitor(
                visitor=visitor,
                actor=request.user,
                approve=request.POST.get("decision") == "approve",
                reason=request.POST.get("reason", ""),
            )
            messages.success(
                request,
                _("%(name)s: %(status)s") % {"name": vetted.user, "status": vetted.get_status_display()},
            )

        return self.act(vet, back=redirect(request.get_full_path()))


class RotateCalendarView(PermissionMixin, View):
    """A new address for the person's calendar feeds at this event; the old one stops working."""

    permission_required = "events.use_calendar_feed"

    def post(self, request, event_slug):
        admission.rotate_calendar_feed(user=request.user, event=request.event)
        messages.success(
            request,
            _("Your calendar has a new address. Subscribe again with it: the old one no longer works."),
        )
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = reverse("events:home", kwargs={"event_slug": event_slug})
        return redirect(target)
