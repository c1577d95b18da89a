"""Payment reminders: one invoice from its page, or every overdue one from the list (the page, the
API and the e-mail the company's admins get)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from exhibition.booking import services
from exhibition.booking.models import Invoice
from exhibition.core.errors import DomainError
from exhibition.core.models import AuditLogEntry
from tests.factories.booking import make_exhibitor, make_stand

pytestmark = pytest.mark.django_db


def _invoice(event, hall, organiser, name, number, *, due_in_days, paid=False):
    company = make_exhibitor(event, name)[0]
    booking = services.assign_stand(
        event=event, stand=make_stand(event, number, hall=hall), organisation=company, actor=organiser
    )
    today = timezone.localdate(timezone=event.tz)
    invoice = Invoice.objects.get(booking=booking)
    Invoice.objects.filter(pk=invoice.pk).update(
        due_on=today + timedelta(days=due_in_days), amount_paid=invoice.gross if paid else 0
    )
    return Invoice.objects.get(pk=invoice.pk)


def test_an_invoice_reminder_tells_the_companys_admins_what_is_left_to_pay(
    event, hall, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    late = _invoice(event, hall, organiser, "Late Payer", "R-1", due_in_days=-10)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.remind_invoice(invoice=late, actor=organiser)
    late.refresh_from_db()
    assert late.reminded_at is not None
    (mail,) = mailoutbox
    assert mail.subject == f"Payment reminder: invoice {late.number} for {event.name}"
    assert f"Invoice {late.number} of Late Payer for {event.name} was due on" in mail.body
    assert f"{late.gross:,.2f} EUR remain to be paid." in mail.body and f"/{event.slug}/booking/" in mail.body
    assert AuditLogEntry.objects.filter(action="invoice.reminder", object_id=str(late.pk)).exists()

    paid = _invoice(event, hall, organiser, "Good Payer", "R-2", due_in_days=-10, paid=True)
    with pytest.raises(DomainError, match="is paid in full"):
        services.remind_invoice(invoice=paid, actor=organiser)
    assert Invoice.objects.get(pk=paid.pk).reminded_at is None


def test_overdue_reminders_skip_paid_not_yet_due_and_recently_reminded_invoices(
    event, hall, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    late = _invoice(event, hall, organiser, "Late One", "O-1", due_in_days=-3)
    recent = _invoice(event, hall, organiser, "Reminded One", "O-2", due_in_days=-3)
    Invoice.objects.filter(pk=recent.pk).update(reminded_at=timezone.now() - timedelta(days=2))
    old = _invoice(event, hall, organiser, "Reminded Long Ago", "O-3", due_in_days=-30)
    Invoice.objects.filter(pk=old.pk).update(reminded_at=timezone.now() - timedelta(days=8))
    _invoice(event, hall, organiser, "Not Due Yet", "O-4", due_in_days=5)
    _invoice(event, hall, organiser, "Paid Late", "O-5", due_in_days=-3, paid=True)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_overdue_invoices(event=event, actor=organiser) == 2
    assert sorted(m.subject.split()[3] for m in mailoutbox) == sorted([late.number, old.number])
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_overdue_invoices(event=event, actor=organiser) == 0  # each reminded now
    assert len(mailoutbox) == 2


def test_organiser_reminds_from_the_invoice_page_and_the_list(client, event, hall, organiser, mailoutbox):
    late = _invoice(event, hall, organiser, "Late Payer", "P-1", due_in_days=-10)
    _invoice(event, hall, organiser, "On Time", "P-2", due_in_days=10)
    client.force_login(organiser)
    page = f"/{event.slug}/booking/manage/invoices/{late.pk}/"

    html = client.get(page).content.decode()
    assert "Not reminded yet." in html and "E-mail a payment reminder" in html
    response = client.post(f"{page}remind/", follow=True)
    assert f"Payment reminder for {late.number} sent to Late Payer." in response.content.decode()
    assert "Last reminded on" in response.content.decode()

    listing = f"/{event.slug}/booking/manage/invoices/"
    html = client.get(listing).content.decode()
    assert "1 invoice is past its due date and not paid in full." in html
    response = client.post(f"{listing}remind/", follow=True)
    assert "No overdue invoice left to remind" in response.content.decode()  # reminded a moment ago
    Invoice.objects.update(reminded_at=None)
    response = client.post(f"{listing}remind/", follow=True)
    assert "1 payment reminder sent." in response.content.decode()
    assert response.redirect_chain[-1][0].endswith("?status=due")


def test_reminders_through_the_api_are_the_organisers(
    client, event, hall, organiser, company, company_admin, mailoutbox
):
    late = _invoice(event, hall, organiser, "Late Payer", "A-1", due_in_days=-10)
    paid = _invoice(event, hall, organiser, "Good Payer", "A-2", due_in_days=-10, paid=True)
    api = f"/api/v1/events/{event.slug}/invoices/"
    client.force_login(organiser)

    body = client.post(f"{api}{late.pk}/remind/").json()
    assert body["number"] == late.number and body["reminded_at"] and body["is_overdue"] is True
    refused = client.post(f"{api}{paid.pk}/remind/")
    assert refused.status_code == 400 and "is paid in full" in str(refused.json())
    assert client.post(f"{api}remind-overdue/").json() == {"reminded": 0}  # the only one, just reminded

    own = _invoice(event, hall, organiser, "Own Company", "A-3", due_in_days=-1)
    Invoice.objects.filter(pk=own.pk).update(organisation=company)
    client.force_login(company_admin)
    assert client.post(f"{api}{own.pk}/remind/").status_code == 403  # sees its invoice, may not remind
    assert client.post(f"{api}remind-overdue/").status_code == 403
    assert Invoice.objects.get(pk=own.pk).reminded_at is None


def test_the_reminder_reaches_each_admin_in_their_language(
    event, hall, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    late = _invoice(event, hall, organiser, "Payeur Tardif", "F-1", due_in_days=-10)
    admins = late.organisation.memberships.select_related("user")
    User = type(admins.first().user)
    User.objects.filter(pk__in=[m.user_id for m in admins]).update(language="fr")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.remind_invoice(invoice=late, actor=organiser)
    (mail,) = mailoutbox
    subject = " ".join(mail.subject.split())  # the space before ":" is a no-break one
    assert subject == f"Relance de paiement : facture {late.number} pour {event.name}"
    assert f"La facture {late.number} de Payeur Tardif pour {event.name} était due le" in mail.body
    assert "il reste " in mail.body and " EUR à payer." in mail.body
