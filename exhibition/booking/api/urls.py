"""API endpoints of booking, mounted under /api/v1/events/<event_slug>/ (paths prefixed
``booking/`` so they never collide with the floor plan's ``stands/<number>/``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("booking/available-stands/", views.AvailableStandsView.as_view(), name="booking-available-stands"),
    path("booking/bookings/", views.BookingListView.as_view(), name="booking-list"),
    path("booking/holds/", views.HoldCreateView.as_view(), name="booking-hold-create"),
    path("booking/holds/<int:pk>/", views.HoldDetailView.as_view(), name="booking-hold-detail"),
    path("booking/bookings/<int:pk>/confirm/", views.ConfirmView.as_view(), name="booking-confirm"),
    path("booking/bookings/<int:pk>/invoice/", views.BookingInvoiceView.as_view(), name="booking-invoice"),
    path("booking/assign/", views.AssignView.as_view(), name="booking-assign"),
    path("booking/move/", views.MoveView.as_view(), name="booking-move"),
    path("booking/swap/", views.SwapView.as_view(), name="booking-swap"),
    path("booking/vacate/", views.VacateView.as_view(), name="booking-vacate"),
    path("booking/settings/", views.BookingSettingsView.as_view(), name="booking-settings"),
    path("invoices/", views.InvoiceListView.as_view(), name="invoice-list"),
    path("invoices/<int:pk>/", views.InvoiceDetailView.as_view(), name="invoice-detail"),
    path("invoices/<int:pk>/pdf/", views.InvoicePdfView.as_view(), name="invoice-pdf"),
    path("invoices/<int:pk>/payments/", views.PaymentCreateView.as_view(), name="invoice-payments"),
    path("invoices/<int:pk>/remind/", views.InvoiceReminderView.as_view(), name="invoice-remind"),
    path("invoices/remind-overdue/", views.OverdueRemindersView.as_view(), name="invoice-remind-overdue"),
]
