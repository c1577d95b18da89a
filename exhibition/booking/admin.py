"""Admin views of booking. Bookings, invoices and payments are read-only here: every change
goes through the services (pages and API), which lock, audit and notify."""

from django.contrib import admin

from .models import Booking, BookingSettings, Invoice, Payment


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BookingSettings)
class BookingSettingsAdmin(admin.ModelAdmin):
    list_display = ["event", "hold_minutes", "vat_rate", "invoice_prefix", "payment_terms_days"]


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    list_display = ["stand", "organisation", "status", "source", "held_until", "confirmed_at", "gross"]
    list_filter = ["event", "status", "source"]
    search_fields = ["stand__number", "organisation__name"]
    list_select_related = ["stand", "organisation"]


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ["number", "organisation", "issued_on", "due_on", "gross", "amount_paid"]
    list_filter = ["event"]
    search_fields = ["number", "organisation__name"]
    list_select_related = ["organisation"]
    inlines = [PaymentInline]
