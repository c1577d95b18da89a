from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from . import services
from .models import EventStaff, Invitation, Membership, Organisation, TradeVisitor, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "language", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "language"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name", "language")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined", "email_verified_at")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    readonly_fields = ["email_verified_at"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            services.deactivate_user(user=obj, actor=request.user, reason="deactivated in the admin")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "event", "admitted_at", "created_at"]
    list_filter = ["event", "kind", "sectors"]
    readonly_fields = ["admitted_at", "admission_note"]  # only the admission services change them
    search_fields = ["name", "memberships__user__email"]
    list_select_related = ["event"]
    inlines = [MembershipInline]
    filter_horizontal = ["sectors"]


@admin.register(EventStaff)
class EventStaffAdmin(admin.ModelAdmin):
    list_display = ["user", "event", "role"]
    list_filter = ["event", "role"]
    search_fields = ["user__email", "user__full_name"]
    raw_id_fields = ["user"]


@admin.register(TradeVisitor)
class TradeVisitorAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation_name", "job_title", "country", "status", "event", "created_at"]
    list_filter = ["event", "status", "country"]
    search_fields = ["user__email", "user__full_name", "organisation_name"]
    list_select_related = ["user", "event"]
    raw_id_fields = ["user"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "role", "organisation", "event", "created_at", "accepted_at", "revoked_at"]
    list_filter = ["event", "role"]
    search_fields = ["email", "organisation__name"]
    raw_id_fields = ["organisation", "invited_by", "accepted_by"]
