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
from email.utils import formataddr, parseaddr
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template import Context, engines
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


def recipient_language(email: str | None, fallback: str | None = None) -> str:
    """The language to write to ``email`` in: their account's language, else ``fallback`` (what
    the caller knows of a person without an account), else the site's default. Never the
    language of whoever's request caused the message."""
    known = dict(settings.LANGUAGES)
    if email:
        language = (
            get_user_model()
            .objects.filter(email__iexact=email.strip())
            .values_list("language", flat=True)
            .first()
        )
        if language in known:
            return str(language)
    if fallback and fallback in known:
        return fallback
    return str(settings.LANGUAGE_CODE)


def render_email(
    template: str,
    context: dict[str, Any],
    *,
    event: Any = None,
    language: str | None = None,
    to: str | None = None,
) -> tuple[str, str]:
    """``(subject, body)`` from ``emails/<template>_subject.txt`` and ``emails/<template>.txt``,
    in the language of the recipient ``to`` (see :func:`recipient_language`); without ``to``, in
    ``language`` or the site's default."""
    with translation.override(recipient_language(to, language)):
        ctx = {"site_url": settings.SITE_URL, "event": event, **context}
        subject = " ".join(_render_text(f"emails/{template}_subject.txt", ctx).split())
        body = _render_text(f"emails/{template}.txt", ctx)
    return subject[:200], body


def _render_text(name: str, context: dict[str, Any]) -> str:
    """A plain-text template, not HTML-escaped: "L'Oréal & Co", not "L&#x27;Oréal &amp; Co"."""
    engine = engines["django"].engine  # type: ignore[attr-defined]
    return str(engine.get_template(name).render(Context(context, autoescape=False)))


def queue_email(
    *,
    to: str,
    kind: str,
    template: str,
    context: dict[str, Any],
    event: Any = None,
    language: str | None = None,
) -> OutboxMessage:
    """Render ``emails/<template>_subject.txt`` and ``emails/<template>.txt`` in the recipient's
    language (``language`` only for someone without an account) and queue them."""
    subject, body = render_email(template, context, event=event, language=language, to=to)
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


def sender(message: OutboxMessage) -> str:
    """``From:``: the show's name where the message belongs to one, with the address of
    ``DEFAULT_FROM_EMAIL``; else ``DEFAULT_FROM_EMAIL`` as it is."""
    event = message.event if message.event_id is not None else None
    if event is None:
        return str(settings.DEFAULT_FROM_EMAIL)
    name = " ".join(str(event.name).split())  # no line breaks in a header
    return formataddr((name, parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))


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
            from_email=sender(message),
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
