"""The organiser's screens: badges, batch printing, categories, the site's zones and rules,
scanners and live operations."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from exhibition.core.partials import render_partial
from exhibition.core.views import DomainActionMixin, DomainFormMixin, PermissionMixin

from .. import forms, selectors, services
from ..models import AccessDay, AccessRule, Badge, Gate, Zone
from ..pdf import print_job_download
from .common import MANAGE, wallet_context

# --- organiser screens ------------------------------------------------------------------------------------


class ManageMixin(DomainActionMixin, DomainFormMixin, PermissionMixin):
    permission_required = MANAGE


class ManageView(ManageMixin, View):
    template_name = "accreditation/manage/home.html"

    def get(self, request, event_slug):
        event = request.event
        cats = selectors.categories_with_counts(event)
        return render(
            request,
            self.template_name,
            {
                "set_up": services.is_set_up(event),
                "categories": cats,
                "keys": selectors.signing_keys_of(event),
                "devices": selectors.active_device_count(event),
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
            messages.success(
                request,
                ngettext(
                    "Accreditation is set up; %(n)s badge issued.",
                    "Accreditation is set up; %(n)s badges issued.",
                    n,
                )
                % {"n": n},
            )
        elif action == "issue_missing":
            n = services.issue_missing_badges(event=event, actor=user)
            messages.success(request, ngettext("%(n)s badge issued.", "%(n)s badges issued.", n) % {"n": n})
        elif action == "rotate_key":
            key = services.rotate_key(event=event, actor=user)
            messages.success(
                request,
                _("Key %(kid)s now signs new badges; older keys still verify.") % {"kid": key.kid},
            )
        elif action == "withdraw_key":
            key = selectors.signing_key_of(event, request.POST.get("key"))
            n = services.withdraw_key(key=key, actor=user)
            messages.success(
                request,
                ngettext(
                    "Key %(kid)s withdrawn: %(n)s badge must be printed again.",
                    "Key %(kid)s withdrawn: %(n)s badges must be printed again.",
                    n,
                )
                % {"kid": key.kid, "n": n},
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
            initial["category"] = selectors.category_by_code_or_none(request.event, code)
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
                "replaced_by": selectors.replacement_of(badge),
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
            cat = selectors.category_by_code_or_none(request.event, request.POST.get("category", ""))
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
        return None


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
            messages.success(
                request,
                ngettext("Printing %(n)s badge.", "Printing %(n)s badges.", len(job.badge_ids))
                % {"n": len(job.badge_ids)},
            )
            return redirect("accreditation:print", event_slug=event_slug)

        return self.submit(
            forms.PrintForm(request.POST, event=request.event),
            start,
            lambda form, status: self.get(request, event_slug, form=form, status=status),
        )


class PrintJobView(ManageMixin, View):
    """The progress of one batch: its row, polled by htmx; without htmx, the printing page."""

    def get(self, request, event_slug, pk):
        job = selectors.print_job_of(request.event, pk)
        if not request.htmx:
            return redirect("accreditation:print", event_slug=event_slug)
        return render_partial(request, "accreditation/partials/print_job.html", {"job": job})


class PrintJobDownloadView(ManageMixin, View):
    def get(self, request, event_slug, pk):
        return print_job_download(selectors.finished_print_job_of(request.event, pk))


class CategoryView(ManageMixin, View):
    template_name = "accreditation/manage/category.html"

    def get(self, request, event_slug, pk, form=None, status=200):
        cat = selectors.category_of(request.event, pk)
        return render(
            request,
            self.template_name,
            {"category": cat, "form": form or forms.CategoryForm(instance=cat)},
            status=status,
        )

    def post(self, request, event_slug, pk):
        cat = selectors.category_of(request.event, pk)

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
                "zones": selectors.zones_of(event),
                "gates": selectors.gates_of(event),
                "rules": selectors.access_rules_of(event),
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
            obj = selectors.setup_object_of(request.event, model, request.POST.get("id"))

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
        device = selectors.device_of(request.event, request.POST.get("device"))
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
            gate = selectors.gate_or_none(request.event, request.POST.get("gate"))
            services.set_device_gate(device=device, actor=request.user, gate=gate)
            messages.success(request, _("Saved."))
        else:
            raise Http404
        return None


class LiveView(ManageMixin, View):
    template_name = "accreditation/manage/live.html"

    def get(self, request, event_slug):
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
        if request.htmx:  # the figures' refresh
            return render_partial(request, "accreditation/partials/live.html", ctx)
        return render(request, self.template_name, ctx)
