"""Issuing, reissuing and revoking badges; losing admission revokes them; printing is gated."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from exhibition.accounts import admission
from exhibition.accounts.models import Membership, TradeVisitor
from exhibition.accreditation import codes, ruleset, services
from exhibition.accreditation.models import Badge
from exhibition.core.errors import ConflictError, DomainError, NotAllowed
from exhibition.core.models import AuditLogEntry
from exhibition.delegations.models import DelegationMember
from exhibition.exhibitors.models import BadgeRequest
from tests import factories
from tests.factories.accreditation import make_site
from tests.factories.delegations import make_official_delegation
from tests.factories.floorplans import make_stand, sell

pytestmark = pytest.mark.django_db


def jpeg(w=400, h=500, fmt="JPEG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (w, h), "#336699").save(out, fmt)
    return out.getvalue()


def test_an_approved_visitor_gets_a_signed_badge_and_a_pending_one_does_not(site):
    approved = factories.make_visitor(site.event)
    pending = factories.make_visitor(site.event, status=TradeVisitor.Status.PENDING)

    badge = services.issue_for_person(event=site.event, user=approved.user, actor=approved.user)
    with pytest.raises(NotAllowed):
        services.issue_for_person(event=site.event, user=pending.user, actor=pending.user)

    assert (
        badge.status == Badge.Status.VALID and badge.category.code == "visitor" and badge.visitor == approved
    )
    payload, body, sig = codes.parse(services.code_for(badge))
    assert (payload.badge_id, payload.category, payload.kid) == (badge.pk, 4, badge.key.kid)
    assert codes.verify(body, sig, codes.load_public(badge.key.public_key))
    assert Badge.objects.filter(user=pending.user).count() == 0
    assert AuditLogEntry.objects.filter(action="badge.issued", object_id=str(badge.pk)).count() == 1
    # Asking again gives the same badge, not a second one.
    assert services.issue_for_person(event=site.event, user=approved.user, actor=approved.user) == badge


def test_issue_missing_badges_covers_everyone_admitted_once(site):
    visitors = [factories.make_visitor(site.event) for _ in range(3)]
    factories.make_visitor(site.event, status=TradeVisitor.Status.REJECTED)
    company = factories.make_company(site.event)
    BadgeRequest.objects.create(event=site.event, organisation=company, name="Ana Silva")
    refused_company = factories.make_company(site.event, admitted=False)
    BadgeRequest.objects.create(event=site.event, organisation=refused_company, name="Not Admitted")
    delegation = make_official_delegation(site.event)
    DelegationMember.objects.create(delegation=delegation, name="Gen. Costa")

    first = services.issue_missing_badges(event=site.event)
    again = services.issue_missing_badges(event=site.event)

    assert (first, again) == (1 + 3 + 1 + 1, 0)  # organiser, visitors, staff, delegation member
    by_source = dict(Badge.objects.values_list("source", "status"))
    assert by_source == {
        "organiser": "valid",
        "visitor": "valid",
        "exhibitor": "valid",
        "delegation": "pending",
    }
    assert not Badge.objects.filter(name="Not Admitted").exists()
    assert {b.user_id for b in Badge.objects.filter(source="visitor")} == {v.user_id for v in visitors}


def test_staff_badges_count_against_the_stand_quota(site):
    company = factories.make_company(site.event, "Aegis Systems")
    admin = factories.make_member(company, Membership.Role.ADMIN)
    sell(
        make_stand(site.event, site.event.halls.first(), "5A-101", 10, 10, width=3, depth=3), company
    )  # 9 m²: 2 badges

    a = services.add_staff_badge(organisation=company, actor=admin, name="Ana Silva", email=admin.email)
    b = services.add_staff_badge(organisation=company, actor=admin, name="Bo Chen")
    with pytest.raises(ConflictError, match="quota is used up"):
        services.add_staff_badge(organisation=company, actor=admin, name="Cy Dunn")

    assert [x.status for x in (a, b)] == ["valid", "valid"]
    assert a.user == admin  # the request's e-mail is a colleague's account: their badge
    assert BadgeRequest.objects.filter(organisation=company).count() == 2
    services.cancel_staff_badge(badge=b, actor=admin)
    b.refresh_from_db()
    assert b.status == Badge.Status.REVOKED and b.badge_request is None
    c = services.add_staff_badge(organisation=company, actor=admin, name="Cy Dunn")  # the place is free again
    assert c.status == Badge.Status.VALID


def test_the_company_admin_issues_the_badges_requested_on_the_portal(event, organiser):
    company = factories.make_company(event)
    admin = factories.make_member(company, Membership.Role.ADMIN)
    staff = factories.make_member(company, Membership.Role.STAFF)
    other_admin = factories.make_member(factories.make_company(event), Membership.Role.ADMIN)
    for name in ("Ana Silva", "Bo Chen"):
        BadgeRequest.objects.create(event=event, organisation=company, name=name)

    with pytest.raises(DomainError) as not_open:  # accreditation not set up yet: nothing to sign with
        services.issue_requested_badges(organisation=company, actor=admin)
    assert not_open.value.message == "Badges are not set up for this event yet."
    make_site(event, organiser)
    for who in (staff, other_admin):
        with pytest.raises(NotAllowed):
            services.issue_requested_badges(organisation=company, actor=who)
    assert Badge.objects.count() == 0

    assert services.issue_requested_badges(organisation=company, actor=admin) == 2
    assert services.issue_requested_badges(organisation=company, actor=admin) == 0  # once only

    assert sorted(Badge.objects.values_list("name", "status", "category__code")) == [
        ("Ana Silva", "valid", "exhibitor"),
        ("Bo Chen", "valid", "exhibitor"),
    ]


def test_a_delegation_badge_waits_for_a_checked_photo(site):
    delegation = make_official_delegation(site.event)
    member = DelegationMember.objects.create(delegation=delegation, name="Gen. Costa")
    badge = services.issue_for_member(member=member, actor=site.organiser)
    assert badge.status == Badge.Status.PENDING and badge.key is None
    with pytest.raises(ConflictError, match="needs a photo"):
        services.check_printable(badge)

    with pytest.raises(DomainError) as not_image:
        services.set_photo(badge=badge, actor=site.organiser, data=b"%PDF-1.4 not a photo")
    with pytest.raises(DomainError) as small:
        services.set_photo(badge=badge, actor=site.organiser, data=jpeg(100, 120))
    badge.refresh_from_db()
    assert (not_image.value.field, small.value.field) == ("photo", "photo")
    assert badge.status == Badge.Status.PENDING and not badge.photo

    badge = services.set_photo(badge=badge, actor=site.organiser, data=jpeg(fmt="PNG"))
    assert badge.status == Badge.Status.VALID and badge.key is not None
    with badge.photo.open("rb") as f:
        stored = Image.open(f)
        assert (stored.format, stored.size) == ("JPEG", (600, 800))  # re-encoded by us
    assert badge.photo_thumb.startswith("data:image/jpeg;base64,")


def test_reissue_revokes_the_old_code_and_keeps_the_holder(site):
    visitor = factories.make_visitor(site.event)
    old = services.issue_for_person(event=site.event, user=visitor.user, actor=visitor.user)

    new = services.reissue_badge(badge=old, actor=site.organiser, category=site.cats["press"])

    old.refresh_from_db()
    assert (old.status, old.revoke_reason) == ("revoked", "reissued")
    assert new.replaces == old and new.user == visitor.user and new.category.code == "press"
    assert new.pk != old.pk
    with pytest.raises(DomainError):
        services.code_for(old)
    assert new.status == Badge.Status.PENDING  # press needs a photo; the visitor badge had none
    with pytest.raises(ConflictError):
        services.reissue_badge(badge=old, actor=site.organiser)


@pytest.mark.parametrize(
    "cause", ["visitor_withdrawn", "company_revoked", "member_removed", "delegation_withdrawn"]
)
def test_losing_admission_revokes_the_badges_it_gave(site, cause):
    event = site.event
    visitor = factories.make_visitor(event)
    company = factories.make_company(event)
    admin = factories.make_member(company, Membership.Role.ADMIN)
    staff = factories.make_member(company, Membership.Role.STAFF)
    BadgeRequest.objects.create(event=event, organisation=company, name="Admin", email=admin.email)
    BadgeRequest.objects.create(event=event, organisation=company, name="Staff", email=staff.email)
    delegation = make_official_delegation(event)
    DelegationMember.objects.create(delegation=delegation, name="Gen. Costa")
    services.issue_missing_badges(event=event)
    before = dict(Badge.objects.values_list("name", "status"))

    if cause == "visitor_withdrawn":
        admission.set_visitor_status(visitor=visitor, actor=site.organiser, approve=False, reason="Vetting")
        lost = {visitor.user.get_full_name()}
    elif cause == "company_revoked":
        admission.revoke_organisation(organisation=company, actor=site.organiser, reason="Screening hit")
        lost = {"Admin", "Staff"}
    elif cause == "member_removed":
        admission.remove_member(membership=Membership.objects.get(user=staff), actor=admin)
        lost = {"Staff"}
    else:
        admission.revoke_organisation(
            organisation=delegation.organisation, actor=site.organiser, reason="Withdrawn"
        )
        lost = {"Gen. Costa"}

    after = dict(Badge.objects.values_list("name", "status"))
    assert {n for n, s in after.items() if s == "revoked"} == lost
    assert {n: s for n, s in after.items() if n not in lost} == {
        n: s for n, s in before.items() if n not in lost
    }
    assert set(Badge.objects.filter(status="revoked").values_list("revoke_reason", flat=True)) == {
        "admission_lost"
    }
    assert all(b.pk in services.revocation_list(event) for b in Badge.objects.filter(status="revoked"))


def test_printing_is_refused_before_admission_and_after_it_is_lost(site):
    visitor = factories.make_visitor(site.event)
    badge = services.issue_for_person(event=site.event, user=visitor.user, actor=visitor.user)
    assert services.badge_pdf(badge=badge, actor=visitor.user).startswith(b"%PDF")

    TradeVisitor.objects.filter(pk=visitor.pk).update(
        status=TradeVisitor.Status.PENDING
    )  # by-passing the service
    badge = Badge.objects.get(pk=badge.pk)
    with pytest.raises(NotAllowed):
        services.badge_pdf(badge=badge, actor=visitor.user)
    with pytest.raises(NotAllowed):
        services.send_badge(badge=badge, actor=site.organiser)
    assert services.reconcile_badges(event=site.event) == 1  # the periodic sweep revokes it too
    badge.refresh_from_db()
    assert (badge.status, badge.revoke_reason) == ("revoked", "holder_removed")


def test_removing_a_delegation_member_or_badge_request_revokes_at_the_next_reconcile(site):
    delegation = make_official_delegation(site.event)
    member = DelegationMember.objects.create(delegation=delegation, name="Gen. Costa")
    badge = services.issue_for_member(member=member, actor=site.organiser, photo=jpeg())
    assert badge.status == "valid"
    member.delete()
    assert badge.pk in services.revocation_list(site.event)  # refused offline at once
    assert services.reconcile_badges() == 1
    assert Badge.objects.get(pk=badge.pk).status == "revoked"


def test_key_rotation_keeps_old_codes_valid_and_withdrawal_refuses_them(site):
    visitor = factories.make_visitor(site.event)
    badge = services.issue_for_person(event=site.event, user=visitor.user, actor=visitor.user)
    first_key = badge.key
    new_key = services.rotate_key(event=site.event, actor=site.organiser)
    later = services.issue_for_person(
        event=site.event, user=factories.make_visitor(site.event).user, actor=site.organiser
    )
    assert later.key == new_key and Badge.objects.get(pk=badge.pk).key == first_key

    moved = services.withdraw_key(key=first_key, actor=site.organiser)

    assert moved == 1
    badge = Badge.objects.get(pk=badge.pk)
    assert badge.key == new_key and badge.printed_at is None

    assert [k["kid"] for k in ruleset.get(site.event)["keys"]] == [new_key.kid]


def test_only_organisers_issue_by_hand(site):
    visitor = factories.make_visitor(site.event)
    with pytest.raises(NotAllowed):
        services.issue_manual(event=site.event, actor=visitor.user, category=site.cats["press"], name="X")
    badge = services.issue_manual(
        event=site.event,
        actor=site.organiser,
        category=site.cats["contractor"],
        name="  Jo   Builder ",
        organisation_name="Stands & Co <b>",
        country="BE",
    )
    assert (badge.name, badge.status, badge.source) == ("Jo Builder", "valid", "manual")


def test_an_event_with_badges_can_be_deleted(site):
    visitor = factories.make_visitor(site.event)
    services.issue_for_person(event=site.event, user=visitor.user, actor=visitor.user)
    site.event.delete()  # the demo's reseed does this
    assert Badge.objects.count() == 0
