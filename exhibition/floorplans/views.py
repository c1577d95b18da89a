"""Pages of the floor plan: site map and dashboard, hall plans (SVG rendered by the server),
stand side panel, organiser editing (forms and the drag endpoint), CSV import/export,
text list, print view, SVG download and walking routes.

Views are thin: a form parses, one service acts, then redirect or render. Every action works
without JavaScript; plan.js adds zoom/pan, drag to move, the side panel and the matrix poll.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from exhibition.core import csvio
from exhibition.core.errors import DomainError
from exhibition.core.models import AuditLogEntry
from exhibition.core.views import DomainActionMixin, DomainFormMixin, PermissionMixin
from exhibition.events.models import Hall, Sector

from . import selectors, services, svg
from .forms import FeatureForm, ImportForm, MergeForm, MoveForm, RouteForm, SplitForm, StandForm
from .models import Feature, Stand, WalkingMatrix
from .walking import UnknownPlaceError, WalkingError

LIST_PAGE_SIZE = 50
LIST_SORTS = {
    "number": ("number",),
    "-number": ("-number",),
    "status": ("status", "number"),
    "-status": ("-status", "number"),
    "area": ("area", "number"),
    "-area": ("-area", "number"),
}


# --- helpers ----------------------------------------------------------------------------------


def _hall_or_404(event, hall_code: str) -> Hall:
    return get_object_or_404(Hall, event=event, code__iexact=hall_code)


def _stand_or_404(event, hall: Hall, number: str) -> Stand:
    return get_object_or_404(
        Stand.objects.select_related("hall", "exhibitor", "pavilion"),
        event=event,
        hall=hall,
        number=number.upper(),
    )


def _url_maker(name: str, event, **fixed) -> Callable[[str], str]:
    """reverse() once, then fill in the stand number: 400 links for the price of one."""
    marker = "__NUMBER__"
    base = reverse(name, kwargs={"event_slug": event.slug, **fixed, "number": marker})
    return lambda number: base.replace(marker, quote(number, safe=""))


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _is_partial(request) -> bool:
    return request.headers.get("X-Requested-With") == "fetch" or request.GET.get("partial") == "1"


def _plan_url(event, hall: Hall, **params) -> str:
    url = reverse("floorplans:hall", kwargs={"event_slug": event.slug, "hall_code": hall.code})
    params = {k: v for k, v in params.items() if v}
    return f"{url}?{urlencode(params)}" if params else url


def _dashboard_row(stats: dict) -> dict:
    """One block of the dashboard: per status the stands and m², totals and the bar chart."""
    labels = svg.bucket_labels()
    return {
        "stats": stats,
        "rows": [
            {
                "key": b,
                "label": labels[b],
                "colour": svg.STATUS_COLOURS[b],
                "n": stats["stands"][b],
                "m2": stats["area_m2"][b],
            }
            for b in svg.BUCKETS
        ],
        "total_n": sum(stats["stands"].values()),
        "total_m2": round(sum(stats["area_m2"].values()), 1),
        "chart": svg.bar_chart(stats),
    }


class PlanMixin(PermissionMixin):
    permission_required = "floorplans.view_plan"

    @property
    def can_edit(self) -> bool:
        return self.request.user.has_perm("floorplans.change_plan", self.request.event)

    @property
    def commercials(self) -> bool:
        return self.request.user.has_perm("floorplans.view_stand_commercials", self.request.event)


class EditMixin(PlanMixin):
    permission_required = "floorplans.change_plan"


# --- overview and dashboard ---------------------------------------------------------------------


class PlanOverviewView(PlanMixin, View):
    template_name = "floorplans/overview.html"

    def get(self, request, event_slug):
        event = request.event
        halls = list(selectors.halls_for_event(event))
        doors = list(selectors.doors_for_event(event))

        def site() -> str:
            stands = Stand.objects.filter(event=event).only(
                "hall_id", "x", "y", "width", "depth", "rotation", "status", "held_until"
            )
            return str(
                svg.site_svg(
                    halls,
                    stands=stands,
                    doors=doors,
                    status_colours=self.commercials,
                    hall_url=lambda h: reverse(
                        "floorplans:hall", kwargs={"event_slug": event.slug, "hall_code": h.code}
                    ),
                )
            )

        if self.commercials:  # status colours change as holds run out: drawn fresh for organisers
            site_map = site()
        else:  # the same for every visitor until the plan, a booking or a name changes
            key = f"floorplans:site:{selectors.site_stamp(event, halls, doors)}:{get_language()}"
            site_map = cache.get(key)
            if site_map is None:
                site_map = site()
                cache.set(key, site_map, timeout=60 * 60)
        ctx = {
            "halls": halls,
            "site": mark_safe(site_map),  # noqa: S308 - built escaped by svg.site_svg
            "can_edit": self.can_edit,
            "commercials": self.commercials,
            "status_legend": svg.legend([], "status"),
        }
        if self.commercials:
            ctx["totals"] = _dashboard_row(selectors.stand_statistics(event))
            ctx["hall_rows"] = [
                {"hall": h, **_dashboard_row(selectors.stand_statistics(event, h))} for h in halls
            ]
        if self.can_edit:
            ctx["matrix"] = selectors.matrix_state(event)
            ctx["plan_version"] = services.plan_settings(event).version
        return render(request, self.template_name, ctx)


class MatrixView(PlanMixin, View):
    """GET: the walking matrix state as JSON (the page polls it). POST (organisers): compute now."""

    def get(self, request, event_slug):
        if not self.can_edit:
            raise PermissionDenied
        return JsonResponse(_matrix_json(request.event))

    def post(self, request, event_slug):
        if not self.can_edit:
            raise PermissionDenied
        from .tasks import compute_walking_matrix

        event_id = request.event.pk

        def queue():
            try:
                compute_walking_matrix.delay(event_id=event_id)
            except Exception:  # noqa: BLE001 - broker down: say so, do not 500
                messages.error(request, _("The background worker could not be reached. Try again later."))

        transaction.on_commit(queue)
        messages.success(request, _("The walking matrix is being computed."))
        if _wants_json(request):
            return JsonResponse(_matrix_json(request.event), status=202)
        return redirect(
            reverse("floorplans:overview", kwargs={"event_slug": event_slug}) + "?computing=1#matrix"
        )


def _matrix_json(event) -> dict:
    matrix = selectors.matrix_state(event)
    version = services.plan_settings(event).version
    if matrix is None:
        return {"status": "missing", "current": False, "progress": 0}
    return {
        "status": matrix.status,
        "status_label": str(matrix.get_status_display()),
        "progress": matrix.progress,
        "current": matrix.plan_version == version and matrix.status == WalkingMatrix.Status.READY,
        "computed_at": matrix.computed_at.isoformat() if matrix.computed_at else None,
        "seconds": matrix.seconds,
        "places": None,
        "error": matrix.error,
    }


# --- hall plan --------------------------------------------------------------------------------------


class HallPlanView(PlanMixin, View):
    template_name = "floorplans/hall.html"

    def colour_modes(self) -> list[tuple[str, str]]:
        modes = [("sector", _("Sector")), ("pavilion", _("Pavilion"))]
        if self.commercials:
            modes.insert(0, ("status", _("Status")))
        return modes

    def get(self, request, event_slug, hall_code):
        event = request.event
        halls = list(selectors.halls_for_event(event))
        hall = next((h for h in halls if h.code.upper() == hall_code.upper()), None)  # as code__iexact
        if hall is None:
            raise Http404
        modes = self.colour_modes()
        mode = request.GET.get("colour") or modes[0][0]
        if mode not in dict(modes):
            mode = modes[0][0]
        q = request.GET.get("q", "").strip()[:100]
        hits: list[Stand] = []
        elsewhere: list[Stand] = []
        if q:
            matches = list(selectors.find_stands(event, q))
            hits = [s for s in matches if s.hall_id == hall.pk]
            elsewhere = [s for s in matches if s.hall_id != hall.pk]
            other_halls = {s.hall.code for s in elsewhere}
            if not hits and len(other_halls) == 1:
                return redirect(_plan_url(event, elsewhere[0].hall, colour=request.GET.get("colour"), q=q))
        can_edit = self.can_edit

        def draw() -> dict:
            stands = list(selectors.stands_for_hall(event, hall))
            features = list(selectors.features_for_hall(event, hall))
            doors = svg.doors_of_hall(selectors.doors_for_event(event), hall)
            plan = svg.hall_svg(
                hall,
                stands,
                features,
                doors,
                mode=mode,
                hits={s.number for s in hits},
                stand_url=_url_maker("floorplans:stand", event, hall_code=hall.code),
                move_url=_url_maker("floorplans:stand_move", event, hall_code=hall.code)
                if can_edit
                else None,
                show_status=self.commercials,
            )
            return {
                "plan": str(plan),
                "stand_count": len(stands),
                "legend": [(i.colour, str(i.label), i.pattern) for i in svg.legend(stands, mode)],
            }

        if q or can_edit or self.commercials:  # search hits, drag handles, live status colours: drawn fresh
            drawn = draw()
        else:  # the same for every visitor until a booking, an edit or a name on the plan changes
            key = f"floorplans:hall:{selectors.hall_stamp(event, hall, halls)}:{mode}:{get_language()}"
            drawn = cache.get(key)
            if drawn is None:
                drawn = draw()
                cache.set(key, drawn, timeout=60 * 60)
        ctx = {
            "hall": hall,
            "halls": halls,
            "plan": mark_safe(drawn["plan"]),  # noqa: S308 - built escaped by svg.hall_svg
            "mode": mode,
            "modes": modes,
            "legend": [svg.LegendItem(*item) for item in drawn["legend"]],
            "q": q,
            "hits": hits,
            "elsewhere": [
                (s, _plan_url(event, s.hall, colour=request.GET.get("colour"), q=s.number)) for s in elsewhere
            ],
            "stand_count": drawn["stand_count"],
            "can_edit": can_edit,
        }
        if self.commercials:
            ctx["hall_stats"] = _dashboard_row(selectors.stand_statistics(event, hall))
        return render(request, self.template_name, ctx)


class StandPanelView(PlanMixin, View):
    """The side panel of one stand: a partial for plan.js, a full page without JS."""

    def get(self, request, event_slug, hall_code, number):
        event = request.event
        hall = _hall_or_404(event, hall_code)
        stand = _stand_or_404(event, hall, number)
        sectors = list(stand.exhibitor.sectors.order_by("name_en")) if stand.exhibitor_id else []
        ctx = {
            "hall": hall,
            "stand": stand,
            "sectors": sectors,
            "commercials": self.commercials,
            "can_edit": self.can_edit,
            "pavilion_contacts": request.user.has_perm("floorplans.view_pavilion_contacts", event),
        }
        if self.commercials:
            ctx["history"] = list(
                AuditLogEntry.objects.filter(
                    event=event, object_type="floorplans.stand", object_id=str(stand.pk)
                )
                .select_related("actor")
                .order_by("-created_at", "-id")[:20]
            )
        template = "floorplans/_stand_panel.html" if _is_partial(request) else "floorplans/stand.html"
        response = render(request, template, ctx)
        patch_vary_headers(response, ["X-Requested-With"])
        return response


# --- organiser editing --------------------------------------------------------------------------


class StandMoveView(DomainActionMixin, EditMixin, View):
    """The drag on the plan: POST x, y, version. JSON for plan.js (400/409 with the message);
    a redirect with a message for a plain form."""

    def post(self, request, event_slug, hall_code, number):
        event = request.event
        hall = _hall_or_404(event, hall_code)
        stand = _stand_or_404(event, hall, number)
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
        if _wants_json(request):
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
        return redirect(_plan_url(event, hall))

    def _fail(self, request, hall, exc: DomainError):
        if _wants_json(request):
            return JsonResponse(
                {"error": exc.message, "field": exc.field, "code": exc.code}, status=exc.status_code
            )
        messages.error(request, exc.message)
        return redirect(_plan_url(request.event, hall))


class _FormPage(DomainActionMixin, DomainFormMixin, EditMixin, View):
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


class StandCreateView(_FormPage):
    @property
    def title(self):
        return _("New stand")

    def get(self, request, event_slug):
        initial = {}
        if request.GET.get("hall"):
            initial["hall"] = (
                Hall.objects.filter(event=request.event, code__iexact=request.GET["hall"])
                .values_list("pk", flat=True)
                .first()
            )
        return self.render_form(StandForm(event=request.event, initial=initial))

    def post(self, request, event_slug):
        return self.submit(StandForm(request.POST, event=request.event))

    def perform(self, form):
        data = dict(form.cleaned_data)
        data.pop("version", None)
        stand = services.create_stand(event=self.request.event, actor=self.request.user, **data)
        messages.success(self.request, _("Stand %(n)s created.") % {"n": stand.number})
        return redirect(_plan_url(self.request.event, stand.hall, q=stand.number))


class _StandFormPage(_FormPage):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.hall = None
        self.stand = None

    def load(self, request, hall_code, number):
        self.hall = _hall_or_404(request.event, hall_code)
        self.stand = _stand_or_404(request.event, self.hall, number)

    def cancel_url(self):
        return (
            _plan_url(self.request.event, self.hall, q=self.stand.number)
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
            StandForm(event=request.event, initial=StandForm.initial_for(self.stand)), stand=self.stand
        )

    def post(self, request, event_slug, hall_code, number):
        self.load(request, hall_code, number)
        return self.submit(
            StandForm(request.POST, event=request.event),
            render=lambda form, status: self.render_form(form, status=status, stand=self.stand),
        )

    def perform(self, form):
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        stand = services.update_stand(stand=self.stand, actor=self.request.user, version=version, **data)
        messages.success(self.request, _("Stand %(n)s saved.") % {"n": stand.number})
        return redirect(_plan_url(self.request.event, stand.hall, q=stand.number))


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
            return redirect(_plan_url(request.event, self.hall))

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
            _plan_url(request.event, self.hall, q=parts[0].number.rsplit("-", 1)[0] if parts else "")
        )


class StandMergeView(_FormPage):
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
            for s in Stand.objects.filter(
                event=request.event,
                number__in=[
                    form.cleaned_data["first"].strip().upper(),
                    form.cleaned_data["second"].strip().upper(),
                ],
            ).select_related("hall")
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
            return redirect(_plan_url(request.event, merged.hall, q=merged.number))

        return self.submit(form, merge)


class FeatureCreateView(_FormPage):
    @property
    def title(self):
        return _("New feature")

    def get(self, request, event_slug):
        initial = {}
        if request.GET.get("hall"):
            initial["hall"] = (
                Hall.objects.filter(event=request.event, code__iexact=request.GET["hall"])
                .values_list("pk", flat=True)
                .first()
            )
        return self.render_form(FeatureForm(event=request.event, initial=initial))

    def post(self, request, event_slug):
        return self.submit(FeatureForm(request.POST, event=request.event))

    def perform(self, form):
        feature = services.create_feature(
            event=self.request.event, actor=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, _("%(f)s created.") % {"f": feature})
        return redirect(_plan_url(self.request.event, feature.hall))


class _FeaturePage(_FormPage):
    def load(self, request, hall_code, code):
        self.hall = _hall_or_404(request.event, hall_code)
        self.feature = get_object_or_404(
            Feature.objects.select_related("hall"), event=request.event, hall=self.hall, code=code.upper()
        )

    def cancel_url(self):
        return _plan_url(self.request.event, self.hall)


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
        return redirect(_plan_url(self.request.event, self.hall))


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
            return redirect(_plan_url(request.event, self.hall))

        return self.act(delete, failed=self.refused)


class FeatureListView(EditMixin, View):
    """The features of a hall, with edit and delete links (the editor's index of features)."""

    def get(self, request, event_slug, hall_code):
        hall = _hall_or_404(request.event, hall_code)
        features = list(selectors.features_for_hall(request.event, hall))
        return render(request, "floorplans/manage/features.html", {"hall": hall, "features": features})


# --- CSV ------------------------------------------------------------------------------------------


class ImportView(_FormPage):
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
            _("Import done: %(c)s stand(s) created, %(u)s updated.")
            % {"c": report.created, "u": report.updated},
        )
        return redirect("floorplans:overview", event_slug=request.event.slug)


class ExportView(EditMixin, View):
    def get(self, request, event_slug):
        return csvio.download(f"{request.event.slug}-stands.csv", services.export_stands_csv(request.event))


# --- list, print, SVG download ------------------------------------------------------------------


class HallListView(PlanMixin, View):
    template_name = "floorplans/list.html"

    def get(self, request, event_slug, hall_code):
        event = request.event
        hall = _hall_or_404(event, hall_code)
        commercials = self.commercials
        sorts = dict(LIST_SORTS)
        if not commercials:
            sorts = {k: v for k, v in sorts.items() if "status" not in k}
        sort = request.GET.get("sort", "number")
        if sort not in sorts:
            sort = "number"
        qs = selectors.stands_for_hall(event, hall).order_by(*sorts[sort])
        page = Paginator(qs, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [
            {
                "stand": s,
                "sectors": list(s.exhibitor.sectors.all()) if s.exhibitor_id else [],
                "url": reverse(
                    "floorplans:stand",
                    kwargs={"event_slug": event.slug, "hall_code": hall.code, "number": s.number},
                ),
            }
            for s in page.object_list
        ]
        columns = (
            [("number", _("Stand"))]
            + ([("status", _("Status"))] if commercials else [])
            + [("area", _("Area (m²)"))]
        )
        sort_links = []
        for key, label in columns:
            current = sort.lstrip("-") == key
            descending = sort.startswith("-")
            target = f"-{key}" if current and not descending else key
            sort_links.append(
                {
                    "key": key,
                    "label": label,
                    "url": "?" + urlencode({"sort": target}),
                    "aria_sort": ("descending" if descending else "ascending") if current else None,
                }
            )
        return render(
            request,
            self.template_name,
            {
                "hall": hall,
                "halls": list(selectors.halls_for_event(event)),
                "page": page,
                "rows": rows,
                "sort": sort,
                "sort_links": {c["key"]: c for c in sort_links},
                "commercials": commercials,
                "can_edit": self.can_edit,
            },
        )


class PrintView(PlanMixin, View):
    template_name = "floorplans/print.html"

    def get(self, request, event_slug):
        event = request.event
        halls = list(selectors.halls_for_event(event))
        stands = list(
            selectors.stands_for_event(event).prefetch_related(
                Prefetch("exhibitor__sectors", queryset=Sector.objects.order_by("name_en"))
            )
        )
        features = list(Feature.objects.filter(event=event).order_by("code"))
        doors = list(selectors.doors_for_event(event))
        mode = "status" if self.commercials else "sector"
        by_hall: dict[int, list] = {h.pk: [] for h in halls}
        for s in stands:
            by_hall.setdefault(s.hall_id, []).append(s)
        pages = []
        for h in halls:
            hs = by_hall.get(h.pk, [])
            pages.append(
                {
                    "hall": h,
                    "stand_count": len(hs),
                    "svg": svg.hall_svg(
                        h,
                        hs,
                        [f for f in features if f.hall_id == h.pk],
                        svg.doors_of_hall(doors, h),
                        mode=mode,
                        show_status=self.commercials,
                        svg_id=f"print-{h.code}",
                    ),
                    "legend": svg.legend(hs, mode),
                }
            )
        return render(request, self.template_name, {"pages": pages, "mode": mode})


class HallSvgView(PlanMixin, View):
    def get(self, request, event_slug, hall_code):
        event = request.event
        hall = _hall_or_404(event, hall_code)
        allowed = ("status", "sector", "pavilion") if self.commercials else ("sector", "pavilion")
        mode = request.GET.get("colour") if request.GET.get("colour") in allowed else "sector"
        stands = list(selectors.stands_for_hall(event, hall))
        body = svg.hall_svg(
            hall,
            stands,
            list(selectors.features_for_hall(event, hall)),
            svg.doors_of_hall(selectors.doors_for_event(event), hall),
            mode=mode,
            show_status=mode == "status",
            standalone=True,
        )
        response = HttpResponse(body, content_type="image/svg+xml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{event.slug}-hall-{hall.code}.svg"'
        return response


# --- walking route -------------------------------------------------------------------------------


class RouteView(PlanMixin, View):
    """How do I get from X to Y? GET ?from=&to= (stand numbers, door codes, place codes)."""

    template_name = "floorplans/route.html"

    def get(self, request, event_slug):
        event = request.event
        places = self._load_base(event)
        # Both keys come with the form; a link with only ?to= (the stand panel) pre-fills it.
        bound = "from" in request.GET and "to" in request.GET
        form = RouteForm(
            request.GET if bound else None, initial={k: request.GET.get(k, "") for k in ("from", "to")}
        )
        route = None
        ids: dict[str, str] = {}
        if bound and form.is_valid():
            lookup = {p.upper(): p for p, _label in places}
            for name in ("from", "to"):
                value = form.cleaned_data[name].strip()
                real = lookup.get(value.upper())
                if real is None:
                    form.add_error(
                        name, _("“%(p)s” is not a stand number, door or place of this show.") % {"p": value}
                    )
                else:
                    ids[name] = real
            if not form.errors:
                try:
                    route = selectors.route_between(event, ids["from"], ids["to"], self._stamp.settings)
                except UnknownPlaceError as exc:
                    form.add_error("from", _("This place cannot be reached on foot: %(e)s") % {"e": exc})
                except WalkingError as exc:
                    form.add_error(None, _("No walking route joins these two places (%(e)s).") % {"e": exc})
        status = 400 if bound and form.errors else 200
        halls = self._halls
        site = mark_safe(  # noqa: S308 - both parts are built escaped by svg.py
            self._base["site"][: -len("</svg>")]
            + svg.route_overlay(route, (ids.get("from", ""), ids.get("to", "")), svg.site_pad(halls))
            + "</svg>"
        )
        door_names = self._stamp.door_names if route is not None and route.doors else {}
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "route": route,
                "site": site,
                "places_datalist": self._base["datalist"],
                "ids": ids,
                "halls": halls,
                "route_doors": [door_names.get(d) or d for d in (route.doors if route else [])],
            },
            status=status,
        )

    def _load_base(self, event) -> list[tuple[str, str]]:
        """The site map without a route, and the places with their labels: the same for every visitor
        until the plan, a booking or a name changes (see ``selectors.route_stamp``), so they come from
        the shared cache (and are built when it is empty or Redis is down)."""
        self._halls = list(selectors.halls_for_event(event))
        self._stamp = selectors.route_stamp(event, self._halls)
        key = f"floorplans:route-base:{self._stamp.key}:{get_language()}"
        base = cache.get(key)
        if base is None:
            doors = list(selectors.doors_for_event(event))
            features = list(
                Feature.objects.filter(event=event, kind__in=Feature.PLACE_KINDS).order_by("code")
            )
            places = self._places(event, doors, features)
            base = {
                "site": str(
                    svg.site_svg(
                        self._halls,
                        doors=doors,
                        svg_id="route-svg",
                        stands=Stand.objects.filter(event=event).only(
                            "hall_id", "x", "y", "width", "depth", "rotation", "status", "held_until"
                        ),
                        hall_url=lambda h: reverse(
                            "floorplans:hall", kwargs={"event_slug": event.slug, "hall_code": h.code}
                        ),
                    )
                ),
                "places": places,
                "datalist": str(format_html_join("", '<option value="{}">{}</option>', places)),
            }
            cache.set(key, base, timeout=60 * 60)
        base["datalist"] = mark_safe(base["datalist"])  # noqa: S308 - built by format_html_join
        self._base = base
        return base["places"]

    @staticmethod
    def _places(event, doors, features) -> list[tuple[str, str]]:
        stands = [
            (n, _("Stand %(n)s · %(e)s") % {"n": n, "e": e} if e else _("Stand %(n)s") % {"n": n})
            for n, e in Stand.objects.filter(event=event)
            .order_by("number")
            .values_list("number", "exhibitor__name")
        ]
        return (
            stands
            + [(d.code, d.name or d.code) for d in sorted(doors, key=lambda d: d.code)]
            + [(f.code, f.name or f.code) for f in features]
        )
