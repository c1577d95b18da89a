from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from exhibition.accounts import services as account_services
from exhibition.accounts.forms import InvitationForm, VisitorRegistrationForm
from exhibition.accounts.models import Invitation, Membership, Organisation, TradeVisitor
from exhibition.accounts.roles import roles_for
from exhibition.core.errors import DomainError
from exhibition.core.views import PermissionMixin, add_domain_error

from .selectors import event_summary, events_for_user


class HomeView(TemplateView):
    """The site's front page: the events this user can see, each with a link to their landing."""

    template_name = "events/home.html"

    def get(self, request, *args, **kwargs):
        events = list(events_for_user(request.user))
        if request.user.is_authenticated:
            mine = [e for e in events if roles_for(request.user, e).any]
            if len(mine) == 1:
                return redirect("events:home", event_slug=mine[0].slug)
        return render(request, self.template_name, {"events": events})


class EventHomeView(PermissionMixin, TemplateView):
    """Landing page per role: what this person has to do next at this event."""

    permission_required = "events.view_event"

    def get_template_names(self):
        roles = roles_for(self.request.user, self.request.event)
        if roles.is_organiser:
            return ["events/manage/landing.html"]
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
        ctx["days"] = list(event.days.all())
        ctx["halls"] = list(event.halls.all())
        if roles.is_organiser:
            ctx["summary"] = event_summary(event)
            ctx["open_invitations"] = Invitation.objects.filter(
                event=event, accepted_at__isnull=True, revoked_at__isnull=True
            ).count()
        if roles.memberships:
            ctx["memberships"] = list(
                Membership.objects.filter(user=user, organisation__event=event)
                .select_related("organisation")
                .prefetch_related("organisation__sectors")
            )
            ctx["organisations"] = [m.organisation for m in ctx["memberships"]]
            members = Membership.objects.filter(organisation__in=ctx["organisations"]).select_related("user")
            ctx["members"] = list(members)
        if roles.is_visitor:
            ctx["visitor"] = TradeVisitor.objects.filter(event=event, user=user).first()
        return ctx


class InvitationsView(PermissionMixin, View):
    """Organisers invite organisers and participants; company admins and heads of delegation
    invite colleagues to their own organisation."""

    template_name = "events/invitations.html"
    permission_required = "events.view_event"

    def _form_kwargs(self):
        event, user = self.request.event, self.request.user
        roles = roles_for(user, event)
        if roles.is_organiser:
            allowed = [r for r in Invitation.Role.values if roles.is_organiser_admin or not r.startswith("organiser")]
            orgs = Organisation.objects.filter(event=event).order_by("kind", "name")
        else:
            managed = [oid for oid in roles.memberships if roles.manages(oid)]
            orgs = Organisation.objects.filter(pk__in=managed)
            kinds = set(orgs.values_list("kind", flat=True))
            allowed = [r for r, (kind, _m) in Invitation.ORGANISATION_ROLES.items() if kind in kinds]
        return {"event": event, "roles": allowed, "organisations": orgs}

    def _render(self, request, form, status=200):
        kwargs = self._form_kwargs()
        if not kwargs["roles"]:
            return render(request, "403.html", status=403)
        if roles_for(request.user, request.event).is_organiser:
            visible = Invitation.objects.filter(event=request.event)
        else:
            visible = Invitation.objects.filter(organisation__in=kwargs["organisations"])
        page = Paginator(visible.select_related("organisation", "invited_by").order_by("-created_at"), 25).get_page(
            request.GET.get("page")
        )
        return render(request, self.template_name, {"form": form, "page": page}, status=status)

    def get(self, request, event_slug):
        return self._render(request, InvitationForm(**self._form_kwargs()))

    def post(self, request, event_slug):
        kwargs = self._form_kwargs()
        if not kwargs["roles"]:
            return render(request, "403.html", status=403)
        form = InvitationForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                account_services.invite(
                    event=request.event,
                    actor=request.user,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    organisation=form.cleaned_data["organisation"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
                return redirect("events:invitations", event_slug=event_slug)
        return self._render(request, form, status=400)


class VisitorRegistrationView(LoginRequiredMixin, PermissionMixin, View):
    permission_required = "events.view_event"
    template_name = "events/visitor_register.html"

    def get(self, request, event_slug):
        if roles_for(request.user, request.event).is_visitor:
            return redirect("events:home", event_slug=event_slug)
        return render(request, self.template_name, {"form": VisitorRegistrationForm(event=request.event)})

    def post(self, request, event_slug):
        form = VisitorRegistrationForm(request.POST, event=request.event)
        if form.is_valid():
            try:
                account_services.register_visitor(event=request.event, user=request.user, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Thank you. The organiser will review your registration."))
                return redirect("events:home", event_slug=event_slug)
        return render(request, self.template_name, {"form": form}, status=400)


class VisitorVettingView(PermissionMixin, View):
    permission_required = "events.manage_event"
    template_name = "events/manage/visitors.html"

    def get(self, request, event_slug):
        status = request.GET.get("status", TradeVisitor.Status.PENDING)
        qs = TradeVisitor.objects.filter(event=request.event).select_related("user").order_by("created_at", "id")
        if status in TradeVisitor.Status.values:
            qs = qs.filter(status=status)
        page = Paginator(qs, 50).get_page(request.GET.get("page"))
        return render(request, self.template_name, {"page": page, "status": status, "statuses": TradeVisitor.Status.choices})

    def post(self, request, event_slug):
        visitor = get_object_or_404(TradeVisitor, event=request.event, pk=request.POST.get("visitor"))
        try:
            visitor = account_services.vet_visitor(visitor=visitor, actor=request.user, approve=request.POST.get("decision") == "approve")
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(name)s: %(status)s") % {"name": visitor.user, "status": visitor.get_status_display()})
        return redirect(request.get_full_path())
