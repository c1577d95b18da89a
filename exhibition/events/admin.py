from django.contrib import admin

from .models import Event, Hall, Sector, ShowDay
from .signals import walking_settings_changed


class ShowDayInline(admin.TabularInline):
    model = ShowDay
    extra = 0


class HallInline(admin.TabularInline):
    model = Hall
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "venue", "time_zone", "is_public"]
    search_fields = ["name", "slug", "venue"]
    list_filter = ["is_public", "time_zone"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ShowDayInline, HallInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "walking_speed" in form.changed_data:
            walking_settings_changed.send(sender=type(obj), event=obj)  # every stored walking time is off now


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_fr", "code", "event"]
    list_filter = ["event"]
    search_fields = ["name_en", "name_fr", "code"]
