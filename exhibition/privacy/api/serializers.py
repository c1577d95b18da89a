from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from ..models import Job


@extend_schema_serializer(component_name="RetentionRule")
class RuleSerializer(serializers.Serializer):
    category = serializers.CharField(source="category.key")
    label = serializers.CharField(source="category.label")
    action = serializers.CharField(source="category.action")
    keep_days = serializers.IntegerField()
    due_on = serializers.DateField(allow_null=True)


class RetentionUpdateSerializer(serializers.Serializer):
    days = serializers.DictField(
        child=serializers.IntegerField(), help_text="category -> days after the show"
    )


class JobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "status",
            "done",
            "total",
            "percent",
            "message",
            "report",
            "created_at",
            "finished_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, job: Job) -> str | None:
        if job.status != Job.Status.DONE or not job.file:
            return None
        if job.kind == Job.Kind.EXPORT:
            return reverse("privacy_person:export_download", kwargs={"pk": job.pk})
        if job.kind == Job.Kind.SHRED:
            return reverse("privacy:run_archive", kwargs={"event_slug": job.event.slug, "pk": job.pk})
        return None


class ErasureSerializer(serializers.Serializer):
    confirm_email = serializers.CharField(max_length=254)
