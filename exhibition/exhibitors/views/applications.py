"""The company's application: starting it, its steps, withdrawing it, and its documents."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from exhibition.core.views import DomainActionMixin, DomainFormMixin, PermissionMixin

from .. import selectors, services
from ..forms import (
    STEP_NAMES,
    STEPS,
    CoExhibitorsForm,
    CompanyForm,
    ContactsForm,
    DocumentForm,
    SectorsForm,
    StandForm,
    SubmitForm,
    WithdrawForm,
)
from ..models import Application, ApplicationDocument
from .common import SignedIn

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
            self.document = selectors.document_in(self.request.event, self.kwargs["pk"])
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
