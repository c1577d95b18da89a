from django.contrib import admin

from .models import Delegation, DelegationMember


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
