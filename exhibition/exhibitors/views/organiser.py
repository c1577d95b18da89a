"""The organiser's screens: the review queue and one application, screening matches and
lists, exports and the CSV import, and the exhibitor settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

from exhibition.core import csvio
from exhibition.core.countries import countries_by_name
from exhibition.core.ids import as_id
from exhibition.core.partials import render_partial
from exhibition.core.views import DomainActionMixin, DomainFormMixin, DomainFormView, PermissionMixin

from .. import selectors, services
from ..forms import (
    BulkForm,
    CsvUploadForm,
    EmbargoForm,
    NotesForm,
    ResolveHitForm,
    ReviewForm,
    SettingsForm,
)
from ..models import Application, ScreeningHit
from .applications import ApplicationMixin
from .common import SignedIn

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
                "countries": selectors.application_countries(request.event),
            },
            status=status,
        )

    def post(self, request, event_slug):
        ids = [i for i in map(as_id, request.POST.getlist("ids")) if i is not None]
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
                messages.success(
                    request,
                    ngettext("%(n)s application updated.", "%(n)s applications updated.", len(done))
                    % {"n": len(done)},
                )
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
                "review_form": review_form or ReviewForm(application=app),
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
            ReviewForm(request.POST, application=app),
            transition,
            lambda form, status: self._render(self.get_application(pk), review_form=form, status=status),
        )


def _history(app: Application):
    return selectors.application_history(app)


class ResolveHitView(DomainActionMixin, PermissionMixin, View):
    permission_required = "exhibitors.resolve_hit"
    hide_denied = True

    def get_permission_object(self) -> ScreeningHit:
        return selectors.hit_in(self.request.event, self.kwargs["pk"])

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
                "embargoed": countries_by_name(conf.embargoed_countries),
            },
            status=status,
        )

    def get(self, request, event_slug):
        if request.htmx:  # the progress poll: only the run's fragment, the last time once it is over
            run = selectors.latest_run(request.event)
            if run is None:
                raise Http404
            return render_partial(
                request,
                "exhibitors/partials/screening_run.html",
                {"run": run},
                stop_polling=run.status not in ("queued", "running"),
            )
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
    """Upload last year's exhibitors: the file is checked at once (row errors on this page), then
    imported in the background; the import's own page follows it."""

    permission_required = "exhibitors.import_exhibitors"
    upload_limit = csvio.MAX_BYTES
    template_name = "exhibitors/manage/import.html"

    def _render(self, request, form, errors=(), status=200):
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "errors": errors,
                "columns": services.IMPORT_COLUMNS,
                "imports": selectors.recent_imports(request.event),
            },
            status=status,
        )

    def get(self, request, event_slug):
        return self._render(request, CsvUploadForm())

    def post(self, request, event_slug):
        form = CsvUploadForm(request.POST, request.FILES)
        errors = []
        if form.is_valid():
            try:
                job = services.start_exhibitor_import(
                    event=request.event,
                    actor=request.user,
                    text=form.cleaned_data["file"],
                    filename=request.FILES["file"].name,
                )
            except services.ImportFailed as exc:
                form.add_error(None, exc.message)
                errors = exc.errors
            else:
                return redirect("exhibitors:import_job", event_slug=event_slug, pk=job.pk)
        return self._render(request, form, errors, status=400)


class ImportJobView(SignedIn, PermissionMixin, View):
    """One import: its progress while it runs (htmx asks for the fragment every second), then
    what it imported or why it imported nothing."""

    permission_required = "exhibitors.import_exhibitors"

    def get(self, request, event_slug, pk):
        job = selectors.exhibitor_import(request.event, as_id(pk))
        context = {"job": job}
        if request.htmx:
            return render_partial(
                request, "exhibitors/partials/import_job.html", context, stop_polling=job.is_over
            )
        return render(request, "exhibitors/manage/import_job.html", context)


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
