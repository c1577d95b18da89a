from django.contrib import admin

from .models import Delivery, Endpoint


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    list_display = ["url", "event", "is_active", "created_at"]
    list_filter = ["event", "is_active"]
    exclude = ["secret"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["message", "endpoint", "status", "attempts", "next_attempt_at"]
    list_filter = ["status"]
    list_select_related = ["message", "endpoint"]
    readonly_fields = [f.name for f in Delivery._meta.fields]
