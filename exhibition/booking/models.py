"""Stand sales: per-event settings, bookings (holds and confirmations), invoices with
gap-free numbers, and the payments recorded against them.

The stand row (``floorplans.Stand``) carries the live status the plan shows; a
:class:`Booking` is the commercial record of who holds or occupies which stand. The
database guarantees that a stand has at most one active booking (held or confirmed).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exhibition.core.models import TimeStampedModel


class BookingSettings(models.Model):
    """What the organiser sells under: hold length, VAT, invoice numbering and terms."""

    event = models.OneToOneField("events.Event", on_delete=models.CASCADE, related_name="booking_settings")
    hold_minutes = models.PositiveSmallIntegerField(
        _("hold length (minutes)"), default=15, validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )
    vat_rate = models.DecimalField(
        _("VAT rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("20.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    invoice_prefix = models.CharField(_("invoice number prefix"), max_length=20, default="INV-")
    payment_terms_days = models.PositiveSmallIntegerField(_("payment terms (days)"), default=30)
    organiser_name = models.CharField(_("organiser legal name"), max_length=200, blank=True)
    organiser_address = models.TextField(_("organiser address"), blank=True)
    organiser_vat_number = models.CharField(_("organiser VAT number"), max_length=40, blank=True)
    organiser_email = models.EmailField(_("billing e-mail"), blank=True)
    bank_details = models.TextField(_("bank details (IBAN, BIC)"), blank=True)

    # What the organiser sets, on the settings page and through the API alike.
    ORGANISER_FIELDS = (
        "hold_minutes",
        "vat_rate",
        "invoice_prefix",
        "payment_terms_days",
        "organiser_name",
        "organiser_address",
        "organiser_vat_number",
        "organiser_email",
        "bank_details",
    )

    class Meta:
        verbose_name = _("booking settings")
        verbose_name_plural = _("booking settings")

    def __str__(self) -> str:
        return f"Booking settings of {self.event}"


class Booking(TimeStampedModel):
    """One company's claim on one stand: a hold that may expire, or a confirmed booking."""

    class Status(models.TextChoices):
        HELD = "held", _("Held")
        CONFIRMED = "confirmed", _("Confirmed")
        RELEASED = "released", _("Released")
        EXPIRED = "expired", _("Expired")
        CANCELLED = "cancelled", _("Cancelled")

    class Source(models.TextChoices):
        EXHIBITOR = "exhibitor", _("Booked by the exhibitor")
        ORGANISER = "organiser", _("Assigned by the organiser")

    ACTIVE = (Status.HELD, Status.CONFIRMED)

    # Not a field: set by ``services.hold_stand`` on the booking it returns (False when a double click
    # found the same company's hold already there), so the API answers 201 or 200.
    was_created: bool

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="bookings")
    # A deleted stand takes its booking history with it; invoices keep their own copy of the facts.
    stand = models.ForeignKey("floorplans.Stand", on_delete=models.CASCADE, related_name="bookings")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="bookings"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.HELD)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, default=Source.EXHIBITOR)
    held_until = models.DateTimeField(_("held until"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The quote, frozen at confirmation.
    net = models.DecimalField(_("net"), max_digits=12, decimal_places=2, default=Decimal("0"))
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2, default=Decimal("0"))
    vat = models.DecimalField(_("VAT"), max_digits=12, decimal_places=2, default=Decimal("0"))
    gross = models.DecimalField(_("gross"), max_digits=12, decimal_places=2, default=Decimal("0"))

    class Meta:
        ordering = ["event", "-created_at", "-id"]
        constraints = [
            # The database's own guard against selling a stand twice.
            models.UniqueConstraint(
                fields=["stand"],
                condition=models.Q(status__in=["held", "confirmed"]),
                name="booking_one_active_per_stand",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "organisation", "status"]),
            models.Index(fields=["status", "held_until"]),
        ]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")

    def __str__(self) -> str:
        return f"{self.stand} – {self.organisation} ({self.status})"

    @property
    def is_live_hold(self) -> bool:
        return (
            self.status == self.Status.HELD
            and self.held_until is not None
            and self.held_until > timezone.now()
        )


class InvoiceCounter(models.Model):
    """The last invoice number of an event; locked and incremented in the invoice's transaction."""

    event = models.OneToOneField("events.Event", on_delete=models.CASCADE, related_name="invoice_counter")
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("invoice counter")
        verbose_name_plural = _("invoice counters")

    def __str__(self) -> str:
        return f"{self.event}: {self.last_number}"


class Invoice(TimeStampedModel):
    """An issued invoice: everything the PDF shows is stored here, the PDF is rendered on demand."""

    class PaymentStatus(models.TextChoices):
        UNPAID = "unpaid", _("Unpaid")
        PARTLY_PAID = "partly_paid", _("Partly paid")
        PAID = "paid", _("Paid")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="invoices")
    booking = models.OneToOneField(
        Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="invoice"
    )
    # RESTRICT: an organisation with invoices cannot be deleted on its own (only with its event).
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.RESTRICT, related_name="invoices"
    )
    stand_number = models.CharField(_("stand"), max_length=20, blank=True)
    sequence = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(_("number"), max_length=40)
    issued_on = models.DateField(_("issued on"))
    due_on = models.DateField(_("due on"))
    currency = models.CharField(_("currency"), max_length=3)
    seller = models.JSONField(_("seller"), default=dict)
    buyer = models.JSONField(_("buyer"), default=dict)
    lines = models.JSONField(_("lines"), default=list)
    net = models.DecimalField(_("net"), max_digits=12, decimal_places=2)
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2)
    vat = models.DecimalField(_("VAT"), max_digits=12, decimal_places=2)
    gross = models.DecimalField(_("gross"), max_digits=12, decimal_places=2)
    amount_paid = models.DecimalField(
        _("paid"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        help_text=_("Sum of the payments, kept by the payment service."),
    )
    reminded_at = models.DateTimeField(
        _("last payment reminder"),
        null=True,
        blank=True,
        help_text=_("When the company was last reminded to pay."),
    )

    class Meta:
        ordering = ["event", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["event", "sequence"], name="invoice_unique_sequence"),
            models.UniqueConstraint(fields=["event", "number"], name="invoice_unique_number"),
            models.CheckConstraint(
                condition=models.Q(amount_paid__lte=models.F("gross")), name="invoice_not_overpaid"
            ),
        ]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")

    def __str__(self) -> str:
        return self.number

    @property
    def balance(self) -> Decimal:
        return self.gross - self.amount_paid

    @property
    def payment_status(self) -> str:
        if self.amount_paid <= 0:
            return self.PaymentStatus.UNPAID
        if self.amount_paid < self.gross:
            return self.PaymentStatus.PARTLY_PAID
        return self.PaymentStatus.PAID

    def get_payment_status_display(self) -> str:
        return str(self.PaymentStatus(self.payment_status).label)

    @property
    def is_overdue(self) -> bool:
        """Not fully paid after its due date (the day in the active time zone: the show's, on the
        show's pages and API, as the organiser dashboard counts them)."""
        return self.amount_paid < self.gross and self.due_on < timezone.localdate()


class Payment(models.Model):
    class Method(models.TextChoices):
        BANK_TRANSFER = "bank_transfer", _("Bank transfer")
        CARD = "card", _("Card")
        CHEQUE = "cheque", _("Cheque")
        CASH = "cash", _("Cash")
        OTHER = "other", _("Other")

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="payments")
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    received_on = models.DateField(_("received on"))
    method = models.CharField(
        _("method"), max_length=20, choices=Method.choices, default=Method.BANK_TRANSFER
    )
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["invoice", "received_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_positive_amount")
        ]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self) -> str:
        return f"{self.amount} on {self.received_on}"
