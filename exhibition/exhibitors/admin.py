"""Read-mostly admin: writes go through the services and their pages."""

from django.contrib import admin

from .models import (
    Application,
    ApplicationDocument,
    BadgeRequest,
    ExhibitorProfile,
    ExhibitorSettings,
    RestrictedParty,
    ScreeningHit,
    ScreeningRun,
)


@admin.register(ExhibitorSettings)
class ExhibitorSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "event",
        "application_deadline",
        "badge_base",
        "badge_base_area",
        "badge_step_area",
        "list_version",
    ]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["legal_name", "event", "state", "country", "screening", "submitted_at"]
    list_filter = ["event", "state", "screening"]
    search_fields = ["legal_name", "trading_name"]
    readonly_fields = ["state", "screening", "submitted_at", "terms_accepted_at", "decided_at"]
    raw_id_fields = ["organisation", "created_by"]


@admin.register(ApplicationDocument)
class ApplicationDocumentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "application", "kind", "size", "uploaded_at"]
    exclude = ["file"]  # private: served only through the permission-checked view
    readonly_fields = ["application", "original_name", "size", "kind", "uploaded_by"]


@admin.register(RestrictedParty)
class RestrictedPartyAdmin(admin.ModelAdmin):
    list_display = ["name", "event", "country", "source"]
    list_filter = ["event"]
    search_fields = ["name"]


@admin.register(ScreeningHit)
class ScreeningHitAdmin(admin.ModelAdmin):
    list_display = ["application", "candidate", "matched", "score", "status"]
    list_filter = ["status"]
    readonly_fields = [
        "application",
        "party",
        "field",
        "candidate",
        "matched",
        "score",
        "status",
        "reason",
        "resolved_by",
        "resolved_at",
    ]


@admin.register(ScreeningRun)
class ScreeningRunAdmin(admin.ModelAdmin):
    list_display = ["event", "status", "done", "total", "hits", "created_at"]


@admin.register(ExhibitorProfile)
class ExhibitorProfileAdmin(admin.ModelAdmin):
    list_display = ["organisation", "event", "website"]
    raw_id_fields = ["organisation"]
    readonly_fields = ["search_text"]


@admin.register(BadgeRequest)
class BadgeRequestAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "role", "created_at"]
    raw_id_fields = ["organisation", "requested_by"]
