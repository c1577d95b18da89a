"""Badge links: a signed, expiring address of one badge (its wallet page and PDF), built only
when the e-mail is sent (the outbox stores the badge id), never stored."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse

from exhibition.core.notifications import register_builder, render_email

from .holders import holder_admitted
from .models import Badge

SALT = "exhibition.accreditation.badge-link"
MAX_AGE = 60 * 60 * 24 * 30


def badge_token(badge) -> str:
    return signing.TimestampSigner(salt=SALT).sign_object([badge.pk, badge.event_id], compress=True)


def badge_for_token(token: str, event) -> Any:
    """The badge a link names, if the link is authentic, recent and of this event."""
    try:
        badge_id, event_id = signing.TimestampSigner(salt=SALT).unsign_object(token, max_age=MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if event_id != event.pk:
        return None
    return (
        Badge.objects.select_related("category", "visitor", "organisation", "user", "event", "key")
        .filter(pk=badge_id, event=event)
        .first()
    )


@register_builder("accreditation.badge_link")
def build_badge_link(payload: dict[str, Any]) -> tuple[str, str] | None:
    badge = (
        Badge.objects.select_related("category", "visitor", "organisation", "user", "event")
        .filter(pk=payload.get("badge"))
        .first()
    )
    if badge is None or badge.status != Badge.Status.VALID or not holder_admitted(badge):
        return None  # revoked or no longer admitted since: the link is not sent
    url = settings.SITE_URL + reverse(
        "accreditation:wallet_link", kwargs={"event_slug": badge.event.slug, "token": badge_token(badge)}
    )
    language = badge.user.language if badge.user else "en"
    return render_email(
        "accreditation_badge", {"badge": badge, "url": url}, event=badge.event, language=language
    )
