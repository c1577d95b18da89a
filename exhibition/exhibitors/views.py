"""Pages of exhibitor registration. Thin: a form parses, one service acts, then redirect."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import get_template
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View

from exhibition.accounts.models import Invitation, Membership, Organisation
from exhibition.accounts.roles import roles_for
from exhibition.core import csvio
from exhibition.core.views import DomainActionMixin, DomainFormMixin, DomainFormView, PermissionMixin

from . import selectors, services
from .forms import (
    STEP_NAMES,
    STEPS,
    BadgeForm,
    BulkForm,
    CoExhibitorsForm,
    CompanyForm,
    ContactForm,
    ContactsForm,
    CsvUploadForm,
    DocumentForm,
    EmbargoForm,
    InviteForm,
    NotesForm,
    ProductForm,
    ProfileForm,
    ResolveHitForm,
    ReviewForm,
    SectorsForm,
    SettingsForm,
    StandForm,
    SubmitForm,
    WithdrawForm,
)
from .models import Application, ApplicationDocument, BadgeRequest, Product, ProfileContact, ScreeningHit


class SignedIn:
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)


# --- public directory --------------------------------------------------------------------------


class DirectoryView(PermissionMixin, View):
    permission_required = "exhibitors.view_directory"
    template_name = "exhibitors/directory.html"
    per_page = 24

    def get(self, request, event_slug):
        g = request.GET
        filters = selectors.DirectoryFilters(
            q=g.get("q", "")[:100],
            country=g.get("country", "")[:2],
            sector=g.get("sector", "")[:40],
            hall=g.get("hall", "")[:10],
            pavilion=g.get("pavilion", "") if g.get("pavilion", "").isdigit() else "",
        )
        event, number = request.event, g.get("page", "")
        key, stamp = None, None
        if len(number) <= 6 and (not number or number.isdigit()):  # nothing else fills the cache
            stamp = selectors.directory_stamp(event)
            fields = (filters.q, filters.country, filters.sector, filters.hall, filters.pavilion, number)
            key = (
                f"exhibitors:directory:{stamp.key}:{get_language()}:"
                f"{hashlib.sha1(repr(fields).encode(), usedforsecurity=False).hexdigest()}"
            )
            cached = cache.get(key)
            if cached is not None:  # the listing as built; the page numbers from its count (no query)
                page = Paginator(range(cached["count"]), self.per_page).get_page(number)
                return render(
                    request, self.template_name, {"page": page, "listing": mark_safe(cached["html"])}
                )  # noqa: S308
        page = Paginator(selectors.directory(event, filters), self.per_page).get_page(number)
        listing = get_template("exhibitors/_directory_listing.html").render(
            {
                "event": event,
                "page": page,
                "filters": filters,
                "facets": selectors.directory_facets(event, stamp.countries if stamp else None),
            }
        )
        if key is not None:
            cache.set(key, {"html": str(listing), "count": page.paginator.count}, timeout=60 * 60)
        return render(request, self.template_name, {"page": page, "listing": listing})


class ProfileView(PermissionMixin, View):
    """An exhibitor's public profile: admitted companies of a public directory only."""

    permission_required = "exhibitors.view_public_profile"
    hide_denied = True
    offer_sign_in = False
    template_name = "exhibitors/profile.html"

    def get_permission_object(self):
        if not hasattr(self, "org"):
            try:
                self.org = selectors.public_exhibitor(self.request.event, self.kwargs["pk"])
            except Organisation.DoesNotExist:
                raise Http404 from None
        return self.org

    def get(self, request, event_slug, pk):
        org = self.org
        if not (
            request.user.has_perm("exhibitors.view_directory", request.event)
            or request.user.has_perm("events.manage_event", request.event)
        ):
            raise Http404
        return render(
            request, self.template_name, {"org": org, "profile": getattr(org, "exhibitor_profile", None)}
        )


# --- application (company side) ------------------------------------------------------------------


class ApplyView(SignedIn, DomainFormMixin, PermissionMixin, View):
    """Start (or resume) the application: the company step of a new draft."""

    permission_required = "exhibitors.apply"
    template_name = "exhibitors/apply_company.html"

    def get(self, request, event_slug):
        existing = selectors.application_of_user(request.event, request.user)
        if existing:
            return redirect("exhibitors:application", event_slug=event_slug, pk=existing.pk)
        return render(
            request,
            self.template_name,
            {
                "form": CompanyForm(),
                "steps": STEPS,
                "step": "company",
                "conf": selectors.settings_for(request.event),
            },
        )

    def post(self, request, event_slug):
        return self.submit(CompanyForm(request.POST))

    def perform(self, form):
        request = self.request
        app = services.start_application(event=request.event, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Draft saved. Continue with your contacts."))
        return redirect(
            "exhibitors:application_step", event_slug=request.event.slug, pk=app.pk, step="contacts"
        )

    def render_form(self, form, status=200):
        return render(
            self.request, self.template_name, {"form": form, "steps": STEPS, "step": "company"}, status=status
        )


class ApplicationMixin(PermissionMixin):
    """An application the user may see (404 otherwise: nothing leaks about other companies)."""

    permission_required = "exhibitors.view_application"
    hide_denied = True

    def get_permission_object(self) -> Application:
        if not hasattr(self, "_application"):
            try:
                self._application = selectors.application_detail(self.request.event, self.kwargs["pk"])
            except Application.DoesNotExist:
                raise Http404 from None
        return self._application

    def get_application(self, pk) -> Application:
        return self.get_permission_object()


class ApplicationView(ApplicationMixin, View):
    template_name = "exhibitors/application.html"

    def get(self, request, event_slug, pk):
        app = self.get_application(pk)
        return render(
            request,
            self.template_name,
            {
                "app": app,
                "steps": STEPS,
                "can_edit": app.is_editable and request.user.has_perm("exhibitors.change_application", app),
                "can_withdraw": request.user.has_perm("exhibitors.withdraw_application", app)
                and app.state in services.TRANSITIONS["withdraw"][0],
                "withdraw_form": WithdrawForm(),
                "conf": selectors.settings_for(request.event),
            },
        )


STEP_FORMS = {
    "company": CompanyForm,
    "contacts": ContactsForm,
    "sectors": SectorsForm,
    "stand": StandForm,
    "co-exhibitors": CoExhibitorsForm,
}


class ApplicationStepView(DomainFormMixin, ApplicationMixin, View):
    permission_required = "exhibitors.change_application"

    @staticmethod
    def upload_limit(request, step="", **kwargs):
        return selectors.document_upload_limit(request, **kwargs) if step == "documents" else None

    def _form(self, app, step, data=None, files=None):
        event = self.request.event
        if step in ("sectors", "stand"):
            initial = (
                {"sectors": list(app.sectors.all()), "products": app.products, "exhibits": app.exhibits}
                if step == "sectors"
                else {
                    "stand_kind": app.stand_kind,
                    "stand_area": app.stand_area,
                    "open_sides": app.open_sides,
                    "preferred_halls": list(app.preferred_halls.all()),
                    "pavilion": app.pavilion,
                }
            )
            return STEP_FORMS[step](data, event=event, initial=initial)
        if step == "company":
            return CompanyForm(data, initial={f: getattr(app, f) for f in services.COMPANY_FIELDS})
        if step == "contacts":
            return ContactsForm(data, initial=ContactsForm.initial_for(app))
        if step == "co-exhibitors":
            return CoExhibitorsForm(data, initial=CoExhibitorsForm.initial_for(app))
        if step == "documents":
            return DocumentForm(data, files)
        return SubmitForm(data)

    def _render(self, app, step, form, status=200):
        return render(
            self.request,
            "exhibitors/apply_step.html",
            {
                "app": app,
                "steps": STEPS,
                "step": step,
                "form": form,
                "conf": selectors.settings_for(app.event),
                "step_label": dict(STEPS)[step],
                "multipart": step == "documents",
                "next_step": STEP_NAMES[STEP_NAMES.index(step) + 1] if step != STEP_NAMES[-1] else None,
            },
            status=status,
        )

    def get(self, request, event_slug, pk, step):
        if step not in STEP_NAMES:
            raise Http404
        app = self.get_application(pk)
        if not app.is_editable:
            return redirect("exhibitors:application", event_slug=event_slug, pk=pk)
        return self._render(app, step, self._form(app, step))

    def post(self, request, event_slug, pk, step):
        if step not in STEP_NAMES:
            raise Http404
        app = self.get_application(pk)

        def save(form):
            if step == "documents":
                services.add_document(
                    application=app,
                    actor=request.user,
                    uploaded_file=form.cleaned_data["file"],
                    kind=form.cleaned_data["kind"],
                )
                messages.success(request, _("Document uploaded."))
                return redirect("exhibitors:application_step", event_slug=event_slug, pk=pk, step="documents")
            if step == "submit":
                submitted = services.submit_application(
                    application=app, actor=request.user, accept_terms=form.cleaned_data["accept_terms"]
                )
                messages.success(
                    request,
                    _("Your application has been submitted.")
                    if not submitted.is_late
                    else _("Your application arrived after the deadline: it is on the waiting list."),
                )
                return redirect("exhibitors:application", event_slug=event_slug, pk=pk)
            services.update_application(application=app, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Draft saved."))
            nxt = STEP_NAMES[STEP_NAMES.index(step) + 1]
            return redirect("exhibitors:application_step", event_slug=event_slug, pk=pk, step=nxt)

        return self.submit(
            self._form(app, step, request.POST, request.FILES),
            save,
            lambda form, status: self._render(app, step, form, status=status),
        )


class WithdrawView(DomainActionMixin, ApplicationMixin, View):
    permission_required = "exhibitors.view_application"  # the service checks who may withdraw

    def post(self, request, event_slug, pk):
        app = self.get_application(pk)
        form = WithdrawForm(request.POST)
        form.is_valid()

        def withdraw():
            services.withdraw_application(
                application=app, actor=request.user, reason=form.cleaned_data.get("reason", "")
            )
            messages.success(request, _("Your application has been withdrawn."))

        return self.act(withdraw, back=redirect("exhibitors:application", event_slug=event_slug, pk=pk))


class DocumentMixin(PermissionMixin):
    permission_required = "exhibitors.view_document"
    hide_denied = True

    def get_permission_object(self) -> ApplicationDocument:
        if not hasattr(self, "document"):
            self.document = (
                ApplicationDocument.objects.select_related("application__event")
                .filter(pk=self.kwargs["pk"], application__event=self.request.event)
                .first()
            )
            if self.document is None:
                raise Http404
        return self.document


class DocumentView(DocumentMixin, View):
    """Serves a private document to the company and the organisers only."""

    def get(self, request, event_slug, pk):
        doc = self.document
        try:
            handle = doc.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(
            handle, content_type="application/pdf", as_attachment=True, filename=doc.original_name
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class DocumentDeleteView(DomainActionMixin, DocumentMixin, View):
    def post(self, request, event_slug, pk):
        doc = self.document
        return self.act(
            lambda: services.delete_document(document=doc, actor=request.user),
            back=redirect(
                "exhibitors:application_step", event_slug=event_slug, pk=doc.application_id, step="documents"
            ),
        )


# --- organiser: review ---------------------------------------------------------------------------


class ReviewQueueView(SignedIn, DomainActionMixin, PermissionMixin, View):
    permission_required = "exhibitors.review_application"
    template_name = "exhibitors/manage/queue.html"

    def get(self, request, event_slug, status=200):
        g = request.GET
        filters = selectors.QueueFilters(
            state=g.get("state", ""),
            country=g.get("country", "")[:2],
            sector=g.get("sector", ""),
            screening=g.get("screening", ""),
            q=g.get("q", "")[:100],
        )
        page = Paginator(selectors.applications_for_review(request.event, filters), 50).get_page(
            g.get("page")
        )
        counts = selectors.state_counts(request.event)
        return render(
            request,
            self.template_name,
            {
                "page": page,
                "filters": filters,
                "states": Application.State.choices,
                "state_tabs": selectors.queue_tabs(counts),
                "pending": selectors.PENDING,
                "screenings": Application.Screening.choices,
                "counts": counts,
                "sectors": list(request.event.sectors.all()),
            },
            status=status,
        )

    def post(self, request, event_slug):
        ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
        form = BulkForm(request.POST, ids=ids)
        if not form.is_valid():
            messages.error(request, _("Tick at least one application and choose an action."))
            return redirect(request.get_full_path())

        def transition():
            done, failed = services.bulk_transition(
                event=request.event,
                actor=request.user,
                ids=form.cleaned_data["ids"],
                action=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
            )
            if done:
                messages.success(request, _("%(n)s application(s) updated.") % {"n": len(done)})
            for _pk, msg in failed:
                messages.error(request, msg)

        return self.act(transition, back=redirect(request.get_full_path()))


class ReviewDetailView(DomainFormMixin, ApplicationMixin, View):
    permission_required = "exhibitors.review_application"
    template_name = "exhibitors/manage/review.html"

    def _render(self, app, review_form=None, notes_form=None, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "app": app,
                "review_form": review_form or ReviewForm(),
                "notes_form": notes_form or NotesForm(initial={"internal_notes": app.internal_notes}),
                "hit_form": ResolveHitForm(),
                "history": _history(app),
            },
            status=status,
        )

    def get(self, request, event_slug, pk):
        return self._render(self.get_application(pk))

    def post(self, request, event_slug, pk):
        app = self.get_application(pk)
        if "internal_notes" in request.POST and "action" not in request.POST:
            form = NotesForm(request.POST)
            if form.is_valid():
                services.save_internal_notes(
                    application=app, actor=request.user, notes=form.cleaned_data["internal_notes"]
                )
                messages.success(request, _("Notes saved."))
                return redirect("exhibitors:review_detail", event_slug=event_slug, pk=pk)
            return self._render(app, notes_form=form, status=400)

        def transition(form):
            services.transition_application(application=app, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Application updated; the company has been told."))
            return redirect("exhibitors:review_detail", event_slug=event_slug, pk=pk)

        return self.submit(
            ReviewForm(request.POST),
            transition,
            lambda form, status: self._render(self.get_application(pk), review_form=form, status=status),
        )


def _history(app: Application):
    from exhibition.core.models import AuditLogEntry

    return (
        AuditLogEntry.objects.filter(object_type="exhibitors.application", object_id=str(app.pk))
        .select_related("actor")
        .order_by("-created_at", "-id")[:50]
    )


class ResolveHitView(DomainActionMixin, PermissionMixin, View):
    permission_required = "exhibitors.resolve_hit"
    hide_denied = True

    def get_permission_object(self) -> ScreeningHit:
        hit = (
            ScreeningHit.objects.select_related("application__event")
            .filter(pk=self.kwargs["pk"], application__event=self.request.event)
            .first()
        )
        if hit is None:
            raise Http404
        return hit

    def post(self, request, event_slug, pk):
        hit = self.get_permission_object()
        form = ResolveHitForm(request.POST)
        back = redirect("exhibitors:review_detail", event_slug=event_slug, pk=hit.application_id)
        if not form.is_valid():
            messages.error(request, _("Give the reason for your decision."))
            return back

        def resolve():
            services.resolve_hit(hit=hit, actor=request.user, **form.cleaned_data)
            messages.success(
                request,
                _("Screening hit %(decision)s.")
                % {"decision": _("cleared") if form.cleaned_data["decision"] == "clear" else _("confirmed")},
            )

        return self.act(resolve, back=back)


# --- organiser: screening list, export, import --------------------------------------------------


class ScreeningView(SignedIn, DomainFormMixin, PermissionMixin, View):
    permission_required = "exhibitors.manage_screening"
    upload_limit = csvio.MAX_BYTES
    template_name = "exhibitors/manage/screening.html"

    def _render(self, request, list_form=None, embargo_form=None, errors=None, status=200):
        conf = selectors.settings_for(request.event)
        return render(
            request,
            self.template_name,
            {
                "list_form": list_form or CsvUploadForm(),
                "embargo_form": embargo_form
                or EmbargoForm(initial={"countries": ", ".join(conf.embargoed_countries)}),
                "parties": selectors.restricted_parties(request.event)[:200],
                "run": selectors.latest_run(request.event),
                "hits": selectors.open_hits(request.event)[:100],
                "errors": errors or [],
                "conf": conf,
            },
            status=status,
        )

    def get(self, request, event_slug):
        return self._render(request)

    def post(self, request, event_slug):
        if "countries" in request.POST:

            def embargo(form):
                services.set_embargoed_countries(
                    event=request.event, actor=request.user, codes=form.cleaned_data["countries"]
                )
                messages.success(request, _("Embargoed countries saved; re-screening started."))
                return redirect("exhibitors:screening", event_slug=event_slug)

            return self.submit(
                EmbargoForm(request.POST),
                embargo,
                lambda form, status: self._render(request, embargo_form=form, status=status),
            )
        if "rescreen" in request.POST:
            services.start_rescreen(event=request.event, actor=request.user)
            messages.success(request, _("Re-screening started."))
            return redirect("exhibitors:screening", event_slug=event_slug)
        form = CsvUploadForm(request.POST, request.FILES)
        errors = []
        if form.is_valid():
            try:
                n = services.import_restricted_parties(
                    event=request.event, actor=request.user, text=form.cleaned_data["file"]
                )
            except services.ImportFailed as exc:
                form.add_error(None, exc.message)
                errors = exc.errors
            else:
                messages.success(
                    request, _("%(n)s restricted parties loaded; re-screening started.") % {"n": n}
                )
                return redirect("exhibitors:screening", event_slug=event_slug)
        return self._render(request, list_form=form, errors=errors, status=400)


class ScreeningProgressView(SignedIn, PermissionMixin, View):
    permission_required = "exhibitors.manage_screening"

    def get(self, request, event_slug):
        run = selectors.latest_run(request.event)
        if run is None:
            return JsonResponse({"status": None})
        return JsonResponse(
            {
                "status": run.status,
                "done": run.done,
                "total": run.total,
                "hits": run.hits,
                "percent": run.percent,
            }
        )


EXPORTS = {
    "applications": selectors.export_applications_csv,
    "exhibitors": selectors.export_exhibitors_csv,
    "badges": selectors.export_badges_csv,
}


class ExportView(SignedIn, PermissionMixin, View):
    permission_required = "exhibitors.export"

    def get(self, request, event_slug, kind):
        if kind not in EXPORTS:
            raise Http404
        return csvio.download(f"{event_slug}-{kind}.csv", EXPORTS[kind](request.event))


class ImportView(SignedIn, PermissionMixin, View):
    permission_required = "exhibitors.import_exhibitors"
    upload_limit = csvio.MAX_BYTES
    template_name = "exhibitors/manage/import.html"

    def get(self, request, event_slug):
        return render(
            request, self.template_name, {"form": CsvUploadForm(), "columns": services.IMPORT_COLUMNS}
        )

    def post(self, request, event_slug):
        form = CsvUploadForm(request.POST, request.FILES)
        errors = []
        if form.is_valid():
            try:
                created = services.import_exhibitors_csv(
                    event=request.event, actor=request.user, text=form.cleaned_data["file"]
                )
            except services.ImportFailed as exc:
                form.add_error(None, exc.message)
                errors = exc.errors
            else:
                messages.success(request, _("%(n)s exhibitors imported as drafts.") % {"n": len(created)})
                return redirect("exhibitors:review_queue", event_slug=event_slug)
        return render(
            request,
            self.template_name,
            {"form": form, "errors": errors, "columns": services.IMPORT_COLUMNS},
            status=400,
        )


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
            self.org = Organisation.objects.filter(
                pk=self.kwargs.get("org"), event=self.request.event, kind=Organisation.Kind.COMPANY
            ).first()
            if self.org is None:
                raise Http404
        return self.org


def _booking_links(org) -> dict:
    """Links into the booking app, when it has them (its pages are another engineer's)."""
    from django.urls import NoReverseMatch

    out = {}
    for key, name in (("stand", "booking:my_stand"),):
        try:
            out[key] = reverse(name, kwargs={"event_slug": org.event.slug})
        except NoReverseMatch:
            pass
    return out


class PortalView(CompanyMixin, View):
    template_name = "exhibitors/portal/home.html"

    def get(self, request, event_slug, org):
        application = Application.objects.filter(organisation=self.org).first()
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
            services.add_product(organisation=self.org, actor=request.user, **form.cleaned_data)
        elif kind == "delete_product":
            product = Product.objects.filter(
                pk=request.POST.get("product"), profile__organisation=self.org
            ).first()
            if product is None:
                raise Http404
            services.delete_product(product=product, actor=request.user)
        elif kind == "contact":
            form = ContactForm(request.POST)
            if not form.is_valid():
                return self._render(request, contact_form=form, status=400)
            services.add_contact(organisation=self.org, actor=request.user, **form.cleaned_data)
        else:
            contact = ProfileContact.objects.filter(
                pk=request.POST.get("contact"), profile__organisation=self.org
            ).first()
            if contact is None:
                raise Http404
            services.delete_contact(contact=contact, actor=request.user)
        messages.success(request, _("Profile saved."))
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
                "members": Membership.objects.filter(organisation=self.org)
                .select_related("user")
                .order_by("user__email"),
                "invitations": Invitation.objects.filter(
                    organisation=self.org, accepted_at__isnull=True, revoked_at__isnull=True
                ).order_by("-created_at"),
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
            badge = BadgeRequest.objects.filter(pk=request.POST.get("cancel"), organisation=self.org).first()
            if badge is None:
                raise Http404
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


class SettingsView(SignedIn, PermissionMixin, DomainFormView):
    """Deadlines, terms, document size and the badge rule of this event (organiser admins)."""

    permission_required = "exhibitors.change_settings"
    template_name = "exhibitors/manage/settings.html"
    form_class = SettingsForm
    success_message = gettext_lazy("Settings saved.")

    def get_form_kwargs(self):
        return {"instance": selectors.settings_for(self.request.event)}

    def perform(self, form):
        services.update_settings(
            event=self.request.event,
            actor=self.request.user,
            **{f: form.cleaned_data[f] for f in form.Meta.fields},
        )
