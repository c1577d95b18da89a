"""Booking API: the same services and the same rules (``user.has_perm``) as the pages.

A lost race is 409 with ``{"detail": "This stand was just taken by another exhibitor.", "code": "stand_taken"}``.
Objects of other companies (or other events) are 404: their existence does not leak.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from exhibition.accounts.models import Organisation
from exhibition.core.api import EventScopedMixin, settings_changes
from exhibition.core.errors import DomainError
from exhibition.core.idempotency import PARAMETER as IDEMPOTENCY_KEY
from exhibition.core.idempotency import idempotent
from exhibition.core.throttles import HeavyThrottle
from exhibition.floorplans.models import Stand

from .. import selectors, services
from ..invoices import render_invoice_pdf
from ..models import Booking
from .serializers import (
    AssignSerializer,
    BookingSerializer,
    BookingSettingsSerializer,
    FreeStandSerializer,
    HoldRequestSerializer,
    InvoiceDetailSerializer,
    InvoiceSerializer,
    MoveSerializer,
    PaymentSerializer,
    SwapSerializer,
    VacateSerializer,
)


def _stand(event, number: str, field: str = "stand") -> Stand:
    stand = selectors.stand_named(event, number)
    if stand is None:
        raise DomainError(_("There is no stand %(number)s at this show.") % {"number": number}, field=field)
    return stand


class CompanyMixin(EventScopedMixin):
    def company(self, raw=None) -> Organisation:
        raw = raw if raw is not None else self.request.query_params.get("organisation")
        try:
            wanted = int(raw) if raw not in (None, "") else None
        except (TypeError, ValueError):
            wanted = None
        company = selectors.company_for_user(self.request.user, self.event, wanted)
        if company is None:
            raise PermissionDenied(_("You are not a member of an exhibiting company at this show."))
        return company


class AvailableStandsView(CompanyMixin, generics.ListAPIView):
    """Free stands that fit the company's stand request (``?all=1``: every free stand)."""

    serializer_class = FreeStandSerializer
    permission_required = "booking.view_my_stand"

    @extend_schema(parameters=[OpenApiParameter("all", bool), OpenApiParameter("organisation", int)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        company = self.company()
        if not self.request.user.has_perm("booking.book_stand", company):
            raise PermissionDenied(_("Only the admin of an approved exhibiting company can book a stand."))
        return selectors.stands_that_fit(
            self.event, company, show_all=self.request.query_params.get("all") == "1"
        )


class BookingListView(EventScopedMixin, generics.ListAPIView):
    """Active bookings: all of them for organisers, your companies' for exhibitors."""

    serializer_class = BookingSerializer
    permission_required = "booking.view_my_stand"

    def get_permission_object(self):
        return self.event

    def check_permissions(self, request):
        # Organisers and exhibitors alike; the queryset is scoped per user.
        if not (
            request.user.has_perm("booking.view_my_stand", self.event)
            or request.user.has_perm("booking.allocate_stands", self.event)
        ):
            self.permission_denied(request)

    def get_queryset(self):
        return selectors.bookings_visible_to(self.request.user, self.event)


class HoldCreateView(CompanyMixin, APIView):
    """POST {"stand": "5A-101"} holds the stand: 201 with the hold, 200 if you already hold it
    (double click), 409 if another company was faster."""

    permission_required = "booking.view_my_stand"

    @extend_schema(
        parameters=[IDEMPOTENCY_KEY],
        request=HoldRequestSerializer,
        responses={201: BookingSerializer, 200: BookingSerializer},
    )
    @idempotent
    def post(self, request, event_slug):
        data = HoldRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        company = self.company(data.validated_data.get("organisation"))
        if not request.user.has_perm("booking.book_stand", company):
            raise PermissionDenied(_("Only the admin of an approved exhibiting company can book a stand."))
        stand = _stand(self.event, data.validated_data["stand"])
        booking = services.hold_stand(event=self.event, stand=stand, organisation=company, actor=request.user)
        code = status.HTTP_201_CREATED if getattr(booking, "was_created", True) else status.HTTP_200_OK
        booking = selectors.booking_for(request.user, self.event, booking.pk)
        return Response(BookingSerializer(booking, context=self.get_serializer_context()).data, status=code)

    def get_serializer_context(self):
        return {"request": self.request, "event": self.event}


class _BookingObjectView(EventScopedMixin, APIView):
    """One booking: 404 unless you may see it; changing it is for the company's admin and the
    organisers."""

    permission_required = "booking.view_booking"

    def get_permission_object(self):
        if not self.request.user.is_authenticated:
            return None
        return selectors.booking_for(self.request.user, self.event, self.kwargs["pk"])

    def booking(self, pk) -> Booking:
        booking = selectors.booking_for(self.request.user, self.event, pk)
        if not self.request.user.has_perm("booking.change_booking", booking):
            raise PermissionDenied(_("You may not change this booking."))
        return booking


class HoldDetailView(_BookingObjectView):
    @extend_schema(responses={204: None})
    def delete(self, request, event_slug, pk):
        services.release_booking(booking=self.booking(pk), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ConfirmView(_BookingObjectView):
    @extend_schema(parameters=[IDEMPOTENCY_KEY], request=None, responses={200: BookingSerializer})
    @idempotent
    def post(self, request, event_slug, pk):
        booking = services.confirm_booking(booking=self.booking(pk), actor=request.user)
        booking = selectors.booking_for(request.user, self.event, booking.pk)
        return Response(BookingSerializer(booking, context={"event": self.event}).data)


class _AllocationView(EventScopedMixin, APIView):
    permission_required = "booking.allocate_stands"
    serializer_class = AssignSerializer

    def parsed(self, request):
        data = self.serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        return data.validated_data

    def respond(self, *bookings: Booking, code=status.HTTP_200_OK):
        fresh = [selectors.booking_with_invoice(self.event, b.pk) for b in bookings]
        data = [BookingSerializer(b, context={"event": self.event}).data for b in fresh]
        return Response(data[0] if len(data) == 1 else data, status=code)


class AssignView(_AllocationView):
    @extend_schema(request=AssignSerializer, responses={201: BookingSerializer})
    def post(self, request, event_slug):
        d = self.parsed(request)
        organisation = selectors.company_of_event(self.event, d["organisation"])
        if organisation is None:
            raise DomainError(_("Choose an exhibiting company of this event."), field="organisation")
        booking = services.assign_stand(
            event=self.event,
            stand=_stand(self.event, d["stand"]),
            organisation=organisation,
            actor=request.user,
            issue_invoice=d["issue_invoice"],
        )
        return self.respond(booking, code=status.HTTP_201_CREATED)


class MoveView(_AllocationView):
    serializer_class = MoveSerializer

    @extend_schema(request=MoveSerializer, responses={200: BookingSerializer})
    def post(self, request, event_slug):
        d = self.parsed(request)
        booking = services.move_booking(
            event=self.event,
            from_stand=_stand(self.event, d["from_stand"], "from_stand"),
            to_stand=_stand(self.event, d["to_stand"], "to_stand"),
            actor=request.user,
        )
        return self.respond(booking)


class SwapView(_AllocationView):
    serializer_class = SwapSerializer

    @extend_schema(request=SwapSerializer, responses={200: BookingSerializer(many=True)})
    def post(self, request, event_slug):
        d = self.parsed(request)
        a, b = services.swap_stands(
            event=self.event,
            stand_a=_stand(self.event, d["stand_a"], "stand_a"),
            stand_b=_stand(self.event, d["stand_b"], "stand_b"),
            actor=request.user,
        )
        return self.respond(a, b)


class VacateView(_AllocationView):
    serializer_class = VacateSerializer

    @extend_schema(request=VacateSerializer, responses={200: BookingSerializer})
    def post(self, request, event_slug):
        d = self.parsed(request)
        booking = services.vacate_stand(
            event=self.event, stand=_stand(self.event, d["stand"]), actor=request.user
        )
        return self.respond(booking)


class _InvoiceMixin(EventScopedMixin):
    permission_required = "booking.view_invoices"

    def invoice(self, pk):
        invoice = selectors.invoice_for(self.request.user, self.event, pk)
        if not self.request.user.has_perm("booking.view_invoice", invoice):  # belt and braces: 404, not 403
            raise Http404
        return invoice


class InvoiceListView(_InvoiceMixin, generics.ListAPIView):
    """Invoices: all for organisers, your own company's for its admins."""

    serializer_class = InvoiceSerializer

    def get_queryset(self):
        return selectors.invoices_visible_to(self.request.user, self.event)


class InvoiceDetailView(_InvoiceMixin, APIView):
    @extend_schema(responses={200: InvoiceDetailSerializer})
    def get(self, request, event_slug, pk):
        return Response(InvoiceDetailSerializer(self.invoice(pk), context={"event": self.event}).data)


class InvoicePdfView(_InvoiceMixin, APIView):
    throttle_classes = [HeavyThrottle]  # renders or computes for seconds: see core.throttles

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request, event_slug, pk):
        invoice = self.invoice(pk)
        response = HttpResponse(render_invoice_pdf(invoice), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{invoice.number}.pdf"'
        return response


class PaymentCreateView(_InvoiceMixin, APIView):
    """POST {"amount": "100.00", "received_on": "2025-10-01", "method": "bank_transfer", "reference": "..."}."""

    @extend_schema(request=PaymentSerializer, responses={201: InvoiceDetailSerializer})
    def post(self, request, event_slug, pk):
        invoice = self.invoice(pk)
        if not request.user.has_perm("booking.record_payment", invoice):
            raise PermissionDenied(_("Only the organiser records payments."))
        data = PaymentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.record_payment(invoice=invoice, actor=request.user, **data.validated_data)
        fresh = selectors.invoice_for(request.user, self.event, pk)
        return Response(
            InvoiceDetailSerializer(fresh, context={"event": self.event}).data, status=status.HTTP_201_CREATED
        )


class InvoiceReminderView(_InvoiceMixin, APIView):
    """POST (no body): e-mail the company's admins a reminder to pay this invoice; 400 for an
    invoice paid in full."""

    @extend_schema(request=None, responses={200: InvoiceSerializer})
    def post(self, request, event_slug, pk):
        invoice = self.invoice(pk)
        if not request.user.has_perm("booking.manage_invoices", self.event):
            raise PermissionDenied(_("Only the organiser reminds companies to pay."))
        invoice = services.remind_invoice(invoice=invoice, actor=request.user)
        return Response(InvoiceSerializer(invoice, context={"event": self.event}).data)


class BookingInvoiceView(EventScopedMixin, APIView):
    """POST (no body): the confirmed booking's invoice, issued now if it has none yet (after an
    assignment without one, or a move), as the allocation board's "Issue the invoice" does.
    Idempotent: a booking is invoiced once. 400 for a booking that is not confirmed."""

    permission_required = "booking.manage_invoices"

    @extend_schema(request=None, responses={200: InvoiceSerializer})
    def post(self, request, event_slug, pk):
        booking = selectors.booking_for(request.user, self.event, pk)
        invoice = services.issue_invoice(booking=booking, actor=request.user)
        return Response(InvoiceSerializer(invoice, context={"event": self.event}).data)


class OverdueRemindersView(EventScopedMixin, APIView):
    """POST (no body): remind every company whose invoice is past its due date and not paid in
    full, except those reminded in the last 7 days; answers how many were reminded."""

    permission_required = "booking.manage_invoices"

    @extend_schema(
        request=None,
        responses={200: inline_serializer("RemindersSent", {"reminded": serializers.IntegerField()})},
    )
    def post(self, request, event_slug):
        return Response({"reminded": services.remind_overdue_invoices(event=self.event, actor=request.user)})


class BookingSettingsView(EventScopedMixin, APIView):
    """The show's booking settings (the booking settings page): hold length, VAT rate, invoice
    numbering, payment terms and the organiser's invoice details. Organiser admins read and
    change them (PATCH, any of the fields); invoices already issued keep what they were issued
    with."""

    permission_required = "booking.change_settings"

    @extend_schema(responses={200: BookingSettingsSerializer})
    def get(self, request, event_slug):
        return Response(BookingSettingsSerializer(selectors.settings_for(self.event)).data)

    @extend_schema(request=BookingSettingsSerializer, responses={200: BookingSettingsSerializer})
    def patch(self, request, event_slug):
        saved = services.update_booking_settings(
            event=self.event, actor=request.user, **settings_changes(BookingSettingsSerializer, request)
        )
        return Response(BookingSettingsSerializer(saved).data)
