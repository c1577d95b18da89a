"""Booking's part of the stand panel on the floor plan (see exhibition.floorplans.panel): an
exhibiting company reads a free stand's price, type and open sides and holds it from the plan,
through the same hold view as the list of My stand; or reads why it cannot hold it."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from exhibition.core.ids import as_id
from exhibition.floorplans.models import Stand
from exhibition.floorplans.panel import stand_panel_part

from . import selectors


@stand_panel_part
def hold_from_the_plan(request: HttpRequest, stand: Stand) -> str:
    event, user = request.event, request.user  # type: ignore[attr-defined]
    if not user.has_perm("booking.view_my_stand", event):  # exhibitors only
        return ""
    raw = request.GET.get("company", "")
    company = selectors.company_for_user(user, event, as_id(raw))
    if company is None:
        return ""
    offer = selectors.stand_offer(
        event, company, stand, may_book=user.has_perm("booking.book_stand", company)
    )
    if offer is None:
        return ""
    return render_to_string(
        "booking/_stand_offer.html",
        {"offer": offer, "company": company, "stand": stand, "event": event},
        request=request,
    )
