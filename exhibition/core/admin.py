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
    # Read-only: the outbox is a record. Messages carrying a secret link have no stored body
    # (it is built at send time), so nothing here can be used to take over an account.
    readonly_fields = [
        "event",
        "channel",
        "kind",
        "recipient",
        "subject",
        "body",
        "builder",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "sent_at",
    ]
    exclude = ["payload"]
