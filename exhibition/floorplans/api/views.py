from __future__ import annotations

import math

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from exhibition.core import csvio
from exhibition.core.api import CSV_REFUSED, EventScopedMixin, csv_refused, csv_text, settings_changes
from exhibition.core.errors import DomainError
from exhibition.core.throttles import HeavyThrottle
from exhibition.floorplans import selectors, services
from exhibition.floorplans.models import Stand
from exhibition.floorplans.tasks import compute_walking_matrix
from exhibition.floorplans.walking import WalkingError

from .serializers import (
    DoorSerializer,
    DoorWriteSerializer,
    FeatureSerializer,
    MergeSerializer,
    OrganiserPavilionSerializer,
    OrganiserStandSerializer,
    PavilionSerializer,
    PavilionWriteSerializer,
    PlanSettingsSavedSerializer,
    PlanSettingsSerializer,
    PlanSettingsUpdateSerializer,
    RouteSerializer,
    SplitSerializer,
    StandImportResultSerializer,
    StandImportSerializer,
    StandSerializer,
    StandUpdateSerializer,
    StandWriteSerializer,
)


class PlanMixin(EventScopedMixin):
    permission_required = {
        "GET": "floorplans.view_plan",
        "POST": "floorplans.change_plan",
        "PATCH": "floorplans.change_plan",
        "PUT": "floorplans.change_plan",
        "DELETE": "floorplans.change_plan",
    }

    @property
    def commercials(self) -> bool:
        """May see the sales side of stands (status, holds, prices): organisers."""
        if getattr(self, "swagger_fake_view", False):  # the schema documents what everyone sees
            return False
        return self.request.user.has_perm("floorplans.view_stand_commercials", self.event)

    def get_serializer_context(self):
        if isinstance(self, generics.GenericAPIView):
            return super().get_serializer_context()
        return {"request": self.request, "format_kwarg": None, "view": self, "event": self.event}


_ORGANISER_STAND = "Organisers also get the sales side of each stand: `status`, `held_until` and `price`."


def _float(request, name):
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise DomainError(_("%(name)s must be a number.") % {"name": name}, field=name)
    return number


def _choice(request, name, choices):
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    if value not in choices:
        raise DomainError(
            _("%(name)s must be one of: %(choices)s.") % {"name": name, "choices": ", ".join(choices)},
            field=name,
        )
    return value


class StandListView(PlanMixin, generics.ListCreateAPIView):
    """Stands of the event. Filters: hall, pavilion, kind, min_area, max_area, q (number or exhibitor);
    organisers also status."""

    @extend_schema(
        parameters=[
            OpenApiParameter(p, str) for p in ("hall", "pavilion", "kind", "min_area", "max_area", "q")
        ]
        + [OpenApiParameter("status", str, enum=Stand.Status.values, description="organisers only")],
        responses=OpenApiResponse(StandSerializer(many=True), description=_ORGANISER_STAND),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=StandWriteSerializer, responses={201: OrganiserStandSerializer})
    def post(self, request, *args, **kwargs):
        data = StandWriteSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        stand = services.create_stand(event=self.event, actor=request.user, **data.validated_data)
        return Response(
            OrganiserStandSerializer(stand, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    def get_serializer_class(self):
        return OrganiserStandSerializer if self.commercials else StandSerializer

    def get_queryset(self):
        p = self.request.query_params
        status_ = _choice(self.request, "status", Stand.Status.values)
        if status_ is not None and not self.commercials:
            raise DomainError(_("Only organisers can filter stands by sales status."), field="status")
        return selectors.filtered_stands(
            self.event,
            hall=p.get("hall"),
            status=status_,
            pavilion=p.get("pavilion"),
            kind=_choice(self.request, "kind", Stand.Kind.values),
            min_area=_float(self.request, "min_area"),
            max_area=_float(self.request, "max_area"),
            text=p.get("q"),
        )


@extend_schema_view(
    get=extend_schema(responses=OpenApiResponse(StandSerializer, description=_ORGANISER_STAND)),
    patch=extend_schema(request=StandUpdateSerializer, responses=OrganiserStandSerializer),
    put=extend_schema(request=StandUpdateSerializer, responses=OrganiserStandSerializer),
)
class StandDetailView(PlanMixin, generics.RetrieveUpdateDestroyAPIView):
    lookup_field = "number"
    lookup_url_kwarg = "number"

    def get_serializer_class(self):
        return OrganiserStandSerializer if self.commercials else StandSerializer

    def get_queryset(self):
        return selectors.stands_for_event(self.event)

    def get_object(self):
        # Stand numbers are stored upper case; the URL may say "5a-101".
        self.kwargs["number"] = self.kwargs["number"].upper()
        return super().get_object()

    def update(self, request, *args, **kwargs):
        stand = self.get_object()
        data = StandUpdateSerializer(data=request.data, partial=True, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        stand = services.update_stand(stand=stand, actor=request.user, **data.validated_data)
        return Response(OrganiserStandSerializer(stand, context=self.get_serializer_context()).data)

    def perform_destroy(self, instance):
        services.delete_stand(stand=instance, actor=self.request.user)


class StandSplitView(PlanMixin, APIView):
    @extend_schema(request=SplitSerializer, responses={201: OrganiserStandSerializer(many=True)})
    def post(self, request, event_slug, number):
        stand = selectors.stand_by_number(self.event, number)
        data = SplitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        parts = services.split_stand(stand=stand, actor=request.user, **data.validated_data)
        return Response(
            OrganiserStandSerializer(parts, many=True, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


class StandImportView(PlanMixin, APIView):
    """POST the stands as CSV (the columns of the plan's export): new stands are created, those
    whose number exists are updated. All or nothing: one bad row and nothing is written."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]
    upload_limit = csvio.MAX_BYTES

    @extend_schema(
        request={"application/json": StandImportSerializer, "multipart/form-data": StandImportSerializer},
        responses={
            200: StandImportResultSerializer,
            400: CSV_REFUSED,
        },
    )
    def post(self, request, event_slug):
        data = StandImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        try:
            content = csv_text(v)
            report = services.import_stands_csv(event=self.event, actor=request.user, data=content)
        except services.ImportFailed as exc:
            return csv_refused(exc)
        return Response({"created": report.created, "updated": report.updated})


class StandMergeView(PlanMixin, APIView):
    @extend_schema(request=MergeSerializer, responses={201: OrganiserStandSerializer})
    def post(self, request, event_slug):
        data = MergeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        wanted = [n.strip().upper() for n in data.validated_data["stands"]]
        stands = list(selectors.stands_numbered(self.event, wanted))
        if len(stands) != 2:
            raise DomainError(_("Both stands must exist at this event."), field="stands")
        merged = services.merge_stands(
            stands=stands, actor=request.user, number=data.validated_data.get("number")
        )
        return Response(
            OrganiserStandSerializer(merged, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


class FeatureListView(PlanMixin, generics.ListCreateAPIView):
    serializer_class = FeatureSerializer

    def get_queryset(self):
        return selectors.features_for_event(self.event, self.request.query_params.get("hall"))

    def perform_create(self, serializer):
        serializer.instance = services.create_feature(
            event=self.event, actor=self.request.user, **serializer.validated_data
        )


class FeatureDetailView(PlanMixin, generics.RetrieveUpdateDestroyAPIView):
    serializer_class = FeatureSerializer
    lookup_field = "code"
    lookup_url_kwarg = "code"

    def get_queryset(self):
        return selectors.features_for_event(self.event)

    def perform_update(self, serializer):
        serializer.instance = services.update_feature(
            feature=serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.delete_feature(feature=instance, actor=self.request.user)


_CONTACTS = "Organisers also get `contact_name` and `contact_email`."


class _PavilionMixin(PlanMixin):
    def get_serializer_class(self):
        if getattr(self, "swagger_fake_view", False):
            return PavilionSerializer
        if self.request.method != "GET" or self.request.user.has_perm(
            "floorplans.view_pavilion_contacts", self.event
        ):
            return OrganiserPavilionSerializer
        return PavilionSerializer

    def written(self, pavilion, status_code=status.HTTP_200_OK):
        return Response(
            OrganiserPavilionSerializer(pavilion, context=self.get_serializer_context()).data,
            status=status_code,
        )


@extend_schema_view(
    get=extend_schema(responses=OpenApiResponse(PavilionSerializer(many=True), description=_CONTACTS)),
    post=extend_schema(request=PavilionWriteSerializer, responses={201: OrganiserPavilionSerializer}),
)
class PavilionListView(_PavilionMixin, generics.ListCreateAPIView):
    """The show's national pavilions, by name; organisers add them."""

    def get_queryset(self):
        return selectors.pavilions_for_event(self.event)

    def create(self, request, *args, **kwargs):
        data = PavilionWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pavilion = services.create_pavilion(event=self.event, actor=request.user, **data.validated_data)
        return self.written(pavilion, status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(responses=OpenApiResponse(PavilionSerializer, description=_CONTACTS)),
    patch=extend_schema(request=PavilionWriteSerializer, responses=OrganiserPavilionSerializer),
    put=extend_schema(request=PavilionWriteSerializer, responses=OrganiserPavilionSerializer),
)
class PavilionDetailView(_PavilionMixin, generics.RetrieveUpdateDestroyAPIView):
    """One pavilion. Removing it leaves its stands on the plan, without a pavilion."""

    def get_object(self):
        return selectors.pavilion_for(self.event, self.kwargs["pk"])

    def update(self, request, *args, **kwargs):
        pavilion = self.get_object()
        data = PavilionWriteSerializer(data=request.data, partial=kwargs.get("partial", False))
        data.is_valid(raise_exception=True)
        return self.written(
            services.update_pavilion(pavilion=pavilion, actor=request.user, **data.validated_data)
        )

    def perform_destroy(self, instance):
        services.delete_pavilion(pavilion=instance, actor=self.request.user)


# the service's names of a door's halls -> the API's
_DOOR_FIELDS = {"hall_a": "hall", "hall_b": "to_hall"}


def _door_fields(perform):
    """Run a door service, naming the fields of its errors as the API does."""
    try:
        return perform()
    except DomainError as exc:
        exc.field = _DOOR_FIELDS.get(exc.field or "", exc.field)
        raise


@extend_schema_view(
    get=extend_schema(parameters=[OpenApiParameter("hall", str, description="a hall's code: its doors")]),
    post=extend_schema(request=DoorWriteSerializer, responses={201: DoorSerializer}),
)
class DoorListView(PlanMixin, generics.ListCreateAPIView):
    """The doors of the plan: entrances from outside and doors between halls, by code."""

    serializer_class = DoorSerializer

    def get_queryset(self):
        return selectors.doors_for_event(self.event, self.request.query_params.get("hall"))

    def create(self, request, *args, **kwargs):
        data = DoorWriteSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        door = _door_fields(
            lambda: services.create_door(event=self.event, actor=request.user, **data.validated_data)
        )
        return Response(DoorSerializer(door).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    patch=extend_schema(request=DoorWriteSerializer, responses=DoorSerializer),
    put=extend_schema(request=DoorWriteSerializer, responses=DoorSerializer),
)
class DoorDetailView(PlanMixin, generics.RetrieveUpdateDestroyAPIView):
    """One door, by its code. A door a delegation starts its day at keeps its code, stays an
    entrance and cannot be removed (409)."""

    serializer_class = DoorSerializer
    lookup_field = "code"
    lookup_url_kwarg = "code"

    def get_queryset(self):
        return selectors.doors_for_event(self.event)

    def get_object(self):
        self.kwargs["code"] = self.kwargs["code"].strip().upper()
        return super().get_object()

    def update(self, request, *args, **kwargs):
        door = self.get_object()
        data = DoorWriteSerializer(
            data=request.data, partial=kwargs.get("partial", False), context=self.get_serializer_context()
        )
        data.is_valid(raise_exception=True)
        door = _door_fields(
            lambda: services.update_door(door=door, actor=request.user, **data.validated_data)
        )
        return Response(DoorSerializer(door).data)

    def perform_destroy(self, instance):
        services.delete_door(door=instance, actor=self.request.user)


class RouteView(PlanMixin, APIView):
    """Shortest walking route between two places (stand numbers, door or feature codes)."""

    @extend_schema(
        parameters=[OpenApiParameter("from", str, required=True), OpenApiParameter("to", str, required=True)],
        responses={200: RouteSerializer},
    )
    def get(self, request, event_slug):
        origin, destination = (
            request.query_params.get("from", "").strip(),
            request.query_params.get("to", "").strip(),
        )
        errors = {
            k: [_("This field is required.")] for k, v in (("from", origin), ("to", destination)) if not v
        }
        if errors:
            return Response(errors, status=400)
        try:
            route = selectors.route_between(self.event, origin.upper(), destination.upper())
        except WalkingError as exc:
            return Response({"detail": str(exc)}, status=400)
        return Response(
            RouteSerializer(
                {
                    "origin": route.origin,
                    "destination": route.destination,
                    "minutes": round(route.minutes, 2),
                    "metres": round(route.metres, 1),
                    "points": [list(p) for p in route.points],
                    "doors": list(route.doors),
                }
            ).data
        )


class WalkingMatrixView(PlanMixin, APIView):
    """The walking matrix in the ``travel.minutes`` shape (organisers: about 1.4 million figures for a
    show of 1,200 places; ``places`` narrows it). 202 while it is being computed. Throttled."""

    permission_required = {"GET": "floorplans.view_walking_matrix", "POST": "floorplans.change_plan"}
    throttle_classes = [HeavyThrottle]

    @extend_schema(
        parameters=[OpenApiParameter("places", str, description="comma-separated ids to restrict to")],
        responses={200: OpenApiTypes.OBJECT, 202: OpenApiTypes.OBJECT},
    )
    def get(self, request, event_slug):
        places = [
            p.strip().upper() for p in request.query_params.get("places", "").split(",") if p.strip()
        ] or None
        minutes = selectors.walking_minutes(self.event, places)
        settings_ = selectors.plan_settings_for(self.event)
        version = settings_.version
        if minutes is None:
            state = selectors.matrix_state(self.event)
            current = state is not None and state.is_for(self.event, settings_)
            return Response(
                {
                    "status": (state.status if current else "stale") if state else "missing",
                    "progress": state.progress if current else 0.0,
                    "plan_version": version,
                },
                status=202,
            )
        return Response({"kind": "matrix", "plan_version": version, "minutes": minutes})

    @extend_schema(request=None, responses={202: OpenApiTypes.OBJECT})
    def post(self, request, event_slug):
        try:
            compute_walking_matrix.apply_async(kwargs={"event_id": self.event.pk}, retry=False)
        except Exception:  # noqa: BLE001 - broker down: say so instead of a 500
            return Response(
                {"detail": _("The computation could not be started; try again in a minute.")}, status=503
            )
        state = selectors.matrix_state(self.event)
        return Response({"status": state.status if state else "pending"}, status=202)


class PlanSettingsView(PlanMixin, APIView):
    """The show's stand rates, open-side supplements and hall-entry minutes. Organisers read them;
    organiser admins change them (PATCH, any of the fields): new rates re-price every stand not
    yet booked (free, blocked or held), confirmed bookings keep their price."""

    permission_required = {"GET": "floorplans.view_settings", "PATCH": "floorplans.change_settings"}

    @extend_schema(responses={200: PlanSettingsSerializer})
    def get(self, request, event_slug):
        return Response(PlanSettingsSerializer(selectors.plan_settings_for(self.event)).data)

    @extend_schema(request=PlanSettingsUpdateSerializer, responses={200: PlanSettingsSavedSerializer})
    def patch(self, request, event_slug):
        result = services.update_plan_settings(
            event=self.event, actor=request.user, **settings_changes(PlanSettingsUpdateSerializer, request)
        )
        return Response(
            {
                **PlanSettingsSerializer(result.settings).data,
                "repriced": result.repriced,
                "kept": result.kept,
            }
        )
