from django.urls import path

from . import views

app_name = "booking"

urlpatterns = [
    path("", views.MyStandView.as_view(), name="my_stand"),
    path("stands/<str:number>/hold/", views.HoldStandView.as_view(), name="hold"),
    path("bookings/<int:pk>/confirm/", views.ConfirmBookingView.as_view(), name="confirm"),
    path("bookings/<int:pk>/release/", views.ReleaseBookingView.as_view(), name="release"),
    path("invoices/<int:pk>/pdf/", views.InvoicePdfView.as_view(), name="invoice_pdf"),
    path("manage/", views.AllocationBoardView.as_view(), name="board"),
    path("manage/invoices/", views.InvoiceListView.as_view(), name="invoices"),
    path("manage/invoices/remind/", views.OverdueRemindersView.as_view(), name="remind_overdue"),
    path("manage/invoices/<int:pk>/", views.InvoiceDetailView.as_view(), name="invoice"),
    path("manage/invoices/<int:pk>/remind/", views.InvoiceReminderView.as_view(), name="remind_invoice"),
    path("manage/bookings/<int:pk>/invoice/", views.IssueInvoiceView.as_view(), name="issue_invoice"),
    path("manage/settings/", views.BookingSettingsView.as_view(), name="settings"),
]
