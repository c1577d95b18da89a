from __future__ import annotations

import pytest
from django.http import Http404

from exhibition.accreditation import selectors, services
from tests import factories
from tests.factories.accreditation import make_device

pytestmark = pytest.mark.django_db


def _contractor(site, name="Jo Builder"):
    return services.issue_manual(
        event=site.event, actor=site.organiser, category=site.cats["contractor"], name=name
    )


def test_categories_with_counts_counts_badges_by_status(site):
    kept, revoked = _contractor(site), _contractor(site, "Al Fitter")
    services.revoke_badge(badge=revoked, actor=site.organiser)

    counts = {c.code: (c.valid, c.pending, c.revoked) for c in selectors.categories_with_counts(site.event)}
    assert counts["contractor"] == (1, 0, 1)
    assert counts["press"] == (0, 0, 0)
    assert kept.status == "valid"


def test_replacement_of_is_the_badge_reissued_in_its_place(site):
    old = _contractor(site)
    assert selectors.replacement_of(old) is None
    new = services.reissue_badge(badge=old, actor=site.organiser)

    assert selectors.replacement_of(old) == new
    assert selectors.replacement_of(new) is None


def test_category_by_code_404s_and_its_or_none_twin_says_none(site, other_event):
    assert selectors.category_by_code(site.event, "press") == site.cats["press"]
    assert selectors.category_by_code_or_none(site.event, "nope") is None
    assert selectors.category_by_code_or_none(site.event, "") is None
    with pytest.raises(Http404):
        selectors.category_by_code(site.event, "nope")
    with pytest.raises(Http404):
        selectors.category_of(other_event, site.cats["press"].pk)


def test_active_device_count_leaves_out_withdrawn_scanners(site):
    lane1, _t = make_device(site, "Lane 1")
    make_device(site, "Lane 2")
    assert selectors.active_device_count(site.event) == 2

    services.revoke_device(device=lane1, actor=site.organiser)
    assert selectors.active_device_count(site.event) == 1


def test_gate_or_none_takes_only_a_gate_of_the_event(site, other_event):
    gate = site.gates["site"]
    assert selectors.gate_or_none(site.event, str(gate.pk)) == gate
    assert selectors.gate_or_none(site.event, "") is None
    assert selectors.gate_or_none(site.event, None) is None
    assert selectors.gate_or_none(other_event, gate.pk) is None


def test_organisation_badge_and_lead_fetches_stay_within_the_organisation(site):
    aegis, other = factories.make_company(site.event, "Aegis"), factories.make_company(site.event, "Other")
    badge = services.issue_manual(
        event=site.event, actor=site.organiser, category=site.cats["contractor"], name="X", organisation=aegis
    )

    assert selectors.organisation_badge(aegis, badge.pk) == badge
    with pytest.raises(Http404):
        selectors.organisation_badge(other, badge.pk)
    assert selectors.organisation_for(site.event, aegis.pk) == aegis
