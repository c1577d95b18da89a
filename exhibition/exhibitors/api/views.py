"""The exhibitors API: same services and same permission rules as the pages."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from exhibition.accounts.models import Organisation
from exhibition.core import csvio
from exhibition.core.api import CSV_REFUSED, EventScopedMixin, csv_refused, csv_text, settings_changes
from exhibition.core.ids import as_id
from exhibition.core.parsers import FormParser, JSONParser, MultiPartParser
from exhibition.core.permissions import RulesPermission

from .. import selectors, services
from ..models import Application, ApplicationDocument
from .serializers import (
    ApplicationSerializer,
    BadgeSerializer,
    BulkSerializer,
    CsvImportSerializer,
    DirectoryEntrySerializer,
    DocumentSerializer,
    DocumentUploadSerializer,
    ExhibitorImportSerializer,
    ExhibitorSettingsSerializer,
    InviteSerializer,
    LogoUploadSerializer,
    NotesSerializer,
    OrganiserApplicationSerializer,
    ProductSerializer,
    ProfileContactSerializer,
    ProfileSerializer,
    ResolveSerializer,
    ScreeningResultSerializer,
    ScreeningRunSerializer,
    ScreeningSerializer,
    ScreeningUpdateSerializer,
    StaffSerializer,
    TransitionSerializer,
)

# Reviewers get OrganiserApplicationSerializer, a superset: documented in words rather than as a
# oneOf, which a reviewer's response (matching both shapes) would violate.
_ORGANISER_EXTRAS = (
    "Users who may review applications also get `internal_notes` (set them with "
    "`PUT applications/{id}/notes/`, or as `notes` with a transition), "
    "`hits` (screening hits) and `documents`."
)


class ApplicationMixin(EventScopedMixin):
    """An API view of one application (``applications/<pk>/...``): its permission is checked on
    the application, and someone who may not see it gets 404."""

    hide_denied = True

    def get_permission_object(self) -> Application:
        return self.application()

    def application(self) -> Application:
        if not hasattr(self, "_application"):
            app = selectors.application_in(self.event, self.kwargs["pk"])
            if app is None:
                raise Http404
            self._application = app
        return self._application


@extend_schema_view(
    get=extend_schema(
        parameters=[
            OpenApiParameter("state", str, enum=Application.State.values),
            OpenApiParameter("screening", str, enum=Application.Screening.values),
            OpenApiParameter("country", str, description="ISO country code"),
            OpenApiParameter("sector", str, description="sector code"),
        ],
        responses=OpenApiResponse(ApplicationSerializer(many=True), description=_ORGANISER_EXTRAS),
    ),
    post=extend_schema(request=ApplicationSerializer, responses={201: ApplicationSerializer}),
)
class ApplicationListCreateView(EventScopedMixin, generics.ListCreateAPIView):
    """Organisers list every application (filters state, country, sector, screening); companies
    list their own. POST starts a draft for a new company with the caller as its admin."""

    permission_required = {"GET": "events.view_event", "POST": "exhibitors.apply"}

    def get_serializer_class(self):
        if self.request.method == "GET" and self.request.user.has_perm(
            "exhibitors.review_application", self.event
        ):
            return OrganiserApplicationSerializer
        return ApplicationSerializer

    def get_queryset(self):
        p = self.request.query_params
        return selectors.applications_listed_for(
            self.event,
            self.request.user,
            state=p.get("state", ""),
            screening=p.get("screening", ""),
            country=p.get("country", ""),
            sector=p.get("sector", ""),
            with_screening=self.get_serializer_class() is OrganiserApplicationSerializer,
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        company = {k: data.pop(k) for k in services.COMPANY_FIELDS if k in data}
        app = services.start_application(event=self.event, actor=self.request.user, **company)
        if data:
            app = services.update_application(application=app, actor=self.request.user, **data)
        serializer.instance = selectors.application_detail(self.event, app.pk)


@extend_schema_view(
    get=extend_schema(responses=OpenApiResponse(ApplicationSerializer, description=_ORGANISER_EXTRAS)),
    put=extend_schema(
        request=ApplicationSerializer,
        responses=OpenApiResponse(ApplicationSerializer, description=_ORGANISER_EXTRAS),
    ),
    patch=extend_schema(
        request=ApplicationSerializer,
        responses=OpenApiResponse(ApplicationSerializer, description=_ORGANISER_EXTRAS),
    ),
)
class ApplicationDetailView(EventScopedMixin, generics.RetrieveUpdateAPIView):
    permission_required = {
        "GET": "exhibitors.view_application",
        "PATCH": "exhibitors.change_application",
        "PUT": "exhibitors.change_application",
    }
    hide_denied = "exhibitors.view_application"

    def get_serializer_class(self):
        if self.request.user.has_perm("exhibitors.review_application", self.event):
            return OrganiserApplicationSerializer
        return ApplicationSerializer

    def get_permission_object(self):
        return self.get_object()

    def get_object(self):
        if not hasattr(self, "_application"):
            try:
                self._application = selectors.application_detail(self.event, self.kwargs["pk"])
            except Application.DoesNotExist:
                raise Http404 from None
        return self._application

    def perform_update(self, serializer):
        fields = dict(serializer.validated_data)
        services.update_application(application=serializer.instance, actor=self.request.user, **fields)
        serializer.instance = selectors.application_detail(self.event, serializer.instance.pk)


class ApplicationTransitionView(ApplicationMixin, APIView):
    """POST {action: submit|review|approve|waitlist|reject|withdraw, reason, notes, accept_terms}."""

    permission_required = "exhibitors.view_application"  # each action: the service checks its own

    @extend_schema(request=TransitionSerializer, responses={200: ApplicationSerializer})
    def post(self, request, event_slug, pk):
        app = self.application()
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        if v["action"] == "submit":
            services.submit_application(application=app, actor=request.user, accept_terms=v["accept_terms"])
        else:
            services.transition_application(
                application=app, actor=request.user, action=v["action"], reason=v["reason"], notes=v["notes"]
            )
        app = selectors.application_detail(self.event, pk)
        cls = (
            OrganiserApplicationSerializer
            if request.user.has_perm("exhibitors.review_application", app)
            else ApplicationSerializer
        )
        return Response(cls(app, context={"event": self.event, "request": request}).data)


class ApplicationNotesView(ApplicationMixin, APIView):
    """PUT {internal_notes}: the reviewers' notes on an application, never shown to the company
    (the review page's "Save notes"). The notes sent replace the previous ones."""

    permission_required = "exhibitors.review_application"
    hide_denied = "exhibitors.view_application"  # the company: 403; anyone else: 404

    @extend_schema(request=NotesSerializer, responses={200: OrganiserApplicationSerializer})
    def put(self, request, event_slug, pk):
        data = NotesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.save_internal_notes(
            application=self.application(), actor=request.user, notes=data.validated_data["internal_notes"]
        )
        app = selectors.application_detail(self.event, pk)
        return Response(
            OrganiserApplicationSerializer(app, context={"event": self.event, "request": request}).data
        )


class ApplicationBulkView(EventScopedMixin, APIView):
    permission_required = "exhibitors.review_application"

    @extend_schema(request=BulkSerializer, responses={200: OpenApiTypes.OBJECT})
    def post(self, request, event_slug):
        data = BulkSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        done, failed = services.bulk_transition(event=self.event, actor=request.user, **data.validated_data)
        return Response({"done": done, "failed": [{"id": pk, "detail": msg} for pk, msg in failed]})


class ApplicationDocumentsView(ApplicationMixin, APIView):
    # Adding a document: the service checks who may (its people while it is a draft, organisers).
    permission_required = {"GET": "exhibitors.view_document", "POST": "exhibitors.view_application"}
    parser_classes = [MultiPartParser, FormParser]
    upload_limit = staticmethod(selectors.document_upload_limit)

    @extend_schema(responses={200: DocumentSerializer(many=True)})
    def get(self, request, event_slug, pk):
        app = self.application()
        return Response(
            DocumentSerializer(app.documents.all(), many=True, context={"event": self.event}).data
        )

    @extend_schema(request=DocumentUploadSerializer, responses={201: DocumentSerializer})
    def post(self, request, event_slug, pk):
        app = self.application()
        data = DocumentUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        doc = services.add_document(
            application=app,
            actor=request.user,
            uploaded_file=data.validated_data["file"],
            kind=data.validated_data["kind"],
        )
        return Response(
            DocumentSerializer(doc, context={"event": self.event}).data, status=status.HTTP_201_CREATED
        )


class DocumentDetailView(EventScopedMixin, APIView):
    """DELETE: remove a document from a draft application, as the documents step's "Delete"
    does (the company's admins; 409 once the application is submitted: its documents are
    kept). Someone who may not see the document gets 404."""

    permission_required = "exhibitors.view_document"  # deleting: the service checks who may
    hide_denied = True

    def get_permission_object(self) -> ApplicationDocument:
        if not hasattr(self, "_document"):
            doc = selectors.document_in(self.event, self.kwargs["doc"])
            if doc.application_id != self.kwargs["pk"]:
                raise Http404
            self._document = doc
        return self._document

    @extend_schema(responses={204: None})
    def delete(self, request, event_slug, pk, doc):
        services.delete_document(document=self.get_permission_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ExhibitorImportView(EventScopedMixin, APIView):
    permission_required = "exhibitors.import_exhibitors"
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    upload_limit = csvio.MAX_BYTES

    @extend_schema(
        description=(
            "POST last year's exhibitors as CSV (the import page's file), as `csv` text or a "
            "`file`: each row becomes a company with a draft application and a profile, and its "
            "`contact_email` is invited as the company's admin. The file is checked at once: one "
            "bad row and the answer is 400 with every row at fault, and nothing is imported. A good "
            "file is imported in the background: 202 with the import, whose `Location` "
            "(`GET applications/imports/<id>/`) follows it to `done` (with the drafts' ids) or "
            "`failed` (nothing imported, with the rows at fault: the event changed meanwhile). "
            "Columns: "
            + ", ".join(services.IMPORT_COLUMNS)
            + " (name and country required; sectors as codes separated by |); the exhibitors "
            "export's " + ", ".join(services.EXPORT_ONLY_COLUMNS) + " column is ignored."
        ),
        request={"application/json": CsvImportSerializer, "multipart/form-data": CsvImportSerializer},
        responses={202: ExhibitorImportSerializer, 400: CSV_REFUSED},
    )
    def post(self, request, event_slug):
        data = CsvImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        try:
            content = csv_text(v)
            job = services.start_exhibitor_import(
                event=self.event,
                actor=request.user,
                text=content,
                filename=getattr(v.get("file"), "name", "") or "",
            )
        except services.ImportFailed as exc:
            return csv_refused(exc)
        return Response(
            ExhibitorImportSerializer(selectors.exhibitor_import(self.event, job.pk)).data,
            status=status.HTTP_202_ACCEPTED,
            headers={
                "Location": reverse(
                    "api:exhibitors-application-import-detail",
                    kwargs={"event_slug": event_slug, "pk": job.pk},
                )
            },
        )


class ExhibitorImportDetailView(EventScopedMixin, APIView):
    """An exhibitor import: queued, running (with the rows written so far), done (the drafts'
    ids) or failed (nothing imported; the rows at fault)."""

    permission_required = "exhibitors.import_exhibitors"

    @extend_schema(responses={200: ExhibitorImportSerializer})
    def get(self, request, event_slug, pk):
        return Response(ExhibitorImportSerializer(selectors.exhibitor_import(self.event, pk)).data)


class ExhibitorSettingsView(EventScopedMixin, APIView):
    """The show's rules of exhibitor registration (the exhibitor settings page): deadlines,
    terms, document size, the badge rule and the screening threshold. Organiser admins read and
    change them (PATCH, any of the fields)."""

    permission_required = "exhibitors.change_settings"

    @extend_schema(responses={200: ExhibitorSettingsSerializer})
    def get(self, request, event_slug):
        return Response(ExhibitorSettingsSerializer(selectors.settings_for(self.event)).data)

    @extend_schema(request=ExhibitorSettingsSerializer, responses={200: ExhibitorSettingsSerializer})
    def patch(self, request, event_slug):
        conf = services.update_settings(
            event=self.event, actor=request.user, **settings_changes(ExhibitorSettingsSerializer, request)
        )
        return Response(ExhibitorSettingsSerializer(conf).data)


class RescreenView(EventScopedMixin, APIView):
    """POST (no body): re-screen every application against the restricted-party list and the
    embargoed countries, in the background, as the screening page's "Re-screen every
    application" does. 202 with the run; ``GET screening/`` follows its progress."""

    permission_required = "exhibitors.manage_screening"

    @extend_schema(request=None, responses={202: ScreeningRunSerializer})
    def post(self, request, event_slug):
        run = services.start_rescreen(event=self.event, actor=request.user)
        return Response(ScreeningRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class HitResolveView(EventScopedMixin, APIView):
    permission_required = "exhibitors.manage_screening"

    @extend_schema(request=ResolveSerializer, responses={200: OpenApiTypes.OBJECT})
    def post(self, request, event_slug, pk):
        hit = selectors.hit_in(self.event, pk)
        data = ResolveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        hit = services.resolve_hit(hit=hit, actor=request.user, **data.validated_data)
        return Response({"id": hit.pk, "status": hit.status, "reason": hit.reason})


class ScreeningListView(EventScopedMixin, APIView):
    """GET: the list and the latest run's progress. POST: either ``embargoed_countries``, or a new
    list as CSV (``csv`` text in JSON, or a multipart ``file``) that replaces the old one."""

    permission_required = "exhibitors.manage_screening"
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    upload_limit = csvio.MAX_BYTES

    @extend_schema(responses={200: ScreeningSerializer})
    def get(self, request, event_slug):
        run = selectors.latest_run(self.event)
        conf = selectors.settings_for(self.event)
        return Response(
            {
                "parties": [
                    {
                        "id": p.pk,
                        "name": p.name,
                        "aliases": p.aliases,
                        "country": p.country.code or "",
                        "source": p.source,
                    }
                    for p in selectors.restricted_parties(self.event)
                ],
                "embargoed_countries": conf.embargoed_countries,
                "run": None
                if run is None
                else {
                    "id": run.pk,
                    "status": run.status,
                    "done": run.done,
                    "total": run.total,
                    "hits": run.hits,
                },
            }
        )

    @extend_schema(
        request={
            "application/json": ScreeningUpdateSerializer,
            "multipart/form-data": ScreeningUpdateSerializer,
        },
        responses={
            200: ScreeningResultSerializer,
            400: CSV_REFUSED,
        },
    )
    def post(self, request, event_slug):
        data = ScreeningUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        if "embargoed_countries" in v:
            conf = services.set_embargoed_countries(
                event=self.event, actor=request.user, codes=v["embargoed_countries"]
            )
            return Response({"embargoed_countries": conf.embargoed_countries})
        content = csv_text(v)
        try:
            n = services.import_restricted_parties(event=self.event, actor=request.user, text=content)
        except services.ImportFailed as exc:
            return csv_refused(exc)
        return Response({"imported": n})


class CompanyMixin(EventScopedMixin):
    """An API view of one company (``companies/<org>/``): its permission is checked on the
    company, and someone who may not see the company gets 404."""

    permission_required: str | dict[str, str] = "exhibitors.view_portal"
    hide_denied = True

    def get_permission_object(self) -> Organisation:
        return self.company()

    def company(self) -> Organisation:
        if not hasattr(self, "_company"):
            org = selectors.company_at(self.event, self.kwargs["org"])
            if org is None:
                raise Http404
            self._company = org
        return self._company


class ProfileView(CompanyMixin, APIView):
    permission_required = {"GET": "exhibitors.view_portal", "PATCH": "exhibitors.change_profile"}
    hide_denied = "exhibitors.view_portal"

    @extend_schema(responses={200: ProfileSerializer})
    def get(self, request, event_slug, org):
        company = self.company()
        profile = selectors.profile_or_blank(company)
        return Response(ProfileSerializer(profile).data)

    @extend_schema(request=ProfileSerializer, responses={200: ProfileSerializer})
    def patch(self, request, event_slug, org):
        company = self.company()
        data = ProfileSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.update_profile(organisation=company, actor=request.user, **data.validated_data)
        return Response(ProfileSerializer(selectors.profile_for(company)).data)


class LogoView(CompanyMixin, APIView):
    """PUT a logo (multipart ``logo``): checked by its content and stored re-encoded as a PNG,
    as the profile page does; anything but a PNG, JPEG, GIF or WebP image is 400 on ``logo``.
    DELETE removes the logo. The company's admins and the organisers."""

    permission_required = "exhibitors.change_profile"
    hide_denied = "exhibitors.view_portal"
    parser_classes = [MultiPartParser, FormParser]
    upload_limit = services.LOGO_MAX_BYTES

    @extend_schema(request={"multipart/form-data": LogoUploadSerializer}, responses={200: ProfileSerializer})
    def put(self, request, event_slug, org):
        company = self.company()
        data = LogoUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.update_profile(organisation=company, actor=request.user, logo=data.validated_data["logo"])
        return Response(ProfileSerializer(selectors.profile_for(company)).data)

    @extend_schema(responses={204: None})
    def delete(self, request, event_slug, org):
        services.update_profile(organisation=self.company(), actor=request.user, remove_logo=True)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProductListView(CompanyMixin, APIView):
    """The products on the company's public profile (searchable in the directory). POST adds
    one, as the profile page's "Add product" does: the company's admins and the organisers."""

    permission_required = {"GET": "exhibitors.view_portal", "POST": "exhibitors.change_profile"}
    hide_denied = "exhibitors.view_portal"

    @extend_schema(responses={200: ProductSerializer(many=True)})
    def get(self, request, event_slug, org):
        return Response(ProductSerializer(selectors.products_of(self.company()), many=True).data)

    @extend_schema(request=ProductSerializer, responses={201: ProductSerializer})
    def post(self, request, event_slug, org):
        company = self.company()
        data = ProductSerializer(data=request.data, context={"event": self.event})
        data.is_valid(raise_exception=True)
        product = services.add_product(organisation=company, actor=request.user, **data.validated_data)
        return Response(ProductSerializer(product).data, status=status.HTTP_201_CREATED)


class ProductDetailView(CompanyMixin, APIView):
    """DELETE: remove the product from the profile, as the profile page does."""

    permission_required = "exhibitors.change_profile"
    hide_denied = "exhibitors.view_portal"

    @extend_schema(responses={204: None})
    def delete(self, request, event_slug, org, pk):
        product = selectors.product_of(self.company(), pk)
        services.delete_product(product=product, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ContactListView(CompanyMixin, APIView):
    """The contacts of the company's profile (``is_public``: shown in the directory). POST adds
    one, as the profile page's "Add contact" does: the company's admins and the organisers."""

    permission_required = {"GET": "exhibitors.view_portal", "POST": "exhibitors.change_profile"}
    hide_denied = "exhibitors.view_portal"

    @extend_schema(responses={200: ProfileContactSerializer(many=True)})
    def get(self, request, event_slug, org):
        return Response(ProfileContactSerializer(selectors.contacts_of(self.company()), many=True).data)

    @extend_schema(request=ProfileContactSerializer, responses={201: ProfileContactSerializer})
    def post(self, request, event_slug, org):
        company = self.company()
        data = ProfileContactSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contact = services.add_contact(organisation=company, actor=request.user, **data.validated_data)
        return Response(ProfileContactSerializer(contact).data, status=status.HTTP_201_CREATED)


class ContactDetailView(CompanyMixin, APIView):
    """DELETE: remove the contact from the profile, as the profile page does."""

    permission_required = "exhibitors.change_profile"
    hide_denied = "exhibitors.view_portal"

    @extend_schema(responses={204: None})
    def delete(self, request, event_slug, org, pk):
        contact = selectors.contact_of(self.company(), pk)
        services.delete_contact(contact=contact, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class StaffView(CompanyMixin, APIView):
    permission_required = "exhibitors.view_staff"

    @extend_schema(responses={200: StaffSerializer(many=True)})
    def get(self, request, event_slug, org):
        company = self.company()
        return Response(StaffSerializer(selectors.staff_of(company), many=True).data)

    @extend_schema(request=InviteSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, event_slug, org):
        company = self.company()
        data = InviteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        inv = services.invite_colleague(
            organisation=company, actor=request.user, email=data.validated_data["email"]
        )
        return Response({"id": inv.pk, "email": inv.email, "role": inv.role}, status=status.HTTP_201_CREATED)


class BadgesView(CompanyMixin, APIView):
    permission_required = "exhibitors.view_badges"

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, event_slug, org):
        company = self.company()
        quota = selectors.badge_quota_for(company)
        return Response(
            {
                "quota": {"area": quota.area, "total": quota.total, "used": quota.used, "left": quota.left},
                "badges": BadgeSerializer(selectors.badges_for(company), many=True).data,
            }
        )

    @extend_schema(request=BadgeSerializer, responses={201: BadgeSerializer})
    def post(self, request, event_slug, org):
        company = self.company()
        data = BadgeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        badge = services.request_badge(organisation=company, actor=request.user, **data.validated_data)
        return Response(BadgeSerializer(badge).data, status=status.HTTP_201_CREATED)


class BadgeRequestDetailView(CompanyMixin, APIView):
    """DELETE: cancel a staff badge request (its place in the quota is free again), as the
    portal's badges page does."""

    permission_required = "exhibitors.view_badges"

    @extend_schema(responses={204: None})
    def delete(self, request, event_slug, org, pk):
        company = self.company()
        services.cancel_badge(badge=selectors.badge_of(company, pk), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    get=extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="name, product or sector text"),
            OpenApiParameter("country", str, description="ISO country code"),
            OpenApiParameter("sector", str, description="sector code"),
            OpenApiParameter("hall", str, description="hall code"),
            OpenApiParameter("pavilion", int, description="pavilion id"),
        ]
    )
)
class DirectoryView(EventScopedMixin, generics.ListAPIView):
    """Public: approved exhibitors, ?q= (name, product, sector text), country, sector, hall, pavilion."""

    permission_classes = [RulesPermission]  # anonymous visitors too, where the directory is public
    permission_required = "exhibitors.view_directory"
    serializer_class = DirectoryEntrySerializer

    def get_queryset(self):
        p = self.request.query_params
        return selectors.directory(
            self.event,
            selectors.DirectoryFilters(
                q=p.get("q", "")[:100],
                country=p.get("country", "")[:2],
                sector=p.get("sector", ""),
                hall=p.get("hall", ""),
                pavilion=str(as_id(p.get("pavilion")) or ""),
            ),
        )
