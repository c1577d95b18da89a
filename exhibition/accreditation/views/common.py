"""What the accreditation pages share: the QR code as SVG, PDF answers, the badge format
asked for, and a badge's wallet context."""

from __future__ import annotations

import segno
from django.http import HttpResponse
from django.utils.translation import gettext as _

from exhibition.core.errors import DomainError

from .. import services
from ..models import Badge

MANAGE = "accreditation.manage"


def qr_svg(code: str, label: str) -> str:
    return segno.make_qr(code, error="m").svg_inline(
        scale=4, omitsize=True, title=label, dark="#000", light="#fff"
    )


def pdf_response(data: bytes, name: str, inline: bool = False) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def badge_format(request) -> str:
    return "label" if request.GET.get("format") == "label" else "a6"


def wallet_context(badge: Badge | None) -> dict:
    """What the wallet page shows: the code only while the badge may be used."""
    ctx: dict = {"badge": badge, "code_svg": None, "blocked": None}
    if badge is None:
        return ctx
    try:
        services.check_printable(badge)
    except DomainError as exc:  # handled here: a check, not an action; its message is the badge's state
        ctx["blocked"] = exc.message
        return ctx
    ctx["code_svg"] = qr_svg(services.code_for(badge), _("Badge code of %(name)s") % {"name": badge.name})
    return ctx
