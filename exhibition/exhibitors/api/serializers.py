from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from exhibition.core.api import CsvRowErrorSerializer, CsvUploadSerializer
from exhibition.events.models import Hall, Sector
from exhibition.floorplans.models import Pavilion

from ..models import (
    Application,
    ApplicationDocument,
    BadgeRequest,
    ExhibitorImport,
    ExhibitorProfile,
    ExhibitorSettings,
    Product,
    ProfileContact,
    ScreeningHit,
    ScreeningRun,
)


class ContactSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=150)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=40)
    role = serializers.CharField(required=False, allow_blank=True, max_length=100)


class CoExhibitorSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    country = serializers.CharField(required=False, allow_blank=True, max_length=2)


class EventSlugRelated(serializers.SlugRelatedField):
    """Sectors by code / halls by code, limited to the URL's event."""

    def get_queryset(self):
        return self.queryset.filter(event=self.context["event"])


class EventPkRelated(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return self.queryset.filter(event=self.context["event"])


class RestrictedPartySerializer(serializers.Serializer):
    """A restricted party as the screening endpoints show it."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    aliases = serializers.ListField(child=serializers.CharField())
    country = serializers.CharField(allow_blank=True)
    source = serializers.CharField(allow_blank=True)


class HitSerializer(serializers.ModelSerializer):
    party = serializers.SerializerMethodField()

    class Meta:
        model = ScreeningHit
        fields = ["id", "field", "candidate", "matched", "score", "status", "reason", "resolved_at", "party"]

    @extend_schema_field(RestrictedPartySerializer(allow_null=True))
    def get_party(self, obj):
        if obj.party is None:
            return None
        return {
            "id": obj.party_id,
            "name": obj.party.name,
            "aliases": obj.party.aliases,
            "country": obj.party.country.code or "",
            "source": obj.party.source,
        }


class DocumentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ApplicationDocument
        fields = ["id", "kind", "original_name", "size", "uploaded_at", "url"]

    def get_url(self, obj) -> str:
        return reverse("exhibitors:document", kwargs={"event_slug": self.context["event"].slug, "pk": obj.pk})


class ApplicationSerializer(serializers.ModelSerializer):
    country = serializers.CharField(max_length=2)
    contacts = ContactSerializer(many=True, required=False)
    co_exhibitors = CoExhibitorSerializer(many=True, required=False)
    sectors = EventSlugRelated(slug_field="code", many=True, required=False, queryset=Sector.objects.all())
    preferred_halls = EventSlugRelated(
        slug_field="code", many=True, required=False, queryset=Hall.objects.all()
    )
    pavilion = EventPkRelated(required=False, allow_null=True, queryset=Pavilion.objects.all())
    organisation = serializers.IntegerField(source="organisation_id", read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "organisation",
            "state",
            "legal_name",
            "trading_name",
            "country",
            "address",
            "registration_number",
            "vat_number",
            "website",
            "contacts",
            "co_exhibitors",
            "sectors",
            "products",
            "exhibits",
            "stand_kind",
            "stand_area",
            "preferred_halls",
            "pavilion",
            "open_sides",
            "submitted_at",
            "is_late",
            "reason",
            "terms_accepted_at",
            "terms_version",
        ]
        read_only_fields = [
            "state",
            "submitted_at",
            "is_late",
            "reason",
            "terms_accepted_at",
            "terms_version",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["country"] = (
            instance.country.code if hasattr(instance.country, "code") else str(instance.country)
        )
        return data


class OrganiserApplicationSerializer(ApplicationSerializer):
    """What organisers see besides: screening (status and hits) and internal notes. Screening
    stays internal: applicants never see hits or their status."""

    hits = HitSerializer(many=True, read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "screening", "internal_notes", "hits", "documents"]
        read_only_fields = [*ApplicationSerializer.Meta.read_only_fields, "screening"]


class NotesSerializer(serializers.Serializer):
    internal_notes = serializers.CharField(allow_blank=True, trim_whitespace=True, max_length=10000)


class TransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=["submit", "review", "approve", "waitlist", "reject", "withdraw"]
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, allow_null=True, default=None)
    accept_terms = serializers.BooleanField(required=False, default=False)


class BulkSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=500)
    action = serializers.ChoiceField(choices=["approve", "reject", "waitlist", "review"])
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ResolveSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["clear", "confirm"])
    reason = serializers.CharField()


class CountryCodesField(serializers.ListField):
    """ISO codes as a list, or as one text with commas (``"KP, IR"``)."""

    child = serializers.CharField(max_length=2, min_length=2)

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = [data]
        if isinstance(data, list) and all(isinstance(item, str) for item in data):
            data = [c.strip() for item in data for c in item.replace(";", ",").split(",") if c.strip()]
        return super().to_internal_value(data)


class ScreeningUpdateSerializer(serializers.Serializer):
    """One of: the embargoed countries; the restricted-party list as CSV text; the list as a CSV file."""

    embargoed_countries = CountryCodesField(
        required=False, max_length=300, help_text="ISO country codes; an empty list lifts every embargo"
    )
    csv = serializers.CharField(
        required=False,
        trim_whitespace=False,
        max_length=5 * 1024 * 1024,
        help_text="the list as CSV: name, aliases, country, source",
    )
    file = serializers.FileField(required=False, help_text="the list as a CSV file (UTF-8), at most 5 MB")

    def validate(self, attrs):
        given = [k for k in ("embargoed_countries", "csv", "file") if k in attrs]
        if len(given) != 1:
            raise serializers.ValidationError(_("Send exactly one of embargoed_countries, csv or file."))
        return attrs


class ScreeningRunSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ScreeningRun.Status.choices)
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    hits = serializers.IntegerField()


class ScreeningSerializer(serializers.Serializer):
    parties = RestrictedPartySerializer(many=True)
    embargoed_countries = serializers.ListField(child=serializers.CharField())
    run = ScreeningRunSerializer(allow_null=True)


class ScreeningResultSerializer(serializers.Serializer):
    embargoed_countries = serializers.ListField(child=serializers.CharField(), required=False)
    imported = serializers.IntegerField(required=False, help_text="restricted parties loaded")


class DocumentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ApplicationDocument.Kind.choices, default="other")
    file = serializers.FileField()


class ProductSerializer(serializers.ModelSerializer):
    """A product of the company's public profile; ``sectors`` are codes of the event's sectors."""

    sectors = EventSlugRelated(
        slug_field="code", many=True, required=False, queryset=Sector.objects.all(), help_text="sector codes"
    )

    class Meta:
        model = Product
        fields = ["id", "name", "description", "sectors"]
        extra_kwargs = {"description": {"max_length": 2000}}  # as on the profile page


class ProfileContactSerializer(serializers.ModelSerializer):
    """A contact of the company's profile; ``is_public``: shown in the directory."""

    class Meta:
        model = ProfileContact
        fields = ["id", "name", "role", "email", "phone", "is_public"]


class ProfileSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="organisation.name", read_only=True)
    country = serializers.SerializerMethodField()
    logo = serializers.SerializerMethodField(help_text="the logo's address (a re-encoded PNG), or null")
    products = serializers.SerializerMethodField()

    class Meta:
        model = ExhibitorProfile
        fields = [
            "organisation",
            "name",
            "country",
            "description_en",
            "description_fr",
            "website",
            "logo",
            "products",
        ]
        read_only_fields = ["organisation"]

    def get_country(self, obj) -> str:
        return obj.organisation.country.code

    def get_logo(self, obj) -> str | None:
        return obj.logo.url if obj.logo else None

    @extend_schema_field(ProductSerializer(many=True))
    def get_products(self, obj):
        return [
            {
                "id": p.id,
                "name": p.name,
                "description": p.description,
                "sectors": [s.code for s in p.sectors.all()],
            }
            for p in (obj.products.all() if obj.pk else ())
        ]


class DirectoryStandSerializer(serializers.Serializer):
    number = serializers.CharField()
    hall = serializers.CharField(help_text="hall code")


class DirectoryEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    country = serializers.SerializerMethodField()
    sectors = serializers.SerializerMethodField()
    stands = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()

    def get_country(self, obj) -> str:
        return obj.country.code

    def get_sectors(self, obj) -> list[str]:
        return [s.code for s in obj.sectors.all()]

    @extend_schema_field(DirectoryStandSerializer(many=True))
    def get_stands(self, obj):
        return [{"number": s.number, "hall": s.hall.code} for s in obj.taken_stands]

    def get_description(self, obj) -> str:
        profile = getattr(obj, "exhibitor_profile", None)
        return profile.description if profile else ""


class BadgeSerializer(serializers.ModelSerializer):
    class Meta:
        model = BadgeRequest
        fields = ["id", "name", "role", "email", "created_at"]
        read_only_fields = ["created_at"]


class InviteSerializer(serializers.Serializer):
    email = serializers.EmailField()


class StaffSerializer(serializers.Serializer):
    email = serializers.EmailField(source="user.email")
    name = serializers.CharField(source="user.get_full_name")
    role = serializers.CharField()


class LogoUploadSerializer(serializers.Serializer):
    logo = serializers.FileField(
        help_text="PNG, JPEG, GIF or WebP, up to 2 MB; stored re-encoded as a PNG of at most 1024 pixels"
    )


class CsvImportSerializer(CsvUploadSerializer):
    """Last year's exhibitors as CSV: ``csv`` text, or a ``file``."""


class ExhibitorImportSerializer(serializers.Serializer):
    """An exhibitor import and how far it has gone."""

    id = serializers.IntegerField()
    status = serializers.ChoiceField(
        choices=ExhibitorImport.Status.choices,
        help_text="queued, running, done (every row imported) or failed (nothing imported; see errors)",
    )
    filename = serializers.CharField(allow_blank=True)
    total = serializers.IntegerField(help_text="rows in the file")
    done = serializers.IntegerField(help_text="rows written so far")
    imported = serializers.IntegerField(help_text="exhibitors imported, each as a draft application")
    applications = serializers.ListField(child=serializers.IntegerField(), help_text="ids of the drafts")
    errors = serializers.SerializerMethodField(help_text="why nothing was imported: row 0 is the whole file")
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(CsvRowErrorSerializer(many=True))
    def get_errors(self, job) -> list[dict]:
        return [{"row": row, "detail": message} for row, message in job.errors]


class ExhibitorSettingsSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExhibitorSettings
        fields = ExhibitorSettings.ORGANISER_FIELDS
