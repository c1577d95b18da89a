from django.contrib import admin

from .models import AccessDay, AccessRule, Badge, BadgeCategory, Device, Gate, Lead, Scan, SigningKey, Zone


@admin.register(Badge)
class BadgeAdmin(admin.ModelAdmin):
    list_display = ["name", "event", "category", "source", "status", "issued_at", "revoked_at"]
    list_filter = ["event", "category__code", "status", "source"]
    search_fields = ["name", "organisation_name", "email"]
    raw_id_fields = [
        "user",
        "visitor",
        "organisation",
        "badge_request",
        "delegation_member",
        "replaces",
        "issued_by",
        "revoked_by",
        "key",
    ]
    # Writes go through the services (audit, locking): the admin only reads.
    readonly_fields = [f.name for f in Badge._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Scan)
class ScanAdmin(admin.ModelAdmin):
    list_display = ["scanned_at", "event", "badge", "zone", "direction", "result", "forced", "device"]
    list_filter = ["event", "result", "direction", "forced"]
    readonly_fields = [f.name for f in Scan._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ["name", "event", "gate", "registered_at", "last_seen_at", "revoked_at"]
    readonly_fields = [
        "code_hash",
        "token_hash",
        "token_prefix",
        "registered_at",
        "last_seen_at",
        "revoked_at",
    ]


@admin.register(SigningKey)
class SigningKeyAdmin(admin.ModelAdmin):
    list_display = ["event", "kid", "created_at", "retired_at", "withdrawn_at"]
    exclude = ["private_key"]
    readonly_fields = ["event", "kid", "public_key", "created_at", "retired_at", "withdrawn_at"]


for model in (BadgeCategory, Zone, AccessDay, AccessRule, Gate, Lead):
    admin.site.register(model)
