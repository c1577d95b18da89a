"""The one way a page shows a service's DomainError (exhibition/core/views.py): on the form, on its
field, with the error's status and nothing written; a button's refusal as a message on the page it
came from. Asserted through real pages; and the rule that page views write no ``except DomainError``
of their own."""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.messages import get_messages

from exhibition.booking import services
from exhibition.booking.models import Booking, BookingSettings, Invoice, Payment
from exhibition.floorplans.models import Stand
from tests import factories
from tests.factories.booking import make_exhibitor, make_stand

EXHIBITION = Path(__file__).resolve().parents[2] / "exhibition"
MARK = "# handled here:"
CAUGHT = {"DomainError", "ConflictError", "NotAllowed"}


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _page(event, path: str) -> str:
    return f"/{event.slug}/booking/{path}"


@pytest.fixture
def stand(event):
    hall = factories.make_hall(event, "5A", width=2000, depth=80)
    return make_stand(event, "5A-001", hall=hall, width=3, depth=4, open_sides=Stand.OpenSides.CORNER)


@pytest.fixture
def aegis(event):
    return make_exhibitor(event, "Aegis Systems")[0]


# --- a form page -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_form_service_error_shows_on_its_field_with_400_and_nothing_written(
    client, event, stand, aegis, organiser
):
    booking = services.assign_stand(event=event, stand=stand, organisation=aegis, actor=organiser)
    invoice = Invoice.objects.get(booking=booking)
    client.force_login(organiser)

    response = client.post(
        _page(event, f"manage/invoices/{invoice.pk}/"),
        {"amount": "9000", "received_on": "2025-07-01", "method": "cash"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "amount": ["This payment exceeds the balance due (7,862.40 EUR)."]
    }
    assert "This payment exceeds the balance due (7,862.40 EUR)." in response.content.decode()
    assert not Payment.objects.exists()
    assert _messages(response) == []


@pytest.mark.django_db
def test_form_success_redirects_with_its_message(client, event, stand, aegis, organiser):
    booking = services.assign_stand(event=event, stand=stand, organisation=aegis, actor=organiser)
    invoice = Invoice.objects.get(booking=booking)
    client.force_login(organiser)

    response = client.post(
        _page(event, f"manage/invoices/{invoice.pk}/"),
        {"amount": "100.00", "received_on": "2025-07-01", "method": "cash"},
    )

    assert response.status_code == 302
    assert response["Location"] == _page(event, f"manage/invoices/{invoice.pk}/")
    assert _messages(response) == ["Payment recorded."]
    assert list(Payment.objects.values_list("invoice_id", "amount")) == [(invoice.pk, Decimal("100.00"))]


@pytest.mark.django_db
def test_form_invalid_input_is_400_before_any_service(client, event, stand, aegis, organiser):
    booking = services.assign_stand(event=event, stand=stand, organisation=aegis, actor=organiser)
    invoice = Invoice.objects.get(booking=booking)
    client.force_login(organiser)

    response = client.post(_page(event, f"manage/invoices/{invoice.pk}/"), {"amount": "", "method": "cash"})

    assert response.status_code == 400
    assert response.context["form"].errors["amount"] == ["This field is required."]
    assert not Payment.objects.exists()


@pytest.mark.django_db
def test_lost_race_on_a_page_of_several_forms_is_409_on_that_form_only(
    client, event, stand, aegis, organiser
):
    rival = make_exhibitor(event, "Bastion Optics", email="admin@bastion.test")[0]
    services.assign_stand(event=event, stand=stand, organisation=aegis, actor=organiser)
    client.force_login(organiser)

    response = client.post(
        _page(event, "manage/"),
        {"action": "assign", "assign-organisation": rival.pk, "assign-stand": "5A-001"},
    )

    assert response.status_code == 409
    # The service names no field: the message stands above the form it came from.
    assert response.context["assign_form"].errors == {"__all__": ["Stand 5A-001 is not free."]}
    assert response.context["move_form"].errors == {}
    assert "Stand 5A-001 is not free." in response.content.decode()
    assert list(Booking.objects.values_list("organisation_id", flat=True)) == [aegis.pk]


@pytest.mark.django_db
def test_settings_page_of_one_form_saves_and_redirects_to_itself(client, event, organiser):
    client.force_login(organiser)
    url = _page(event, "manage/settings/")

    shown = client.get(url)
    response = client.post(
        url,
        {
            "hold_minutes": 15,
            "vat_rate": "20.00",
            "invoice_prefix": "EX-",
            "payment_terms_days": 30,
            "organiser_name": "Org SA",
            "organiser_address": "Paris",
            "organiser_vat_number": "FR1",
            "organiser_email": "billing@org.test",
            "bank_details": "IBAN FR76",
        },
    )

    assert shown.status_code == 200 and 'name="invoice_prefix"' in shown.content.decode()
    assert response.status_code == 302 and response["Location"] == url
    assert _messages(response) == ["Booking settings saved."]
    saved = BookingSettings.objects.get(event=event)
    assert (saved.hold_minutes, saved.invoice_prefix) == (15, "EX-")


# --- a button ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_button_refused_is_an_error_message_and_back_with_nothing_written(
    client, event, stand, aegis, organiser
):
    admin = factories.make_member(aegis, "admin")
    held = services.hold_stand(event=event, stand=stand, organisation=aegis, actor=admin)
    client.force_login(organiser)

    response = client.post(_page(event, f"manage/bookings/{held.pk}/invoice/"))

    assert response.status_code == 302
    assert response["Location"] == _page(event, "manage/")
    assert _messages(response) == ["Only a confirmed booking can be invoiced."]
    assert not Invoice.objects.exists()


@pytest.mark.django_db
def test_button_refused_where_the_page_re_renders_keeps_its_status(client, event, stand, aegis, organiser):
    rival, rival_admin = make_exhibitor(event, "Bastion Optics", email="admin@bastion.test")
    services.hold_stand(event=event, stand=stand, organisation=rival, actor=rival_admin)
    admin = factories.make_member(aegis, "admin")
    client.force_login(admin)

    response = client.post(_page(event, "stands/5A-001/hold/"))

    assert response.status_code == 409
    assert "This stand was just taken by another exhibitor." in response.content.decode()
    assert not Booking.objects.filter(organisation=aegis).exists()


# --- the rule --------------------------------------------------------------------------------------------


def unmarked_handlers(path: Path) -> list[str]:
    """``except DomainError`` (or ConflictError, NotAllowed) in a file, unless the handler's line,
    or the line above it, says why with ``# handled here: <reason>``."""
    source = path.read_text()
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ExceptHandler) or node.type is None:
            continue
        types = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
        names = {t.attr if isinstance(t, ast.Attribute) else getattr(t, "id", "") for t in types}
        if not names & CAUGHT:
            continue
        here, above = lines[node.lineno - 1], lines[node.lineno - 2] if node.lineno > 1 else ""
        reason = (here.split(MARK, 1)[1] if MARK in here else above.strip().removeprefix(MARK)).strip()
        if not (MARK in here or above.strip().startswith(MARK)) or not reason:
            found.append(f"{path}:{node.lineno}: {here.strip()}")
    return found


def test_page_views_leave_domain_errors_to_the_core_mixins():
    """Page views (exhibition/<app>/views.py or the views/ package; not the API, which has its
    exception handler) use DomainFormMixin.submit / DomainActionMixin.act: a hand-written handler
    needs its reason."""
    pages = sorted([*EXHIBITION.glob("*/views.py"), *EXHIBITION.glob("*/views/*.py")])
    assert len(pages) >= 10
    unmarked = [site for path in pages if path.parent.name != "core" for site in unmarked_handlers(path)]
    assert unmarked == []


def test_the_rule_sees_an_unmarked_handler_and_accepts_a_reasoned_one(tmp_path):
    bare = tmp_path / "bare.py"
    bare.write_text(
        "try:\n    pass\nexcept (ValueError, errors.DomainError) as exc:\n    pass\n"
        "try:\n    pass\nexcept NotAllowed:  # handled here:\n    pass\n"
    )
    marked = tmp_path / "marked.py"
    marked.write_text(
        "try:\n    pass\nexcept DomainError:  # handled here: a lookup, 404\n    pass\n"
        "try:\n    pass\n# handled here: a check\nexcept ConflictError:\n    pass\n"
        "try:\n    pass\nexcept ValueError:\n    pass\n"
    )

    assert [s.split(": ", 1)[1] for s in unmarked_handlers(bare)] == [
        "except (ValueError, errors.DomainError) as exc:",
        "except NotAllowed:  # handled here:",
    ]
    assert unmarked_handlers(marked) == []
