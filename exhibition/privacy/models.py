"""Retention per category and event, shredder runs, and people's requests for their data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RetentionRule(models.Model):
    """How many days after the show's last day one category of personal data is kept."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="retention_rules")
    category = models.CharField(_("category"), max_length=40)
    keep_days = models.PositiveIntegerField(_("keep for (days after the show)"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "category"], name="retention_rule_once")]
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")

    def __str__(self) -> str:
        return f"{self.category}: {self.keep_days} days"


class Job(models.Model):
    """Long privacy work run by Celery with progress: a shredder run, a data export, an erasure."""

    class Kind(models.TextChoices):
        SHRED = "shred", _("Shredder run")
        EXPORT = "export", _("Data export")
        ERASE = "erase", _("Erasure")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.CASCADE, related_name="privacy_jobs"
    )
    # Whose data (export, erasure); who started it (a shredder run). Kept on erasure: the row is the proof.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="privacy_jobs",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    report = models.JSONField(default=dict, blank=True)  # counts per category / section
    file = models.CharField(max_length=300, blank=True)  # under PRIVATE_MEDIA_ROOT
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One shredder run at a time per event.
            models.UniqueConstraint(
                fields=["event"],
                condition=models.Q(kind="shred", status__in=["queued", "running"]),
                name="privacy_one_active_shred",
            ),
        ]
        verbose_name = _("privacy job")
        verbose_name_plural = _("privacy jobs")

    def __str__(self) -> str:
        return f"{self.kind} {self.status}"

    @property
    def percent(self) -> int:
        return (
            100 if self.status == self.Status.DONE else int(100 * self.done / self.total) if self.total else 0
        )

    @property
    def active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
