"""Every page names itself in the browser's tab, its history and a screen reader's first words
(WCAG 2.4.2 "Page titled"): no page falls back to the bare "Milipol Paris · exhibition"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from exhibition.accounts.models import Membership
from tests import factories
from tests.factories.exhibitors import make_exhibitor

TEMPLATES = Path(settings.BASE_DIR, "templates")
EXTENDS = re.compile(r'{%\s*extends\s+"([^"]+)"\s*%}')


def _titled(name: str) -> bool:
    """Whether the page template `name`, or one it extends below base.html, sets the title."""
    while name != "base.html":
        path = TEMPLATES / name
        if not path.exists():  # a package's template (the API docs' drf_spectacular page)
            return True
        text = path.read_text()
        if "{% block title %}" in text:
            return True
        parent = EXTENDS.search(text)
        if parent is None:
            return True  # not a page: a partial or an e-mail
        name = parent.group(1)
    return False


def test_every_page_template_sets_its_own_title():
    pages = [p for p in TEMPLATES.rglob("*.html") if EXTENDS.search(p.read_text())]
    untitled = sorted(
        str(p.relative_to(TEMPLATES)) for p in pages if not _titled(str(p.relative_to(TEMPLATES)))
    )
    assert len(pages) > 80
    assert untitled == []


def _title(html: str) -> str:
    return " ".join(re.search(r"<title>(.*?)</title>", html, re.S).group(1).split())


@pytest.mark.django_db
def test_an_exhibitors_pages_each_have_their_own_title_in_english_and_french():
    event = factories.make_event("milipol-titles", name="Milipol Titles")
    org = make_exhibitor(event, "Aegis Optics")
    user = factories.make_member(org, Membership.Role.ADMIN)
    client = Client()
    client.force_login(user)
    pages = [
        f"/{event.slug}/",
        reverse("exhibitors:portal", kwargs={"event_slug": event.slug, "org": org.pk}),
        reverse("exhibitors:portal_staff", kwargs={"event_slug": event.slug, "org": org.pk}),
        f"/{event.slug}/meetings/",
        f"/{event.slug}/exhibitors/",
    ]
    for language, expected in (
        ("en", ["Home · ", "Overview · ", "Staff · ", "Business meetings · ", "Exhibitors · "]),
        (
            "fr",
            ["Accueil · ", "Vue d'ensemble · ", "Personnel · ", "Rendez-vous d'affaires · ", "Exposants · "],
        ),
    ):
        titles = []
        for url, start in zip(pages, expected, strict=True):
            response = client.get(url, headers={"accept-language": language})
            assert response.status_code == 200, url
            title = _title(response.content.decode())
            assert title.startswith(start) and title.endswith(" · Milipol Titles"), (url, title)
            titles.append(title)
        assert len(set(titles)) == len(titles)
