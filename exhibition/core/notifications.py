"""The outbox: notifications are rows first, deliveries second.

``queue_email`` writes an :class:`OutboxMessage` inside the caller's transaction and
asks Celery to deliver it once that transaction commits. If the broker is down or
hangs, the request still succeeds (broker timeouts are ~1 s and the error is only
logged); the periodic sweep delivers what was left behind once Redis is back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import OutboxMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8

# name -> function(payload) -> (subject, body), or None when the message no longer applies.
Builder = Callable[[dict[str, Any]], "tuple[str, str] | None"]
_BUILDERS: dict[str, Builder] = {}


def register_builder(name: str) -> Callable[[Builder], Builder]:
    """Register a function that renders a message carrying a secret at send time.

    Apps register theirs in ``AppConfig.ready()`` (through their module's import)."""

    def decorator(fn: Builder) -> Builder:
        _BUILDERS[name] = fn
        return fn

    return decorator


def render_email(
    template: str, context: dict[str, Any], *, event: Any = None, language: str | None = None
) -> tuple[str, str]:
    """``(subject, body)`` from ``emails/<template>_subject.txt`` and ``emails/<template>.txt``."""
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        ctx = {"site_url": settings.SITE_URL, "event": event, **context}
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", ctx).split())
        body = render_to_string(f"emails/{template}.txt", ctx)
    return subject[:200], body


def queue_email(
    *,
    to: str,
    kind: str,
    template: str,
    context: dict[str, Any],
    event: Any = None,
    language: str | None = None,
) -> OutboxMessage:
    """Render ``emails/<template>_subject.txt`` and ``emails/<template>.txt`` and queue them."""
    subject, body = render_email(template, context, event=event, language=language)
    message = OutboxMessage.objects.create(event=event, kind=kind, recipient=to, subject=subject, body=body)
    transaction.on_commit(lambda: enqueue_delivery(message.pk))
    return message


def queue_secret_email(
    *, to: str, kind: str, builder: str, payload: dict[str, Any], subject: str, event: Any = None
) -> OutboxMessage:
    """Queue a message that carries a secret link: only ``payload`` (ids) is stored, and the
    registered ``builder`` renders the body when the message is sent. ``subject`` is stored
    (it must not carry the secret) so the outbox stays readable."""
    if builder not in _BUILDERS:
        raise LookupError(f"No e-mail builder named {builder!r}")
    message = OutboxMessage.objects.create(
        event=event, kind=kind, recipient=to, subject=subject[:200], body="", builder=builder, payload=payload
    )
    transaction.on_commit(lambda: enqueue_delivery(message.pk))
    return message


def _content(message: OutboxMessage) -> tuple[str, str] | None:
    if not message.builder:
        return message.subject, message.body
    return _BUILDERS[message.builder](message.payload)


def enqueue_delivery(message_id: int) -> None:
    """Hand one message to Celery; never raises (a broker outage is left to the sweep)."""
    # core.tasks imports this module and reads MAX_ATTEMPTS while it loads (its retry limit)
    from .tasks import deliver_outbox_message  # noqa: PLC0415 -- cycle: core.tasks reads MAX_ATTEMPTS

    try:
        deliver_outbox_message.apply_async(kwargs={"message_id": message_id}, retry=False)
    except Exception:  # any broker failure: the sweep will pick it up
        logger.warning(
            "Could not queue outbox message %s; the sweep will deliver it", message_id, exc_info=True
        )


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def sending_stale_after() -> timedelta:
    """A row still *sending* after this long: its worker died mid-send."""
    return timedelta(seconds=getattr(settings, "OUTBOX_SENDING_STALE_SECONDS", 300))


def deliver(message_id: int) -> bool:
    """Send one outbox message. Returns True if this call sent it.

    1. In a committed step of its own, the row goes from *pending* to *sending* (locked,
       ``skip_locked``: a worker and the sweep never both take it).
    2. The message goes to the mail server, with a stable ``Message-ID``.
    3. The row becomes *sent*.
    A worker that dies between 1 and 3 leaves the row *sending*: after
    ``OUTBOX_SENDING_STALE_SECONDS`` the sweep sends it once more, with the same Message-ID
    and an ``X-Exhibition-Resend`` header, and logs it. So: at least once, duplicates rare
    and recognisable.
    """
    now = timezone.now()
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id)
            .filter(
                Q(status=OutboxMessage.Status.PENDING)
                | Q(status=OutboxMessage.Status.SENDING, sending_at__lt=now - sending_stale_after())
            )
            .first()
        )
        if message is None:
            return False
        if message.status == OutboxMessage.Status.SENDING:
            message.resends += 1
            logger.warning(
                "Outbox message %s was being sent when its worker stopped: sending it again, marked "
                "as a resend (%s)",
                message.pk,
                message.message_id,
            )
        message.status, message.sending_at = OutboxMessage.Status.SENDING, now
        message.attempts += 1
        message.save(update_fields=["status", "sending_at", "attempts", "resends"])
    try:
        content = _content(message)
        if content is None:  # the link no longer applies (invitation revoked, account gone)
            OutboxMessage.objects.filter(pk=message.pk).update(
                status=OutboxMessage.Status.FAILED, last_error="dropped: no longer applies"
            )
            return False
        headers = {"Message-ID": message.message_id}
        if message.resends:
            headers["X-Exhibition-Resend"] = str(message.resends)
        EmailMessage(
            subject=content[0],
            body=content[1],
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
            headers=headers,
        ).send()
    except Exception as exc:  # SMTP errors are transient until proven otherwise
        status = (
            OutboxMessage.Status.FAILED if message.attempts >= MAX_ATTEMPTS else OutboxMessage.Status.PENDING
        )
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=status,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            next_attempt_at=timezone.now() + backoff(message.attempts),
        )
        raise
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def due_message_ids(limit: int = 500) -> list[int]:
    """Pending messages whose next attempt is due and that are not brand new
    (the on-commit task gets the first try)."""
    now = timezone.now()
    pending = Q(
        status=OutboxMessage.Status.PENDING,
        next_attempt_at__lte=now,
        created_at__lte=now - timedelta(seconds=10),
    )
    orphaned = Q(status=OutboxMessage.Status.SENDING, sending_at__lt=now - sending_stale_after())
    return list(
        OutboxMessage.objects.filter(pending | orphaned).order_by("id").values_list("id", flat=True)[:limit]
    )
