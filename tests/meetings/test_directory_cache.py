"""The meetings directory's table and a participant's suggestions (page and API) come from the
shared cache, keyed by the directory's state (selectors.directory_state), the participant and
whom they asked already: an edited profile, a new or hidden participant, a request sent, a
renumbered stand or a renamed sector shows on the next request, and nobody sees another's."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from exhibition.events.models import Sector
from exhibition.floorplans.models import Stand
from exhibition.meetings import services
from tests.factories import make_hall
from tests.factories import meetings as f

pytestmark = pytest.mark.django_db


def _page(client, event, **params) -> str:
    response = client.get(reverse("meetings:directory", kwargs={"event_slug": event.slug}), params)
    assert response.status_code == 200
    return response.content.decode()


def _suggested(html: str) -> list[str]:
    block = re.search(r'<ol class="suggestions">(.*?)</ol>', html, re.S)
    return re.findall(r'<li><a href="[^"]*">([^<]*)</a>', block.group(1)) if block else []


def _listed(html: str) -> list[str]:
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S)
    return re.findall(r'<td><a href="[^"]*">([^<]*)</a>', body.group(1)) if body else []


def _api(user, event) -> list[str]:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(f"/api/v1/events/{event.slug}/meetings/suggestions/")
    assert response.status_code == 200
    return [s["participant"]["name"] for s in response.json()]


@pytest.fixture
def show(event):
    me = f.visitor(event, seek="counter-drone radar")
    radar = f.exhibitor(event, "Radar Co", offer="Long range radar")
    caterer = f.exhibitor(event, "Catering Co", offer="Catering")
    return {"me": me, "radar": radar, "caterer": caterer}


def test_profile_edits_and_requests_show_at_once(client, event, show):
    me, radar, caterer = show["me"], show["radar"], show["caterer"]
    client.force_login(me.user)
    assert _suggested(_page(client, event)) == ["Radar Co"] and _api(me.user, event) == ["Radar Co"]
    assert _suggested(_page(client, event)) == ["Radar Co"] and _api(me.user, event) == ["Radar Co"]  # cached

    services.update_profile(participant=caterer, actor=f.actor_of(caterer), offer="Drone detection radar")
    assert sorted(_suggested(_page(client, event))) == ["Catering Co", "Radar Co"]
    assert sorted(_api(me.user, event)) == ["Catering Co", "Radar Co"]

    services.request_meeting(actor=me.user, sender=me, recipient=radar)
    assert _suggested(_page(client, event)) == ["Catering Co"] and _api(me.user, event) == ["Catering Co"]

    services.update_profile(participant=caterer, actor=f.actor_of(caterer), opted_in=False)
    page = _page(client, event)
    assert _suggested(page) == [] and _api(me.user, event) == []
    assert "Catering Co" not in _listed(page)


def test_the_table_follows_new_people_stands_and_sectors(client, event, show):
    me, radar = show["me"], show["radar"]
    client.force_login(me.user)
    assert _listed(_page(client, event)) == ["Catering Co", "Radar Co"]
    f.exhibitor(event, "Armour Co")
    assert _listed(_page(client, event)) == ["Armour Co", "Catering Co", "Radar Co"]

    stand = Stand.objects.create(
        event=event, hall=make_hall(event), number="5A-01", x=0, y=0, width=3, depth=3, area=9
    )
    radar.stand = stand  # (set when the participant is made, in real life)
    radar.save()
    assert "stand 5A-01" in _page(client, event)
    stand.number = "5A-99"
    stand.save()
    assert "stand 5A-99" in _page(client, event)

    assert '<option value="cyber"' not in _page(client, event)
    cyber = Sector.objects.create(event=event, code="cyber", name_en="Cyber", name_fr="Cyber")
    assert '<option value="cyber" >Cyber</option>' in _page(client, event)  # in the filter at once
    services.update_profile(participant=radar, actor=f.actor_of(radar), sectors=[cyber])
    assert ">Cyber</span>" in _page(client, event)
    cyber.name_en = "Cyber security"
    cyber.save()
    assert ">Cyber security</span>" in _page(client, event)


def test_each_sees_their_own_page_and_suggestions(client, event, show):
    me, radar = show["me"], show["radar"]
    other = f.visitor(event, seek="catering")
    client.force_login(me.user)
    mine = _page(client, event)
    client.force_login(other.user)
    theirs = _page(client, event)
    assert me.name in _listed(theirs) and other.name not in _listed(theirs)
    assert other.name in _listed(mine) and me.name not in _listed(mine)
    assert _suggested(mine) == ["Radar Co"] and _suggested(theirs) == ["Catering Co"]
    assert _api(other.user, event) == ["Catering Co"] and _api(me.user, event) == ["Radar Co"]

    client.force_login(f.actor_of(radar))  # an exhibitor: its own suggestions, not the visitor's
    assert "Radar Co" not in _listed(_page(client, event))


def test_pages_and_past_the_end(client, event, show):
    for i in range(30):
        f.exhibitor(event, f"Company {i:02d}")
    client.force_login(show["me"].user)
    first, second = _listed(_page(client, event)), _listed(_page(client, event, page="2"))
    assert len(first) == 25 and len(second) == 7 and not set(first) & set(second)
    assert _listed(_page(client, event, page="9")) == second  # past the end: the last page, as before
    assert _listed(_page(client, event, page="x")) == first  # not a number: the first page


def test_a_search_is_answered_as_before(client, event, show):
    client.force_login(show["me"].user)
    page = _page(client, event, q="radar")
    assert _listed(page) == ["Radar Co"] and _suggested(page) == [] and 'value="radar"' in page
    assert _listed(_page(client, event, kind="exhibitor")) == ["Catering Co", "Radar Co"]


def test_the_directory_works_without_the_cache(client, event, show, monkeypatch):
    monkeypatch.setattr(cache, "get", lambda *a, **kw: None)
    monkeypatch.setattr(cache, "set", lambda *a, **kw: None)
    client.force_login(show["me"].user)
    page = _page(client, event)
    assert _suggested(page) == ["Radar Co"] and _listed(page) == ["Catering Co", "Radar Co"]
    assert _api(show["me"].user, event) == ["Radar Co"]
