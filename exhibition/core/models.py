"""Shared plumbing: abstract bases, the audit log and the notification outbox."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class AuditLogEntry(models.Model):
    """Who did what to which object, when. Written by services, never by signals."""

    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.CASCADE, related_name="audit_entries"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("action"), max_length=80)
    object_type = models.CharField(_("object type"), max_length=80)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    # Set when the personal fields of the entry were redacted (retention, erasure): kept, not deleted.
    redacted_at = models.DateTimeField(_("redacted"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.action} {self.object_repr}"


class OutboxMessage(models.Model):
    """A notification written in the same transaction as the change that causes it.

    Delivered by ``exhibition.core.deliver_outbox_message`` (queued on commit) and by the
    periodic sweep. Delivery marks the row *sending* in a committed step of its own before it
    talks to the mail server, and *sent* after: at least once, a duplicate only when a worker
    died in between, and then resent once with the same ``Message-ID`` and marked as a resend.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.CASCADE, related_name="outbox"
    )
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.EMAIL)
    kind = models.CharField(_("kind"), max_length=60)
    recipient = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    # Messages that carry a secret (a password-reset, confirmation or invitation link) are
    # not stored rendered: ``builder`` names the function that renders them at send time from
    # ``payload`` (ids only), so no usable link ever sits in the database.
    builder = models.CharField(max_length=60, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    sending_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Times the message was sent again because its worker died mid-send (its fate unknown).
    resends = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["id"]
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outbox")

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient} ({self.status})"

    @property
    def message_id(self) -> str:
        """A stable RFC 5322 Message-ID: a resend is recognisable as the same message."""
        domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "exhibition.local"
        return f"<outbox.{self.pk}.{self.created_at:%Y%m%d%H%M%S}@{domain}>"


class IdempotentRequest(models.Model):
    """The first answer to a write sent with an ``Idempotency-Key`` header: a client that
    retries (it lost the answer, the connection dropped) gets this answer again instead of
    doing the work twice. Saved in the same transaction as the write itself."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotentrequest_unique_key")]
        verbose_name = _("idempotent request")
        verbose_name_plural = _("idempotent requests")

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.key})"
