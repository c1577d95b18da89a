"""Who chose a sector in exhibitors: applications and products (exhibition.events.uses)."""

from __future__ import annotations

from django.utils.translation import ngettext

from exhibition.events.models import Sector
from exhibition.events.uses import sector_use

from .models import Application, Product


@sector_use
def applications_and_products(sector: Sector) -> list[str]:
    words = []
    applications = Application.sectors.through.objects.filter(sector=sector).count()
    if applications:
        words.append(ngettext("%(n)d application", "%(n)d applications", applications) % {"n": applications})
    products = Product.sectors.through.objects.filter(sector=sector).count()
    if products:
        words.append(ngettext("%(n)d product", "%(n)d products", products) % {"n": products})
    return words
