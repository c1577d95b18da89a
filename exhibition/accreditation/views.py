"""Accreditation pages: one's badge (wallet and PDF), a company's or delegation's badges, leads,
the scanner page, and the organiser's screens (badges, batch printing, the site's zones and
rules, scanners, live operations). Thin: a form parses, one service acts, redirect or render."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from exhibition.accounts.models import Organisation
from exhibition.accounts.roles import roles_for
from exhibition.core.errors import DomainError
from exhibition.core.views import DomainActionMixin, DomainFormMixin, PermissionMixin
from exhibition.delegations.models import DelegationMember
from exhibition.exhibitors.selectors import badge_quota_for

from . import emails, forms, selectors, services
from .models import AccessDay, AccessRule, Badge, BadgeCategory, Device, Gate, Lead, PrintJob, Zone
from .services.leads import company_of

MANAGE = "accreditation.manage"


def qr_svg(code: str, label: str) -> str:
    import segno

    return segno.make_qr(code, error="m").svg_inline(
        scale=4, omitsize=True, title=label, dark="#000", light="#fff"
    )


def pdf_response(data: bytes, name: str, inline: bool = False) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def _fmt(request) -> str:
    return "label" if request.GET.get("format") == "label" else "a6"


def wallet_context(badge: Badge | None) -> dict:
    """What the wallet page shows: the code only while the badge may be used."""
    ctx: dict = {"badge": badge, "code_svg": None, "blocked": None}
    if badge is None:
        return ctx
    try:
        services.check_printable(badge)
    except DomainError as exc:  # handled here: a check, not an action; its message is the badge's state
        ctx["blocked"] = exc.message
        return ctx
    ctx["code_svg"] = qr_svg(services.code_for(badge), _("Badge code of %(name)s") % {"name": badge.name})
    return ctx


# --- one's own badge -----------------------------------------------------------------------------------


class MyBadgeView(DomainActionMixin, PermissionMixin, View):
    permission_required = "accreditation.view_own_badge"
    template_name = "accreditation/my_badge.html"

    def get(self, request, event_slug):
        badge = selectors.own_badge(request.event, request.user)
        roles = roles_for(request.user, request.event)
        ctx = wallet_context(badge)
        ctx["may_issue"] = (
            badge is None
            and (roles.is_organiser or roles.is_approved_visitor)
            and services.is_set_up(request.event)
        )
        ctx["self_print"] = badge is not None and (
            badge.category.self_print or roles.is_organiser or badge.organisation_id is not None
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
                services.badge_pdf(badge=badge, actor=request.user, fmt=_fmt(request)),
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
        from .services.printing import _signer

        badge = emails.badge_for_token(token, request.event)
        if badge is None:
            raise Http404
        try:
            services.check_printable(badge)
        except DomainError:  # handled here: a check; the public link says nothing more than 404
            raise Http404 from None
        from . import pdf

        data = pdf.render([badge], _signer(), fmt=_fmt(request))
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
                services.badge_pdf(badge=badge, actor=request.user, fmt=_fmt(request)),
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
            self._org = get_object_or_404(Organisation, event=self.request.event, pk=self.kwargs["org"])
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
        else:
            by_member = {b.delegation_member_id: b for b in badges if b.is_live and b.delegation_member_id}
            members = DelegationMember.objects.filter(delegation__organisation=org)
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
        elif action == "photo" and org.kind == Organisation.Kind.DELEGATION:
            member = get_object_or_404(
                DelegationMember, delegation__organisation=org, pk=request.POST.get("member")
            )
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
        elif action in ("cancel", "send"):
            badge = get_object_or_404(Badge, organisation=org, pk=request.POST.get("badge"))
            if action == "cancel":
                services.cancel_staff_badge(badge=badge, actor=user)
                messages.success(request, _("The badge of %(name)s was cancelled.") % {"name": badge.name})
            else:
                services.send_badge(badge=badge, actor=user)
                messages.success(request, _("Badge e-mailed to %(email)s.") % {"email": badge.email})
        else:
            raise Http404


class OrganisationPdfView(DomainActionMixin, OrganisationMixin, View):
    def get(self, request, event_slug, org):
        org = self.get_permission_object()
        badges = [b for b in selectors.organisation_badges(org) if b.status == Badge.Status.VALID]
        return self.act(
            lambda: pdf_response(
                services.organisation_pdf(badges=badges, actor=request.user, fmt=_fmt(request)), "badges.pdf"
            ),
            back=redirect("accreditation:organisation", event_slug=event_slug, org=org.pk),
        )


# --- leads ---------------------------------------------------------------------------------------------------


class LeadsMixin(DomainActionMixin, PermissionMixin):
    permission_required = "accreditation.capture_leads"

    def company(self):
        c = self.request.GET.get("company", "")
        try:
            return company_of(self.request.user, self.request.event, int(c) if c.isdigit() else None)
        except DomainError:  # handled here: a lookup; a company not yours is not found (404)
            raise Http404 from None


class LeadsView(LeadsMixin, View):
    template_name = "accreditation/leads.html"

    def get(self, request, event_slug):
        company = self.company()
        page = Paginator(selectors.leads_of(company), 50).get_page(request.GET.get("page"))
        return render(
            request,
            self.template_name,
            {
                "company": company,
                "page": page,
                "companies": sorted(roles_for(request.user, request.event).company_ids),
            },
        )

    def post(self, request, event_slug):
        company = self.company()
        lead = get_object_or_404(Lead, organisation=company, pk=request.POST.get("lead"))
        return self.act(lambda: self._change(request, lead), back=redirect(request.get_full_path()))

    def _change(self, request, lead):
        if request.POST.get("action") == "delete":
            services.delete_lead(lead=lead, actor=request.user)
            messages.success(request, _("Lead deleted."))
        else:
            form = forms.LeadForm(request.POST)
            if form.is_valid():
                services.update_lead(lead=lead, actor=request.user, **form.cleaned_data)
                messages.success(request, _("Lead saved."))
            else:
                messages.error(request, _("Rate from 1 to 5."))


class LeadsCsvView(LeadsMixin, View):
    def get(self, request, event_slug):
        company = self.company()
        response = HttpResponse(selectors.leads_csv(company), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="leads.csv"'
        return response


def scanner_i18n() -> dict[str, str]:
    """The words the scanner page's script shows (it runs offline: no round trip to translate)."""
    from .services.checkin import REASONS

    words = {k: str(v) for k, v in REASONS.items()}
    words.update(
        {
            "ok": _("Welcome"),
            "ok_exit": _("Goodbye"),
            "refused": _("Refused"),
            "online": _("Online"),
            "offline": _("Offline: deciding on this device"),
            "queued": _("%(n)s scans waiting to upload"),
            "synced": _("Rules from %(t)s"),
            "checked_offline": _("Checked offline"),
            "camera_start": _("Start the camera"),
            "camera_stop": _("Stop the camera"),
            "camera_error": _("The camera could not be started: type the code instead."),
            "revoked_device": _("This scanner was withdrawn by the organiser: its data was erased."),
            "bad_code": _("This code is not valid: ask the organiser for a new one."),
            "no_gate": _("Choose a gate."),
            "lead_saved": _("Lead saved."),
            "lead_offline": _("You are offline: scan again when connected."),
            "lead_ok": _("Lead recorded"),
            "lead_again": _("Already in your leads: note updated"),
            "meeting_held": _("Meeting with %(who)s at %(t)s: held"),
            "meeting_waiting": _("Meeting with %(who)s at %(t)s: waiting for them"),
            "meeting_none": _("No meeting at this table now"),
            "forced": _("Let through offline; flagged"),
            "badge_no": _("Badge no. %(n)s"),
            "error": _("Something went wrong: try again."),
        }
    )
    return words


class LeadScannerView(LeadsMixin, View):
    def get(self, request, event_slug):
        company = self.company()
        return render(
            request,
            "accreditation/scanner.html",
            {"mode": "leads", "company": company, "i18n": scanner_i18n()},
        )


class ScannerView(View):
    """Public by name (core.gate): the page's shell. It holds nothing until a device registers
    with its one-time code; everything else goes through the device-authenticated API."""

    def get(self, request, event_slug):
        return render(request, "accreditation/scanner.html", {"mode": "gate", "i18n": scanner_i18n()})


# --- organiser screens ------------------------------------------------------------------------------------


class ManageMixin(DomainActionMixin, DomainFormMixin, PermissionMixin):
    permission_required = MANAGE


class ManageView(ManageMixin, View):
    template_name = "accreditation/manage/home.html"

    def get(self, request, event_slug):
        event = request.event
        from django.db.models import Count, Q

        cats = selectors.categories_of(event).annotate(
            valid=Count("badges", filter=Q(badges__status="valid")),
            pending=Count("badges", filter=Q(badges__status="pending")),
            revoked=Count("badges", filter=Q(badges__status="revoked")),
        )
        from .models import SigningKey

        return render(
            request,
            self.template_name,
            {
                "set_up": services.is_set_up(event),
                "categories": cats,
                "keys": SigningKey.objects.filter(event=event).order_by("-kid"),
                "devices": selectors.devices_of(event).filter(revoked_at__isnull=True).count(),
            },
        )

    def post(self, request, event_slug):
        return self.act(
            lambda: self._change(request, request.POST.get("action")),
            back=redirect("accreditation:manage", event_slug=event_slug),
        )

    def _change(self, request, action):
        event, user = request.event, request.user
        if action == "set_up":
            services.set_up(event=event, actor=user)
            n = services.issue_missing_badges(event=event, actor=user)
            messages.success(request, _("Accreditation is set up; %(n)s badges issued.") % {"n": n})
        elif action == "issue_missing":
            n = services.issue_missing_badges(event=event, actor=user)
            messages.success(request, _("%(n)s badges issued.") % {"n": n})
        elif action == "rotate_key":
            key = services.rotate_key(event=event, actor=user)
            messages.success(
                request,
                _("Key %(kid)s now signs new badges; older keys still verify.") % {"kid": key.kid},
            )
        elif action == "withdraw_key":
            from .models import SigningKey

            key = get_object_or_404(SigningKey, event=event, pk=request.POST.get("key"))
            n = services.withdraw_key(key=key, actor=user)
            messages.success(
                request,
                _("Key %(kid)s withdrawn: %(n)s badges must be printed again.") % {"kid": key.kid, "n": n},
            )
        else:
            raise Http404


class BadgeListView(ManageMixin, View):
    template_name = "accreditation/manage/badges.html"

    def get(self, request, event_slug):
        p = request.GET
        qs = selectors.badges_for_organiser(
            request.event,
            category=p.get("category", ""),
            status=p.get("status", ""),
            q=p.get("q", "").strip()[:100],
        )
        page = Paginator(qs, 50).get_page(p.get("page"))
        return render(
            request,
            self.template_name,
            {
                "page": page,
                "categories": selectors.categories_of(request.event),
                "statuses": Badge.Status.choices,
                "filters": {
                    "category": p.get("category", ""),
                    "status": p.get("status", ""),
                    "q": p.get("q", ""),
                },
            },
        )


class NewBadgeView(ManageMixin, View):
    template_name = "accreditation/manage/badge_new.html"

    def get(self, request, event_slug):
        initial = {}
        code = request.GET.get("category")
        if code:
            initial["category"] = BadgeCategory.objects.filter(event=request.event, code=code).first()
        return render(
            request, self.template_name, {"form": forms.ManualBadgeForm(event=request.event, initial=initial)}
        )

    def post(self, request, event_slug):
        return self.submit(forms.ManualBadgeForm(request.POST, request.FILES, event=request.event))

    def perform(self, form):
        data = dict(form.cleaned_data)
        upload = data.pop("photo", None)
        badge = services.issue_manual(
            event=self.request.event, actor=self.request.user, photo=upload.read() if upload else None, **data
        )
        messages.success(self.request, _("Badge issued for %(name)s.") % {"name": badge.name})
        return redirect("accreditation:badge", event_slug=self.request.event.slug, pk=badge.pk)


class BadgeView(ManageMixin, View):
    template_name = "accreditation/manage/badge.html"

    def badge(self):
        badge = selectors.badge_of(self.request.event, self.kwargs["pk"])
        if badge is None:
            raise Http404
        return badge

    def get(self, request, event_slug, pk, photo_form=None, status=200):
        badge = self.badge()
        ctx = wallet_context(badge)
        ctx.update(
            {
                "photo_form": photo_form or forms.PhotoForm(),
                "categories": selectors.categories_of(request.event),
                "scans": selectors.scans_of(request.event, badge=badge.pk)[:20],
                "replaced_by": Badge.objects.filter(replaces=badge).first(),
            }
        )
        return render(request, self.template_name, ctx, status=status)

    def post(self, request, event_slug, pk):
        badge = self.badge()
        return self.act(
            lambda: self._change(request, badge, request.POST.get("action")),
            back=redirect("accreditation:badge", event_slug=event_slug, pk=pk),
        )

    def _change(self, request, badge, action):
        event_slug, pk = request.event.slug, badge.pk
        if action == "reissue":
            cat = BadgeCategory.objects.filter(
                event=request.event, code=request.POST.get("category", "")
            ).first()
            new = services.reissue_badge(badge=badge, actor=request.user, category=cat)
            messages.success(request, _("New badge issued; the old code is refused from now on."))
            return redirect("accreditation:badge", event_slug=event_slug, pk=new.pk)
        if action == "revoke":
            services.revoke_badge(badge=badge, actor=request.user, note=request.POST.get("note", ""))
            messages.success(request, _("Badge revoked: the gates refuse it from now on."))
        elif action == "send":
            services.send_badge(badge=badge, actor=request.user)
            messages.success(request, _("Badge e-mailed to %(email)s.") % {"email": badge.email})
        elif action == "photo":

            def photo(form):
                services.set_photo(badge=badge, actor=request.user, data=form.cleaned_data["photo"].read())
                messages.success(request, _("Photo saved."))
                return redirect("accreditation:badge", event_slug=event_slug, pk=pk)

            return self.submit(
                forms.PhotoForm(request.POST, request.FILES),
                photo,
                lambda form, status: self.get(request, event_slug, pk, photo_form=form, status=status),
            )
        else:
            raise Http404


class PrintView(ManageMixin, View):
    template_name = "accreditation/manage/print.html"

    def get(self, request, event_slug, form=None, status=200):
        return render(
            request,
            self.template_name,
            {
                "form": form or forms.PrintForm(event=request.event),
                "jobs": selectors.print_jobs_of(request.event),
            },
            status=status,
        )

    def post(self, request, event_slug):
        def start(form):
            job = services.start_print_job(
                event=request.event,
                actor=request.user,
                fmt=form.cleaned_data["format"],
                category=form.cleaned_data["category"],
                organisation=form.cleaned_data["organisation"],
                new_only=form.cleaned_data["new_only"],
            )
            messages.success(request, _("Printing %(n)s badges.") % {"n": len(job.badge_ids)})
            return redirect("accreditation:print", event_slug=event_slug)

        return self.submit(
            forms.PrintForm(request.POST, event=request.event),
            start,
            lambda form, status: self.get(request, event_slug, form=form, status=status),
        )


class PrintJobView(ManageMixin, View):
    """The progress of one batch (polled by htmx)."""

    def get(self, request, event_slug, pk):
        job = get_object_or_404(PrintJob, event=request.event, pk=pk)
        return render(request, "accreditation/manage/_print_job.html", {"job": job})


class PrintJobDownloadView(ManageMixin, View):
    def get(self, request, event_slug, pk):
        job = get_object_or_404(PrintJob, event=request.event, pk=pk, status=PrintJob.Status.DONE)
        if not job.file:
            raise Http404
        return FileResponse(
            job.file.open("rb"),
            as_attachment=True,
            filename=f"badges-{job.pk}.pdf",
            content_type="application/pdf",
        )


class CategoryView(ManageMixin, View):
    template_name = "accreditation/manage/category.html"

    def get(self, request, event_slug, pk, form=None, status=200):
        cat = get_object_or_404(BadgeCategory, event=request.event, pk=pk)
        return render(
            request,
            self.template_name,
            {"category": cat, "form": form or forms.CategoryForm(instance=cat)},
            status=status,
        )

    def post(self, request, event_slug, pk):
        cat = get_object_or_404(BadgeCategory, event=request.event, pk=pk)

        def save(form):
            services.save_category(
                category=form.save(commit=False),
                actor=request.user,
                zones=form.cleaned_data["zones"],
                days=form.cleaned_data["days"],
            )
            messages.success(request, _("Category saved. Scanners pick up the change at their next sync."))
            return redirect("accreditation:manage", event_slug=event_slug)

        return self.submit(
            forms.CategoryForm(request.POST, instance=cat),
            save,
            lambda form, status: self.get(request, event_slug, pk, form=form, status=status),
        )


class SiteView(ManageMixin, View):
    """Days, zones, gates and rules on one page, each with its small form."""

    template_name = "accreditation/manage/site.html"
    KINDS = {
        "day": (AccessDay, forms.DayForm, "save_day", "day"),
        "zone": (Zone, forms.ZoneForm, "save_zone", "zone"),
        "gate": (Gate, forms.GateForm, "save_gate", "gate"),
        "rule": (AccessRule, forms.RuleForm, "save_rule", "rule"),
    }

    def _form(self, kind, data=None):
        model, form_class, _s, _a = self.KINDS[kind]
        kwargs = {"event": self.request.event} if kind in ("gate", "rule") else {}
        return form_class(data, instance=model(event=self.request.event), prefix=kind, **kwargs)

    def get(self, request, event_slug, bound=None, status=200):
        event = request.event
        ctx = {k: (bound if bound is not None and bound.prefix == k else self._form(k)) for k in self.KINDS}
        ctx = {f"{k}_form": v for k, v in ctx.items()}
        ctx.update(
            {
                "days": selectors.access_days(event),
                "zones": Zone.objects.filter(event=event).select_related("hall"),
                "gates": Gate.objects.filter(event=event).select_related("zone", "place"),
                "rules": AccessRule.objects.filter(event=event).select_related("category", "zone", "day"),
            }
        )
        return render(request, self.template_name, ctx, status=status)

    def post(self, request, event_slug):
        kind = request.POST.get("kind", "")
        if kind not in self.KINDS:
            raise Http404
        model, _f, saver, arg = self.KINDS[kind]
        back = redirect("accreditation:site", event_slug=event_slug)
        if request.POST.get("action") == "delete":
            obj = get_object_or_404(model, event=request.event, pk=request.POST.get("id"))

            def delete():
                services.delete_setup_object(obj=obj, actor=request.user)
                messages.success(request, _("Deleted."))

            return self.act(delete, back=back)

        def save(form):
            getattr(services, saver)(**{arg: form.save(commit=False), "actor": request.user})
            messages.success(request, _("Saved. Scanners pick up the change at their next sync."))
            return back

        return self.submit(
            self._form(kind, request.POST),
            save,
            lambda form, status: self.get(request, event_slug, bound=form, status=status),
        )


class DevicesView(ManageMixin, View):
    template_name = "accreditation/manage/devices.html"

    def get(self, request, event_slug, form=None, new=None, status=200):
        return render(
            request,
            self.template_name,
            {
                "form": form or forms.DeviceForm(event=request.event),
                "devices": selectors.devices_of(request.event),
                "new": new,
                "scanner_url": request.build_absolute_uri(
                    reverse("accreditation:scanner", kwargs={"event_slug": event_slug})
                ),
            },
            status=status,
        )

    def post(self, request, event_slug):
        action = request.POST.get("action", "create")
        if action == "create":

            def create(form):
                device, code = services.create_device(
                    event=request.event, actor=request.user, **form.cleaned_data
                )
                # The code is shown once, here, and never stored: no redirect.
                return self.get(request, event_slug, new={"device": device, "code": code})

            return self.submit(
                forms.DeviceForm(request.POST, event=request.event),
                create,
                lambda form, status: self.get(request, event_slug, form=form, status=status),
            )
        device = get_object_or_404(Device, event=request.event, pk=request.POST.get("device"))
        return self.act(
            lambda: self._change(request, device, action),
            back=redirect("accreditation:devices", event_slug=event_slug),
        )

    def _change(self, request, device, action):
        event_slug = request.event.slug
        if action == "revoke":
            services.revoke_device(device=device, actor=request.user)
            messages.success(
                request,
                _("%(name)s is withdrawn: it forgets its data at its next contact.") % {"name": device.name},
            )
        elif action == "new_code":
            code = services.new_code(device=device, actor=request.user)
            return self.get(request, event_slug, new={"device": device, "code": code})
        elif action == "gate":
            gate = Gate.objects.filter(event=request.event, pk=request.POST.get("gate") or 0).first()
            services.set_device_gate(device=device, actor=request.user, gate=gate)
            messages.success(request, _("Saved."))
        else:
            raise Http404


class LiveView(ManageMixin, View):
    template_name = "accreditation/manage/live.html"

    def get(self, request, event_slug):
        from datetime import date

        try:
            day = date.fromisoformat(request.GET["day"]) if request.GET.get("day") else None
        except ValueError:
            day = None
        data = selectors.live(request.event, day)
        ctx = {
            "live": data,
            "chart": selectors.arrivals_svg(
                data, title=_("Arrivals per 15 minutes by category"), empty=_("No arrivals yet on this day.")
            ),
            "days": selectors.access_days(request.event),
            # On site: who is inside the site entrance's zone (halls are inside the site, not added).
            "inside_total": sum(n for z, n in data.inside if z.kind == "site")
            or max((n for _z, n in data.inside), default=0),
        }
        if request.headers.get("X-Partial") == "live":
            return render(request, "accreditation/manage/_live.html", ctx)
        return render(request, self.template_name, ctx)
