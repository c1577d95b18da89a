from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from exhibition.floorplans.models import Stand

from ..models import Booking, BookingSettings, Invoice, Payment


class CompanyRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class FreeStandSerializer(serializers.ModelSerializer):
    hall = serializers.CharField(source="hall.code")
    pavilion = serializers.CharField(source="pavilion.name", default=None, allow_null=True)

    class Meta:
        model = Stand
        fields = ["id", "number", "hall", "kind", "area", "open_sides", "pavilion", "price"]


class InvoiceRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()


class BookingSerializer(serializers.ModelSerializer):
    stand = serializers.CharField(source="stand.number")
    hall = serializers.CharField(source="stand.hall.code")
    organisation = CompanyRefSerializer()
    invoice = serializers.SerializerMethodField()

    class Meta:
        model = Booking
        fields = [
            "id",
            "stand",
            "hall",
            "organisation",
            "status",
            "source",
            "held_until",
            "confirmed_at",
            "net",
            "vat_rate",
            "vat",
            "gross",
            "invoice",
        ]

    @extend_schema_field(InvoiceRefSerializer(allow_null=True))
    def get_invoice(self, obj):
        invoice = getattr(obj, "invoice", None) if hasattr(obj, "invoice") else None
        return {"id": invoice.pk, "number": invoice.number} if invoice else None


class HoldRequestSerializer(serializers.Serializer):
    stand = serializers.CharField(max_length=20)
    organisation = serializers.IntegerField(required=False)


class AssignSerializer(serializers.Serializer):
    organisation = serializers.IntegerField()
    stand = serializers.CharField(max_length=20)
    issue_invoice = serializers.BooleanField(default=True)


class MoveSerializer(serializers.Serializer):
    from_stand = serializers.CharField(max_length=20)
    to_stand = serializers.CharField(max_length=20)


class SwapSerializer(serializers.Serializer):
    stand_a = serializers.CharField(max_length=20)
    stand_b = serializers.CharField(max_length=20)


class VacateSerializer(serializers.Serializer):
    stand = serializers.CharField(max_length=20)


class PaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = ["id", "amount", "received_on", "method", "reference"]
        read_only_fields = ["id"]
        extra_kwargs = {"amount": {"min_value": None}}


class InvoiceSerializer(serializers.ModelSerializer):
    organisation = CompanyRefSerializer()
    stand = serializers.CharField(source="stand_number")
    payment_status = serializers.CharField()
    is_overdue = serializers.BooleanField(
        help_text="Not fully paid after its due date (the show's local date)."
    )
    balance = serializers.DecimalField(max_digits=12, decimal_places=2)
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = [
            "id",
            "number",
            "organisation",
            "stand",
            "issued_on",
            "due_on",
            "currency",
            "net",
            "vat_rate",
            "vat",
            "gross",
            "amount_paid",
            "balance",
            "payment_status",
            "is_overdue",
            "reminded_at",
            "pdf_url",
        ]

    def get_pdf_url(self, obj) -> str:
        return f"/api/v1/events/{self.context['event'].slug}/invoices/{obj.pk}/pdf/"


class InvoiceDetailSerializer(InvoiceSerializer):
    payments = PaymentSerializer(many=True)

    class Meta(InvoiceSerializer.Meta):
        fields = [*InvoiceSerializer.Meta.fields, "seller", "buyer", "lines", "payments"]


class BookingSettingsSerializer(serializers.ModelSerializer):
    """What the show sells under: how long a hold lasts, the VAT rate (percent), invoice
    numbering and payment terms, and the organiser's details printed on invoices."""

    class Meta:
        model = BookingSettings
        fields = BookingSettings.ORGANISER_FIELDS
