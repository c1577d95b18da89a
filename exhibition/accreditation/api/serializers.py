from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from exhibition.exhibitors.api.serializers import BadgeSerializer as BadgeRequestSerializer

from ..models import (
    AccessDay,
    AccessRule,
    Badge,
    BadgeCategory,
    Device,
    Gate,
    Lead,
    PrintJob,
    Scan,
    SigningKey,
    Zone,
)


class CategorySerializer(serializers.ModelSerializer):
    zones = serializers.PrimaryKeyRelatedField(many=True, queryset=Zone.objects.none(), required=False)
    days = serializers.SlugRelatedField(
        many=True, slug_field="date", queryset=AccessDay.objects.none(), required=False
    )

    class Meta:
        model = BadgeCategory
        fields = [
            "id",
            "code",
            "number",
            "name_en",
            "name_fr",
            "colour",
            "requires_photo",
            "hours",
            "allows_reentry",
            "self_print",
            "zones",
            "days",
            "position",
        ]
        read_only_fields = ["id", "number"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        event = self.context.get("event")
        if event is not None:
            self.fields["zones"].child_relation.queryset = Zone.objects.filter(event=event)
            self.fields["days"].child_relation.queryset = AccessDay.objects.filter(event=event)


class ZoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Zone
        fields = ["id", "code", "name_en", "name_fr", "kind", "hall", "tracks_presence", "position"]
        read_only_fields = ["id"]


class DaySerializer(serializers.ModelSerializer):
    class Meta:
        model = AccessDay
        fields = ["id", "date", "kind", "opens_at", "closes_at"]
        read_only_fields = ["id"]


class RuleSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="code", queryset=BadgeCategory.objects.none())
    zone = serializers.PrimaryKeyRelatedField(queryset=Zone.objects.none())
    day = serializers.SlugRelatedField(
        slug_field="date", queryset=AccessDay.objects.none(), allow_null=True, required=False
    )

    class Meta:
        model = AccessRule
        fields = ["id", "category", "zone", "day", "starts_at", "ends_at"]
        read_only_fields = ["id"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        event = self.context.get("event")
        if event is not None:
            self.fields["category"].queryset = BadgeCategory.objects.filter(event=event)
            self.fields["zone"].queryset = Zone.objects.filter(event=event)
            self.fields["day"].queryset = AccessDay.objects.filter(event=event)


class GateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Gate
        fields = ["id", "name", "zone", "place"]
        read_only_fields = ["id"]


class AccreditationBadgeSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    number = serializers.CharField(read_only=True)
    country = serializers.CharField(source="country.code", read_only=True)
    has_photo = serializers.SerializerMethodField()
    replaced_by = serializers.SerializerMethodField()
    # Blank while the badge is valid: the schema must say so, or clients validating it reject valid badges.
    revoke_reason = serializers.ChoiceField(
        choices=Badge.RevokeReason.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Badge
        fields = [
            "id",
            "number",
            "category",
            "source",
            "status",
            "name",
            "organisation",
            "organisation_name",
            "job_title",
            "country",
            "email",
            "has_photo",
            "issued_at",
            "revoked_at",
            "revoke_reason",
            "printed_at",
            "print_count",
            "replaces",
            "replaced_by",
        ]
        read_only_fields = fields

    def get_has_photo(self, obj) -> bool:
        return bool(obj.photo)

    def get_replaced_by(self, obj) -> int | None:
        rb = getattr(obj, "replaced_by", None)
        return rb.pk if rb is not None else None


class NewAccreditationBadgeSerializer(serializers.Serializer):
    category = serializers.SlugField()
    name = serializers.CharField(max_length=150)
    organisation_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    job_title = serializers.CharField(max_length=150, required=False, allow_blank=True)
    country = serializers.CharField(max_length=2, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    organisation = serializers.IntegerField(required=False, allow_null=True)
    photo = serializers.ImageField(required=False, allow_null=True)


class BadgePhotoSerializer(serializers.Serializer):
    photo = serializers.ImageField(help_text="JPEG or PNG; re-encoded, its metadata dropped")


class ReissueSerializer(serializers.Serializer):
    category = serializers.SlugField(required=False, allow_blank=True)


class RevokeSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class DeviceSerializer(serializers.ModelSerializer):
    state = serializers.CharField(read_only=True)

    class Meta:
        model = Device
        fields = ["id", "name", "gate", "state", "created_at", "registered_at", "last_seen_at", "revoked_at"]
        read_only_fields = ["id", "state", "created_at", "registered_at", "last_seen_at", "revoked_at"]


class NewDeviceSerializer(DeviceSerializer):
    code = serializers.CharField(read_only=True, help_text=_("One-time registration code, shown once."))

    class Meta(DeviceSerializer.Meta):
        fields = [*DeviceSerializer.Meta.fields, "code"]


class RegisterSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20)


class RegisteredSerializer(serializers.Serializer):
    token = serializers.CharField()
    device = DeviceSerializer()


class RedeemSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=300, allow_blank=True)
    nonce = serializers.CharField(max_length=64)
    direction = serializers.ChoiceField(choices=Scan.Direction.choices, default=Scan.Direction.ENTRY)
    zone = serializers.IntegerField(required=False, allow_null=True)
    gate = serializers.IntegerField(required=False, allow_null=True)
    scanned_at = serializers.DateTimeField(required=False, allow_null=True)
    force = serializers.BooleanField(default=False)
    offline = serializers.BooleanField(default=False)


class ScanSerializer(serializers.ModelSerializer):
    badge_name = serializers.CharField(source="badge.name", default="", read_only=True)

    class Meta:
        model = Scan
        fields = [
            "id",
            "badge",
            "badge_name",
            "category",
            "country",
            "device",
            "gate",
            "zone",
            "direction",
            "scanned_at",
            "received_at",
            "result",
            "forced",
            "offline",
        ]
        read_only_fields = fields


class LeadSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="badge.name", read_only=True)
    organisation_name = serializers.CharField(source="badge.organisation_name", read_only=True)
    job_title = serializers.CharField(source="badge.job_title", read_only=True)
    country = serializers.CharField(source="badge.country.code", read_only=True)
    email = serializers.CharField(source="badge.email", read_only=True)
    captured_by = serializers.CharField(source="captured_by.get_full_name", default="", read_only=True)

    class Meta:
        model = Lead
        fields = [
            "id",
            "name",
            "organisation_name",
            "job_title",
            "country",
            "email",
            "note",
            "rating",
            "captured_by",
            "captured_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "name",
            "organisation_name",
            "job_title",
            "country",
            "email",
            "captured_by",
            "captured_at",
            "updated_at",
        ]


class CaptureSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=300)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    rating = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=5)
    company = serializers.IntegerField(required=False, allow_null=True)


class LeadUpdateSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    rating = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=5)


class LeadsOptOutSerializer(serializers.Serializer):
    opt_out = serializers.BooleanField(
        help_text="true: exhibitors may not record your badge as a lead (their scans are refused)"
    )


# --- a company's or a delegation's badges --------------------------------------------------------------


class NewStaffBadgeSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=150)
    role = serializers.CharField(max_length=100, required=False, allow_blank=True)
    email = serializers.EmailField(
        required=False,
        allow_blank=True,
        help_text="To send them their badge; a colleague's account address links it to them.",
    )


class StaffBadgeQuotaSerializer(serializers.Serializer):
    area = serializers.FloatField(help_text="m² of the company's stands")
    total = serializers.IntegerField()
    used = serializers.IntegerField(help_text="badges requested (issued or not)")
    left = serializers.IntegerField()


class MemberBadgeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    badge = serializers.IntegerField(allow_null=True, help_text="the member's live badge, if any")


class OrganisationBadgesSerializer(serializers.Serializer):
    """What the organisation's badges page shows."""

    organisation = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField(help_text="company or delegation")
    quota = StaffBadgeQuotaSerializer(allow_null=True, help_text="a company's staff badge quota")
    badges = AccreditationBadgeSerializer(many=True)
    awaiting = BadgeRequestSerializer(
        many=True, help_text="a company's requests (made on the exhibitor portal) not issued yet"
    )
    members = MemberBadgeSerializer(many=True, help_text="a delegation's members and their badges")


class IssuedSerializer(serializers.Serializer):
    issued = serializers.IntegerField()


# --- signing keys --------------------------------------------------------------------------------------


class SigningKeySerializer(serializers.ModelSerializer):
    state = serializers.SerializerMethodField(
        help_text="signs (signs new badges), verifies (verifies only) or withdrawn (its codes are refused)"
    )

    class Meta:
        model = SigningKey
        fields = ["id", "kid", "state", "created_at", "retired_at", "withdrawn_at"]
        read_only_fields = fields

    def get_state(self, key: SigningKey) -> str:
        if key.withdrawn_at is not None:
            return "withdrawn"
        return "verifies" if key.retired_at is not None else "signs"


class WithdrawnKeySerializer(serializers.Serializer):
    key = SigningKeySerializer()
    reprint = serializers.IntegerField(help_text="badges signed again with the current key: print them again")


# --- batch printing --------------------------------------------------------------------------------------


class PrintJobSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    badges = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = PrintJob
        fields = [
            "id",
            "format",
            "category",
            "organisation",
            "new_only",
            "badges",
            "status",
            "progress",
            "message",
            "created_at",
            "finished_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_badges(self, job: PrintJob) -> int:
        return len(job.badge_ids)

    def get_download_url(self, job: PrintJob) -> str | None:
        if job.status != PrintJob.Status.DONE or not job.file:
            return None
        return reverse(
            "api:accreditation-print-job-download",
            kwargs={"event_slug": self.context["event"].slug, "pk": job.pk},
        )


class NewPrintJobSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=PrintJob.Format.choices, default=PrintJob.Format.A6)
    category = serializers.SlugField(
        required=False, allow_blank=True, help_text="a category's code; all if blank"
    )
    organisation = serializers.IntegerField(
        required=False, allow_null=True, help_text="an admitted company or delegation; all if null"
    )
    new_only = serializers.BooleanField(default=False, help_text="only badges never printed")
