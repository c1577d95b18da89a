"""Pages of the data lifecycle: retention and shredder (organisers), my data (everyone signed in)."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from exhibition.core.partials import reload_page, render_partial
from exhibition.core.privacy import CATEGORIES
from exhibition.core.views import DomainActionMixin, DomainFormMixin, PermissionMixin

from . import selectors, services
from .forms import ErasureForm, RetentionForm
from .models import Job


def _progress(job: Job) -> JsonResponse:
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "done": job.done,
            "total": job.total,
            "percent": job.percent,
            "message": job.message,
        },
        headers={"Cache-Control": "no-store"},
    )


class RetentionView(DomainActionMixin, DomainFormMixin, PermissionMixin, View):
    permission_required = "privacy.view_retention"
    template_name = "privacy/retention.html"
    deny_not_allowed = True

    def get(self, request, event_slug, form=None, status=200):
        runs = list(selectors.shredder_runs(request.event)[:10])
        for run in runs:
            run.count_rows = [
                (CATEGORIES[k].label, n) for k, n in run.report.get("counts", {}).items() if k in CATEGORIES
            ]
        active = any(run.active for run in runs)
        can_manage = request.user.has_perm("privacy.manage_retention", request.event)
        if request.htmx:  # the progress poll: the runs while one is going, then the whole page again
            if not active:
                return reload_page()
            return render_partial(
                request,
                "privacy/partials/runs.html",
                {"runs": runs, "active": active, "can_manage": can_manage},
            )
        rules = services.rules_for(request.event)
        counts = {r["category"].key: r["category"].rows(request.event).count() for r in rules}
        due = {c.key for c in services.due_categories(request.event)}
        return render(
            request,
            self.template_name,
            {
                "form": form or RetentionForm(rules=rules),
                "rules": [
                    {**r, "rows": counts[r["category"].key], "due": r["category"].key in due} for r in rules
                ],
                "any_due": bool(due),
                "runs": runs,
                "active": active,
                "show_end": services.show_end(request.event),
                "floor": services.floor_days(),
                "can_manage": can_manage,
            },
            status=status,
        )

    def post(self, request, event_slug):
        back = redirect("privacy:manage", event_slug=event_slug)
        if request.POST.get("action") == "shred":

            def shred():
                services.start_shredder(event=request.event, actor=request.user)
                messages.success(
                    request, _("Shredder started: the archive is written first, then the data is shredded.")
                )

            return self.act(shred, back=back)

        def save(form):
            services.update_retention(event=request.event, actor=request.user, days=form.cleaned_data)
            messages.success(request, _("Retention periods saved."))
            return back

        return self.submit(
            RetentionForm(request.POST, rules=services.rules_for(request.event)),
            save,
            lambda form, status: self.get(request, event_slug, form=form, status=status),
        )


class RunProgressView(PermissionMixin, View):
    permission_required = "privacy.view_retention"

    def get(self, request, event_slug, pk):
        job = selectors.job_of_event(request.event, pk)
        if job is None:
            raise Http404
        return _progress(job)


class RunArchiveView(PermissionMixin, View):
    permission_required = "privacy.manage_retention"

    def get(self, request, event_slug, pk):
        job = selectors.job_of_event(request.event, pk)
        path = services.file_path(job) if job else None
        if path is None:
            raise Http404
        return FileResponse(
            path.open("rb"), as_attachment=True, filename=path.name, content_type="application/zip"
        )


# --- one person --------------------------------------------------------------------------------------


class SignedInView(PermissionMixin, View):
    """A person's own data: anyone signed in, about themselves only (every object is fetched by person)."""

    permission_required = "privacy.manage_own_data"

    def get_permission_object(self):
        return self.request.user


class MyDataView(DomainActionMixin, DomainFormMixin, SignedInView):
    template_name = "privacy/my_data.html"

    def get(self, request, form=None, status=200):
        jobs = list(selectors.jobs_of_person(request.user)[:10])
        active = any(job.active for job in jobs)
        if request.htmx:  # the progress poll: the requests while one is going, then the whole page again
            if not active:
                return reload_page()
            return render_partial(request, "privacy/partials/jobs.html", {"jobs": jobs, "active": active})
        return render(
            request,
            self.template_name,
            {"jobs": jobs, "active": active, "form": form or ErasureForm()},
            status=status,
        )

    def post(self, request):
        back = redirect("privacy_person:my_data")
        if request.POST.get("action") == "erase":

            def erase(form):
                services.request_erasure(
                    person=request.user, confirm_email=form.cleaned_data["confirm_email"]
                )
                messages.success(request, _("Your personal data is being erased. You will be signed out."))
                return back

            return self.submit(
                ErasureForm(request.POST),
                erase,
                lambda form, status: self.get(request, form=form, status=status),
            )

        def export():
            services.request_export(person=request.user)
            messages.success(
                request, _("Your data is being gathered; the download appears here when it is ready.")
            )

        return self.act(export, back=back)


class MyJobProgressView(SignedInView):
    def get(self, request, pk):
        job = selectors.job_of_person(request.user, pk)
        if job is None:
            raise Http404
        return _progress(job)


class MyExportDownloadView(SignedInView):
    def get(self, request, pk):
        job = selectors.job_of_person(request.user, pk)
        path = services.file_path(job) if job is not None and job.kind == Job.Kind.EXPORT else None
        if path is None:
            raise Http404
        return FileResponse(
            path.open("rb"), as_attachment=True, filename="my-data.json", content_type="application/json"
        )
