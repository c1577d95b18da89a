from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from exhibition.booking import selectors, services
from exhibition.booking.models import Booking, BookingSettings, Invoice, Payment
from exhibition.core import formats
from exhibition.floorplans.models import Stand
from tests import factories
from tests.factories.booking import approve, make_exhibitor, make_stand
from tests.support.html import squash

pytestmark = pytest.mark.django_db


def page(event, path=""):
    return f"/{event.slug}/booking/{path}"


def test_my_stand_lists_fitting_stands_with_hold_buttons(client, event, stand, company, company_admin):
    client.force_login(company_admin)
    response = client.get(page(event))
    assert response.status_code == 200
    html = response.content.decode()
    assert "My stand – Aegis Systems" in html
    assert f'action="{page(event, "stands/5A-001/hold/")}"' in html
    assert "You have no stand yet." in html


def test_with_its_stand_booked_a_company_finds_other_stands_folded_away(
    client, event, hall, stand, company, company_admin
):
    other = make_stand(event, "5A-002", hall=hall, width=3, depth=4)
    client.force_login(company_admin)
    client.post(page(event, "stands/5A-001/hold/"))
    client.post(page(event, f"bookings/{Booking.objects.get().pk}/confirm/"))

    html = squash(client.get(page(event)).content.decode())

    assert (
        '<details class="card wide free-stands-card"><summary><h2 id="fit-h" class="inline-h">Book another stand</h2>'
        in html
    )
    assert f'action="{page(event, f"stands/{other.number}/hold/")}"' in html  # still there, one click away
    assert "Free stands that fit your request" not in html


def test_hold_confirm_and_download_without_js(client, event, stand, company, company_admin):
    client.force_login(company_admin)
    response = client.post(page(event, "stands/5A-001/hold/"))
    assert response.status_code == 302 and response["Location"] == page(event)
    html = client.get(page(event)).content.decode()
    booking = Booking.objects.get()
    assert 'class="countdown"' in html and f'data-until="{booking.held_until.isoformat()}"' in html
    assert "7,862.40 EUR" in html  # the quote
    response = client.post(page(event, f"bookings/{booking.pk}/confirm/"))
    assert response.status_code == 302
    html = client.get(page(event)).content.decode()
    invoice = Invoice.objects.get()
    assert "INV-000001" in html and page(event, f"invoices/{invoice.pk}/pdf/") in html
    assert "Unpaid" in html
    pdf = client.get(page(event, f"invoices/{invoice.pk}/pdf/"))
    assert pdf["Content-Type"] == "application/pdf" and b"INV-000001" in pdf.content


def test_lost_race_on_the_page_is_409_with_message(client, event, stand, company, company_admin, rival):
    services.hold_stand(event=event, stand=stand, organisation=rival[0], actor=rival[1])
    client.force_login(company_admin)
    response = client.post(page(event, "stands/5A-001/hold/"))
    assert response.status_code == 409
    assert "This stand was just taken by another exhibitor." in response.content.decode()
    assert not Booking.objects.filter(organisation=company).exists()


def test_release_on_the_page(client, event, stand, company, company_admin):
    booking = services.hold_stand(event=event, stand=stand, organisation=company, actor=company_admin)
    client.force_login(company_admin)
    assert client.post(page(event, f"bookings/{booking.pk}/release/")).status_code == 302
    assert Stand.objects.get(pk=stand.pk).status == Stand.Status.AVAILABLE


def test_staff_member_sees_page_without_hold_buttons(client, event, stand, company):
    staff = factories.make_member(company, "staff")
    client.force_login(staff)
    html = client.get(page(event)).content.decode()
    assert "hold/" not in html
    assert client.post(page(event, "stands/5A-001/hold/")).status_code == 403
    assert Stand.objects.get(pk=stand.pk).status == Stand.Status.AVAILABLE


def test_board_assign_and_error_shown_on_form(client, event, stand, company, rival, organiser):
    client.force_login(organiser)
    response = client.post(
        page(event, "manage/"),
        {
            "action": "assign",
            "assign-organisation": company.pk,
            "assign-stand": "5A-001",
            "assign-issue_invoice": "on",
        },
    )
    assert response.status_code == 302
    assert Stand.objects.get(pk=stand.pk).exhibitor_id == company.pk
    response = client.post(
        page(event, "manage/"),
        {"action": "assign", "assign-organisation": rival[0].pk, "assign-stand": "5A-001"},
    )
    assert response.status_code == 409
    assert "Stand 5A-001 is not free." in response.content.decode()
    response = client.post(page(event, "manage/"), {"action": "vacate", "vacate-stand": "ZZZ"})
    assert response.status_code == 400
    assert "There is no stand ZZZ at this show." in response.content.decode()


def test_board_move_swap_vacate(client, event, hall, company, rival, organiser):
    for n in ("A", "B", "C"):
        make_stand(event, n, hall=hall)
    services.assign_stand(
        event=event, stand=Stand.objects.get(number="A"), organisation=company, actor=organiser
    )
    services.assign_stand(
        event=event, stand=Stand.objects.get(number="B"), organisation=rival[0], actor=organiser
    )
    client.force_login(organiser)
    assert (
        client.post(
            page(event, "manage/"), {"action": "move", "move-from_stand": "A", "move-to_stand": "C"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            page(event, "manage/"), {"action": "swap", "swap-stand_a": "C", "swap-stand_b": "B"}
        ).status_code
        == 302
    )
    assert client.post(page(event, "manage/"), {"action": "vacate", "vacate-stand": "C"}).status_code == 302
    assert dict(Stand.objects.filter(event=event).values_list("number", "exhibitor_id")) == {
        "A": None,
        "B": company.pk,
        "C": None,
    }


def test_payment_form_overpayment_is_field_error(client, event, stand, company, organiser):
    booking = services.assign_stand(event=event, stand=stand, organisation=company, actor=organiser)
    invoice = Invoice.objects.get(booking=booking)
    client.force_login(organiser)
    response = client.post(
        page(event, f"manage/invoices/{invoice.pk}/"),
        {"amount": "9000", "received_on": "2025-07-01", "method": "cash"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "amount": ["This payment exceeds the balance due (7,862.40 EUR)."]
    }
    assert not Payment.objects.exists()
    response = client.post(
        page(event, f"manage/invoices/{invoice.pk}/"),
        {"amount": "1000", "received_on": "2025-07-01", "method": "cash", "reference": "R1"},
    )
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert (invoice.amount_paid, invoice.payment_status) == (Decimal("1000.00"), "partly_paid")


def test_settings_page_saves(client, event, organiser):
    client.force_login(organiser)
    response = client.post(
        page(event, "manage/settings/"),
        {
            "hold_minutes": 10,
            "vat_rate": "5.50",
            "invoice_prefix": "MP25-",
            "payment_terms_days": 45,
            "organiser_name": "Org SA",
            "organiser_address": "Paris",
            "organiser_vat_number": "FR1",
            "organiser_email": "billing@org.test",
            "bank_details": "IBAN FR76",
        },
    )
    assert response.status_code == 302
    s = BookingSettings.objects.get(event=event)
    assert (s.hold_minutes, s.vat_rate, s.invoice_prefix, s.payment_terms_days) == (
        10,
        Decimal("5.50"),
        "MP25-",
        45,
    )


# --- query counts: 1 and 3 items, same literal count ----------------------------------------------


@pytest.mark.parametrize("n", [1, 3])
def test_my_stand_query_count(client, event, hall, company, company_admin, n, django_assert_num_queries):
    for i in range(n):
        make_stand(event, f"Q-{i}", hall=hall, width=3, depth=4)
    client.force_login(company_admin)
    with django_assert_num_queries(13):
        response = client.get(page(event))
    assert len(response.context["page"].object_list) == n


@pytest.mark.parametrize("n", [1, 3])
def test_board_query_count(client, event, hall, organiser, n, django_assert_num_queries):
    for i in range(n):
        company = make_exhibitor(event, f"Board {i}")[0]
        services.assign_stand(
            event=event, stand=make_stand(event, f"Q-{i}", hall=hall), organisation=company, actor=organiser
        )
    client.force_login(organiser)
    with django_assert_num_queries(10):
        response = client.get(page(event, "manage/"))
    assert len(response.context["page"].object_list) == n


@pytest.mark.parametrize("n", [1, 3])
def test_invoice_list_page_query_count(client, event, hall, organiser, n, django_assert_num_queries):
    for i in range(n):
        company = make_exhibitor(event, f"Inv {i}")[0]
        services.assign_stand(
            event=event, stand=make_stand(event, f"Q-{i}", hall=hall), organisation=company, actor=organiser
        )
    client.force_login(organiser)
    with django_assert_num_queries(10):
        response = client.get(page(event, "manage/invoices/"))
    assert len(response.context["page"].object_list) == n


# --- allocation board: approved companies without a stand, beside the stands that fit --------------


def test_board_lists_companies_without_a_stand_with_fitting_stands(client, event, hall, organiser, company):
    fits = make_stand(event, "5A-010", hall=hall, width=3, depth=4)  # 12 m² shell: what Aegis asked for
    make_stand(event, "5A-011", hall=hall, width=4, depth=4)  # 16 m²: fits too, further in size
    make_stand(event, "5A-012", hall=hall, width=3, depth=4, kind=Stand.Kind.RAW)  # wrong type
    make_stand(event, "5A-013", hall=hall, width=10, depth=10)  # far too big
    placed = make_exhibitor(event, "Already Placed")[0]
    services.assign_stand(
        event=event, stand=make_stand(event, "5A-020", hall=hall), organisation=placed, actor=organiser
    )
    unapproved = make_exhibitor(event, "Not Yet", approved=False)[0]
    late = make_exhibitor(event, "Raw Needs")[0]
    late.exhibitor_application.delete()
    approve(late, kind="raw", area=100)
    client.force_login(organiser)
    response = client.get(page(event, "manage/"))
    awaiting = response.context["awaiting"]
    assert [(a.organisation.name, [s.number for s in a.fits]) for a in awaiting] == [
        ("Aegis Systems", ["5A-010", "5A-011"]),
        ("Raw Needs", []),
    ]
    html = response.content.decode()
    assert "2 approved companies without a stand" in html
    assert 'aria-label="Assign stand 5A-010 to Aegis Systems"' in html
    assert "No free stand fits this request" in html
    choices = [label for _v, label in response.context["forms"]["assign"].fields["organisation"].choices]
    assert choices == ["Choose a company", "Aegis Systems", "Raw Needs"] and unapproved.name not in choices
    # Picking a pair assigns through the allocation service.
    response = client.post(
        page(event, "manage/"),
        {
            "action": "assign",
            "assign-organisation": company.pk,
            "assign-stand": "5A-010",
            "assign-issue_invoice": "on",
        },
        follow=True,
    )
    assert "Stand 5A-010 assigned to Aegis Systems." in response.content.decode()
    assert Booking.objects.get(stand=fits).organisation == company
    assert [a.organisation.name for a in response.context["awaiting"]] == ["Raw Needs"]


def test_invoice_list_due_filter_is_the_collection_queue(client, event, hall, organiser):
    for i, due in enumerate([date(2025, 12, 20), date(2025, 10, 1), date(2025, 11, 5)]):
        company = make_exhibitor(event, f"Due {i}")[0]
        booking = services.assign_stand(
            event=event, stand=make_stand(event, f"D-{i}", hall=hall), organisation=company, actor=organiser
        )
        Invoice.objects.filter(booking=booking).update(due_on=due)
    paid = Invoice.objects.get(organisation__name="Due 2")
    Invoice.objects.filter(pk=paid.pk).update(amount_paid=paid.gross)
    client.force_login(organiser)
    response = client.get(page(event, "manage/invoices/"), {"status": "due"})
    assert [i.organisation.name for i in response.context["page"].object_list] == ["Due 1", "Due 0"]


@pytest.mark.parametrize("n", [1, 3])
def test_board_awaiting_list_query_count(client, event, hall, organiser, n, django_assert_num_queries):
    for i in range(n):
        approve(make_exhibitor(event, f"Waiting {i}", approved=False)[0], area=12, halls=[hall])
        make_stand(event, f"W-{i}", hall=hall, width=3, depth=4)
    client.force_login(organiser)
    with django_assert_num_queries(12):
        response = client.get(page(event, "manage/"))
    assert len(response.context["awaiting"]) == n
    assert all(len(a.fits) == min(n, 4) for a in response.context["awaiting"])


def test_board_lists_holds_about_to_lapse_and_confirms_one(client, event, hall, organiser, company):
    soon, later = make_stand(event, "5A-030", hall=hall), make_stand(event, "5A-031", hall=hall)
    other = make_exhibitor(event, "Later Co")[0]
    for stand, org, hours in ((soon, company, 3), (later, other, 72)):
        Booking.objects.create(
            event=event,
            stand=stand,
            organisation=org,
            status=Booking.Status.HELD,
            held_until=timezone.now() + timedelta(hours=hours),
        )
        Stand.objects.filter(pk=stand.pk).update(
            status=Stand.Status.HELD, exhibitor=org, held_until=timezone.now() + timedelta(hours=hours)
        )
    client.force_login(organiser)
    response = client.get(page(event, "manage/"))
    assert [(h.organisation.name, h.stand_number) for h in response.context["expiring"]] == [
        ("Aegis Systems", "5A-030")
    ]
    assert response.context["awaiting"] == []  # a company holding a stand is not waiting for one
    html = response.content.decode()
    assert "1 stand hold expires within 48 hours" in html
    response = client.post(
        page(event, "manage/"),
        {
            "action": "assign",
            "assign-organisation": company.pk,
            "assign-stand": "5A-030",
            "assign-issue_invoice": "on",
        },
        follow=True,
    )
    assert Booking.objects.get(stand=soon).status == Booking.Status.CONFIRMED
    assert response.context["expiring"] == []


# --- the hold's countdown, and what the page offers while a stand is held ---------------------------


def words(html: str) -> str:
    """What a reader reads: the text without its tags (an inline span joins its neighbours), each
    run of blanks one space."""
    return " ".join(re.sub(r"<[^>]+>", " ", re.sub(r"</?span[^>]*>", "", html)).split())


def test_hold_countdown_reads_hours_and_minutes_and_the_day(
    client, event, stand, stand2, company, company_admin
):
    services.update_booking_settings(event=event, actor=None, hold_minutes=24 * 60)
    client.force_login(company_admin)
    response = client.post(page(event, "stands/5A-001/hold/"), follow=True)
    booking = Booking.objects.get()
    until = timezone.localtime(booking.held_until, ZoneInfo("Europe/Paris"))
    text = words(response.content.decode())

    assert f"Stand 5A-001 is held for you until tomorrow {until:%H:%M}." in text
    assert f"Time left: 23 h 59 min (until tomorrow {until:%H:%M})" in text
    assert 'data-hours="%(h)d h %(m)02d min"' in response.content.decode()  # the script's format
    later = timezone.now() + timedelta(days=2, minutes=30)
    Booking.objects.filter(pk=booking.pk).update(held_until=later)
    Stand.objects.filter(pk=stand.pk).update(held_until=later)
    text = words(client.get(page(event)).content.decode())
    with timezone.override(ZoneInfo("Europe/Paris")):
        assert f"Time left: 48 h 29 min (until {formats.when(later, 'daytime')})" in text  # "Wed 9 Dec 09:58"


def test_hold_words_today_tomorrow_and_later():
    paris = ZoneInfo("Europe/Paris")
    now = datetime(2026, 12, 7, 8, 0, tzinfo=paris)
    with timezone.override(paris):
        assert selectors.hold_end_words(now + timedelta(minutes=15), now) == "08:15"
        assert selectors.hold_end_words(now + timedelta(hours=24), now) == "tomorrow 08:00"
        assert selectors.hold_end_words(now + timedelta(days=2), now) == "Wed 9 Dec 08:00"
    assert selectors.time_left_words(24 * 3600 - 4) == "23 h 59 min"
    assert selectors.time_left_words(4 * 60 + 5) == "4 min 05 s"
    assert selectors.time_left_words(-3) == "0 min 00 s"


def test_while_holding_your_stands_says_so_and_no_other_stand_is_offered(
    client, event, stand, stand2, company, company_admin
):
    services.hold_stand(event=event, stand=stand, organisation=company, actor=company_admin)
    client.force_login(company_admin)

    html = client.get(page(event, "?all=1")).content.decode()

    text = words(html)
    assert "Your stands No stand booked yet: confirm your hold to book it." in text
    assert "You already hold stand 5A-001: confirm or release it first." in text
    assert "5A-002" in text and "stands/5A-002/hold/" not in html  # listed, not offered
    assert client.post(page(event, "stands/5A-002/hold/")).status_code == 400  # as the service rules


def test_with_a_confirmed_stand_another_may_be_held(client, event, stand, stand2, company, company_admin):
    booking = services.hold_stand(event=event, stand=stand, organisation=company, actor=company_admin)
    services.confirm_booking(booking=booking, actor=company_admin)
    client.force_login(company_admin)

    html = client.get(page(event, "?all=1")).content.decode()

    assert "Stand 5A-001, Hall 5A, 12 m² – booked, awaiting payment" in words(html)
    assert f'action="{page(event, "stands/5A-002/hold/")}"' in html  # several stands are allowed
    assert client.post(page(event, "stands/5A-002/hold/")).status_code == 302


def test_my_stand_quote_writes_the_area_in_french(client, event, stand, company, company_admin):
    Stand.objects.filter(pk=stand.pk).update(width=4.5, area=18.0)
    services.hold_stand(
        event=event, stand=Stand.objects.get(pk=stand.pk), organisation=company, actor=company_admin
    )
    client.force_login(company_admin)

    text = words(client.get(page(event), HTTP_ACCEPT_LANGUAGE="fr").content.decode())

    assert "Stand 5A-001, Stand équipé, 18 m²" in text and "18.0" not in text


# --- holding a stand from the floor plan's stand panel ------------------------------------------------


def panel(client, event, number="5A-001", **params):
    url = reverse("floorplans:stand", kwargs={"event_slug": event.slug, "hall_code": "5A", "number": number})
    response = client.get(url, params, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def test_plan_panel_offers_a_free_stand_to_the_company_admin_and_holds_it(
    client, event, stand, company, company_admin
):
    client.force_login(company_admin)

    html = panel(client, event)

    text = words(html)
    assert "Status Available" in text and "Exhibitor" not in text
    assert "Price (net) 6,552.00 EUR Type Shell scheme Open sides Corner (2 open sides)" in text
    assert f'action="{page(event, "stands/5A-001/hold/")}"' in html
    assert f'name="company" value="{company.pk}"' in html and "csrfmiddlewaretoken" in html
    response = client.post(page(event, "stands/5A-001/hold/"), {"company": company.pk})
    assert response.status_code == 302 and response["Location"] == page(event, f"?company={company.pk}")
    assert Booking.objects.get().stand == stand
    assert "Stand 5A-001 is held for you until" in words(panel(client, event))
    assert "stands/5A-001/hold/" not in panel(client, event)


def test_plan_panel_says_why_a_company_cannot_hold(client, event, stand, stand2, company, company_admin):
    staff = factories.make_member(company, "staff")
    client.force_login(staff)
    html = panel(client, event)
    assert "Only the admin of an approved exhibiting company can book a stand." in words(html)
    assert "hold/" not in html and "EUR" not in html

    services.hold_stand(event=event, stand=stand2, organisation=company, actor=company_admin)
    client.force_login(company_admin)
    html = panel(client, event)
    assert "You already hold stand 5A-002: confirm or release it first. My stand" in words(html)
    assert "hold/" not in html

    newcomer, admin = make_exhibitor(event, "Newco Drones", approved=False)
    client.force_login(admin)
    html = panel(client, event)  # an applicant is no exhibitor yet: the plan offers nothing
    assert "stand-offer" not in html and "hold/" not in html and "EUR" not in html
    assert not Booking.objects.filter(organisation=newcomer).exists()


def test_plan_panel_of_a_stand_of_ones_own_or_of_another_company(
    client, event, stand, stand2, company, company_admin, rival, organiser
):
    services.assign_stand(event=event, stand=stand, organisation=company, actor=organiser)
    services.hold_stand(event=event, stand=stand2, organisation=rival[0], actor=rival[1])
    client.force_login(company_admin)

    assert "Your stand: booked, awaiting payment My stand" in words(panel(client, event))
    html = panel(client, event, "5A-002")
    assert "Exhibitor Bastion Optics" in words(html)
    assert "hold/" not in html and "EUR" not in html and "Available" not in html


@pytest.mark.parametrize("who", ["visitor", "organiser", "anonymous"])
def test_plan_panel_offers_nothing_to_who_books_no_stand(client, event, stand, organiser, who):
    if who == "visitor":
        client.force_login(factories.make_visitor(event).user)
    elif who == "organiser":
        client.force_login(organiser)

    html = panel(client, event)

    assert "hold/" not in html and "stand-offer" not in html


def test_an_invoice_past_its_due_date_and_not_fully_paid_is_marked_overdue(
    client, event, hall, organiser, company, company_admin
):
    today = timezone.localdate(timezone=event.tz)
    late = services.assign_stand(
        event=event, stand=make_stand(event, "L-1", hall=hall), organisation=company, actor=organiser
    )
    Invoice.objects.filter(booking=late).update(due_on=today - timedelta(days=3))
    other = make_exhibitor(event, "On Time")[0]
    on_time = services.assign_stand(
        event=event, stand=make_stand(event, "L-2", hall=hall), organisation=other, actor=organiser
    )
    Invoice.objects.filter(booking=on_time).update(due_on=today + timedelta(days=3))
    invoice = Invoice.objects.get(booking=late)

    client.force_login(organiser)
    rows = re.findall(r"<tr>.*?</tr>", client.get(page(event, "manage/invoices/")).content.decode(), re.S)
    late_row = next(r for r in rows if company.name in r)
    on_time_row = next(r for r in rows if "On Time" in r)
    assert "Unpaid" in late_row and "overdue" in late_row
    assert "Unpaid" in on_time_row and "overdue" not in on_time_row
    assert "overdue" in client.get(page(event, f"manage/invoices/{invoice.pk}/")).content.decode()
    french = client.get(page(event, f"manage/invoices/{invoice.pk}/"), HTTP_ACCEPT_LANGUAGE="fr")
    assert "en retard" in french.content.decode()
    api = client.get(f"/api/v1/events/{event.slug}/invoices/{invoice.pk}/").json()
    assert api["is_overdue"] is True and api["payment_status"] == "unpaid"
    # The exhibitor sees it too; once paid in full it is no longer overdue.
    client.force_login(company_admin)
    assert "overdue" in client.get(page(event)).content.decode()
    Invoice.objects.filter(pk=invoice.pk).update(amount_paid=invoice.gross)
    assert "overdue" not in client.get(page(event)).content.decode()


def test_the_board_says_so_when_every_approved_company_has_a_stand(client, event, organiser):
    client.force_login(organiser)
    html = client.get(page(event, "manage/")).content.decode()
    assert "No approved company is waiting for a stand." in html and "0 approved companies" not in html
