from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone

from exhibition.core import notifications
from exhibition.core.models import OutboxMessage
from exhibition.core.tasks import sweep_outbox

pytestmark = pytest.mark.django_db


def _queue(event, **kw):
    return notifications.queue_email(
        to=kw.get("to", "a@example.test"),
        kind="test",
        template="password_reset",
        event=event,
        context={"url": "https://example.test/reset/x/"},
    )


def test_delivering_twice_sends_exactly_one_email(event, mailoutbox):
    msg = _queue(event)
    assert notifications.deliver(msg.pk) is True
    assert notifications.deliver(msg.pk) is False
    assert len(mailoutbox) == 1
    msg.refresh_from_db()
    assert (msg.status, msg.attempts) == ("sent", 1)


def test_rolled_back_change_leaves_no_message_and_sends_nothing(
    event, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                _queue(event)
                raise RuntimeError("the change failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert OutboxMessage.objects.count() == 0
    assert mailoutbox == []


def test_smtp_failure_keeps_message_pending_with_back_off_and_sweep_delivers_later(event, mailoutbox):
    msg = _queue(event)
    with (
        mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=OSError("smtp down")
        ),
        pytest.raises(OSError),
    ):
        notifications.deliver(msg.pk)
    msg.refresh_from_db()
    assert (msg.status, msg.attempts) == ("pending", 1)
    assert "smtp down" in msg.last_error
    assert msg.next_attempt_at > timezone.now() + timedelta(seconds=20)
    assert sweep_outbox() == 0  # not due yet
    OutboxMessage.objects.filter(pk=msg.pk).update(
        next_attempt_at=timezone.now(), created_at=timezone.now() - timedelta(minutes=1)
    )
    assert sweep_outbox() == 1
    assert len(mailoutbox) == 1


def test_message_fails_for_good_after_max_attempts(event):
    msg = _queue(event)
    OutboxMessage.objects.filter(pk=msg.pk).update(attempts=notifications.MAX_ATTEMPTS - 1)
    with (
        mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=OSError("bounce")
        ),
        pytest.raises(OSError),
    ):
        notifications.deliver(msg.pk)
    msg.refresh_from_db()
    assert msg.status == "failed"
