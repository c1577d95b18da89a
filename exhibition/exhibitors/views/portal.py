"""The exhibitor portal: the company's home, profile and products, staff and badge requests."""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views import View

from exhibition.accounts.models import Organisation
from exhibition.accounts.roles import roles_for
from exhibition.core.views import DomainActionMixin, DomainFormMixin, PermissionMixin

from .. import selectors, services
from ..forms import (
    BadgeForm,
    ContactForm,
    InviteForm,
    ProductForm,
    ProfileForm,
)
from .common import SignedIn

# --- exhibitor portal -------------------------------------------------------------------------------


class PortalRedirectView(SignedIn, PermissionMixin, View):
    permission_required = "events.view_event"

    def get(self, request, event_slug):
        roles = roles_for(request.user, request.event)
        if not roles.company_ids:
            return redirect("exhibitors:apply", event_slug=event_slug)
        return redirect("exhibitors:portal", event_slug=event_slug, org=min(roles.company_ids))


class CompanyMixin(PermissionMixin):
    """The exhibitor portal of one admitted company (404 for anyone else)."""

    permission_required = "exhibitors.view_portal"
    hide_denied = True

    def get_permission_object(self) -> Organisation:
        if not hasattr(self, "org"):
            self.org = selectors.company_at(self.request.event, self.kwargs.get("org"))
            if self.org is None:
                raise Http404
        return self.org


def _booking_links(org) -> dict:
    """Links into the booking app, when it has them (its pages are another engineer's)."""
    out = {}
    for key, name in (("stand", "booking:my_stand"),):
        with contextlib.suppress(NoReverseMatch):
            out[key] = reverse(name, kwargs={"event_slug": org.event.slug})
    return out


class PortalView(CompanyMixin, View):
    template_name = "exhibitors/portal/home.html"

    def get(self, request, event_slug, org):
        application = selectors.application_of_company(self.org)
        return render(
            request,
            self.template_name,
            {
                "org": self.org,
                "application": application,
                "checklist": selectors.checklist(self.org),
                "quota": selectors.badge_quota_for(self.org),
                "stands": selectors.stands_of(self.org),
                "booking": _booking_links(self.org),
                "profile": selectors.profile_for(self.org),
            },
        )


class PortalProfileView(DomainActionMixin, DomainFormMixin, CompanyMixin, View):
    template_name = "exhibitors/portal/profile.html"
    upload_limit = services.LOGO_MAX_BYTES

    def _render(self, request, form=None, product_form=None, contact_form=None, status=200):
        profile = selectors.profile_for(self.org)
        initial = (
            {
                "description_en": profile.description_en,
                "description_fr": profile.description_fr,
                "website": profile.website,
            }
            if profile
            else {"website": self.org.website}
        )
        return render(
            request,
            self.template_name,
            {
                "org": self.org,
                "profile": profile,
                "form": form or ProfileForm(initial=initial),
                "product_form": product_form or ProductForm(event=request.event),
                "contact_form": contact_form or ContactForm(),
                "can_edit": request.user.has_perm("exhibitors.change_profile", self.org),
            },
            status=status,
        )

    def get(self, request, event_slug, org):
        return self._render(request)

    def post(self, request, event_slug, org):
        kind = request.POST.get("form", "profile")
        back = redirect("exhibitors:portal_profile", event_slug=event_slug, org=org)
        if kind not in ("product", "delete_product", "contact", "delete_contact"):

            def save(form):
                services.update_profile(
                    organisation=self.org,
                    actor=request.user,
                    description_en=form.cleaned_data["description_en"],
                    description_fr=form.cleaned_data["description_fr"],
                    website=form.cleaned_data["website"],
                    logo=form.cleaned_data["logo"],
                    remove_logo=form.cleaned_data["remove_logo"],
                )
                messages.success(request, _("Profile saved."))
                return back

            return self.submit(
                ProfileForm(request.POST, request.FILES),
                save,
                lambda form, status: self._render(request, form=form, status=status),
            )
        return self.act(lambda: self._change_list(request, kind), back=back)

    def _change_list(self, request, kind):
        """Add or delete a product or a contact; an invalid form is shown again, with 400."""
        if kind == "product":
            form = ProductForm(request.POST, event=request.event)
            if not form.is_valid():
                return self._render(request, product_form=form, status=400)
            product = services.add_product(organisation=self.org, actor=request.user, **form.cleaned_data)
            done = _("Product “%(name)s” added to your profile.") % {"name": product.name}
        elif kind == "delete_product":
            product = selectors.product_of(self.org, request.POST.get("product"))
            services.delete_product(product=product, actor=request.user)
            done = _("Product “%(name)s” removed.") % {"name": product.name}
        elif kind == "contact":
            form = ContactForm(request.POST)
            if not form.is_valid():
                return self._render(request, contact_form=form, status=400)
            contact = services.add_contact(organisation=self.org, actor=request.user, **form.cleaned_data)
            done = _("Contact “%(name)s” added.") % {"name": contact.name}
        else:
            contact = selectors.contact_of(self.org, request.POST.get("contact"))
            services.delete_contact(contact=contact, actor=request.user)
            done = _("Contact “%(name)s” removed.") % {"name": contact.name}
        messages.success(request, done)
        return None


class PortalStaffView(DomainFormMixin, CompanyMixin, View):
    permission_required = "exhibitors.view_staff"
    template_name = "exhibitors/portal/staff.html"

    def _render(self, request, form=None, status=200):
        return render(
            request,
            self.template_name,
            {
                "org": self.org,
                "form": form or InviteForm(),
                "members": selectors.staff_of(self.org),
                "invitations": selectors.open_invitations_of(self.org),
                "can_invite": request.user.has_perm("exhibitors.invite_staff", self.org),
                "quota": selectors.badge_quota_for(self.org),
            },
            status=status,
        )

    def get(self, request, event_slug, org):
        return self._render(request)

    def post(self, request, event_slug, org):

        def invite(form):
            services.invite_colleague(
                organisation=self.org, actor=request.user, email=form.cleaned_data["email"]
            )
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
            )
            return redirect("exhibitors:portal_staff", event_slug=event_slug, org=org)

        return self.submit(
            InviteForm(request.POST), invite, lambda form, status: self._render(request, form, status=status)
        )


class PortalBadgesView(DomainActionMixin, DomainFormMixin, CompanyMixin, View):
    permission_required = "exhibitors.view_badges"
    template_name = "exhibitors/portal/badges.html"

    def _render(self, request, form=None, status=200):
        conf = selectors.settings_for(request.event)
        return render(
            request,
            self.template_name,
            {
                "org": self.org,
                "form": form or BadgeForm(),
                "badges": selectors.badges_for(self.org),
                "quota": selectors.badge_quota_for(self.org, conf),
                "conf": conf,
            },
            status=status,
        )

    def get(self, request, event_slug, org):
        return self._render(request)

    def post(self, request, event_slug, org):
        if "cancel" in request.POST:
            badge = selectors.badge_of(self.org, request.POST.get("cancel"))
            return self.act(
                lambda: services.cancel_badge(badge=badge, actor=request.user),
                back=redirect("exhibitors:portal_badges", event_slug=event_slug, org=org),
            )

        def request_badge(form):
            services.request_badge(organisation=self.org, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Badge requested."))
            return redirect("exhibitors:portal_badges", event_slug=event_slug, org=org)

        return self.submit(
            BadgeForm(request.POST),
            request_badge,
            lambda form, status: self._render(request, form, status=status),
        )
