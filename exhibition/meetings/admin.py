from django.contrib import admin

from .models import (
    AgendaItem,
    ExhibitorHost,
    Meeting,
    MeetingRequest,
    MeetingSettings,
    Participant,
    Place,
    Round,
)


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "event", "opted_in", "instant_booking"]
    list_filter = ["event", "kind", "opted_in"]
    search_fields = ["name"]
    raw_id_fields = ["organisation", "visitor", "user", "stand"]
    exclude = ["sectors"]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin):
    list_display = ["sender", "recipient", "status", "priority", "created_at"]
    list_filter = ["event", "status"]
    raw_id_fields = ["sender", "recipient", "sent_by", "proposed_by", "round"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    """Read-only: meetings change only through the services (locks and bookings)."""

    list_display = ["sender", "recipient", "start", "place", "status"]
    list_filter = ["event", "status"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


admin.site.register([MeetingSettings, Place, Round, ExhibitorHost, AgendaItem])
