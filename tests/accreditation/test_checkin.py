"""Redeem semantics: ok or a reason, per category, zone, day and time; presence; nonces; offline."""

from __future__ import annotations

from datetime import timedelta

import pytest

from exhibition.accounts import admission
from exhibition.accreditation import codes, ruleset, services
from exhibition.accreditation.models import AccessRule, Presence, Scan
from exhibition.core.errors import DomainError
from tests import factories
from tests.factories.accreditation import at, make_device, make_site

pytestmark = pytest.mark.django_db

DAY = "2025-11-19"  # a show day, open 09:30-18:00, site 07:30-20:00


@pytest.fixture
def gate(site):
    device, _token = make_device(site)
    return device


def visitor_badge(site):
    v = factories.make_visitor(site.event)
    return services.issue_for_person(event=site.event, user=v.user, actor=v.user)


def redeem(
    site,
    device,
    badge_or_code,
    *,
    zone="site",
    when=("2025-11-19", "10:00"),
    direction="entry",
    nonce=None,
    **kw,
):
    code = badge_or_code if isinstance(badge_or_code, str) else services.code_for(badge_or_code)
    now = kw.pop("now", None) or at(site.event, *when)
    return services.redeem(
        event=site.event,
        device=device,
        code=code,
        nonce=nonce or f"n-{Scan.objects.count()}",
        direction=direction,
        zone_id=site.zones[zone].pk,
        now=now,
        **kw,
    )


def test_a_visitor_enters_during_opening_hours_and_every_scan_is_stored(site, gate):
    badge = visitor_badge(site)

    early = redeem(site, gate, badge, when=(DAY, "09:10"))
    ok = redeem(site, gate, badge, when=(DAY, "09:31"))

    assert (early.ok, early.reason) == (False, "outside_hours")
    assert (ok.ok, ok.reason) == (True, None)
    d = ok.as_dict("en")
    assert (d["status"], d["message"], d["badge"]["name"], d["badge"]["category"]["code"]) == (
        "ok",
        "Welcome",
        badge.name,
        "visitor",
    )
    assert list(Scan.objects.order_by("pk").values_list("result", flat=True)) == ["outside_hours", "ok"]
    assert Presence.objects.get(badge=badge, zone=site.zones["site"]).inside is True


@pytest.mark.parametrize(
    ("category", "zone", "when", "reason"),
    [
        ("visitor", "lounge", (DAY, "10:00"), "wrong_zone"),
        ("visitor", "press", (DAY, "10:00"), "wrong_zone"),
        ("visitor", "site", ("2025-11-17", "10:00"), "wrong_day"),  # a build-up day
        ("visitor", "site", (DAY, "18:30"), "outside_hours"),
        ("exhibitor", "site", (DAY, "07:45"), None),  # before opening: site hours
        ("exhibitor", "site", ("2025-11-17", "08:00"), None),  # build-up
        ("exhibitor", "site", (DAY, "06:00"), "outside_hours"),
        ("contractor", "site", (DAY, "10:00"), "wrong_day"),  # build-up and dismantling only
        ("contractor", "hall-5a", ("2025-11-22", "21:00"), None),  # dismantling until 22:00
        ("organiser", "press", (DAY, "03:00"), None),  # round the clock
        ("delegation", "lounge", (DAY, "11:00"), None),
        ("press", "press", (DAY, "08:00"), None),
    ],
)
def test_rules_by_category_zone_day_and_time(site, gate, category, zone, when, reason):
    badge = services.issue_manual(
        event=site.event,
        actor=site.organiser,
        category=site.cats[category],
        name="X",
        photo=__import__("tests.accreditation.test_services", fromlist=["jpeg"]).jpeg()
        if site.cats[category].requires_photo
        else None,
    )
    answer = redeem(site, gate, badge, zone=zone, when=when)
    assert answer.reason == reason
    assert answer.ok is (reason is None)


def test_a_narrower_window_applies_to_its_category_and_zone(site, gate):
    badge = visitor_badge(site)
    AccessRule.objects.create(
        event=site.event,
        category=site.cats["visitor"],
        zone=site.zones["conference"],
        starts_at=__import__("datetime").time(10, 0),
        ends_at=__import__("datetime").time(12, 0),
    )
    services.setup.bump(site.event)
    assert redeem(site, gate, badge, zone="conference", when=(DAY, "09:45")).reason == "outside_hours"
    assert redeem(site, gate, badge, zone="conference", when=(DAY, "10:15")).reason is None
    assert redeem(site, gate, badge, zone="site", when=(DAY, "09:45")).reason is None  # other zones as before


def test_second_entry_needs_an_exit_and_no_reentry_categories_stay_out(site, gate):
    badge = visitor_badge(site)
    assert redeem(site, gate, badge, when=(DAY, "10:00")).ok
    assert redeem(site, gate, badge, when=(DAY, "10:01")).reason == "already_inside"
    assert redeem(site, gate, badge, when=(DAY, "12:00"), direction="exit").ok
    assert redeem(site, gate, badge, when=(DAY, "13:00")).ok  # re-entry allowed
    assert redeem(
        site, gate, badge, when=("2025-11-20", "10:00")
    ).ok  # a new day: yesterday's entry does not count

    site.cats["visitor"].allows_reentry = False
    services.save_category(category=site.cats["visitor"], actor=site.organiser)
    assert redeem(site, gate, badge, when=("2025-11-20", "12:00"), direction="exit").ok
    assert redeem(site, gate, badge, when=("2025-11-20", "13:00")).reason == "no_reentry"


def test_revoked_forged_and_not_admitted_badges_are_refused(site, gate):
    badge = visitor_badge(site)
    other = visitor_badge(site)
    forged = services.code_for(badge)
    forged = forged[:-3] + ("AAA" if forged[-3:] != "AAA" else "BBB")
    other_event = factories.make_event("other-show-x")

    foreign_site = make_site(other_event)
    foreign = services.issue_for_person(
        event=other_event, user=factories.make_visitor(other_event).user, actor=foreign_site.organiser
    )

    services.revoke_badge(badge=badge, actor=site.organiser)
    other_visitor = other.visitor
    other_visitor.status = "pending"
    other_visitor.save()  # vetting changed without the service: the gate still checks admission

    assert redeem(site, gate, badge).reason == "revoked"
    assert redeem(site, gate, forged).reason == "invalid"
    assert redeem(site, gate, "NOT A CODE").reason == "invalid"
    assert redeem(site, gate, services.code_for(foreign)).reason == "invalid"  # another event's key
    assert redeem(site, gate, other).reason == "not_admitted"
    assert Scan.objects.filter(result="invalid", badge__isnull=True).count() == 3


def test_a_withdrawn_visitor_is_refused_at_the_next_scan(site, gate):
    badge = visitor_badge(site)
    assert redeem(site, gate, badge).ok
    admission.set_visitor_status(
        visitor=badge.visitor, actor=site.organiser, approve=False, reason="Security"
    )
    answer = redeem(site, gate, badge, direction="exit", when=(DAY, "10:05"))
    assert (answer.ok, answer.reason) == (False, "revoked")
    assert (
        Presence.objects.get(badge=badge, zone=site.zones["site"]).inside is True
    )  # refused: nothing changes


def test_a_repeated_nonce_is_answered_as_before_and_counted_once(site, gate):
    badge = visitor_badge(site)
    first = redeem(site, gate, badge, nonce="abc")
    again = redeem(site, gate, badge, nonce="abc", when=(DAY, "10:02"))
    assert (first.ok, again.ok, again.replayed, again.scan.pk) == (True, True, True, first.scan.pk)
    assert Scan.objects.count() == 1
    other_device, _t = make_device(site, "Lane 2")
    assert redeem(site, other_device, badge, nonce="abc").reason == "already_inside"  # nonces are per device


def test_offline_uploads_keep_their_time_and_what_the_gate_decided(site, gate):
    badge = visitor_badge(site)
    now = at(site.event, DAY, "11:00")
    let_in = redeem(
        site, gate, badge, now=now, scanned_at=now - timedelta(minutes=50), force=True, offline=True
    )
    assert let_in.ok and let_in.reason is None
    services.revoke_badge(badge=badge, actor=site.organiser)
    out = redeem(
        site,
        gate,
        badge,
        now=now,
        scanned_at=now - timedelta(minutes=5),
        direction="exit",
        force=True,
        offline=True,
    )
    assert (out.ok, out.reason, out.forced) == (True, "revoked", True)  # let out offline, flagged for review
    refused = redeem(
        site, gate, visitor_badge(site), now=now, scanned_at=now - timedelta(minutes=4), offline=True
    )
    assert (refused.ok, refused.reason) == (False, "refused_offline")
    p = Presence.objects.get(badge=badge, zone=site.zones["site"])
    assert (p.inside, p.last_entry_at, p.last_exit_at) == (
        False,
        now - timedelta(minutes=50),
        now - timedelta(minutes=5),
    )
    with pytest.raises(DomainError):
        redeem(site, gate, badge, now=now, scanned_at=now + timedelta(hours=1), offline=True)


def test_the_revocation_list_and_rules_are_what_a_scanner_needs(site):
    badge = visitor_badge(site)
    services.revoke_badge(badge=badge, actor=site.organiser)
    rules = ruleset.get(site.event)
    assert services.revocation_list(site.event) == [badge.pk]
    assert {c["code"] for c in rules["categories"]} == {
        "organiser",
        "exhibitor",
        "contractor",
        "visitor",
        "delegation",
        "press",
    }
    visitor = next(c for c in rules["categories"] if c["code"] == "visitor")
    assert visitor["days"] == ["2025-11-18", "2025-11-19", "2025-11-20", "2025-11-21"]
    assert visitor["hours"] == "opening" and site.zones["lounge"].pk not in visitor["zones"]
    assert [k["kid"] for k in rules["keys"]] == [badge.key.kid]
    assert codes.parse(services.code_for(badge))[0].days[0].isoformat() == "2025-11-16"
