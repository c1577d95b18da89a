"""Floor plan pages: SVG hall plan, search, side panel, drag endpoint, editor forms, CSV,
list, print, SVG download, routes and permissions."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from exhibition.core import formats
from exhibition.core.models import AuditLogEntry
from exhibition.floorplans import services
from exhibition.floorplans.models import Feature, Stand, WalkingMatrix
from tests import factories
from tests.support.html import squash

pytestmark = pytest.mark.django_db


# --- a small show: two halls side by side, a door between them, an entrance into 5A ------------


@pytest.fixture
def sector(event):
    s = factories.make_sector(event, "cyber")
    s.colour = "#123456"
    s.save()
    return s


@pytest.fixture
def plan(event, organiser, halls, company, sector):
    company.sectors.add(sector)
    pavilion = services.create_pavilion(
        event=event, actor=organiser, name="French Pavilion", colour="#abcdef"
    )
    services.create_door(
        event=event,
        actor=organiser,
        code="D-5A-6",
        name="Door 5A/6",
        hall_a=halls["5A"],
        hall_b=halls["6"],
        x=60,
        y=20,
    )
    services.create_door(
        event=event,
        actor=organiser,
        code="E-5A",
        name="Entrance 5A",
        hall_a=halls["5A"],
        hall_b=None,
        x=0,
        y=20,
    )
    stands = {
        "5A-A1": services.create_stand(
            event=event,
            actor=organiser,
            hall=halls["5A"],
            number="5A-A1",
            x=10,
            y=10,
            width=6,
            depth=4,
            status=Stand.Status.SOLD,
            exhibitor=company,
            pavilion=pavilion,
        ),
        "5A-A2": services.create_stand(
            event=event, actor=organiser, hall=halls["5A"], number="5A-A2", x=20, y=10, width=6, depth=4
        ),
        "6-B1": services.create_stand(
            event=event, actor=organiser, hall=halls["6"], number="6-B1", x=10, y=10, width=6, depth=4
        ),
    }
    return {"halls": halls, "stands": stands, "pavilion": pavilion}


@pytest.fixture
def visitor(event):
    return factories.make_visitor(event).user


def _client(client, user):
    if user is not None:
        client.force_login(user)
    return client


def hall_url(event, code="5A", **params):
    url = reverse("floorplans:hall", kwargs={"event_slug": event.slug, "hall_code": code})
    if params:
        url += "?" + urlencode(params)
    return url


def move_url(event, number, hall="5A"):
    return reverse(
        "floorplans:stand_move", kwargs={"event_slug": event.slug, "hall_code": hall, "number": number}
    )


def stand_group(html: str, number: str) -> str:
    """The SVG markup of one stand: its <a> (if any) and <g>."""
    match = re.search(
        r'(<a [^>]*>)?<g class="[^"]*"[^>]*data-number="' + re.escape(number) + r'"[^>]*>.*?</g>', html, re.S
    )
    assert match, f"stand {number} not on the page"
    return match.group(0)


JSON = {"HTTP_ACCEPT": "application/json"}


# --- hall plan ---------------------------------------------------------------------------------


def _grid_of_stands(event, hall, n, company):
    """n stands of 4 x 4 m on a 5 m pitch, every third one to the company (with sectors)."""
    per_row = 20
    Stand.objects.bulk_create(
        Stand(
            event=event,
            hall=hall,
            number=f"{hall.code}-{i:03d}",
            x=2 + (i % per_row) * 5,
            y=2 + (i // per_row) * 5,
            width=4,
            depth=4,
            area=16,
            price=Decimal("8320"),
            status=Stand.Status.SOLD if i % 3 == 0 else Stand.Status.AVAILABLE,
            exhibitor=company if i % 3 == 0 else None,
        )
        for i in range(n)
    )


@pytest.mark.parametrize("n", [10, 400])
def test_hall_page_query_count_is_the_same_for_10_and_400_stands(
    client, event, organiser, company, sector, n, django_assert_num_queries
):
    company.sectors.add(sector)
    hall = factories.make_hall(event, "9", width=110, depth=110)
    Feature.objects.create(
        event=event, hall=hall, code="9-COL1", kind="column", x=105, y=105, width=0.8, depth=0.8
    )
    _grid_of_stands(event, hall, n, company)
    client.force_login(organiser)

    with django_assert_num_queries(13):
        response = client.get(hall_url(event, "9", colour="sector", q="9-00"))

    assert response.status_code == 200
    assert response.content.decode().count('class="stand-link"') == n


def test_hall_page_colours_by_status_for_organisers_expired_hold_shown_available(
    client, event, organiser, plan
):
    Stand.objects.filter(number="5A-A2").update(
        status=Stand.Status.HELD, held_until=timezone.now() - timedelta(minutes=1)
    )
    Stand.objects.filter(number="6-B1").update(hall=plan["halls"]["5A"], x=40)  # a live hold in the same hall
    Stand.objects.filter(number="6-B1").update(
        status=Stand.Status.HELD, held_until=timezone.now() + timedelta(minutes=10)
    )
    client.force_login(organiser)

    html = client.get(hall_url(event, colour="status")).content.decode()

    assert 'class="stand st-sold"' in stand_group(html, "5A-A1") and 'fill="#f87171"' in stand_group(
        html, "5A-A1"
    )
    assert 'class="stand st-available"' in stand_group(html, "5A-A2") and 'fill="#86efac"' in stand_group(
        html, "5A-A2"
    )
    assert 'class="stand st-held"' in stand_group(html, "6-B1") and 'fill="#fcd34d"' in stand_group(
        html, "6-B1"
    )
    assert "Reserved" in html  # the legend lists every status


def test_hall_page_colours_by_sector_and_pavilion(client, event, visitor, plan):
    client.force_login(visitor)

    by_sector = client.get(hall_url(event, colour="sector")).content.decode()
    by_pavilion = client.get(hall_url(event, colour="pavilion")).content.decode()

    assert 'fill="#123456"' in stand_group(by_sector, "5A-A1")
    assert 'fill="#e5e7eb"' in stand_group(by_sector, "5A-A2")
    assert "Cyber" in by_sector  # legend
    assert 'fill="#abcdef"' in stand_group(by_pavilion, "5A-A1")
    assert "French Pavilion" in by_pavilion


def _legend_patterns(html: str) -> dict[str, str]:
    """Legend label -> the texture its swatch draws ('' for a plain colour)."""
    legend = html[html.index('class="legend"') :]
    legend = legend[: legend.index("</ul>")]
    return {
        label.strip(): (texture or "")
        for texture, label in re.findall(
            r'<li><svg class="swatch"[^>]*>(?:<defs><pattern id="swatch-(\w+)-\d+".*?)?.*?</svg>([^<]+)</li>',
            legend,
        )
    }


def test_colour_is_never_the_only_cue_status_and_sectors_have_textures_shown_in_the_legend(
    client, event, organiser, plan
):
    """WCAG 1.4.1: every status, and every sector, is told apart by a texture as well as its colour."""
    other = factories.make_company(event, "Borealis")
    second = factories.make_sector(event, "drones")
    second.colour = "#123457"  # a colour nobody could tell from the first one
    second.save()
    Stand.objects.filter(number="5A-A2").update(
        status=Stand.Status.HELD, held_until=timezone.now() + timedelta(minutes=10)
    )
    client.force_login(organiser)

    html = client.get(hall_url(event, colour="status")).content.decode()
    legend = _legend_patterns(html)
    statuses = [str(label) for _v, label in Stand.Status.choices]
    assert len({legend[s] for s in statuses}) == len(statuses)  # five statuses, five textures (one plain)
    assert f'data-pattern="{legend["Sold"]}"' in stand_group(html, "5A-A1")
    assert f'data-pattern="{legend["Held"]}"' in stand_group(html, "5A-A2")

    other.sectors.add(second)
    Stand.objects.filter(number="5A-A2").update(exhibitor=other, status=Stand.Status.SOLD)
    by_sector = client.get(hall_url(event, colour="sector")).content.decode()
    legend = _legend_patterns(by_sector)
    assert legend["Cyber"] and f'data-pattern="{legend["Cyber"]}"' in stand_group(by_sector, "5A-A1")
    assert legend["Drones"] not in ("", legend["Cyber"])
    assert f'data-pattern="{legend["Drones"]}"' in stand_group(by_sector, "5A-A2")


def test_hall_page_status_colours_are_not_shown_to_visitors(client, event, visitor, plan):
    client.force_login(visitor)

    html = client.get(hall_url(event, colour="status")).content.decode()

    assert "st-sold" not in html and 'fill="#f87171"' not in html
    assert 'fill="#123456"' in stand_group(html, "5A-A1")  # fell back to sectors
    assert 'value="status"' not in html
    assert "data-move" not in html and "data-editable" not in html


def test_hall_page_has_features_doors_and_numbers(client, event, organiser, plan):
    services.create_feature(
        event=event,
        actor=organiser,
        hall=plan["halls"]["5A"],
        code="5A-MR1",
        kind="meeting_room",
        name="Room One",
        x=40,
        y=30,
        width=6,
        depth=5,
    )
    client.force_login(organiser)

    html = client.get(hall_url(event)).content.decode()

    assert 'data-code="5A-MR1"' in html and "Room One" in html
    assert 'class="door" data-code="D-5A-6"' in html and 'class="door entrance" data-code="E-5A"' in html
    assert ">A1</text>" in stand_group(html, "5A-A1")  # the label drops the hall prefix
    assert 'data-editable="1"' in html and 'data-version="1"' in stand_group(html, "5A-A2")


def test_search_highlights_the_matching_stand(client, event, visitor, plan):
    client.force_login(visitor)

    html = client.get(hall_url(event, q="aegis")).content.decode()

    hit = stand_group(html, "5A-A1")
    assert 'class="stand hit"' in hit and 'aria-current="true"' in hit
    assert "hit" not in stand_group(html, "5A-A2") and "aria-current" not in stand_group(html, "5A-A2")
    assert "1 stand matches" in html


def test_search_without_match_says_so(client, event, visitor, plan):
    client.force_login(visitor)

    html = client.get(hall_url(event, q="nothing-like-this")).content.decode()

    assert "No stand or exhibitor matches" in html and 'class="stand hit"' not in html


def test_search_for_a_stand_in_another_hall_redirects_there(client, event, visitor, plan):
    client.force_login(visitor)

    response = client.get(hall_url(event, "6", q="5a-a1"))

    assert response.status_code == 302
    assert response.url == hall_url(event, "5A", q="5a-a1")


# --- side panel --------------------------------------------------------------------------------


def words(html: str) -> str:
    """What a reader reads: the text without its tags, each run of blanks one space."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def panel_url(event, number="5A-A1", hall="5A"):
    return reverse("floorplans:stand", kwargs={"event_slug": event.slug, "hall_code": hall, "number": number})


def test_stand_panel_shows_commercials_and_history_to_organisers(client, event, organiser, plan):
    services.update_stand(stand=plan["stands"]["5A-A2"], actor=organiser, x=30)
    client.force_login(organiser)

    html = client.get(panel_url(event, "5A-A2"), HTTP_HX_REQUEST="true").content.decode()

    stand = Stand.objects.get(number="5A-A2")
    assert "<html" not in html  # the partial
    assert f"{stand.price:,.2f} EUR" in html and "History" in html
    assert "Stand changed" in html and "X (m): 20 → 30" in html and "stand.changed" not in html
    assert "Available" in html and str(stand.get_open_sides_display()) in html
    # when, in words like every other date of the show ("7 Dec 2026, 12:25"), not "07/12/2026 12:25"
    entry = AuditLogEntry.objects.filter(action="stand.changed").latest("created_at")
    with timezone.override(event.tz):  # the show's local time, as the page writes it
        assert f">{formats.when(entry.created_at)}</time>" in html


def test_stand_panel_hides_commercials_from_visitors(client, event, visitor, plan):
    client.force_login(visitor)

    response = client.get(panel_url(event))
    html = response.content.decode()

    assert response.status_code == 200 and "<html" in html  # a full page without JS
    assert "Aegis Systems" in html and "Cyber" in html and "French Pavilion" in html
    try:
        profile = reverse(
            "exhibitors:profile",
            kwargs={"event_slug": event.slug, "pk": plan["stands"]["5A-A1"].exhibitor_id},
        )
    except NoReverseMatch:  # the exhibitors app has no profile page (yet): plain name
        profile = None
    if profile:
        assert f'<a href="{profile}">Aegis Systems</a>' in html
    assert str(Stand.objects.get(number="5A-A1").price) not in html
    assert "History" not in html and "Sold" not in html and "/edit/" not in html


def test_stand_panel_of_a_free_stand_says_available_to_visitors(client, event, visitor, plan):
    client.force_login(visitor)

    html = words(client.get(panel_url(event, "5A-A2"), HTTP_HX_REQUEST="true").content.decode())

    assert "Status Available" in html and "Exhibitor" not in html and "Free" not in html
    assert "Area 24 m² (6 × 4 m)" in html  # no needless ".0"
    assert "Price" not in html and "Hold" not in html  # a visitor books nothing


def test_stand_panel_writes_figures_in_the_readers_language(client, event, visitor, plan):
    Stand.objects.filter(number="5A-A2").update(width=6.5, area=26)
    client.force_login(visitor)

    html = words(
        client.get(
            panel_url(event, "5A-A2"), HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="fr"
        ).content.decode()
    )

    assert "26 m² (6,5 × 4 m)" in html


def test_hall_page_writes_the_hall_size_without_needless_decimals(client, event, visitor, plan):
    client.force_login(visitor)

    html = words(client.get(hall_url(event)).content.decode())

    assert "2 stands · hall 60 × 40 m" in html


def test_door_tooltip_names_the_kind_once(client, event, organiser, plan):
    services.create_door(
        event=event,
        actor=organiser,
        code="D-5A-6-2",
        name="",
        hall_a=plan["halls"]["5A"],
        hall_b=plan["halls"]["6"],
        x=60,
        y=30,
    )
    client.force_login(organiser)

    html = client.get(hall_url(event)).content.decode()

    titles = re.findall(r'<g class="door[^"]*" data-code="([^"]+)">.*?<title>([^<]+)</title>', html)
    assert sorted(titles) == [
        ("D-5A-6", "Door 5A/6 → Hall 6"),
        ("D-5A-6-2", "Door D-5A-6-2 → Hall 6"),
        ("E-5A", "Entrance 5A"),
    ]


def test_stand_panel_of_another_hall_is_404(client, event, visitor, plan):
    client.force_login(visitor)

    assert client.get(panel_url(event, "6-B1", hall="5A")).status_code == 404


# --- drag endpoint -----------------------------------------------------------------------------


def test_drag_moves_the_stand_snapped_and_audit_logs(client, event, organiser, plan):
    client.force_login(organiser)

    response = client.post(move_url(event, "5A-A2"), {"x": "30.2", "y": "20.4", "version": "1"}, **JSON)

    assert response.status_code == 200
    assert response.json() == {
        "number": "5A-A2",
        "x": 30.0,
        "y": 20.5,
        "version": 2,
        "message": "Stand 5A-A2 moved to x 30 m, y 20.5 m.",
    }
    stand = Stand.objects.get(number="5A-A2")
    assert (stand.x, stand.y, stand.version) == (30.0, 20.5, 2)
    entry = AuditLogEntry.objects.filter(action="stand.changed", object_id=str(stand.pk)).get()
    assert entry.actor == organiser and entry.data["changes"] == {"x": [20.0, 30.0], "y": [10.0, 20.5]}
    assert 'data-x="30" data-y="20.5"' in stand_group(client.get(hall_url(event)).content.decode(), "5A-A2")


def test_drag_onto_another_stand_is_400_and_changes_nothing(client, event, organiser, plan):
    client.force_login(organiser)
    entries = AuditLogEntry.objects.count()

    response = client.post(move_url(event, "5A-A2"), {"x": "12", "y": "10", "version": "1"}, **JSON)

    assert response.status_code == 400
    assert response.json()["error"] == "Stand 5A-A2 would overlap stand 5A-A1."
    assert response.json()["field"] == "x"
    stand = Stand.objects.get(number="5A-A2")
    assert (stand.x, stand.y, stand.version) == (20.0, 10.0, 1)
    assert AuditLogEntry.objects.count() == entries


def test_drag_out_of_the_hall_is_400(client, event, organiser, plan):
    client.force_login(organiser)

    response = client.post(move_url(event, "5A-A2"), {"x": "58", "y": "10", "version": "1"}, **JSON)

    assert response.status_code == 400 and "5A-A2" in response.json()["error"]
    assert Stand.objects.get(number="5A-A2").x == 20.0


def test_drag_with_a_bad_number_is_400(client, event, organiser, plan):
    client.force_login(organiser)

    response = client.post(move_url(event, "5A-A2"), {"x": "left", "y": "10"}, **JSON)

    assert response.status_code == 400 and response.json()["field"] == "x"


def test_drag_with_a_stale_version_is_409(client, event, organiser, plan):
    services.update_stand(
        stand=plan["stands"]["5A-A2"], actor=organiser, version=1, y=20
    )  # someone else, now v2
    client.force_login(organiser)

    response = client.post(move_url(event, "5A-A2"), {"x": "40", "y": "10", "version": "1"}, **JSON)

    assert response.status_code == 409
    assert response.json()["error"] == "Stand 5A-A2 was changed by someone else meanwhile. Reload the plan."
    stand = Stand.objects.get(number="5A-A2")
    assert (stand.x, stand.y, stand.version) == (20.0, 20.0, 2)


def test_move_without_js_redirects_with_a_message(client, event, organiser, plan):
    client.force_login(organiser)

    response = client.post(move_url(event, "5A-A2"), {"x": "12", "y": "10"}, follow=True)

    assert response.redirect_chain == [(hall_url(event), 302)]
    assert "would overlap stand 5A-A1" in response.content.decode()


# --- permissions ------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["visitor", "other_organiser", "exhibitor"])
def test_non_organisers_cannot_move_stands(client, event, other_event, plan, company_admin, who):
    user = {
        "visitor": lambda: factories.make_visitor(event).user,
        "other_organiser": lambda: factories.make_organiser(other_event),
        "exhibitor": lambda: company_admin,
    }[who]()
    client.force_login(user)

    response = client.post(move_url(event, "5A-A2"), {"x": "40", "y": "10", "version": "1"}, **JSON)

    assert response.status_code == 403
    stand = Stand.objects.get(number="5A-A2")
    assert (stand.x, stand.version) == (20.0, 1)
    assert not AuditLogEntry.objects.filter(action="stand.changed").exists()


def test_anonymous_is_sent_to_sign_in_for_editing_and_sees_a_public_plan(client, event, plan):
    response = client.post(move_url(event, "5A-A2"), {"x": "40", "y": "10"})

    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert Stand.objects.get(number="5A-A2").x == 20.0
    assert client.get(hall_url(event)).status_code == 200


def test_private_event_plan_is_hidden_from_strangers(client, plan, event):
    event.is_public = False
    event.save()
    client.force_login(factories.make_user())

    assert client.get(hall_url(event)).status_code == 403


@pytest.mark.parametrize(
    "name,kwargs,data",
    [
        (
            "stand_create",
            {},
            {
                "hall": "",
                "number": "5A-Z9",
                "x": 40,
                "y": 30,
                "width": 3,
                "depth": 3,
                "rotation": 0,
                "kind": "shell",
                "status": "available",
            },
        ),
        (
            "stand_edit",
            {"hall_code": "5A", "number": "5A-A2"},
            {
                "number": "5A-A2",
                "x": 40,
                "y": 10,
                "width": 6,
                "depth": 4,
                "rotation": 0,
                "kind": "shell",
                "status": "available",
            },
        ),
        ("stand_delete", {"hall_code": "5A", "number": "5A-A2"}, {}),
        ("stand_split", {"hall_code": "5A", "number": "5A-A2"}, {"parts": 2, "axis": "x"}),
        ("stand_merge", {}, {"first": "5A-A2", "second": "5A-A1"}),
        ("feature_create", {}, {"code": "5A-X", "kind": "lounge", "x": 40, "y": 30, "width": 3, "depth": 3}),
        ("import", {}, {}),
        ("export", {}, {}),
    ],
)
def test_visitors_get_403_on_every_editor_page(client, event, visitor, plan, name, kwargs, data):
    client.force_login(visitor)
    url = reverse(f"floorplans:{name}", kwargs={"event_slug": event.slug, **kwargs})
    before = sorted(Stand.objects.values_list("number", "x", "y", "version"))

    assert client.get(url).status_code == 403
    assert client.post(url, data).status_code == 403
    assert sorted(Stand.objects.values_list("number", "x", "y", "version")) == before
    assert not Feature.objects.exists()


# --- editor forms -----------------------------------------------------------------------------------


def test_create_stand_form_creates_it(client, event, organiser, plan):
    client.force_login(organiser)
    data = {
        "hall": plan["halls"]["5A"].pk,
        "number": "5a-z9",
        "x": "40.2",
        "y": "30",
        "width": "3",
        "depth": "3",
        "rotation": "0",
        "kind": "raw",
        "open_sides": "",
        "status": "blocked",
        "pavilion": "",
    }

    response = client.post(reverse("floorplans:stand_create", kwargs={"event_slug": event.slug}), data)

    assert response.status_code == 302
    stand = Stand.objects.get(number="5A-Z9")
    assert (stand.hall.code, stand.x, stand.y, stand.area, stand.kind, stand.status) == (
        "5A",
        40.0,
        30.0,
        9.0,
        "raw",
        "blocked",
    )


def test_edit_stand_form_shows_the_overlap_on_the_field(client, event, organiser, plan):
    client.force_login(organiser)
    data = {
        "hall": plan["halls"]["5A"].pk,
        "number": "5A-A2",
        "x": "12",
        "y": "10",
        "width": "6",
        "depth": "4",
        "rotation": "0",
        "kind": "shell",
        "open_sides": "4",
        "status": "available",
        "version": "1",
    }
    url = reverse(
        "floorplans:stand_edit", kwargs={"event_slug": event.slug, "hall_code": "5A", "number": "5A-A2"}
    )

    response = client.post(url, data)

    assert response.status_code == 400
    assert "Stand 5A-A2 would overlap stand 5A-A1." in response.content.decode()
    assert Stand.objects.get(number="5A-A2").x == 20.0

    data["x"] = "40"
    assert client.post(url, data).status_code == 302
    stand = Stand.objects.get(number="5A-A2")
    assert (stand.x, stand.open_sides, stand.open_sides_fixed, stand.version) == (40.0, 4, True, 2)


def test_delete_split_and_merge_forms(client, event, organiser, plan):
    client.force_login(organiser)
    kw = {"event_slug": event.slug, "hall_code": "5A"}

    response = client.post(
        reverse("floorplans:stand_split", kwargs={**kw, "number": "5A-A2"}),
        {"parts": "2", "axis": "x", "numbers": ""},
    )
    assert response.status_code == 302
    assert sorted(Stand.objects.filter(hall__code="5A").values_list("number", "x", "width")) == [
        ("5A-A1", 10.0, 6.0),
        ("5A-A2-1", 20.0, 3.0),
        ("5A-A2-2", 23.0, 3.0),
    ]

    response = client.post(
        reverse("floorplans:stand_merge", kwargs={"event_slug": event.slug}),
        {"first": "5a-a2-1", "second": "5A-A2-2", "number": "5A-A2"},
    )
    assert response.status_code == 302
    assert Stand.objects.get(number="5A-A2").width == 6.0

    response = client.post(reverse("floorplans:stand_delete", kwargs={**kw, "number": "5A-A1"}))  # booked
    assert response.status_code == 409 and "vacate it before deleting it" in response.content.decode()
    response = client.post(reverse("floorplans:stand_delete", kwargs={**kw, "number": "5A-A2"}))
    assert response.status_code == 302
    assert sorted(Stand.objects.values_list("number", flat=True)) == ["5A-A1", "6-B1"]


def test_merge_form_names_an_unknown_stand(client, event, organiser, plan):
    client.force_login(organiser)

    response = client.post(
        reverse("floorplans:stand_merge", kwargs={"event_slug": event.slug}),
        {"first": "5A-A2", "second": "NOPE"},
    )

    assert response.status_code == 400 and "No stand NOPE at this event." in response.content.decode()


def test_feature_create_edit_delete_forms(client, event, organiser, plan):
    client.force_login(organiser)
    response = client.post(
        reverse("floorplans:feature_create", kwargs={"event_slug": event.slug}),
        {
            "hall": plan["halls"]["5A"].pk,
            "code": "5a-l1",
            "kind": "lounge",
            "name": "Lounge",
            "x": 40,
            "y": 30,
            "width": 4,
            "depth": 3,
        },
    )
    assert response.status_code == 302
    kw = {"event_slug": event.slug, "hall_code": "5A", "code": "5A-L1"}

    bad = client.post(
        reverse("floorplans:feature_edit", kwargs=kw),
        {"kind": "lounge", "name": "Lounge", "x": 10, "y": 10, "width": 4, "depth": 3},
    )
    assert bad.status_code == 400 and "would overlap stand 5A-A1" in bad.content.decode()
    ok = client.post(
        reverse("floorplans:feature_edit", kwargs=kw),
        {"kind": "restaurant", "name": "Café", "x": 45, "y": 30, "width": 4, "depth": 3},
    )
    assert ok.status_code == 302
    assert Feature.objects.values_list("kind", "name", "x").get() == ("restaurant", "Café", 45.0)

    assert client.post(reverse("floorplans:feature_delete", kwargs=kw)).status_code == 302
    assert not Feature.objects.exists()


# --- CSV ---------------------------------------------------------------------------------------------


def test_csv_import_with_errors_shows_the_rows_and_writes_nothing(client, event, organiser, plan):
    client.force_login(organiser)
    csv = "number,hall,x,y,width,depth\n5A-N1,5A,40,30,3,3\n5A-N2,99,40,30,3,3\n5A-N3,5A,wide,30,3,3\n"
    before = Stand.objects.count()

    response = client.post(
        reverse("floorplans:import", kwargs={"event_slug": event.slug}),
        {"file": SimpleUploadedFile("stands.csv", csv.encode(), content_type="text/csv")},
    )

    html = squash(response.content.decode())
    assert response.status_code == 400
    assert "2 rows have errors" in html
    assert re.search(r'<th scope="row">3</th><td>unknown hall &#x27;99&#x27;</td>', html)
    assert re.search(r'<th scope="row">4</th><td>x is not a number: &#x27;wide&#x27;</td>', html)
    assert Stand.objects.count() == before


def test_csv_import_with_an_overlap_writes_nothing(client, event, organiser, plan):
    client.force_login(organiser)
    csv = "number,hall,x,y,width,depth\n5A-N1,5A,40,30,3,3\n5A-N2,5A,11,11,3,3\n"

    response = client.post(
        reverse("floorplans:import", kwargs={"event_slug": event.slug}),
        {"file": SimpleUploadedFile("stands.csv", csv.encode())},
    )

    assert response.status_code == 400 and "would overlap stand 5A-A1" in response.content.decode()
    assert not Stand.objects.filter(number__in=["5A-N1", "5A-N2"]).exists()


def test_csv_import_creates_stands(client, event, organiser, plan):
    client.force_login(organiser)
    csv = "number,hall,x,y,width,depth,type\n5A-N1,5A,40,30,3,3,raw\n"

    response = client.post(
        reverse("floorplans:import", kwargs={"event_slug": event.slug}),
        {"file": SimpleUploadedFile("stands.csv", csv.encode())},
        follow=True,
    )

    assert "1 stand created, 0 updated" in response.content.decode()
    assert Stand.objects.get(number="5A-N1").kind == "raw"


def test_csv_export_downloads_every_stand(client, event, organiser, plan):
    client.force_login(organiser)

    response = client.get(reverse("floorplans:export", kwargs={"event_slug": event.slug}))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="milipol-test-stands.csv"'
    assert response.content.startswith(
        b"\xef\xbb\xbf"
    )  # UTF-8 with a byte-order mark: Excel reads accents right
    lines = response.content.decode("utf-8-sig").splitlines()
    assert (
        lines[0]
        == "number,hall,x,y,width,depth,rotation,type,open_sides,status,pavilion,exhibitor,area,price"
    )
    a1 = Stand.objects.get(number="5A-A1")
    assert (
        lines[1] == f"5A-A1,5A,10.0,10.0,6.0,4.0,0,shell,,sold,French Pavilion,Aegis Systems,24.0,{a1.price}"
    )
    assert [line.split(",")[0] for line in lines[1:]] == ["5A-A1", "5A-A2", "6-B1"]


# --- list, print, SVG download ---------------------------------------------------------------------


def list_url(event, hall="5A", **params):
    url = reverse("floorplans:hall_list", kwargs={"event_slug": event.slug, "hall_code": hall})
    if params:
        url += "?" + urlencode(params)
    return url


@pytest.mark.parametrize("n", [1, 3])
def test_list_view_query_count_is_the_same_for_1_and_3_stands(
    client, event, organiser, company, sector, n, django_assert_num_queries
):
    company.sectors.add(sector)
    hall = factories.make_hall(event, "9", width=110, depth=110)
    _grid_of_stands(event, hall, n, company)
    client.force_login(organiser)

    with django_assert_num_queries(11):
        response = client.get(list_url(event, "9"))

    assert response.content.decode().count('<th scope="row">') == n


def test_list_view_is_an_accessible_sortable_table(client, event, organiser, plan):
    Stand.objects.filter(number="5A-A2").update(status=Stand.Status.BLOCKED)
    client.force_login(organiser)

    html = client.get(list_url(event, sort="-status")).content.decode()

    assert "<caption>2 stands in Hall 5A</caption>" in html
    assert html.count('scope="col"') == 9
    assert 'aria-sort="descending"' in html and 'href="?sort=status"' in html
    rows = re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>', html)
    assert rows == ["5A-A1", "5A-A2"]  # sold before blocked when descending
    assert re.findall(
        r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>',
        client.get(list_url(event, sort="status")).content.decode(),
    ) == ["5A-A2", "5A-A1"]


def test_list_view_hides_status_and_price_from_visitors(client, event, visitor, plan):
    client.force_login(visitor)

    html = client.get(list_url(event, sort="status")).content.decode()

    assert html.count('scope="col"') == 5 and "Price" not in html and "st-badge" not in html
    assert "Aegis Systems" in html and "Cyber" in html


def test_list_view_is_paginated(client, event, organiser, company):
    hall = factories.make_hall(event, "9", width=110, depth=110)
    _grid_of_stands(event, hall, 60, company)
    client.force_login(organiser)

    page2 = client.get(list_url(event, "9", page=2)).content.decode()

    assert page2.count('<th scope="row">') == 10 and "page 2 of 2" in page2


def test_svg_download_is_a_standalone_file(client, event, visitor, plan):
    client.force_login(visitor)

    response = client.get(
        reverse("floorplans:hall_svg", kwargs={"event_slug": event.slug, "hall_code": "5A"})
    )

    body = response.content.decode()
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="milipol-test-hall-5A.svg"'
    assert body.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')
    assert 'data-number="5A-A1"' in body and 'data-number="6-B1"' not in body and "<a " not in body


def test_print_view_has_one_page_per_hall_in_a3_landscape(client, event, organiser, plan):
    client.force_login(organiser)

    html = client.get(reverse("floorplans:print", kwargs={"event_slug": event.slug})).content.decode()

    assert '<link rel="stylesheet" href="/static/floorplans/print.css">' in html  # @page: A3 landscape
    assert html.count('<section class="print-page"') == 2
    assert 'data-number="5A-A1"' in html and 'data-number="6-B1"' in html


# --- overview, dashboard, walking matrix -----------------------------------------------------------


def test_overview_shows_the_dashboard_to_organisers(client, event, organiser, plan):
    client.force_login(organiser)

    html = client.get(reverse("floorplans:overview", kwargs={"event_slug": event.slug})).content.decode()

    a1 = Stand.objects.get(number="5A-A1")
    assert f"<strong>{a1.price:,.2f} EUR</strong>" in html  # revenue booked: the sold stand, grouped
    assert 'class="bar-chart"' in html and "3 stands, 72 m²" in html
    assert html.count('class="hall-link"') == 2 and "Compute now" in html


def test_overview_shows_only_the_site_map_to_visitors(client, event, visitor, plan):
    client.force_login(visitor)

    html = client.get(reverse("floorplans:overview", kwargs={"event_slug": event.slug})).content.decode()

    assert html.count('class="hall-link"') == 2
    assert "Revenue" not in html and "bar-chart" not in html and "Compute now" not in html
    nav = f'<li><a href="{reverse("floorplans:overview", kwargs={"event_slug": event.slug})}" aria-current="page">Floor plan</a></li>'
    assert nav in html


def test_compute_now_computes_the_matrix_and_reports_its_state(
    client, event, organiser, plan, django_capture_on_commit_callbacks
):
    client.force_login(organiser)
    url = reverse("floorplans:matrix", kwargs={"event_slug": event.slug})

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    assert response.status_code == 302 and response.url.endswith("?computing=1#matrix")
    matrix = WalkingMatrix.objects.get(event=event)
    assert matrix.status == WalkingMatrix.Status.READY and sorted(matrix.places) == [
        "5A-A1",
        "5A-A2",
        "6-B1",
        "D-5A-6",
        "E-5A",
    ]
    state = client.get(url).json()
    assert (state["status"], state["current"], state["progress"]) == ("ready", True, 1.0)


def test_visitor_cannot_compute_the_matrix(client, event, visitor, plan):
    client.force_login(visitor)

    assert client.post(reverse("floorplans:matrix", kwargs={"event_slug": event.slug})).status_code == 403
    assert client.get(reverse("floorplans:matrix", kwargs={"event_slug": event.slug})).status_code == 403
    assert not WalkingMatrix.objects.exists()


# --- routes ----------------------------------------------------------------------------------------


def route_url(event, **params):
    return reverse("floorplans:route", kwargs={"event_slug": event.slug}) + (
        "?" + urlencode(params) if params else ""
    )


def test_route_between_halls_goes_through_the_door_and_is_timed(client, event, visitor, plan):
    client.force_login(visitor)

    response = client.get(route_url(event, **{"from": "5a-a2", "to": "6-B1"}))

    html = response.content.decode()
    assert response.status_code == 200
    points = re.search(r'<polyline class="route-line" points="([^"]+)"', html).group(1).split()
    xs = [float(p.split(",")[0]) for p in points]
    assert xs[0] < 60 < xs[-1] and "60,20" in points  # crosses the wall at the door
    assert "Through: Door 5A/6" in html
    assert re.search(r'class="route-minutes">(about \d+ min|less than 1 min)<', squash(html)) and re.search(
        r'class="route-metres">\d+ m<', squash(html)
    )
    assert 'class="route-start"' in html and 'class="route-end"' in html
    assert '<option value="D-5A-6">' in html  # the datalist


def test_route_with_an_unknown_stand_is_a_field_error(client, event, visitor, plan):
    client.force_login(visitor)

    response = client.get(route_url(event, **{"from": "5A-A2", "to": "5A-Q999"}))

    html = response.content.decode()
    assert response.status_code == 400
    assert re.search(
        r'<ul class="errorlist" id="id_to_error"><li>“5A-Q999” is not a stand number, door or place of this show.</li></ul>',
        html,
    )
    assert 'id="id_from_error"' not in html
    assert "route-line" not in html


def test_route_page_without_a_question_shows_the_form(client, event, visitor, plan):
    client.force_login(visitor)

    response = client.get(route_url(event))

    assert response.status_code == 200 and 'list="places"' in response.content.decode()


def test_route_link_from_the_stand_panel_prefills_the_destination(client, event, visitor, plan):
    client.force_login(visitor)

    response = client.get(route_url(event, to="5A-A1"))

    html = response.content.decode()
    assert response.status_code == 200 and "errorlist" not in html
    assert re.search(r'<input[^>]*name="to"[^>]*value="5A-A1"', html)


def test_a_hall_of_another_event_is_404(client, event, other_event, visitor, plan):
    factories.make_hall(other_event, "OTHER")
    client.force_login(visitor)

    assert client.get(hall_url(event, "OTHER")).status_code == 404
    assert client.get(hall_url(other_event, "5A")).status_code == 404


@pytest.mark.parametrize("n", [1, 3])
@pytest.mark.parametrize("name", ["overview", "print", "route"])
def test_site_pages_query_count_is_the_same_for_1_and_3_stands(
    client, event, organiser, company, sector, n, name, django_assert_num_queries
):
    company.sectors.add(sector)
    hall = factories.make_hall(event, "9", width=110, depth=110)
    _grid_of_stands(event, hall, n, company)
    client.force_login(organiser)
    # The route page reads the site map and the places from the cache, keyed by what they show
    # (selectors.route_stamp): built on the first visit (12 queries), read on the next (see below).
    # The stands come from the factory (no plan edit), so no plan settings are stored: a GET reads
    # the defaults and never makes the row.
    expected = {"overview": 13, "print": 11, "route": 12}[name]

    with django_assert_num_queries(expected):
        response = client.get(reverse(f"floorplans:{name}", kwargs={"event_slug": event.slug}))

    html = response.content.decode()
    if name == "overview":  # the site map draws every stand
        site_stands = re.search(r'<g class="site-stands"[^>]*>(.*?)</g>', html).group(1)
        assert site_stands.count("<rect ") == n
    else:  # every stand number, in the plan or in the datalist
        assert len(set(re.findall(r"9-0\d\d", html))) == n
    if name == "route":
        with django_assert_num_queries(8):
            again = client.get(
                reverse("floorplans:route", kwargs={"event_slug": event.slug})
            ).content.decode()

        def parts(page):
            return re.search(r"<datalist.*?</datalist>", page, re.S).group(0), re.search(
                r"<svg.*?</svg>", page, re.S
            ).group(0)

        assert parts(again) == parts(html)
