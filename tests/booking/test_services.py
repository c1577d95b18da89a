from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone, translation
from pypdf import PdfReader

from exhibition.accounts.models import Organisation
from exhibition.booking import selectors, services
from exhibition.booking.invoices import render_invoice_pdf
from exhibition.booking.models import Booking, Invoice, InvoiceCounter, Payment
from exhibition.core.errors import ConflictError, DomainError, NotAllowed
from exhibition.core.models import AuditLogEntry
from exhibition.exhibitors.models import Application
from exhibition.floorplans.models import Stand
from tests import factories
from tests.factories.booking import make_exhibitor, make_stand

pytestmark = pytest.mark.django_db


def hold(event, stand, company, user):
    return services.hold_stand(event=event, stand=stand, organisation=company, actor=user)


# --- hold -------------------------------------------------------------------------------------


def test_hold_marks_stand_held_for_the_hold_minutes(event, stand, company, company_admin):
    before = timezone.now()
    booking = hold(event, stand, company, company_admin)
    stand.refresh_from_db()
    assert (stand.status, stand.exhibitor_id) == (Stand.Status.HELD, company.pk)
    assert before + timedelta(minutes=15) <= stand.held_until <= timezone.now() + timedelta(minutes=15)
    assert (booking.status, booking.held_until, booking.organisation_id) == (
        Booking.Status.HELD,
        stand.held_until,
        company.pk,
    )
    assert AuditLogEntry.objects.filter(action="booking.hold", object_id=str(booking.pk)).count() == 1


def test_hold_uses_event_hold_minutes(event, stand, company, company_admin):
    services.update_booking_settings(event=event, actor=None, hold_minutes=5)
    booking = hold(event, stand, company, company_admin)
    assert timedelta(minutes=4, seconds=55) < booking.held_until - timezone.now() <= timedelta(minutes=5)


def test_hold_twice_by_same_company_returns_same_hold(event, stand, company, company_admin):
    first = hold(event, stand, company, company_admin)
    second = hold(event, stand, company, company_admin)
    assert second.pk == first.pk and second.held_until == first.held_until
    assert (first.was_created, second.was_created) == (True, False)
    assert Booking.objects.count() == 1


def test_hold_of_stand_held_by_other_company_is_conflict_and_changes_nothing(
    event, stand, company, company_admin, rival
):
    other, other_admin = rival
    mine = hold(event, stand, company, company_admin)
    with pytest.raises(ConflictError) as exc:
        hold(event, stand, other, other_admin)
    assert exc.value.message == "This stand was just taken by another exhibitor."
    assert exc.value.status_code == 409
    stand.refresh_from_db()
    assert (stand.exhibitor_id, stand.held_until) == (company.pk, mine.held_until)
    assert list(Booking.objects.values_list("organisation_id", "status")) == [(company.pk, "held")]


@pytest.mark.parametrize("status", [Stand.Status.RESERVED, Stand.Status.SOLD, Stand.Status.BLOCKED])
def test_hold_of_taken_stand_is_conflict(event, stand, company, company_admin, status):
    Stand.objects.filter(pk=stand.pk).update(status=status)
    with pytest.raises(ConflictError):
        hold(event, stand, company, company_admin)
    assert Booking.objects.count() == 0


def test_expired_hold_of_other_company_counts_as_free(event, stand, company, company_admin, rival):
    other, other_admin = rival
    stale = hold(event, stand, other, other_admin)
    past = timezone.now() - timedelta(seconds=1)
    Stand.objects.filter(pk=stand.pk).update(held_until=past)
    Booking.objects.filter(pk=stale.pk).update(held_until=past)
    assert stand in selectors.free_stands(event)
    booking = hold(event, stand, company, company_admin)
    stale.refresh_from_db()
    stand.refresh_from_db()
    assert stale.status == Booking.Status.EXPIRED
    assert (stand.exhibitor_id, booking.status) == (company.pk, Booking.Status.HELD)


def test_hold_of_second_stand_while_holding_one_is_refused(event, stand, stand2, company, company_admin):
    hold(event, stand, company, company_admin)
    with pytest.raises(DomainError) as exc:
        hold(event, stand2, company, company_admin)
    assert exc.value.code == "already_holding" and exc.value.field == "stand"
    assert exc.value.message == "You already hold stand 5A-001: confirm or release it first."
    assert Stand.objects.get(pk=stand2.pk).status == Stand.Status.AVAILABLE


def test_company_staff_may_not_hold(event, stand, company):
    staff = factories.make_member(company, "staff")
    with pytest.raises(NotAllowed):
        hold(event, stand, company, staff)
    assert Stand.objects.get(pk=stand.pk).status == Stand.Status.AVAILABLE


def test_unapproved_company_may_not_hold(event, stand, company, company_admin):
    Organisation.objects.filter(pk=company.pk).update(
        admitted_at=None
    )  # application not (or no longer) approved
    company.refresh_from_db()
    assert selectors.is_approved_exhibitor(event, company) is False
    with pytest.raises(NotAllowed):
        hold(event, stand, company, company_admin)


def test_hold_of_other_events_stand_is_refused(event, other_event, company, company_admin):
    foreign = make_stand(other_event, "X-1")
    with pytest.raises(DomainError) as exc:
        hold(event, foreign, company, company_admin)
    assert exc.value.field == "stand"
    assert Stand.objects.get(pk=foreign.pk).status == Stand.Status.AVAILABLE


# --- confirm and release ------------------------------------------------------------------------


def test_confirm_reserves_stand_freezes_quote_issues_invoice_and_mails(
    event, stand, company, company_admin, mailoutbox, django_capture_on_commit_callbacks
):
    booking = hold(event, stand, company, company_admin)
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = services.confirm_booking(booking=booking, actor=company_admin)
    stand.refresh_from_db()
    assert (stand.status, stand.exhibitor_id, stand.held_until) == (Stand.Status.RESERVED, company.pk, None)
    assert (confirmed.status, confirmed.net, confirmed.vat, confirmed.gross) == (
        Booking.Status.CONFIRMED,
        Decimal("6552.00"),
        Decimal("1310.40"),
        Decimal("7862.40"),
    )
    invoice = Invoice.objects.get(booking=confirmed)
    assert (invoice.number, invoice.sequence, invoice.gross, invoice.stand_number) == (
        "INV-000001",
        1,
        Decimal("7862.40"),
        "5A-001",
    )
    assert invoice.due_on == invoice.issued_on + timedelta(days=30)
    assert invoice.payment_status == "unpaid"
    assert [m.to for m in mailoutbox] == [["admin@aegis.test"]]
    assert mailoutbox[0].subject == "Your stand 5A-001 at Milipol Test is booked"
    assert "Invoice INV-000001: 7,862.40 EUR including VAT." in mailoutbox[0].body


def test_confirm_twice_is_idempotent(event, stand, company, company_admin):
    booking = hold(event, stand, company, company_admin)
    services.confirm_booking(booking=booking, actor=company_admin)
    again = services.confirm_booking(booking=booking, actor=company_admin)
    assert again.status == Booking.Status.CONFIRMED
    assert Invoice.objects.count() == 1


def test_confirm_after_hold_expired_is_conflict(event, stand, company, company_admin):
    booking = hold(event, stand, company, company_admin)
    Booking.objects.filter(pk=booking.pk).update(held_until=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ConflictError) as exc:
        services.confirm_booking(booking=booking, actor=company_admin)
    assert exc.value.code == "hold_expired"
    assert Invoice.objects.count() == 0
    assert Stand.objects.get(pk=stand.pk).status == Stand.Status.HELD


def test_other_company_may_not_confirm_my_hold(event, stand, company, company_admin, rival):
    booking = hold(event, stand, company, company_admin)
    with pytest.raises(NotAllowed):
        services.confirm_booking(booking=booking, actor=rival[1])
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.HELD


def test_release_frees_stand_and_is_idempotent(event, stand, company, company_admin):
    booking = hold(event, stand, company, company_admin)
    services.release_booking(booking=booking, actor=company_admin)
    services.release_booking(booking=booking, actor=company_admin)
    stand.refresh_from_db()
    assert (stand.status, stand.exhibitor_id, stand.held_until) == (Stand.Status.AVAILABLE, None, None)
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.RELEASED


def test_release_of_confirmed_booking_is_refused(event, stand, company, company_admin):
    booking = services.confirm_booking(
        booking=hold(event, stand, company, company_admin), actor=company_admin
    )
    with pytest.raises(DomainError) as exc:
        services.release_booking(booking=booking, actor=company_admin)
    assert exc.value.code == "confirmed"
    assert Stand.objects.get(pk=stand.pk).status == Stand.Status.RESERVED


# --- expiry -------------------------------------------------------------------------------------


def test_release_expired_holds_frees_only_expired_and_is_idempotent(
    event, hall, company, company_admin, rival
):
    a, b, c = (make_stand(event, f"5A-1{i}", hall=hall) for i in range(3))
    ba = hold(event, a, company, company_admin)
    bb = hold(event, b, *rival)
    hold(event, c, *make_exhibitor(event, "Cobalt"))
    past = timezone.now() - timedelta(minutes=1)
    Stand.objects.filter(pk__in=[a.pk, b.pk]).update(held_until=past)
    Booking.objects.filter(pk__in=[ba.pk, bb.pk]).update(held_until=past)

    assert services.release_expired_holds() == 2
    assert services.release_expired_holds() == 0
    assert dict(Stand.objects.values_list("number", "status")) == {
        "5A-10": "available",
        "5A-11": "available",
        "5A-12": "held",
    }
    assert dict(Booking.objects.values_list("stand__number", "status")) == {
        "5A-10": "expired",
        "5A-11": "expired",
        "5A-12": "held",
    }
    assert Stand.objects.get(pk=a.pk).exhibitor_id is None


# --- organiser ----------------------------------------------------------------------------------


def test_assign_free_stand_confirms_invoices_audits_and_mails(
    event, stand, company, company_admin, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.assign_stand(event=event, stand=stand, organisation=company, actor=organiser)
    stand.refresh_from_db()
    assert (stand.status, stand.exhibitor_id) == (Stand.Status.RESERVED, company.pk)
    assert (booking.status, booking.source, booking.gross) == ("confirmed", "organiser", Decimal("7862.40"))
    assert Invoice.objects.get(booking=booking).number == "INV-000001"
    entry = AuditLogEntry.objects.get(action="booking.assign")
    assert (entry.actor, entry.data["stand"], entry.data["invoice"]) == (organiser, "5A-001", "INV-000001")
    assert mailoutbox[0].subject == "Stand 5A-001 at Milipol Test is yours"
    assert mailoutbox[0].to == ["admin@aegis.test"]


def test_assign_without_invoice(event, stand, company, organiser):
    booking = services.assign_stand(
        event=event, stand=stand, organisation=company, actor=organiser, issue_invoice=False
    )
    assert not Invoice.objects.exists()
    invoice = services.issue_invoice(booking=booking, actor=organiser)
    assert (invoice.number, services.issue_invoice(booking=booking, actor=organiser).pk) == (
        "INV-000001",
        invoice.pk,
    )


def test_assign_taken_stand_is_conflict(event, stand, company, company_admin, rival, organiser):
    hold(event, stand, *rival)
    with pytest.raises(ConflictError) as exc:
        services.assign_stand(event=event, stand=stand, organisation=company, actor=organiser)
    assert exc.value.message == "Stand 5A-001 is not free."
    assert Stand.objects.get(pk=stand.pk).exhibitor_id == rival[0].pk


def test_assign_turns_the_companys_own_hold_into_a_booking(event, stand, company, company_admin, organiser):
    held = hold(event, stand, company, company_admin)
    booking = services.assign_stand(event=event, stand=stand, organisation=company, actor=organiser)
    assert booking.pk == held.pk and booking.status == Booking.Status.CONFIRMED
    assert Booking.objects.count() == 1


def test_move_books_new_stand_frees_old_one(
    event, stand, stand2, company, organiser, mailoutbox, company_admin, django_capture_on_commit_callbacks
):
    old = services.assign_stand(event=event, stand=stand, organisation=company, actor=organiser)
    with django_capture_on_commit_callbacks(execute=True):
        new = services.move_booking(event=event, from_stand=stand, to_stand=stand2, actor=organiser)
    assert dict(Stand.objects.values_list("number", "status")) == {
        "5A-001": "available",
        "5A-002": "reserved",
    }
    assert Stand.objects.get(pk=stand2.pk).exhibitor_id == company.pk
    old.refresh_from_db()
    assert (old.status, new.status, new.stand_id, new.gross) == (
        "cancelled",
        "confirmed",
        stand2.pk,
        Decimal("5616.00"),
    )
    assert Invoice.objects.get().booking_id == old.pk  # the issued invoice stays as it was
    assert AuditLogEntry.objects.filter(action="booking.move").count() == 1
    assert mailoutbox[-1].subject == "Your stand at Milipol Test has changed to 5A-002"


def test_move_to_taken_stand_is_conflict(event, stand, stand2, company, rival, organiser):
    services.assign_stand(event=event, stand=stand, organisation=company, actor=organiser)
    services.assign_stand(event=event, stand=stand2, organisation=rival[0], actor=organiser)
    with pytest.raises(ConflictError):
        services.move_booking(event=event, from_stand=stand, to_stand=stand2, actor=organiser)
    assert dict(Stand.objects.values_list("number", "exhibitor_id")) == {
        "5A-001": company.pk,
        "5A-002": rival[0].pk,
    }


def test_swap_exchanges_companies_and_statuses(
    event,
    stand,
    stand2,
    company,
    rival,
    organiser,
    mailoutbox,
    company_admin,
    django_capture_on_commit_callbacks,
):
    services.assign_stand(event=event, stand=stand, organisation=company, actor=organiser)
    services.assign_stand(event=event, stand=stand2, organisation=rival[0], actor=organiser)
    Stand.objects.filter(pk=stand.pk).update(status=Stand.Status.SOLD)
    with django_capture_on_commit_callbacks(execute=True):
        a, b = services.swap_stands(event=event, stand_a=stand, stand_b=stand2, actor=organiser)
    assert dict(Stand.objects.values_list("number", "exhibitor_id")) == {
        "5A-001": rival[0].pk,
        "5A-002": company.pk,
    }
    assert dict(Stand.objects.values_list("number", "status")) == {"5A-001": "reserved", "5A-002": "sold"}
    assert (a.organisation_id, a.stand_id, b.organisation_id, b.stand_id) == (
        company.pk,
        stand2.pk,
        rival[0].pk,
        stand.pk,
    )
    assert Booking.objects.filter(status="confirmed").count() == 2
    assert Booking.objects.filter(status="cancelled").count() == 2
    assert sorted(m.to[0] for m in mailoutbox[-2:]) == ["admin@aegis.test", "admin@bastion.test"]


def test_swap_needs_two_booked_stands(event, stand, stand2, company, organiser):
    services.assign_stand(event=event, stand=stand, organisation=company, actor=organiser)
    with pytest.raises(ConflictError):
        services.swap_stands(event=event, stand_a=stand, stand_b=stand2, actor=organiser)
    assert Stand.objects.get(pk=stand.pk).exhibitor_id == company.pk


def test_vacate_frees_stand_and_mails(
    event, stand, company, company_admin, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    booking = services.assign_stand(event=event, stand=stand, organisation=company, actor=organiser)
    with django_capture_on_commit_callbacks(execute=True):
        services.vacate_stand(event=event, stand=stand, actor=organiser)
    stand.refresh_from_db()
    booking.refresh_from_db()
    assert (stand.status, stand.exhibitor_id, booking.status) == ("available", None, "cancelled")
    assert mailoutbox[-1].subject == "Your booking of stand 5A-001 at Milipol Test has ended"
    with pytest.raises(ConflictError):
        services.vacate_stand(event=event, stand=stand, actor=organiser)


# --- quotes -------------------------------------------------------------------------------------


def test_quote_shell_corner(event, stand):
    quote = selectors.quote_for_stand(event, stand)
    assert [(line.description, line.amount) for line in quote.lines] == [
        ("Stand 5A-001, Shell scheme, 12 m²", Decimal("6240.00")),
        ("Corner (2 open sides) supplement (5 %)", Decimal("312.00")),
    ]
    assert (quote.net, quote.vat_rate, quote.vat, quote.gross, quote.currency) == (
        Decimal("6552.00"),
        Decimal("20.00"),
        Decimal("1310.40"),
        Decimal("7862.40"),
        "EUR",
    )
    assert quote.net == stand.price


def test_quote_raw_island_with_event_vat(event, hall):
    services.update_booking_settings(event=event, actor=None, vat_rate=Decimal("5.5"))
    stand = make_stand(event, "5A-900", hall=hall, width=6, depth=6, kind=Stand.Kind.RAW, open_sides=4)
    quote = selectors.quote_for_stand(event, stand)
    assert [line.amount for line in quote.lines] == [Decimal("15120.00"), Decimal("2268.00")]
    assert (quote.net, quote.vat, quote.gross) == (
        Decimal("17388.00"),
        Decimal("956.34"),
        Decimal("18344.34"),
    )


def test_quote_rounds_half_up_and_lines_add_up(event, hall):
    stand = make_stand(event, "5A-901", hall=hall, width=3.3, depth=3.3, open_sides=2)
    quote = selectors.quote_for_stand(event, stand)
    assert [line.amount for line in quote.lines] == [Decimal("5662.80"), Decimal("283.14")]
    assert sum(line.amount for line in quote.lines) == quote.net == Decimal("5945.94")
    assert (quote.vat, quote.gross) == (Decimal("1189.19"), Decimal("7135.13"))


# --- invoice numbers ----------------------------------------------------------------------------


def _booked(event, hall, organiser, n):
    company = make_exhibitor(event)[0]
    return services.assign_stand(
        event=event,
        stand=make_stand(event, f"N-{n}", hall=hall),
        organisation=company,
        actor=organiser,
        issue_invoice=False,
    )


def test_invoice_numbers_are_consecutive_per_event_with_prefix(event, other_event, hall, organiser):
    services.update_booking_settings(event=event, actor=organiser, invoice_prefix="MP25-")
    numbers = [
        services.issue_invoice(booking=_booked(event, hall, organiser, i), actor=organiser).number
        for i in range(3)
    ]
    other_org = factories.make_organiser(other_event)
    other = services.assign_stand(
        event=other_event,
        stand=make_stand(other_event, "Q-1"),
        organisation=make_exhibitor(other_event)[0],
        actor=other_org,
    )
    assert numbers == ["MP25-000001", "MP25-000002", "MP25-000003"]
    assert Invoice.objects.get(booking=other).number == "INV-000001"
    assert InvoiceCounter.objects.get(event=event).last_number == 3


def test_invoice_number_of_rolled_back_transaction_is_not_lost(event, hall, organiser):
    first = services.issue_invoice(booking=_booked(event, hall, organiser, 1), actor=organiser)
    doomed = _booked(event, hall, organiser, 2)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.issue_invoice(booking=doomed, actor=organiser)
        raise RuntimeError("the surrounding work failed")
    assert not Invoice.objects.filter(booking=doomed).exists()
    again = services.issue_invoice(booking=doomed, actor=organiser)
    assert [first.number, again.number] == ["INV-000001", "INV-000002"]


def test_invoice_number_not_lost_when_invoice_insert_fails(event, hall, organiser, monkeypatch):
    booking = _booked(event, hall, organiser, 1)
    real = Invoice.save

    def broken(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Invoice, "save", broken)
    with pytest.raises(RuntimeError):
        services.issue_invoice(booking=booking, actor=organiser)
    assert not InvoiceCounter.objects.filter(event=event, last_number__gt=0).exists()
    monkeypatch.setattr(Invoice, "save", real)
    assert services.issue_invoice(booking=booking, actor=organiser).number == "INV-000001"


def test_bulk_invoices_continue_the_sequence(event, hall, organiser):
    services.issue_invoice(booking=_booked(event, hall, organiser, 0), actor=organiser)
    bookings = [_booked(event, hall, organiser, i) for i in range(1, 4)]
    for b in bookings:
        b.stand = Stand.objects.get(pk=b.stand_id)
    rows = services.issue_invoices_in_bulk(event=event, bookings=bookings, today=date(2025, 6, 2))
    assert [r.number for r in rows] == ["INV-000002", "INV-000003", "INV-000004"]
    assert sorted(Invoice.objects.values_list("sequence", flat=True)) == [1, 2, 3, 4]


# --- payments -----------------------------------------------------------------------------------


@pytest.fixture
def invoice(event, stand, company, organiser):
    booking = services.assign_stand(event=event, stand=stand, organisation=company, actor=organiser)
    return Invoice.objects.get(booking=booking)  # gross 7,862.40


def test_payments_move_status_from_unpaid_to_partly_paid_to_paid(invoice, organiser, stand):
    assert invoice.payment_status == "unpaid"
    services.record_payment(
        invoice=invoice,
        actor=organiser,
        amount="2000.00",
        received_on=date(2025, 7, 1),
        method="bank_transfer",
        reference="WIRE-1",
    )
    invoice.refresh_from_db()
    assert (invoice.payment_status, invoice.amount_paid, invoice.balance) == (
        "partly_paid",
        Decimal("2000.00"),
        Decimal("5862.40"),
    )
    assert Stand.objects.get(pk=stand.pk).status == Stand.Status.RESERVED
    services.record_payment(
        invoice=invoice,
        actor=organiser,
        amount=Decimal("5862.40"),
        received_on=date(2025, 7, 9),
        method="card",
    )
    invoice.refresh_from_db()
    assert (invoice.payment_status, invoice.amount_paid) == ("paid", Decimal("7862.40"))
    assert list(invoice.payments.values_list("amount", "method", "reference")) == [
        (Decimal("2000.00"), "bank_transfer", "WIRE-1"),
        (Decimal("5862.40"), "card", ""),
    ]
    assert Stand.objects.get(pk=stand.pk).status == Stand.Status.SOLD


def test_overpayment_is_refused_with_field_error(invoice, organiser):
    services.record_payment(invoice=invoice, actor=organiser, amount="7000", received_on=date(2025, 7, 1))
    with pytest.raises(DomainError) as exc:
        services.record_payment(
            invoice=invoice, actor=organiser, amount="862.41", received_on=date(2025, 7, 2)
        )
    assert (exc.value.field, exc.value.code) == ("amount", "overpayment")
    assert exc.value.message == "This payment exceeds the balance due (862.40 EUR)."
    invoice.refresh_from_db()
    assert (invoice.amount_paid, Payment.objects.count()) == (Decimal("7000.00"), 1)


@pytest.mark.parametrize("amount", ["0", "-5", "abc"])
def test_payment_amount_must_be_positive(invoice, organiser, amount):
    with pytest.raises(DomainError) as exc:
        services.record_payment(invoice=invoice, actor=organiser, amount=amount, received_on=date(2025, 7, 1))
    assert exc.value.field == "amount"
    assert Payment.objects.count() == 0


def test_invoice_pdf_writes_rates_and_amounts_as_people_do(event, stand, company, company_admin):
    """Never "VAT 2E+1 %": the rate and the amounts in the reader's language."""
    booking = hold(event, stand, company, company_admin)
    services.confirm_booking(booking=booking, actor=company_admin)
    invoice = Booking.objects.get(pk=booking.pk).invoice
    for lang, vat, gross in (("en", "VAT 20 %", "7,862.40 EUR"), ("fr", "TVA 20 %", "862,40 EUR")):
        with translation.override(lang):
            text = render_invoice_pdf(invoice).decode("latin-1")  # uncompressed: the text is in the file
        assert vat in text and "E+" not in text, lang
        assert gross in text, lang


def pdf_text(data: bytes) -> str:
    """The PDF's text as a reader reads it, each run of blanks one space."""
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def test_invoice_pdf_bills_the_buyers_address_and_numbers_from_its_application(
    event, stand, company, company_admin
):
    Application.objects.filter(organisation=company).update(
        legal_name="Aegis Systems SAS",
        address="12 rue des Drones\n75011 Paris",
        vat_number="FR12345678901",
        registration_number="RCS Paris 123 456 789",
    )
    booking = services.confirm_booking(
        booking=hold(event, stand, company, company_admin), actor=company_admin
    )
    invoice = Invoice.objects.get(booking=booking)
    Invoice.objects.filter(pk=invoice.pk).update(issued_on=date(2026, 12, 7), due_on=date(2027, 1, 6))
    invoice.refresh_from_db()
    Application.objects.filter(organisation=company).update(
        address="Moved since"
    )  # the invoice keeps its copy

    text = pdf_text(render_invoice_pdf(invoice))

    assert (
        "Bill to Aegis Systems SAS 12 rue des Drones 75011 Paris France "
        "VAT number: FR12345678901 Registration number: RCS Paris 123 456 789"
    ) in text
    assert "Issued on: 7 Dec 2026" in text and "Due on: 6 Jan 2027" in text
    assert "Payable by 6 Jan 2027." in text and "2026-12-07" not in text
    with translation.override("fr"):
        text = pdf_text(render_invoice_pdf(invoice))
    # French puts a space before the colon (the PDF's fonts draw the catalogue's non-breaking one as a space)
    assert "Émise le : 7 déc. 2026" in text and "Échéance : 6 jan. 2027" in text
    assert "Numéro de TVA : FR12345678901" in text and "Payable au plus tard le 6 jan. 2027." in text


def test_invoice_pdf_lines_read_in_the_readers_language(event, stand, company, company_admin):
    Stand.objects.filter(pk=stand.pk).update(width=4.5, area=18.0)  # a float area, as the plan stores it
    stand.refresh_from_db()
    booking = services.confirm_booking(
        booking=hold(event, stand, company, company_admin), actor=company_admin
    )
    invoice = Invoice.objects.get(booking=booking)

    with translation.override("fr"):
        text = pdf_text(render_invoice_pdf(invoice))

    assert "Stand 5A-001, Stand équipé, 18 m²" in text
    assert "Supplément Angle (2 côtés ouverts) (5 %)" in text
    assert "Shell scheme" not in text and "supplement" not in text
    en = pdf_text(render_invoice_pdf(invoice))
    assert "Stand 5A-001, Shell scheme, 18 m²" in en and "Corner (2 open sides) supplement (5 %)" in en


def test_invoice_issued_before_lines_kept_their_facts_still_reads_in_french(invoice):
    """An invoice stored with English words only (and no buyer address) keeps its number and
    amounts, and reads in French."""
    Invoice.objects.filter(pk=invoice.pk).update(
        buyer={"name": "Aegis Systems", "country": "France", "website": ""},
        lines=[
            {
                "description": "Stand 5A-001, Shell scheme, 12.0 m²",
                "quantity": "12.0",
                "unit": "m²",
                "unit_price": "520.00",
                "amount": "6240.00",
            },
            {
                "description": "Corner (2 open sides) supplement (5 %)",
                "quantity": "1",
                "unit": "",
                "unit_price": "312.00",
                "amount": "312.00",
            },
            {"description": "Carpet", "quantity": "1", "unit": "", "unit_price": "0", "amount": "0"},
        ],
    )
    Application.objects.filter(organisation=invoice.organisation).update(
        address="1 rue de la Paix\n75002 Paris"
    )
    invoice.refresh_from_db()

    with translation.override("fr"):
        text = pdf_text(render_invoice_pdf(invoice))

    assert "Stand 5A-001, Stand équipé, 12 m² 12 m²" in text
    assert "Supplément Angle (2 côtés ouverts) (5 %)" in text and "Carpet" in text
    assert "Facturer à Aegis Systems 1 rue de la Paix 75002 Paris France" in text
    assert invoice.number in text and "7 862,40 EUR" in text


def test_invoice_pdf_names_the_buyers_country_in_the_readers_language_once(invoice):
    berlin = {"country": "Germany", "country_code": "DE", "vat_number": "", "registration_number": ""}
    Invoice.objects.filter(pk=invoice.pk).update(
        buyer={**berlin, "name": "Kraft GmbH", "address": "1 Hauptstr.\nBerlin"}
    )
    invoice.refresh_from_db()
    with translation.override("fr"):
        assert "Facturer à Kraft GmbH 1 Hauptstr. Berlin Allemagne Description" in pdf_text(
            render_invoice_pdf(invoice)
        )

    Invoice.objects.filter(pk=invoice.pk).update(
        buyer={**berlin, "name": "Kraft GmbH", "address": "1 Hauptstr.\n10115 Berlin, Germany"}
    )
    invoice.refresh_from_db()
    with translation.override("fr"):
        text = pdf_text(render_invoice_pdf(invoice))
    assert "Facturer à Kraft GmbH 1 Hauptstr. 10115 Berlin, Germany Description" in text  # not again
