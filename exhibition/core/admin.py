from django.contrib import admin

from .models import AuditLogEntry, OutboxMessage


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "object_repr", "actor", "event"]
    list_filter = ["event", "action"]
    search_fields = ["object_repr", "actor__email", "action"]
    list_select_related = ["actor", "event"]
    readonly_fields = [f.name for f in AuditLogEntry._meta.fields]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "recipient", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "event"]
    search_fields = ["recipient", "subject"]
