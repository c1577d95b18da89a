"""One's own badge (wallet page, PDF, the wallet link), and a company's or delegation's badges."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from exhibition.accounts.models import Organisation
from exhibition.core.errors import DomainError
from exhibition.core.views import DomainActionMixin, DomainFormMixin, PermissionMixin
from exhibition.exhibitors import services as exhibitor_services
from exhibition.exhibitors.selectors import badge_quota_for

from .. import emails, forms, pdf, selectors, services
from ..models import Badge
from ..services.printing import badge_signer
from .common import badge_format, pdf_response, wallet_context

# --- one's own badge -----------------------------------------------------------------------------------


class MyBadgeView(DomainActionMixin, PermissionMixin, View):
    permission_required = "accreditation.view_own_badge"
    template_name = "accreditation/my_badge.html"

    def get(self, request, event_slug):
        badge = selectors.own_badge(request.event, request.user)
        ctx = wallet_context(badge)
        ctx["may_issue"] = (
            badge is None
            and request.user.has_perm("accreditation.issue_own_badge", request.event)
            and services.is_set_up(request.event)
        )
        ctx["self_print"] = badge is not None and request.user.has_perm(
            "accreditation.print_own_badge", badge
        )
        return render(request, self.template_name, ctx)

    def post(self, request, event_slug):
        return self.act(
            lambda: self._change(request, request.POST.get("action", "")),
            back=redirect("accreditation:my_badge", event_slug=event_slug),
        )

    def _change(self, request, action):
        if action == "issue":
            services.issue_for_person(event=request.event, user=request.user, actor=request.user)
            messages.success(request, _("Your badge is ready."))
        else:
            badge = selectors.own_badge(request.event, request.user)
            if badge is None:
                raise Http404
            if action == "leads":
                services.set_leads_opt_out(
                    badge=badge, actor=request.user, opt_out=request.POST.get("opt_out") == "1"
                )
                messages.success(request, _("Your choice is saved."))
            elif action == "email":
                services.send_badge(badge=badge, actor=request.user)
                messages.success(request, _("We e-mailed your badge to %(email)s.") % {"email": badge.email})
            else:
                raise Http404


class MyBadgePdfView(DomainActionMixin, PermissionMixin, View):
    permission_required = "accreditation.view_own_badge"

    def get(self, request, event_slug):
        badge = selectors.own_badge(request.event, request.user)
        if badge is None:
            raise Http404
        return self.act(
            lambda: pdf_response(
                services.badge_pdf(badge=badge, actor=request.user, fmt=badge_format(request)),
                f"badge-{badge.number}.pdf",
            ),
            back=redirect("accreditation:my_badge", event_slug=event_slug),
        )


class WalletLinkView(View):
    """Public by name (core.gate): the signed, expiring address e-mailed to the holder is the key."""

    def get(self, request, event_slug, token):
        badge = emails.badge_for_token(token, request.event)
        if badge is None:
            return render(request, "accreditation/wallet_link.html", {"badge": None}, status=404)
        ctx = wallet_context(badge)
        ctx["token"] = token
        return render(request, "accreditation/wallet_link.html", ctx, status=200 if ctx["code_svg"] else 410)


class WalletLinkPdfView(View):
    def get(self, request, event_slug, token):
        badge = emails.badge_for_token(token, request.event)
        if badge is None:
            raise Http404
        try:
            services.check_printable(badge)
        except DomainError:  # handled here: a check; the public link says nothing more than 404
            raise Http404 from None
        data = pdf.render([badge], badge_signer(), fmt=badge_format(request))
        services.badges.mark_printed([badge])
        return pdf_response(data, f"badge-{badge.number}.pdf")


class BadgePdfView(DomainActionMixin, PermissionMixin, View):
    """One badge's PDF for whoever may see it (organiser, company admin, head of delegation)."""

    permission_required = "accreditation.view_badge"
    hide_denied = True

    def get_permission_object(self):
        if not hasattr(self, "_badge"):
            self._badge = selectors.badge_of(self.request.event, self.kwargs["pk"])
        return self._badge

    def get(self, request, event_slug, pk):
        badge = self.get_permission_object()
        return self.act(
            lambda: pdf_response(
                services.badge_pdf(badge=badge, actor=request.user, fmt=badge_format(request)),
                f"badge-{badge.number}.pdf",
            ),
            failed=lambda exc: render(
                request, "accreditation/not_printable.html", {"message": exc.message}, status=409
            ),
        )


# --- a company's or a delegation's badges ----------------------------------------------------------------


class OrganisationMixin(PermissionMixin):
    permission_required = "accreditation.manage_organisation_badges"
    hide_denied = True

    def get_permission_object(self):
        if not hasattr(self, "_org"):
            self._org = selectors.organisation_for(self.request.event, self.kwargs["org"])
        return self._org


class OrganisationBadgesView(DomainActionMixin, DomainFormMixin, OrganisationMixin, View):
    template_name = "accreditation/organisation.html"

    def _render(self, request, form=None, photo_errors=None, status=200):
        org = self.get_permission_object()
        badges = selectors.organisation_badges(org)
        ctx = {
            "org": org,
            "badges": badges,
            "form": form or forms.StaffBadgeForm(),
            "photo_form": forms.PhotoForm(),
            "photo_errors": photo_errors or {},
            "set_up": services.is_set_up(request.event),
        }
        if org.kind == Organisation.Kind.COMPANY:
            ctx["quota"] = badge_quota_for(org)
            # requested on the exhibitor portal, not issued yet: listed with the badges
            ctx["awaiting"] = selectors.awaiting_badge_requests(org)
        else:
            by_member = {b.delegation_member_id: b for b in badges if b.is_live and b.delegation_member_id}
            members = selectors.delegation_members_of(org)
            ctx["members"] = [(m, by_member.get(m.pk)) for m in members]
        return render(request, self.template_name, ctx, status=status)

    def get(self, request, event_slug, org):
        return self._render(request)

    def post(self, request, event_slug, org):
        org = self.get_permission_object()
        back = redirect("accreditation:organisation", event_slug=event_slug, org=org.pk)
        return self.act(lambda: self._change(request, org, request.POST.get("action", ""), back), back=back)

    def _change(self, request, org, action, back):
        user = request.user
        if action == "add" and org.kind == Organisation.Kind.COMPANY:

            def add(form):
                badge = services.add_staff_badge(organisation=org, actor=user, **form.cleaned_data)
                messages.success(request, _("Badge issued for %(name)s.") % {"name": badge.name})
                return back

            return self.submit(
                forms.StaffBadgeForm(request.POST),
                add,
                lambda form, status: self._render(request, form=form, status=status),
            )
        if action == "photo" and org.kind == Organisation.Kind.DELEGATION:
            member = selectors.delegation_member_of(org, request.POST.get("member"))
            upload = request.FILES.get("photo")

            def photo():
                badge = services.issue_for_member(
                    member=member, actor=user, photo=upload.read() if upload else b""
                )
                messages.success(request, _("Photo saved for %(name)s.") % {"name": badge.name})

            # The error shows beside the member's photo field, not as a message.
            return self.act(
                photo,
                back=back,
                failed=lambda exc: self._render(request, photo_errors={member.pk: exc.message}, status=400),
            )
        if action == "issue_requested" and org.kind == Organisation.Kind.COMPANY:
            n = services.issue_requested_badges(organisation=org, actor=user)
            messages.success(request, ngettext("%(n)d badge issued.", "%(n)d badges issued.", n) % {"n": n})
            return None
        if action == "cancel_request" and org.kind == Organisation.Kind.COMPANY:
            badge_request = selectors.awaiting_badge_request(org, request.POST.get("badge_request"))
            exhibitor_services.cancel_badge(badge=badge_request, actor=user)
            messages.success(
                request, _("The badge request of %(name)s was cancelled.") % {"name": badge_request.name}
            )
            return None
        if action in ("cancel", "send"):
            badge = selectors.organisation_badge(org, request.POST.get("badge"))
            if action == "cancel":
                services.cancel_staff_badge(badge=badge, actor=user)
                messages.success(request, _("The badge of %(name)s was cancelled.") % {"name": badge.name})
            else:
                services.send_badge(badge=badge, actor=user)
                messages.success(request, _("Badge e-mailed to %(email)s.") % {"email": badge.email})
        else:
            raise Http404
        return None


class OrganisationPdfView(DomainActionMixin, OrganisationMixin, View):
    def get(self, request, event_slug, org):
        org = self.get_permission_object()
        badges = [b for b in selectors.organisation_badges(org) if b.status == Badge.Status.VALID]
        return self.act(
            lambda: pdf_response(
                services.organisation_pdf(badges=badges, actor=request.user, fmt=badge_format(request)),
                "badges.pdf",
            ),
            back=redirect("accreditation:organisation", event_slug=event_slug, org=org.pk),
        )
