"""The organiser's editor: moving, creating, editing, splitting, merging and deleting
stands, features, and the stands' CSV import and export."""

from __future__ import annotations

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from exhibition.core import csvio
from exhibition.core.errors import DomainError
from exhibition.core.views import DomainActionMixin, DomainFormMixin

from .. import selectors, services, svg
from ..forms import FeatureForm, ImportForm, MergeForm, MoveForm, SplitForm, StandForm
from .common import EditMixin, plan_url, wants_json

# --- organiser editing --------------------------------------------------------------------------


class StandMoveView(DomainActionMixin, EditMixin, View):
    """The drag on the plan: POST x, y, version. JSON for plan.js (400/409 with the message);
    a redirect with a message for a plain form."""

    def post(self, request, event_slug, hall_code, number):
        event = request.event
        hall = selectors.hall_for(event, hall_code)
        stand = selectors.stand_for(event, hall, number)
        form = MoveForm(request.POST)
        if not form.is_valid():
            field, errors = next(iter(form.errors.items()))
            return self._fail(request, hall, DomainError(" ".join(errors), field=field))
        return self.act(
            lambda: self._moved(request, hall, stand, form), failed=lambda exc: self._fail(request, hall, exc)
        )

    def _moved(self, request, hall, stand, form):
        event = request.event
        stand = services.update_stand(
            stand=stand,
            actor=request.user,
            version=form.cleaned_data["version"],
            x=form.cleaned_data["x"],
            y=form.cleaned_data["y"],
        )
        message = _("Stand %(n)s moved to x %(x)s m, y %(y)s m.") % {
            "n": stand.number,
            "x": svg.fmt(stand.x),
            "y": svg.fmt(stand.y),
        }
        if wants_json(request):
            return JsonResponse(
                {
                    "number": stand.number,
                    "x": stand.x,
                    "y": stand.y,
                    "version": stand.version,
                    "message": message,
                }
            )
        messages.success(request, message)
        return redirect(plan_url(event, hall))

    def _fail(self, request, hall, exc: DomainError):
        if wants_json(request):
            return JsonResponse(
                {"error": exc.message, "field": exc.field, "code": exc.code}, status=exc.status_code
            )
        messages.error(request, exc.message)
        return redirect(plan_url(request.event, hall))


class FormPage(DomainActionMixin, DomainFormMixin, EditMixin, View):
    """A form page of the editor: GET shows it, POST calls one service (``submit``, or ``act`` for
    a confirmation without a form); errors go on the form."""

    template_name = "floorplans/manage/form.html"
    title = ""
    submit_label = ""  # the button's words (Save by default)
    danger = False

    def render_form(self, form, status=200, **extra):
        ctx = {
            "form": form,
            "title": self.title,
            "submit": self.submit_label or _("Save"),
            "danger": self.danger,
            "cancel_url": self.cancel_url(),
            **extra,
        }
        return render(self.request, self.template_name, ctx, status=status)

    def cancel_url(self) -> str:
        return reverse("floorplans:overview", kwargs={"event_slug": self.request.event.slug})

    def refused(self, exc: DomainError, **extra):
        """A confirmation page (no form) refused: the message above it and on the page, with its status."""
        messages.error(self.request, exc.message)
        return self.render_form(None, status=exc.status_code, error=exc.message, **extra)


class StandCreateView(FormPage):
    @property
    def title(self):
        return _("New stand")

    def get(self, request, event_slug):
        initial = {}
        if request.GET.get("hall"):
            initial["hall"] = selectors.hall_id_for(request.event, request.GET["hall"])
        return self.render_form(StandForm(event=request.event, initial=initial))

    def post(self, request, event_slug):
        return self.submit(StandForm(request.POST, event=request.event))

    def perform(self, form):
        data = dict(form.cleaned_data)
        data.pop("version", None)
        stand = services.create_stand(event=self.request.event, actor=self.request.user, **data)
        messages.success(self.request, _("Stand %(n)s created.") % {"n": stand.number})
        return redirect(plan_url(self.request.event, stand.hall, q=stand.number))


class _StandFormPage(FormPage):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.hall = None
        self.stand = None

    def load(self, request, hall_code, number):
        self.hall = selectors.hall_for(request.event, hall_code)
        self.stand = selectors.stand_for(request.event, self.hall, number)

    def cancel_url(self):
        return (
            plan_url(self.request.event, self.hall, q=self.stand.number)
            if self.stand
            else super().cancel_url()
        )


class StandEditView(_StandFormPage):
    @property
    def title(self):
        return _("Edit stand %(n)s") % {"n": self.stand.number}

    def get(self, request, event_slug, hall_code, number):
        self.load(request, hall_code, number)
        return self.render_form(
            StandForm(event=request.event, stand=self.stand, initial=StandForm.initial_for(self.stand)),
            stand=self.stand,
        )

    def post(self, request, event_slug, hall_code, number):
        self.load(request, hall_code, number)
        return self.submit(
            StandForm(request.POST, event=request.event, stand=self.stand),
            render=lambda form, status: self.render_form(form, status=status, stand=self.stand),
        )

    def perform(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        stand = services.update_stand(stand=self.stand, actor=self.request.user, version=version, **data)
        messages.success(self.request, _("Stand %(n)s saved.") % {"n": stand.number})
        return redirect(plan_url(self.request.event, stand.hall, q=stand.number))


class StandDeleteView(_StandFormPage):
    danger = True

    @property
    def title(self):
        return _("Delete stand %(n)s") % {"n": self.stand.number}

    @property
    def submit_label(self):
        return _("Delete")

    def get(self, request, event_slug, hall_code, number):
        self.load(request, hall_code, number)
        return self.render_form(
            None,
            stand=self.stand,
            confirm=_("Delete stand %(n)s? This cannot be undone.") % {"n": self.stand.number},
        )

    def post(self, request, event_slug, hall_code, number):
        self.load(request, hall_code, number)

        def delete():
            services.delete_stand(stand=self.stand, actor=request.user)
            messages.success(request, _("Stand %(n)s deleted.") % {"n": self.stand.number})
            return redirect(plan_url(request.event, self.hall))

        return self.act(delete, failed=lambda exc: self.refused(exc, stand=self.stand))


class StandSplitView(_StandFormPage):
    @property
    def title(self):
        return _("Split stand %(n)s") % {"n": self.stand.number}

    @property
    def submit_label(self):
        return _("Split")

    def get(self, request, event_slug, hall_code, number):
        self.load(request, hall_code, number)
        return self.render_form(SplitForm(), stand=self.stand)

    def post(self, request, event_slug, hall_code, number):
        self.load(request, hall_code, number)
        return self.submit(
            SplitForm(request.POST),
            render=lambda form, status: self.render_form(form, status=status, stand=self.stand),
        )

    def perform(self, form):
        request = self.request
        parts = services.split_stand(stand=self.stand, actor=request.user, **form.cleaned_data)
        messages.success(
            request,
            _("Stand %(n)s split into %(parts)s.")
            % {"n": self.stand.number, "parts": ", ".join(p.number for p in parts)},
        )
        return redirect(
            plan_url(request.event, self.hall, q=parts[0].number.rsplit("-", 1)[0] if parts else "")
        )


class StandMergeView(FormPage):
    field_aliases = {"stands": "second"}

    @property
    def title(self):
        return _("Merge two stands")

    @property
    def submit_label(self):
        return _("Merge")

    def get(self, request, event_slug):
        return self.render_form(MergeForm(initial={"first": request.GET.get("first", "")}))

    def post(self, request, event_slug):
        form = MergeForm(request.POST)
        if not form.is_valid():
            return self.render_form(form, status=400)
        found = {
            s.number: s
            for s in selectors.stands_numbered(
                request.event,
                [form.cleaned_data["first"].strip().upper(), form.cleaned_data["second"].strip().upper()],
            )
        }
        for name in ("first", "second"):
            if form.cleaned_data[name].strip().upper() not in found:
                form.add_error(name, _("No stand %(n)s at this event.") % {"n": form.cleaned_data[name]})
        if form.errors:
            return self.render_form(form, status=400)

        def merge(form):
            merged = services.merge_stands(
                stands=list(found.values()), actor=request.user, number=form.cleaned_data["number"] or None
            )
            messages.success(request, _("Stands merged into %(n)s.") % {"n": merged.number})
            return redirect(plan_url(request.event, merged.hall, q=merged.number))

        return self.submit(form, merge)


class FeatureCreateView(FormPage):
    @property
    def title(self):
        return _("New feature")

    def get(self, request, event_slug):
        initial = {}
        if request.GET.get("hall"):
            initial["hall"] = selectors.hall_id_for(request.event, request.GET["hall"])
        return self.render_form(FeatureForm(event=request.event, initial=initial))

    def post(self, request, event_slug):
        return self.submit(FeatureForm(request.POST, event=request.event))

    def perform(self, form):
        feature = services.create_feature(
            event=self.request.event, actor=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, _("%(f)s created.") % {"f": feature})
        return redirect(plan_url(self.request.event, feature.hall))


class _FeaturePage(FormPage):
    def load(self, request, hall_code, code):
        self.hall = selectors.hall_for(request.event, hall_code)
        self.feature = selectors.feature_for(request.event, self.hall, code)

    def cancel_url(self):
        return plan_url(self.request.event, self.hall)


class FeatureEditView(_FeaturePage):
    @property
    def title(self):
        return _("Edit %(f)s") % {"f": self.feature}

    def get(self, request, event_slug, hall_code, code):
        self.load(request, hall_code, code)
        f = self.feature
        initial = {"kind": f.kind, "name": f.name, "x": f.x, "y": f.y, "width": f.width, "depth": f.depth}
        return self.render_form(FeatureForm(event=request.event, editing=True, initial=initial))

    def post(self, request, event_slug, hall_code, code):
        self.load(request, hall_code, code)
        return self.submit(FeatureForm(request.POST, event=request.event, editing=True))

    def perform(self, form):
        feature = services.update_feature(feature=self.feature, actor=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("%(f)s saved.") % {"f": feature})
        return redirect(plan_url(self.request.event, self.hall))


class FeatureDeleteView(_FeaturePage):
    danger = True

    @property
    def title(self):
        return _("Delete %(f)s") % {"f": self.feature}

    @property
    def submit_label(self):
        return _("Delete")

    def get(self, request, event_slug, hall_code, code):
        self.load(request, hall_code, code)
        return self.render_form(None, confirm=_("Delete %(f)s? This cannot be undone.") % {"f": self.feature})

    def post(self, request, event_slug, hall_code, code):
        self.load(request, hall_code, code)

        def delete():
            services.delete_feature(feature=self.feature, actor=request.user)
            messages.success(request, _("%(f)s deleted.") % {"f": self.feature})
            return redirect(plan_url(request.event, self.hall))

        return self.act(delete, failed=self.refused)


class FeatureListView(EditMixin, View):
    """The features of a hall, with edit and delete links (the editor's index of features)."""

    def get(self, request, event_slug, hall_code):
        hall = selectors.hall_for(request.event, hall_code)
        features = list(selectors.features_for_hall(request.event, hall))
        return render(request, "floorplans/manage/features.html", {"hall": hall, "features": features})


# --- CSV ------------------------------------------------------------------------------------------


class ImportView(FormPage):
    template_name = "floorplans/manage/import.html"
    upload_limit = csvio.MAX_BYTES

    @property
    def title(self):
        return _("Import stands from CSV")

    @property
    def submit_label(self):
        return _("Import")

    def get(self, request, event_slug):
        return self.render_form(ImportForm())

    def post(self, request, event_slug):
        return self.submit(ImportForm(request.POST, request.FILES))

    def perform(self, form):
        request = self.request
        try:
            report = services.import_stands_csv(
                event=request.event, actor=request.user, data=csvio.read_upload(form.cleaned_data["file"])
            )
        except services.ImportFailed as exc:  # the rows at fault, listed under the form
            form.add_error(None, exc.message)
            return self.render_form(form, status=400, row_errors=exc.errors)
        messages.success(
            request,
            ngettext(
                "Import done: %(c)s stand created, %(u)s updated.",
                "Import done: %(c)s stands created, %(u)s updated.",
                report.created,
            )
            % {"c": report.created, "u": report.updated},
        )
        return redirect("floorplans:overview", event_slug=request.event.slug)


class ExportView(EditMixin, View):
    def get(self, request, event_slug):
        return csvio.download(f"{request.event.slug}-stands.csv", services.export_stands_csv(request.event))
