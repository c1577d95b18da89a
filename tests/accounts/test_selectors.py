from __future__ import annotations

import pytest
from django.http import Http404

from exhibition.accounts import selectors, services
from exhibition.accounts.models import Invitation, Membership, TradeVisitor
from tests import factories

pytestmark = pytest.mark.django_db


def test_organisations_for_lists_all_for_organisers_and_ones_own_for_members(event, organiser, other_event):
    aegis = factories.make_company(event, "Aegis")
    brazil = factories.make_delegation(event, "Brazil")
    factories.make_company(other_event, "Elsewhere")
    staff = factories.make_member(aegis, Membership.Role.STAFF)

    assert [o.name for o in selectors.organisations_for(event, organiser)] == ["Aegis", "Brazil"]
    assert [o.name for o in selectors.organisations_for(event, staff)] == ["Aegis"]
    assert [o.pk for o in selectors.organisations_for(event, organiser, kind="delegation")] == [brazil.pk]
    assert [o.pk for o in selectors.organisations_for(event, organiser, kind="nonsense")] == [
        aegis.pk,
        brazil.pk,
    ]


def test_invitations_for_shows_organisers_all_and_admins_their_organisations_only(event, organiser):
    aegis, other = factories.make_company(event, "Aegis"), factories.make_company(event, "Other")
    admin = factories.make_member(aegis, Membership.Role.ADMIN)
    staff = factories.make_member(aegis, Membership.Role.STAFF)
    mine = Invitation.objects.create(
        event=event, email="a@aegis.test", role=Invitation.Role.COMPANY_STAFF, organisation=aegis
    )
    theirs = Invitation.objects.create(
        event=event, email="b@other.test", role=Invitation.Role.COMPANY_STAFF, organisation=other
    )
    staffer = Invitation.objects.create(event=event, email="c@org.test", role=Invitation.Role.ORGANISER_STAFF)

    assert {i.pk for i in selectors.invitations_for(event, organiser)} == {mine.pk, theirs.pk, staffer.pk}
    assert [i.pk for i in selectors.invitations_for(event, admin)] == [mine.pk]
    assert list(selectors.invitations_for(event, staff)) == []


def test_visitors_of_filters_by_a_known_status_only(event):
    approved = factories.make_visitor(event)
    pending = factories.make_visitor(event, status=TradeVisitor.Status.PENDING)

    assert [v.pk for v in selectors.visitors_of(event)] == [approved.pk, pending.pk]
    assert [v.pk for v in selectors.visitors_of(event, status="pending")] == [pending.pk]
    assert [v.pk for v in selectors.visitors_of(event, status="bogus")] == [approved.pk, pending.pk]


def test_token_of_finds_only_the_users_own_token(db):
    anne, bob = factories.make_user(), factories.make_user()
    token, _secret = services.create_api_token(user=anne, name="laptop")

    assert selectors.token_of(anne, token.token_key) == token
    with pytest.raises(Http404):
        selectors.token_of(bob, token.token_key)


def test_fetches_of_the_event_404_for_another_events_objects(event, other_event):
    elsewhere = factories.make_company(other_event, "Elsewhere")
    visitor = factories.make_visitor(other_event)

    assert selectors.organisation_of_event(other_event, elsewhere.pk) == elsewhere
    with pytest.raises(Http404):
        selectors.organisation_of_event(event, elsewhere.pk)
    with pytest.raises(Http404):
        selectors.visitor_of_event(event, visitor.pk)
