from django.contrib import admin

from .models import Job, RetentionRule


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    list_display = ["event", "category", "keep_days"]
    list_filter = ["event"]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["kind", "event", "status", "done", "total", "created_at", "finished_at"]
    list_filter = ["kind", "status"]
    readonly_fields = [f.name for f in Job._meta.fields]
