"""Webhooks: endpoints (writes), recording emitted events, and delivering them.

Delivery is at least once, with back-off over about three days (:data:`SCHEDULE`). The first
try is queued on commit; a retry due within a minute is queued with a countdown, a later one
is left to the sweep (beat, every 30 s), so no task sits in Redis for hours (which the
broker's visibility timeout would redeliver). A try claims its delivery with a short lease
(``next_attempt_at`` moved forward in a committed transaction) and holds no database lock
while the receiver answers. Receivers de-duplicate on ``webhook-id``, as Standard Webhooks says.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import secrets
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from http.client import HTTPMessage
from typing import IO, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from exhibition.accounts.models import User
from exhibition.core import audit
from exhibition.core.errors import ConflictError, DomainError, require_perm
from exhibition.core.webhooks import all_event_types

from . import signing, tasks  # webhooks.tasks imports this module: its tasks are read at call time
from .models import Attempt, Delivery, Endpoint, Message

logger = logging.getLogger(__name__)

#: seconds to wait before try n+1 after try n failed (index n); 10 tries over 71.6 hours.
SCHEDULE = (0, 5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 14 * 3600, 20 * 3600, 20 * 3600)
MAX_ATTEMPTS = len(SCHEDULE)
LEASE = timedelta(seconds=60)
COUNTDOWN_LIMIT = 60  # seconds: a later retry waits for the sweep, not in the broker
USER_AGENT = "exhibition-webhooks/1"


def _require(actor: User, perm: str, obj: Any) -> None:
    require_perm(actor, perm, obj, _("Only the show's organiser admins can change webhooks."))


# --- endpoints ------------------------------------------------------------------------------------


def _clean_url(url: str) -> str:
    url = (url or "").strip()
    parts = urlsplit(url)
    allowed = ("https", "http") if settings.WEBHOOKS_ALLOW_HTTP else ("https",)
    if parts.scheme not in allowed or not parts.hostname:
        raise DomainError(_("Enter an address starting with https://."), field="url")
    if parts.username or parts.password:
        raise DomainError(_("Put no user name or password in the address: messages are signed."), field="url")
    if len(url) > 500:
        raise DomainError(_("The address is too long (500 characters at most)."), field="url")
    return url


def _clean_types(types: Any) -> list[str]:
    known = all_event_types()
    chosen = sorted(set(types or []))
    unknown = [t for t in chosen if t not in known]
    if unknown:
        raise DomainError(
            _("Unknown event types: %(types)s.") % {"types": ", ".join(unknown)}, field="event_types"
        )
    return chosen


def create_endpoint(
    *, event: Any, actor: User, url: str, description: str = "", event_types: list[str] | None = None
) -> Endpoint:
    _require(actor, "webhooks.manage_webhooks", event)
    with transaction.atomic():
        endpoint = Endpoint.objects.create(
            event=event,
            url=_clean_url(url),
            description=(description or "")[:200],
            event_types=_clean_types(event_types),
            secret=signing.new_secret(),
            created_by=actor if actor.is_authenticated else None,
        )
        audit.record(
            actor=actor,
            action="webhooks.endpoint_created",
            obj=endpoint,
            event=event,
            url=endpoint.url,
            types=endpoint.event_types,
        )
    return endpoint


def update_endpoint(*, endpoint: Endpoint, actor: User, **changes: Any) -> Endpoint:
    """Change the URL, description, types or whether it is active. Re-activating an endpoint
    that a 410 or an organiser disabled sends what waited for it."""
    _require(actor, "webhooks.manage_webhooks", endpoint)
    allowed = {"url", "description", "event_types", "is_active"}
    if set(changes) - allowed:
        raise DomainError(
            _("These fields cannot be changed: %(f)s.") % {"f": ", ".join(sorted(set(changes) - allowed))}
        )
    reactivated = False
    with transaction.atomic():
        current = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
        if "url" in changes:
            current.url = _clean_url(changes["url"])
        if "description" in changes:
            current.description = (changes["description"] or "")[:200]
        if "event_types" in changes:
            current.event_types = _clean_types(changes["event_types"])
        if "is_active" in changes:
            active = bool(changes["is_active"])
            reactivated = active and not current.is_active
            current.is_active = active
            current.disabled_reason = "" if active else _("Switched off by an organiser.")
        current.save()
        audit.record(
            actor=actor,
            action="webhooks.endpoint_updated",
            obj=current,
            event=current.event,
            changes=sorted(changes),
        )
        if reactivated:
            ids = list(current.deliveries.filter(status=Delivery.Status.PENDING).values_list("pk", flat=True))
            current.deliveries.filter(pk__in=ids).update(next_attempt_at=timezone.now())
            transaction.on_commit(lambda: _enqueue_all(ids))
    return current


def rotate_secret(*, endpoint: Endpoint, actor: User) -> Endpoint:
    _require(actor, "webhooks.manage_webhooks", endpoint)
    with transaction.atomic():
        Endpoint.objects.filter(pk=endpoint.pk).update(secret=signing.new_secret(), updated_at=timezone.now())
        audit.record(actor=actor, action="webhooks.secret_rotated", obj=endpoint, event=endpoint.event)
    endpoint.refresh_from_db()
    return endpoint


def delete_endpoint(*, endpoint: Endpoint, actor: User) -> None:
    _require(actor, "webhooks.manage_webhooks", endpoint)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="webhooks.endpoint_deleted",
            obj=endpoint,
            event=endpoint.event,
            url=endpoint.url,
        )
        endpoint.delete()


def send_test(*, endpoint: Endpoint, actor: User) -> Delivery:
    """A ``webhook.test`` message to this endpoint only, to check the receiver and its signature check."""
    _require(actor, "webhooks.manage_webhooks", endpoint)
    with transaction.atomic():
        message = _new_message(event=endpoint.event, type_="webhook.test", ids={"endpoint": endpoint.pk})
        delivery = Delivery.objects.create(endpoint=endpoint, message=message)
        audit.record(actor=actor, action="webhooks.test_sent", obj=endpoint, event=endpoint.event)
        transaction.on_commit(lambda: enqueue(delivery.pk))
    return delivery


# --- recording what the domain services emit (the sink registered in apps.py) --------------------


def _new_message(*, event: Any, type_: str, ids: dict[str, Any]) -> Message:
    now = timezone.now()
    payload = {
        "type": type_,
        "timestamp": now.isoformat().replace("+00:00", "Z"),
        "data": {"event": event.slug, **ids},
    }
    return Message.objects.create(
        event=event, msg_id="msg_" + secrets.token_urlsafe(18), type=type_, payload=payload, created_at=now
    )


def record_emitted(*, event: Any, type: str, ids: dict[str, Any]) -> None:  # `type` as the sink calls it
    """Inside the emitting service's transaction: one message, one delivery per subscribed endpoint."""
    endpoints = [e for e in Endpoint.objects.filter(event=event, is_active=True) if e.wants(type)]
    if not endpoints:
        return
    message = _new_message(event=event, type_=type, ids=ids)
    deliveries = Delivery.objects.bulk_create([Delivery(endpoint=e, message=message) for e in endpoints])
    ids_ = [d.pk for d in deliveries]
    transaction.on_commit(lambda: _enqueue_all(ids_))


def _enqueue_all(delivery_ids: list[int]) -> None:
    for delivery_id in delivery_ids:
        enqueue(delivery_id)


def enqueue(delivery_id: int, countdown: float = 0) -> None:
    """Hand one delivery to Celery; never raises (with the broker down, the sweep sends it)."""
    try:
        tasks.deliver.apply_async(
            kwargs={"delivery_id": delivery_id}, countdown=countdown or None, retry=False
        )
    except Exception:  # noqa: BLE001 - any broker failure: the sweep will pick it up
        logger.warning("Could not queue webhook delivery %s; the sweep will send it", delivery_id)


# --- delivering -------------------------------------------------------------------------------------


def body_of(message: Message) -> bytes:
    return json.dumps(message.payload, separators=(",", ":"), sort_keys=True).encode()


def _check_address(url: str) -> None:
    """Refuse addresses inside our own network (an organiser's URL must not reach our services)."""
    if settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES:
        return
    host = urlsplit(url).hostname or ""
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror as exc:
        raise OSError(f"cannot resolve {host}") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise OSError(f"{host} resolves to a non-public address")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(  # a receiver that redirects has failed
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def post(endpoint: Endpoint, message: Message) -> tuple[int | None, str, str, int]:
    """POST the signed message. Returns (status code or None, error, start of the response body, ms)."""
    body = body_of(message)
    request = urllib.request.Request(  # noqa: S310 -- endpoint.url passed _clean_url: https (or http where allowed), never file: or custom
        endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            **signing.headers(endpoint.secret, message.msg_id, body),
        },
    )
    started = time.monotonic()
    status, error, text = None, "", ""
    try:
        _check_address(endpoint.url)
        with _opener.open(request, timeout=settings.WEBHOOKS_TIMEOUT) as response:
            status, text = response.status, response.read(500).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        status = exc.code
        try:
            text = exc.read(500).decode("utf-8", "replace")
        except Exception:  # noqa: BLE001 - the body is only for the log
            text = ""
    except (OSError, ValueError) as exc:  # refused, timed out, TLS, DNS, our address check
        error = f"{type(exc).__name__}: {exc}"[:500]
    return status, error, text, int((time.monotonic() - started) * 1000)


def deliver(delivery_id: int, *, manual: bool = False) -> Delivery | None:
    """Try one delivery now, if it is due (or asked for by an organiser) and nobody else is trying it."""
    now = timezone.now()
    with transaction.atomic():
        due = Q() if manual else Q(next_attempt_at__lte=now)
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint", "message")
            .filter(due, pk=delivery_id, status=Delivery.Status.PENDING, endpoint__is_active=True)
            .first()
        )
        if delivery is None:
            return None
        delivery.next_attempt_at = now + LEASE  # claimed: the sweep leaves it alone while we try
        delivery.save(update_fields=["next_attempt_at", "updated_at"])

    status, error, text, ms = post(delivery.endpoint, delivery.message)
    ok = status is not None and 200 <= status < 300
    gone = status == 410
    with transaction.atomic():
        current = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if current.status != Delivery.Status.PENDING:  # dropped by an organiser meanwhile
            return current
        current.attempts += 1
        current.last_status_code = status
        current.last_error = error or ("" if ok else _("The receiver answered %(code)s.") % {"code": status})
        Attempt.objects.create(
            delivery=current,
            status_code=status,
            error=error,
            response_body=text,
            duration_ms=ms,
            manual=manual,
        )
        if ok:
            current.status, current.delivered_at = Delivery.Status.SUCCEEDED, timezone.now()
        elif gone:
            current.status = Delivery.Status.FAILED
            Endpoint.objects.filter(pk=current.endpoint_id).update(
                is_active=False,
                updated_at=timezone.now(),
                disabled_reason=_("The receiver answered 410 Gone: the endpoint was switched off."),
            )
            audit.record(
                actor=None,
                action="webhooks.endpoint_disabled",
                obj=delivery.endpoint,
                event=delivery.endpoint.event,
                status=410,
            )
        elif current.attempts >= MAX_ATTEMPTS:
            current.status = Delivery.Status.FAILED
        else:
            current.next_attempt_at = timezone.now() + timedelta(seconds=SCHEDULE[current.attempts])
        current.save()
    if current.status == Delivery.Status.PENDING and SCHEDULE[current.attempts] <= COUNTDOWN_LIMIT:
        enqueue(current.pk, countdown=SCHEDULE[current.attempts])
    log = logger.info if ok else logger.warning
    log(
        "Webhook %s %s to endpoint %s: %s",
        delivery.message.type,
        delivery.message.msg_id,
        delivery.endpoint_id,
        status or error,
        extra={"delivery": current.pk, "attempt": current.attempts, "status": current.status},
    )
    return current


def due_delivery_ids(limit: int = 500) -> list[int]:
    """Pending deliveries whose next try is due (not brand new: the on-commit task tries those)."""
    now = timezone.now()
    return list(
        Delivery.objects.filter(
            status=Delivery.Status.PENDING,
            endpoint__is_active=True,
            next_attempt_at__lte=now,
            created_at__lte=now - timedelta(seconds=10),
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


# --- organiser actions on the delivery log -------------------------------------------------------


def retry_delivery(*, delivery: Delivery, actor: User) -> Delivery:
    """Send it again now, whatever its state (a failed or dropped one goes back to pending)."""
    _require(actor, "webhooks.manage_webhooks", delivery)
    if not delivery.endpoint.is_active:
        raise ConflictError(
            _("Switch the endpoint on before retrying its messages."), code="endpoint_inactive"
        )
    with transaction.atomic():
        current = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if current.status == Delivery.Status.SUCCEEDED:
            raise ConflictError(_("This message was delivered already."), code="delivered")
        current.status, current.next_attempt_at = Delivery.Status.PENDING, timezone.now()
        current.save(update_fields=["status", "next_attempt_at", "updated_at"])
        audit.record(
            actor=actor, action="webhooks.delivery_retried", obj=current, event=current.message.event
        )
        transaction.on_commit(lambda: enqueue(current.pk))
    return current


def drop_delivery(*, delivery: Delivery, actor: User) -> Delivery:
    """Stop trying: the message will not be sent to this endpoint again (unless retried by hand)."""
    _require(actor, "webhooks.manage_webhooks", delivery)
    with transaction.atomic():
        current = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if current.status == Delivery.Status.SUCCEEDED:
            raise ConflictError(_("This message was delivered already."), code="delivered")
        if current.status != Delivery.Status.DROPPED:
            current.status = Delivery.Status.DROPPED
            current.save(update_fields=["status", "updated_at"])
            audit.record(
                actor=actor, action="webhooks.delivery_dropped", obj=current, event=current.message.event
            )
    return current


# --- figures for /metrics --------------------------------------------------------------------------


def backlog_figures() -> Iterator[tuple[str, dict[str, str], float, str]]:
    pending = Delivery.objects.filter(status=Delivery.Status.PENDING, endpoint__is_active=True).count()
    failed = Delivery.objects.filter(status=Delivery.Status.FAILED).count()
    yield "exhibition_webhook_backlog", {}, pending, "Webhook deliveries waiting to be sent."
    yield "exhibition_webhook_failed", {}, failed, "Webhook deliveries that gave up."
