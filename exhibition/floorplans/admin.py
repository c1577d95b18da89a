from django.contrib import admin

from .models import Door, Feature, Pavilion, PlanSettings, Stand, WalkingMatrix


@admin.register(Stand)
class StandAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "hall",
        "area",
        "kind",
        "open_sides",
        "status",
        "exhibitor",
        "pavilion",
        "price",
    ]
    list_filter = ["event", "hall", "status", "kind", "open_sides", "pavilion"]
    search_fields = ["number", "exhibitor__name"]
    list_select_related = ["hall", "exhibitor", "pavilion"]
    raw_id_fields = ["exhibitor"]
    readonly_fields = ["area", "price", "version"]


@admin.register(Pavilion)
class PavilionAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "event", "contact_name", "contact_email"]
    list_filter = ["event"]
    search_fields = ["name"]


@admin.register(Feature)
class FeatureAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "name", "hall"]
    list_filter = ["event", "hall", "kind"]
    search_fields = ["code", "name"]


@admin.register(Door)
class DoorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "hall_a", "hall_b", "x", "y"]
    list_filter = ["event"]


admin.site.register(PlanSettings)


@admin.register(WalkingMatrix)
class WalkingMatrixAdmin(admin.ModelAdmin):
    list_display = ["event", "plan_version", "status", "progress", "computed_at", "seconds"]
    exclude = ["minutes"]
