"""The accreditation API: the same services and rules as the pages.

Organiser endpoints (``accreditation.manage``: badges, signing keys, batch printing, ...), one's
own badge and its lead-scan opt-out, an organisation's badges (its admin, head of delegation or
the organiser: ``accreditation.manage_organisation_badges``), leads for exhibitors' staff,
and the scanner endpoints, which authenticate the *device* (``Authorization: Device <token>``)
and check ``accreditation.redeem``, a permission only a registered device of the event has."""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from exhibition.accounts.models import Organisation
from exhibition.core import ratelimit
from exhibition.core.api import EventScopedMixin
from exhibition.core.errors import DomainError
from exhibition.core.ids import as_id
from exhibition.core.permissions import RulesPermission
from exhibition.events.selectors import event_by_slug
from exhibition.exhibitors.selectors import badge_quota_for
from exhibition.meetings.models import Place

from .. import ruleset, selectors, services
from ..auth import DeviceAuthentication
from ..models import AccessDay, AccessRule, Badge, BadgeCategory, Device, Gate, Lead, Zone
from ..pdf import print_job_download
from ..services.leads import company_of
from .serializers import (
    AccreditationBadgeSerializer,
    BadgePhotoSerializer,
    CaptureSerializer,
    CategorySerializer,
    DaySerializer,
    DeviceSerializer,
    GateSerializer,
    IssuedSerializer,
    LeadSerializer,
    LeadsOptOutSerializer,
    LeadUpdateSerializer,
    NewAccreditationBadgeSerializer,
    NewDeviceSerializer,
    NewPrintJobSerializer,
    NewStaffBadgeSerializer,
    OrganisationBadgesSerializer,
    PrintJobSerializer,
    RedeemSerializer,
    RegisteredSerializer,
    RegisterSerializer,
    ReissueSerializer,
    RevokeSerializer,
    RuleSerializer,
    ScanSerializer,
    SigningKeySerializer,
    WithdrawnKeySerializer,
    ZoneSerializer,
)

MANAGE = "accreditation.manage"


class ManageMixin(EventScopedMixin):
    permission_required = MANAGE


# --- set-up: categories, zones, days, rules, gates -----------------------------------------------------


class _SetupList(ManageMixin, generics.ListCreateAPIView):
    model: type = BadgeCategory
    save = staticmethod(services.save_zone)
    arg = "zone"  # the save service's argument
    pagination_class = None

    def get_queryset(self):
        return selectors.setup_objects_of(self.event, self.model)

    def perform_create(self, serializer):
        obj = self.model(
            event=self.event,
            **{k: v for k, v in serializer.validated_data.items() if k not in ("zones", "days")},
        )
        self._store(obj, serializer.validated_data)
        serializer.instance = obj

    def _store(self, obj, data):
        type(self).save(**{self.arg: obj, "actor": self.request.user})


class _SetupDetail(ManageMixin, generics.RetrieveUpdateDestroyAPIView):
    model: type = BadgeCategory
    save = staticmethod(services.save_zone)
    arg = "zone"

    def get_queryset(self):
        return selectors.setup_objects_of(self.event, self.model)

    def perform_update(self, serializer):
        obj = serializer.instance
        for k, v in serializer.validated_data.items():
            if k not in ("zones", "days"):
                setattr(obj, k, v)
        _SetupList._store(self, obj, serializer.validated_data)

    def perform_destroy(self, instance):
        services.delete_setup_object(obj=instance, actor=self.request.user)


class _CategoryStore:
    def _store(self, obj, data):
        services.save_category(
            category=obj, actor=self.request.user, zones=data.get("zones"), days=data.get("days")
        )


class CategoryListView(_CategoryStore, _SetupList):
    model = BadgeCategory
    serializer_class = CategorySerializer


class CategoryDetailView(_CategoryStore, _SetupDetail):
    model = BadgeCategory
    serializer_class = CategorySerializer

    def perform_update(self, serializer):
        obj = serializer.instance
        for k, v in serializer.validated_data.items():
            if k not in ("zones", "days"):
                setattr(obj, k, v)
        self._store(obj, serializer.validated_data)


class ZoneListView(_SetupList):
    model, serializer_class, save = Zone, ZoneSerializer, staticmethod(services.save_zone)


class ZoneDetailView(_SetupDetail):
    model, serializer_class, save = Zone, ZoneSerializer, staticmethod(services.save_zone)


class DayListView(_SetupList):
    arg = "day"
    model, serializer_class, save = AccessDay, DaySerializer, staticmethod(services.save_day)


class DayDetailView(_SetupDetail):
    arg = "day"
    model, serializer_class, save = AccessDay, DaySerializer, staticmethod(services.save_day)


class RuleListView(_SetupList):
    arg = "rule"
    model, serializer_class, save = AccessRule, RuleSerializer, staticmethod(services.save_rule)


class RuleDetailView(_SetupDetail):
    arg = "rule"
    model, serializer_class, save = AccessRule, RuleSerializer, staticmethod(services.save_rule)


class GateListView(_SetupList):
    arg = "gate"
    model, serializer_class, save = Gate, GateSerializer, staticmethod(services.save_gate)

    def perform_create(self, serializer):
        data = serializer.validated_data
        zone, place = data["zone"], data.get("place")
        if zone.event_id != self.event.pk or (place is not None and place.event_id != self.event.pk):
            raise DomainError(_("Choose from this event."))
        super().perform_create(serializer)


class GateDetailView(_SetupDetail):
    arg = "gate"
    model, serializer_class, save = Gate, GateSerializer, staticmethod(services.save_gate)


class SetUpView(ManageMixin, APIView):
    @extend_schema(request=None, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, event_slug):
        services.set_up(event=self.event, actor=request.user)
        issued = services.issue_missing_badges(event=self.event, actor=request.user)
        return Response({"issued": issued}, status=status.HTTP_201_CREATED)


class IssueMissingView(ManageMixin, APIView):
    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT})
    def post(self, request, event_slug):
        return Response({"issued": services.issue_missing_badges(event=self.event, actor=request.user)})


# --- badges ------------------------------------------------------------------------------------------------


class BadgeListView(ManageMixin, generics.ListCreateAPIView):
    serializer_class = AccreditationBadgeSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("category", str),
            OpenApiParameter("status", str),
            OpenApiParameter("q", str),
            OpenApiParameter("organisation", int),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        p = self.request.query_params
        org = p.get("organisation", "")
        return selectors.badges_with_replacement(
            self.event,
            category=p.get("category", ""),
            status=p.get("status", ""),
            q=p.get("q", "")[:100],
            organisation=as_id(org),
        )

    @extend_schema(
        request={
            "multipart/form-data": NewAccreditationBadgeSerializer,
            "application/json": NewAccreditationBadgeSerializer,
        },
        responses={201: AccreditationBadgeSerializer},
    )
    def post(self, request, event_slug):
        data = NewAccreditationBadgeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        cat = selectors.category_by_code(self.event, v["category"])
        org = selectors.organisation_for(self.event, v["organisation"]) if v.get("organisation") else None
        photo = v.get("photo")
        badge = services.issue_manual(
            event=self.event,
            actor=request.user,
            category=cat,
            name=v["name"],
            organisation_name=v.get("organisation_name", ""),
            job_title=v.get("job_title", ""),
            country=v.get("country", ""),
            email=v.get("email", ""),
            organisation=org,
            photo=photo.read() if photo else None,
        )
        return Response(AccreditationBadgeSerializer(badge).data, status=status.HTTP_201_CREATED)


class BadgeMixin(EventScopedMixin):
    """A badge the requester may see: the organiser, its holder, its company or delegation."""

    permission_required = "events.view_event"

    def badge(self) -> Badge:
        badge = selectors.badge_of(self.event, self.kwargs["pk"])
        if badge is None or not self.request.user.has_perm("accreditation.view_badge", badge):
            raise Http404
        return badge


class BadgeDetailView(BadgeMixin, APIView):
    @extend_schema(responses=AccreditationBadgeSerializer)
    def get(self, request, event_slug, pk):
        return Response(AccreditationBadgeSerializer(self.badge()).data)


class BadgeReissueView(ManageMixin, APIView):
    @extend_schema(request=ReissueSerializer, responses={201: AccreditationBadgeSerializer})
    def post(self, request, event_slug, pk):
        data = ReissueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        badge = selectors.badge_for(self.event, pk)
        cat = data.validated_data.get("category")
        cat = selectors.category_by_code(self.event, cat) if cat else None
        new = services.reissue_badge(badge=badge, actor=request.user, category=cat)
        return Response(AccreditationBadgeSerializer(new).data, status=status.HTTP_201_CREATED)


class BadgeRevokeView(ManageMixin, APIView):
    @extend_schema(request=RevokeSerializer, responses=AccreditationBadgeSerializer)
    def post(self, request, event_slug, pk):
        data = RevokeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        badge = services.revoke_badge(
            badge=selectors.badge_for(self.event, pk),
            actor=request.user,
            note=data.validated_data.get("note", ""),
        )
        return Response(AccreditationBadgeSerializer(badge).data)


class BadgePhotoView(ManageMixin, APIView):
    """POST multipart ``photo``: the holder's photo, checked and re-encoded; a badge that waited
    for its photo becomes valid (as on the badge's page). 409 for a revoked badge."""

    @extend_schema(
        request={"multipart/form-data": BadgePhotoSerializer},
        responses={200: AccreditationBadgeSerializer},
    )
    def post(self, request, event_slug, pk):
        badge = selectors.badge_for(self.event, pk)
        data = BadgePhotoSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        badge = services.set_photo(badge=badge, actor=request.user, data=data.validated_data["photo"].read())
        return Response(AccreditationBadgeSerializer(badge).data)


class BadgeSendView(ManageMixin, APIView):
    """POST (no body): e-mail the holder a link to their badge, as the badge's page does; 409
    for a badge that cannot be printed (revoked, or waiting for its photo), 400 without an
    e-mail address."""

    @extend_schema(request=None, responses={202: None})
    def post(self, request, event_slug, pk):
        services.send_badge(badge=selectors.badge_for(self.event, pk), actor=request.user)
        return Response(status=status.HTTP_202_ACCEPTED)


class BadgePdfView(BadgeMixin, APIView):
    @extend_schema(
        parameters=[OpenApiParameter("format", str, enum=["a6", "label"])],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    def get(self, request, event_slug, pk):
        fmt = "label" if request.query_params.get("format") == "label" else "a6"
        data = services.badge_pdf(badge=self.badge(), actor=request.user, fmt=fmt)
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="badge-{pk}.pdf"'
        return response


class MyBadgeView(EventScopedMixin, APIView):
    permission_required = "accreditation.view_own_badge"

    @extend_schema(responses=AccreditationBadgeSerializer)
    def get(self, request, event_slug):
        badge = selectors.own_badge(self.event, request.user)
        if badge is None:
            return Response({"detail": _("You have no badge yet.")}, status=status.HTTP_404_NOT_FOUND)
        data = AccreditationBadgeSerializer(badge).data
        if badge.status == Badge.Status.VALID:
            try:
                services.check_printable(badge)
                data["code"] = services.code_for(badge)
            except DomainError:
                pass
        return Response(data)

    @extend_schema(request=None, responses={201: AccreditationBadgeSerializer})
    def post(self, request, event_slug):
        badge = services.issue_for_person(event=self.event, user=request.user, actor=request.user)
        return Response(AccreditationBadgeSerializer(badge).data, status=status.HTTP_201_CREATED)


class OwnBadgeMixin(EventScopedMixin):
    """The reader's own badge at the event (``own_badge()``: 404 without one)."""

    permission_required = "accreditation.view_own_badge"

    def own_badge(self) -> Badge:
        badge = selectors.own_badge(self.event, self.request.user)
        if badge is None:
            raise NotFound(_("You have no badge yet."))
        return badge


class MyBadgeSendView(OwnBadgeMixin, APIView):
    @extend_schema(
        request=None,
        responses={202: None},
        description=(
            "E-mail yourself a link to your badge (to print it, or keep it on your phone), as your "
            "badge page does; 409 while the badge cannot be printed (waiting for its photo, or "
            "revoked), 404 without a badge."
        ),
    )
    def post(self, request, event_slug):
        services.send_badge(badge=self.own_badge(), actor=request.user)
        return Response(status=status.HTTP_202_ACCEPTED)


class MyBadgeLeadsView(OwnBadgeMixin, APIView):
    """The lead-scan opt-out of one's own badge, as on the badge page: with ``opt_out`` true,
    exhibitors' scans of the badge are refused and record nothing. 404 without a badge."""

    @extend_schema(responses=LeadsOptOutSerializer)
    def get(self, request, event_slug):
        return Response({"opt_out": self.own_badge().leads_opt_out})

    @extend_schema(request=LeadsOptOutSerializer, responses=LeadsOptOutSerializer)
    def put(self, request, event_slug):
        badge = self.own_badge()
        data = LeadsOptOutSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        badge = services.set_leads_opt_out(
            badge=badge, actor=request.user, opt_out=data.validated_data["opt_out"]
        )
        return Response({"opt_out": badge.leads_opt_out})


# --- a company's or a delegation's badges ------------------------------------------------------------------


class OrganisationMixin(EventScopedMixin):
    """An organisation's badges (``organisations/<org>/...``), as its badges page: for the
    organiser, the company admin and the head of delegation; anyone else gets 404."""

    permission_required = "accreditation.manage_organisation_badges"
    hide_denied = True

    def get_permission_object(self) -> Organisation:
        return self.organisation()

    def organisation(self) -> Organisation:
        if not hasattr(self, "_organisation"):
            self._organisation = selectors.organisation_for(self.event, self.kwargs["org"])
        return self._organisation

    def company(self) -> Organisation:
        """The organisation, which must be a company (staff badges): 404 for a delegation."""
        org = self.organisation()
        if org.kind != Organisation.Kind.COMPANY:
            raise Http404
        return org


class OrganisationBadgesView(OrganisationMixin, APIView):
    @extend_schema(
        responses=OrganisationBadgesSerializer,
        description=(
            "The organisation's badges; for a company, its staff badge quota and the requests made "
            "on the exhibitor portal not issued yet; for a delegation, its members and their badges."
        ),
    )
    def get(self, request, event_slug, org):
        org = self.organisation()
        company = org.kind == Organisation.Kind.COMPANY
        badges = list(selectors.badges_with_replacement(self.event, organisation=org.pk))
        by_member = {b.delegation_member_id: b.pk for b in badges if b.is_live and b.delegation_member_id}
        data = {
            "organisation": org.pk,
            "name": org.name,
            "kind": org.kind,
            "quota": badge_quota_for(org) if company else None,
            "badges": badges,
            "awaiting": selectors.awaiting_badge_requests(org) if company else [],
            "members": []
            if company
            else [
                {"id": m.pk, "name": m.name, "badge": by_member.get(m.pk)}
                for m in selectors.delegation_members_of(org)
            ],
        }
        return Response(OrganisationBadgesSerializer(data).data)

    @extend_schema(
        request=NewStaffBadgeSerializer,
        responses={201: AccreditationBadgeSerializer},
        description=(
            "A company's staff badge: requested within the stand's quota and issued at once, as on "
            "the badges page (404 for a delegation)."
        ),
    )
    def post(self, request, event_slug, org):
        company = self.company()
        data = NewStaffBadgeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        badge = services.add_staff_badge(organisation=company, actor=request.user, **data.validated_data)
        return Response(AccreditationBadgeSerializer(badge).data, status=status.HTTP_201_CREATED)


class OrganisationIssueRequestedView(OrganisationMixin, APIView):
    @extend_schema(
        request=None,
        responses=IssuedSerializer,
        description="Issue now the badges the company requested on the exhibitor portal (404 for a delegation).",
    )
    def post(self, request, event_slug, org):
        issued = services.issue_requested_badges(organisation=self.company(), actor=request.user)
        return Response({"issued": issued})


class OrganisationBadgeCancelView(OrganisationMixin, APIView):
    @extend_schema(
        request=None,
        responses=AccreditationBadgeSerializer,
        description=(
            "Cancel one of the company's staff badges: revoked (the gates refuse it) and its place "
            "in the quota free again; 404 for another organisation's badge."
        ),
    )
    def post(self, request, event_slug, org, pk):
        org = self.organisation()
        services.cancel_staff_badge(badge=selectors.organisation_badge(org, pk), actor=request.user)
        return Response(AccreditationBadgeSerializer(selectors.organisation_badge(org, pk)).data)


class OrganisationBadgeSendView(OrganisationMixin, APIView):
    @extend_schema(
        request=None,
        responses={202: None},
        description=(
            "E-mail the holder a link to their badge; 409 for a badge that cannot be printed, "
            "400 without an e-mail address."
        ),
    )
    def post(self, request, event_slug, org, pk):
        services.send_badge(badge=selectors.organisation_badge(self.organisation(), pk), actor=request.user)
        return Response(status=status.HTTP_202_ACCEPTED)


class OrganisationMemberPhotoView(OrganisationMixin, APIView):
    @extend_schema(
        request={"multipart/form-data": BadgePhotoSerializer},
        responses=AccreditationBadgeSerializer,
        description=(
            "A delegation member's photo: checked and re-encoded; the member's badge is issued (or "
            "completed, if it waited for its photo). 404 for a company or another delegation's member."
        ),
    )
    def post(self, request, event_slug, org, member):
        member = selectors.delegation_member_of(self.organisation(), member)
        data = BadgePhotoSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        badge = services.issue_for_member(
            member=member, actor=request.user, photo=data.validated_data["photo"].read()
        )
        return Response(AccreditationBadgeSerializer(badge).data)


# --- signing keys ------------------------------------------------------------------------------------------


class KeyListView(ManageMixin, generics.ListAPIView):
    """The event's signing keys, newest first: the newest signs new badges, the others still verify."""

    serializer_class = SigningKeySerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.signing_keys_of(self.event)


class KeyRotateView(ManageMixin, APIView):
    @extend_schema(
        request=None,
        responses={201: SigningKeySerializer},
        description="A new key signs new badges from now on; older keys keep verifying (no reprint).",
    )
    def post(self, request, event_slug):
        key = services.rotate_key(event=self.event, actor=request.user)
        return Response(SigningKeySerializer(key).data, status=status.HTTP_201_CREATED)


class KeyWithdrawView(ManageMixin, APIView):
    @extend_schema(
        request=None,
        responses=WithdrawnKeySerializer,
        description=(
            "A leaked key: its codes are refused from now on, its badges are signed again with the "
            "current key and must be printed again (``reprint``). 409 if it is already withdrawn."
        ),
    )
    def post(self, request, event_slug, pk):
        reprint = services.withdraw_key(key=selectors.signing_key_of(self.event, pk), actor=request.user)
        key = selectors.signing_key_of(self.event, pk)
        return Response(WithdrawnKeySerializer({"key": key, "reprint": reprint}).data)


# --- batch printing ----------------------------------------------------------------------------------------


class PrintJobListView(ManageMixin, generics.ListAPIView):
    """The 20 latest print batches; POST starts one (printed in the background: poll the batch
    until its ``status`` is ``done``, then fetch ``download_url``)."""

    serializer_class = PrintJobSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.print_jobs_of(self.event)

    @extend_schema(request=NewPrintJobSerializer, responses={201: PrintJobSerializer})
    def post(self, request, event_slug):
        data = NewPrintJobSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        category = organisation = None
        if v.get("category"):
            category = selectors.category_by_code_or_none(self.event, v["category"])
            if category is None:
                raise DomainError(_("Choose from this event."), field="category")
        if v.get("organisation") is not None:
            organisation = selectors.admitted_organisation_or_none(self.event, v["organisation"])
            if organisation is None:
                raise DomainError(_("Choose from this event."), field="organisation")
        job = services.start_print_job(
            event=self.event,
            actor=request.user,
            fmt=v["format"],
            category=category,
            organisation=organisation,
            new_only=v["new_only"],
        )
        return Response(
            PrintJobSerializer(job, context={"event": self.event}).data, status=status.HTTP_201_CREATED
        )


class PrintJobDetailView(ManageMixin, APIView):
    @extend_schema(responses=PrintJobSerializer, description="One batch: its status and progress.")
    def get(self, request, event_slug, pk):
        job = selectors.print_job_of(self.event, pk)
        return Response(PrintJobSerializer(job, context={"event": self.event}).data)


class PrintJobDownloadView(ManageMixin, APIView):
    @extend_schema(
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
        description="The batch's PDF, once it is done; 404 before.",
    )
    def get(self, request, event_slug, pk):
        return print_job_download(selectors.finished_print_job_of(self.event, pk))


# --- devices and scans -------------------------------------------------------------------------------------


class DeviceListView(ManageMixin, generics.ListCreateAPIView):
    serializer_class = DeviceSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.devices_of(self.event)

    @extend_schema(request=DeviceSerializer, responses={201: NewDeviceSerializer})
    def post(self, request, event_slug):
        data = DeviceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        gate = data.validated_data.get("gate")
        device, code = services.create_device(
            event=self.event, actor=request.user, name=data.validated_data["name"], gate=gate
        )
        out = NewDeviceSerializer(device).data
        out["code"] = code
        return Response(out, status=status.HTTP_201_CREATED)


class DeviceDetailView(ManageMixin, APIView):
    @extend_schema(responses=DeviceSerializer)
    def get(self, request, event_slug, pk):
        return Response(DeviceSerializer(selectors.device_of(self.event, pk)).data)

    @extend_schema(request=DeviceSerializer, responses=DeviceSerializer)
    def patch(self, request, event_slug, pk):
        device = selectors.device_of(self.event, pk)
        if not isinstance(request.data, dict):
            raise ValidationError({"detail": _('Send a JSON object, for example {"gate": 3}.')})
        gate_id = request.data.get("gate")
        gate = selectors.gate_of(self.event, gate_id) if gate_id else None
        return Response(
            DeviceSerializer(services.set_device_gate(device=device, actor=request.user, gate=gate)).data
        )

    @extend_schema(responses={204: None})
    def delete(self, request, event_slug, pk):
        services.revoke_device(device=selectors.device_of(self.event, pk), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DeviceCodeView(ManageMixin, APIView):
    @extend_schema(request=None, responses={201: NewDeviceSerializer})
    def post(self, request, event_slug, pk):
        device = selectors.device_of(self.event, pk)
        code = services.new_code(device=device, actor=request.user)
        out = NewDeviceSerializer(selectors.device_of(self.event, device.pk)).data
        out["code"] = code
        return Response(out, status=status.HTTP_201_CREATED)


class ScanListView(ManageMixin, generics.ListAPIView):
    serializer_class = ScanSerializer

    @extend_schema(parameters=[OpenApiParameter("result", str), OpenApiParameter("badge", int)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        p = self.request.query_params
        badge = p.get("badge", "")
        return selectors.scans_of(self.event, result=p.get("result", ""), badge=as_id(badge))


class LiveView(ManageMixin, APIView):
    @extend_schema(
        parameters=[OpenApiParameter("day", OpenApiTypes.DATE)], responses={200: OpenApiTypes.OBJECT}
    )
    def get(self, request, event_slug):
        day = request.query_params.get("day")
        try:
            day = date.fromisoformat(day) if day else None
        except ValueError:
            raise DomainError(_("Enter a date as YYYY-MM-DD."), field="day") from None
        data = selectors.live(self.event, day)
        cats = {c.pk: c.code for c in data.categories}
        return Response(
            {
                "day": data.day.isoformat(),
                "inside": [{"zone": z.pk, "name": z.name, "inside": n} for z, n in data.inside],
                "arrivals": [
                    {"from": t.isoformat(), "by_category": {cats.get(k, str(k)): v for k, v in c.items()}}
                    for t, c in data.arrivals
                ],
                "refused": [{"reason": r, "label": label, "count": n} for r, label, n in data.refused],
                "forced": data.forced,
                "unique": [
                    {"day": d.isoformat(), "visitors": v, "everyone": e} for d, v, e in data.unique_by_day
                ],
                "countries": [{"country": c, "name": name, "visitors": n} for c, name, n in data.countries],
                "scans": data.total_scans,
            }
        )


# --- the scanner's own endpoints ---------------------------------------------------------------------------


class DeviceMixin(EventScopedMixin):
    authentication_classes = [DeviceAuthentication]
    permission_classes = [RulesPermission]
    permission_required = "accreditation.redeem"

    # The event middleware leaves the event to this view when a token is sent: the device's own
    # query brings its event, so the busiest endpoint does not read the event twice.
    event_from_credentials = True

    @property
    def event(self):
        request = self.request
        event = getattr(request, "event", None)
        if event is None:
            device = request.auth if isinstance(request.auth, Device) else None
            slug = self.kwargs["event_slug"]
            event = device.event if device is not None and device.event.slug == slug else event_by_slug(slug)
            request.event = event
            timezone.activate(event.tz)
        return event


class RegisterView(EventScopedMixin, APIView):
    """Public by name (core.gate): the one-time code is the key. Rate-limited per address."""

    authentication_classes: list = []
    permission_classes: list = []

    @extend_schema(request=RegisterSerializer, responses={201: RegisteredSerializer})
    def post(self, request, event_slug):
        ratelimit.check("device_register", [f"ip:{ratelimit.client_ip(request)}"], limit=20, window=600)
        data = RegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        device, token = services.register_device(event=self.event, code=data.validated_data["code"])
        return Response(
            {"token": token, "device": DeviceSerializer(device).data}, status=status.HTTP_201_CREATED
        )


class SyncView(DeviceMixin, APIView):
    """Everything a scanner needs to decide offline: public keys, rules, revocation list."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, event_slug):
        device = request.auth
        data = dict(ruleset.get(self.event))
        data["revoked"] = services.revocation_list(self.event)
        data["device"] = {"id": device.pk, "name": device.name, "gate": device.gate_id}
        data["server_time"] = timezone.now().isoformat()
        return Response(data)


class RedeemView(DeviceMixin, APIView):
    @extend_schema(request=RedeemSerializer, responses={200: OpenApiTypes.OBJECT})
    def post(self, request, event_slug):
        data = RedeemSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        answer = services.redeem(
            event=self.event,
            device=request.auth,
            code=v["code"],
            nonce=v["nonce"],
            direction=v["direction"],
            zone_id=v.get("zone"),
            gate_id=v.get("gate"),
            scanned_at=v.get("scanned_at"),
            force=v["force"],
            offline=v["offline"],
        )
        return Response(answer.as_dict(get_language()))


# --- leads ---------------------------------------------------------------------------------------------------


class LeadListView(EventScopedMixin, generics.ListCreateAPIView):
    permission_required = "accreditation.capture_leads"
    serializer_class = LeadSerializer

    def company(self) -> Organisation:
        company = self.request.query_params.get("company", "") or str(
            (self.request.data if isinstance(self.request.data, dict) else {}).get("company") or ""
        )
        try:
            return company_of(self.request.user, self.event, as_id(company))
        except DomainError as exc:
            raise PermissionDenied(exc.message) from None

    @extend_schema(parameters=[OpenApiParameter("company", int)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.leads_of(self.company())

    @extend_schema(request=CaptureSerializer, responses={201: LeadSerializer, 200: LeadSerializer})
    def post(self, request, event_slug):
        data = CaptureSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        lead, created = services.capture_lead(
            event=self.event,
            actor=request.user,
            code=v["code"],
            note=v.get("note", ""),
            rating=v.get("rating"),
            organisation=self.company(),
        )
        return Response(
            LeadSerializer(lead).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class LeadDetailView(EventScopedMixin, APIView):
    permission_required = "accreditation.capture_leads"

    def lead(self, pk) -> Lead:
        lead = selectors.lead_for(self.event, pk)
        if not self.request.user.has_perm("accreditation.view_leads", lead.organisation):
            raise Http404
        return lead

    @extend_schema(responses=LeadSerializer)
    def get(self, request, event_slug, pk):
        return Response(LeadSerializer(self.lead(pk)).data)

    @extend_schema(request=LeadUpdateSerializer, responses=LeadSerializer)
    def patch(self, request, event_slug, pk):
        lead = self.lead(pk)
        data = LeadUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        lead = services.update_lead(
            lead=lead, actor=request.user, note=v.get("note"), rating=v.get("rating", lead.rating)
        )
        return Response(LeadSerializer(lead).data)

    @extend_schema(responses={204: None})
    def delete(self, request, event_slug, pk):
        services.delete_lead(lead=self.lead(pk), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


__all__ = ["Place"]
