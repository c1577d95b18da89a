from django.contrib import admin

from .models import (
    CandidateVisit,
    Delegation,
    DelegationDay,
    DelegationMember,
    Exclusion,
    HostingWindow,
    HostWish,
    Interest,
    PlanningRun,
    Programme,
    ProgrammeRules,
    StandHosting,
    Visit,
    VisitRequest,
)


class MemberInline(admin.TabularInline):
    model = DelegationMember
    extra = 0


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ["official_name", "country", "protocol_level", "member_count", "liaison_officer"]
    list_filter = ["protocol_level", "organisation__event", "interpreter_needed"]
    search_fields = ["official_name", "organisation__name", "members__name"]
    list_select_related = ["organisation", "liaison_officer"]
    raw_id_fields = ["organisation", "liaison_officer"]
    inlines = [MemberInline]

    @admin.display(description="country", ordering="organisation__country")
    def country(self, obj):
        return obj.organisation.country.name

    @admin.display(description="members")
    def member_count(self, obj):
        return obj.members.count()


@admin.register(DelegationDay)
class DelegationDayAdmin(admin.ModelAdmin):
    list_display = ["delegation", "date", "start", "end", "start_point", "end_point"]
    list_filter = ["date"]
    raw_id_fields = ["delegation"]


@admin.register(CandidateVisit)
class CandidateVisitAdmin(admin.ModelAdmin):
    list_display = ["delegation", "stand", "source", "score", "duration", "required"]
    list_filter = ["source", "required"]
    raw_id_fields = ["delegation", "stand"]


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    """Read-only: visits change through the timeline (services validate and notify)."""

    list_display = ["delegation", "date", "stand", "start", "end", "status", "pinned", "sequence"]
    list_filter = ["status", "pinned", "date"]
    list_select_related = ["delegation", "stand"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(PlanningRun)
class PlanningRunAdmin(admin.ModelAdmin):
    list_display = ["id", "event", "delegation", "status", "progress", "created_at", "finished_at"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in PlanningRun._meta.fields]


admin.site.register([Interest, HostingWindow, StandHosting, VisitRequest, HostWish, Exclusion, Programme])


@admin.register(ProgrammeRules)
class ProgrammeRulesAdmin(admin.ModelAdmin):
    list_display = ["event", "lunch_minutes", "lunch_from", "lunch_until", "grid_minutes", "buffer_minutes"]
    list_select_related = ["event"]
