"""Reading the plan: the overview and its dashboard, the travel-time matrix, a hall's plan
and a stand's panel, the stand list, the print view, the SVG download and walking routes."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from exhibition.core.partials import render_partial

from .. import selectors, svg
from ..forms import RouteForm
from ..models import Stand, WalkingMatrix
from ..panel import stand_panel_parts
from ..tasks import compute_walking_matrix
from ..walking import UnknownPlaceError, WalkingError
from .common import (
    LIST_PAGE_SIZE,
    LIST_SORTS,
    PlanMixin,
    dashboard_row,
    plan_url,
    url_maker,
    wants_json,
)

# --- overview and dashboard ---------------------------------------------------------------------


class PlanOverviewView(PlanMixin, View):
    template_name = "floorplans/overview.html"

    def get(self, request, event_slug):
        event = request.event
        if request.htmx and self.can_edit:  # the walking matrix's progress poll
            ctx = matrix_context(request)
            return render_partial(
                request, "floorplans/partials/matrix.html", ctx, stop_polling=not ctx["matrix_poll"]
            )
        halls = list(selectors.halls_for_event(event))
        doors = list(selectors.doors_for_event(event))

        def site() -> str:
            stands = selectors.stand_shapes_for_event(event)
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
            ctx["totals"] = dashboard_row(selectors.stand_statistics(event))
            ctx["hall_rows"] = [
                {"hall": h, **dashboard_row(selectors.stand_statistics(event, h))} for h in halls
            ]
        if self.can_edit:
            ctx.update(matrix_context(request))
        return render(request, self.template_name, ctx)


def matrix_context(request) -> dict:
    """The walking matrix's state, and whether the page follows it: while it is computed, or
    after "Compute now" (``?computing=1``) until it is current or has failed."""
    matrix = selectors.matrix_state(request.event)
    version = selectors.plan_settings_for(request.event).version
    busy = matrix is not None and matrix.status in (
        WalkingMatrix.Status.PENDING,
        WalkingMatrix.Status.RUNNING,
    )
    done = matrix is not None and (
        matrix.status == WalkingMatrix.Status.FAILED
        or (matrix.status == WalkingMatrix.Status.READY and matrix.plan_version == version)
    )
    return {
        "matrix": matrix,
        "plan_version": version,
        "matrix_poll": busy or (bool(request.GET.get("computing")) and not done),
    }


class MatrixView(PlanMixin, View):
    """GET: the walking matrix state as JSON. POST (organisers): compute now (the overview then
    follows it with htmx, ``?computing=1``)."""

    def get(self, request, event_slug):
        if not self.can_edit:
            raise PermissionDenied
        return JsonResponse(_matrix_json(request.event))

    def post(self, request, event_slug):
        if not self.can_edit:
            raise PermissionDenied
        event_id = request.event.pk

        def queue():
            try:
                compute_walking_matrix.delay(event_id=event_id)
            except Exception:  # noqa: BLE001 - broker down: say so, do not 500
                messages.error(request, _("The background worker could not be reached. Try again later."))

        transaction.on_commit(queue)
        messages.success(request, _("The walking matrix is being computed."))
        if wants_json(request):
            return JsonResponse(_matrix_json(request.event), status=202)
        return redirect(
            reverse("floorplans:overview", kwargs={"event_slug": event_slug}) + "?computing=1#matrix"
        )


def _matrix_json(event) -> dict:
    matrix = selectors.matrix_state(event)
    version = selectors.plan_settings_for(event).version
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
                return redirect(plan_url(event, elsewhere[0].hall, colour=request.GET.get("colour"), q=q))
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
                stand_url=url_maker("floorplans:stand", event, hall_code=hall.code),
                move_url=url_maker("floorplans:stand_move", event, hall_code=hall.code) if can_edit else None,
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
                (s, plan_url(event, s.hall, colour=request.GET.get("colour"), q=s.number)) for s in elsewhere
            ],
            "stand_count": drawn["stand_count"],
            "can_edit": can_edit,
        }
        if self.commercials:
            ctx["hall_stats"] = dashboard_row(selectors.stand_statistics(event, hall))
        return render(request, self.template_name, ctx)


class StandPanelView(PlanMixin, View):
    """The side panel of one stand: a fragment for htmx (plan.js asks for it), a full page without JS."""

    def get(self, request, event_slug, hall_code, number):
        event = request.event
        hall = selectors.hall_for(event, hall_code)
        stand = selectors.stand_for(event, hall, number)
        sectors = selectors.sectors_of_stand(stand)
        ctx = {
            "hall": hall,
            "stand": stand,
            "sectors": sectors,
            "commercials": self.commercials,
            "can_edit": self.can_edit,
            "pavilion_contacts": request.user.has_perm("floorplans.view_pavilion_contacts", event),
            "parts": stand_panel_parts(request, stand),  # booking's: hold this stand, or why not
            "entrance": selectors.nearest_entrance(event, stand),  # where "Walk here from…" starts
        }
        if self.commercials:
            ctx["history"] = selectors.stand_history(event, stand)
        if request.htmx:  # the side panel, opened from the plan
            return render_partial(request, "floorplans/partials/stand_panel.html", ctx)
        return render(request, "floorplans/stand.html", ctx)


# --- list, print, SVG download ------------------------------------------------------------------


class HallListView(PlanMixin, View):
    template_name = "floorplans/list.html"

    def get(self, request, event_slug, hall_code):
        event = request.event
        hall = selectors.hall_for(event, hall_code)
        commercials = self.commercials
        sorts = dict(LIST_SORTS)
        if not commercials:
            sorts = {k: v for k, v in sorts.items() if "status" not in k}
        sort = request.GET.get("sort", "number")
        if sort not in sorts:
            sort = "number"
        qs = selectors.stands_for_hall(event, hall, ordering=sorts[sort])
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
        stands = list(selectors.stands_with_sectors_for_event(event))
        features = list(selectors.features_for_event(event))
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
        hall = selectors.hall_for(event, hall_code)
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


def minutes_words(minutes: float) -> str:
    """A walk's time as people say it: "less than 1 min" under half a minute, else "about 2 min"."""
    if minutes < 0.5:
        return _("less than 1 min")
    return _("about %(n)s min") % {"n": int(minutes + 0.5)}


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
        names = self._base["names"]
        # the doors passed between the two ends: an end that is a door is not a stop on the way
        stops = [d for d in (route.doors if route else []) if d not in (ids.get("from"), ids.get("to"))]
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "route": route,
                "site": site,
                "places_datalist": self._base["datalist"],
                "ids": ids,
                "names": {k: names.get(v, v) for k, v in ids.items()},
                "duration": minutes_words(route.minutes) if route else "",
                "halls": halls,
                "route_doors": [self._stamp.door_name(d) for d in stops],
            },
            status=status,
        )

    def _load_base(self, event) -> list[tuple[str, str]]:
        """The site map without a route, and the places with their labels: the same for every visitor
        until the plan, a booking or a name changes (see ``selectors.route_stamp``), so they come from
        the shared cache (and are built when it is empty or Redis is down)."""
        self._halls = list(selectors.halls_for_event(event))
        self._stamp = selectors.route_stamp(event, self._halls)
        key = f"floorplans:route-base:2:{self._stamp.key}:{get_language()}"
        base = cache.get(key)
        if base is None:
            doors = list(selectors.doors_for_event(event))
            features = list(selectors.place_features_for_event(event))
            stand_rows = selectors.stand_places(event)
            places = self._places(stand_rows, doors, features)
            base = {
                "site": str(
                    svg.site_svg(
                        self._halls,
                        doors=doors,
                        svg_id="route-svg",
                        stands=selectors.stand_shapes_for_event(event),
                        hall_url=lambda h: reverse(
                            "floorplans:hall", kwargs={"event_slug": event.slug, "hall_code": h.code}
                        ),
                    )
                ),
                "places": places,
                "names": self._names(stand_rows, doors, features),
                "datalist": str(format_html_join("", '<option value="{}">{}</option>', places)),
            }
            cache.set(key, base, timeout=60 * 60)
        base["datalist"] = mark_safe(base["datalist"])  # noqa: S308 - built by format_html_join
        self._base = base
        return base["places"]

    @staticmethod
    def _names(stand_rows, doors, features) -> dict[str, str]:
        """How the route's ends are written: "Stand 5A-A1", or a door's or place's name with its
        code in brackets ("North entrance (ENTRANCE-NORTH)"), or the bare code when it has no name."""
        names = {n: _("Stand %(n)s") % {"n": n} for n, _e in stand_rows}
        for code, name in [(d.code, d.display_name) for d in doors] + [(f.code, f.name) for f in features]:
            names[code] = f"{name} ({code})" if name else code
        return names

    @staticmethod
    def _places(stand_rows, doors, features) -> list[tuple[str, str]]:
        stands = [
            (n, _("Stand %(n)s · %(e)s") % {"n": n, "e": e} if e else _("Stand %(n)s") % {"n": n})
            for n, e in stand_rows
        ]
        return (
            stands
            + [(d.code, d.label) for d in sorted(doors, key=lambda d: d.code)]
            + [(f.code, f.name or f.code) for f in features]
        )
