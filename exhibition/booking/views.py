"""Booking pages: the exhibitor's "My stand" and the organiser's allocation board and
invoices. Thin: a form parses, one service acts, then redirect (or re-render with the
error and its status: 400 for bad input, 409 for a lost race). Everything works without JS."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

from exhibition.core import formats
from exhibition.core.ids import as_id
from exhibition.core.views import DomainActionMixin, DomainFormMixin, DomainFormView, PermissionMixin

from . import selectors, services
from .forms import AssignForm, BookingSettingsForm, MoveForm, PaymentForm, SwapForm, VacateForm
from .invoices import render_invoice_pdf
from .models import Invoice


def _company_id(request) -> int | None:
    raw = request.GET.get("company") or request.POST.get("company")
    return as_id(raw)


# --- exhibitor ---------------------------------------------------------------------------------


class MyStandView(PermissionMixin, View):
    """The company's hold (with a countdown), bookings, quote, invoices and the stands that fit."""

    permission_required = "booking.view_my_stand"
    template_name = "booking/my_stand.html"

    def render_page(self, request, *, status: int = 200, error: str | None = None):
        event = request.event
        company = selectors.company_for_user(request.user, event, _company_id(request))
        if company is None:
            raise PermissionDenied
        show_all = request.GET.get("all") == "1"
        bookings = list(selectors.bookings_for_organisation(event, company))
        held = [b for b in bookings if b.status == b.Status.HELD]
        quotes = {b.pk: selectors.quote_for_stand(event, b.stand) for b in held}
        now = timezone.now()
        for b in held:
            b.quote = quotes[b.pk]
            b.time_left = selectors.time_left_words((b.held_until - now).total_seconds())
            b.hold_end = selectors.hold_end_words(b.held_until, now)
        can_book = request.user.has_perm("booking.book_stand", company)
        stands = Paginator(selectors.stands_that_fit(event, company, show_all=show_all), 25).get_page(
            request.GET.get("page")
        )
        invoices = []
        if request.user.has_perm("booking.view_invoice", Invoice(event=event, organisation=company)):
            invoices = list(selectors.company_invoices_visible_to(request.user, event, company))
        context = {
            "company": company,
            "approved": selectors.is_approved_exhibitor(event, company),
            "can_book": can_book,
            "bookings": bookings,
            "confirmed": [b for b in bookings if b.status == b.Status.CONFIRMED],
            "held": held,
            "time_left_formats": selectors.time_left_formats(),
            "page": stands,
            "show_all": show_all,
            "invoices": invoices,
            "stand_request": selectors.stand_request_for(event, company),
            "error": error,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, event_slug):
        return self.render_page(request)


class _ExhibitorAction(DomainActionMixin, MyStandView):
    """POST-only actions of My stand: ``perform()`` calls the service and returns the success
    message; errors re-render the page with the message and their status."""

    def get(self, request, *args, **kwargs):
        return redirect("booking:my_stand", event_slug=request.event.slug)

    def act_on_my_stand(self, perform):
        request = self.request

        def done():
            messages.success(request, perform())
            url = reverse("booking:my_stand", kwargs={"event_slug": request.event.slug})
            company = _company_id(request)
            return redirect(f"{url}?company={company}" if company else url)

        return self.act(
            done, failed=lambda exc: self.render_page(request, status=exc.status_code, error=exc.message)
        )


class HoldStandView(_ExhibitorAction):
    def post(self, request, event_slug, number):
        event = request.event
        company = selectors.company_for_user(request.user, event, _company_id(request))
        if company is None or not request.user.has_perm("booking.book_stand", company):
            raise PermissionDenied
        stand = selectors.stand_numbered(event, number)

        def hold():
            booking = services.hold_stand(event=event, stand=stand, organisation=company, actor=request.user)
            return _("Stand %(number)s is held for you until %(time)s.") % {
                "number": stand.number,
                "time": selectors.hold_end_words(booking.held_until),
            }

        return self.act_on_my_stand(hold)


class _BookingAction(_ExhibitorAction):
    def booking(self, request, pk: int):
        booking = selectors.booking_for(request.user, request.event, pk)
        if not request.user.has_perm("booking.change_booking", booking):
            raise PermissionDenied
        return booking


class ConfirmBookingView(_BookingAction):
    def post(self, request, event_slug, pk):
        booking = self.booking(request, pk)

        def confirm():
            confirmed = services.confirm_booking(booking=booking, actor=request.user)
            return _("Stand %(number)s is booked. Your invoice is ready.") % {
                "number": confirmed.stand.number
            }

        return self.act_on_my_stand(confirm)


class ReleaseBookingView(_BookingAction):
    def post(self, request, event_slug, pk):
        booking = self.booking(request, pk)

        def release():
            services.release_booking(booking=booking, actor=request.user)
            return _("Stand %(number)s is released.") % {"number": booking.stand.number}

        return self.act_on_my_stand(release)


class InvoicePdfView(PermissionMixin, View):
    """The invoice as PDF, drawn from the stored invoice. 404 for invoices you may not see."""

    permission_required = "booking.view_invoice"
    hide_denied = True

    def get_permission_object(self):
        if not self.request.user.is_authenticated:
            return None  # sent to sign in
        return selectors.invoice_for(self.request.user, self.request.event, self.kwargs["pk"])

    def get(self, request, event_slug, pk):
        invoice = self.get_permission_object()
        response = HttpResponse(render_invoice_pdf(invoice), content_type="application/pdf")
        disposition = "attachment" if request.GET.get("download") == "1" else "inline"
        response["Content-Disposition"] = f'{disposition}; filename="{invoice.number}.pdf"'
        return response


# --- organiser ---------------------------------------------------------------------------------


class AllocationBoardView(DomainFormMixin, PermissionMixin, View):
    """Search a company, see its stands; assign, move, swap, vacate."""

    permission_required = "booking.allocate_stands"
    template_name = "booking/manage/board.html"
    forms = {"assign": AssignForm, "move": MoveForm, "swap": SwapForm, "vacate": VacateForm}

    def render_board(self, request, bound: dict | None = None, status: int = 200):
        event = request.event
        q = request.GET.get("q", "")
        forms = {name: cls(event=event, prefix=name) for name, cls in self.forms.items()}
        forms.update(bound or {})
        companies = Paginator(selectors.companies_for_board(event, q), 25).get_page(request.GET.get("page"))
        awaiting, awaiting_total, expiring = selectors.companies_awaiting_stand(event)
        # Assigning by stand number offers the companies still waiting for a stand, not every company
        # of the show (a 1,080-entry list); the form still accepts any company of the event.
        forms["assign"].fields["organisation"].choices = [("", _("Choose a company"))] + [
            (a.organisation.pk, a.organisation.name) for a in awaiting
        ]
        context = {
            "q": q,
            "page": companies,
            "forms": forms,
            **{f"{n}_form": f for n, f in forms.items()},
            "awaiting": awaiting,
            "awaiting_total": awaiting_total,
            "expiring": expiring,
            "expiring_hours": selectors.HOLDS_EXPIRING_WITHIN_HOURS,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, event_slug):
        return self.render_board(request)

    def post(self, request, event_slug):
        event = request.event
        action = request.POST.get("action")
        if action not in self.forms:
            return self.render_board(request, status=400)
        form = self.forms[action](request.POST, event=event, prefix=action)
        return self.submit(
            form,
            lambda form: self.perform_action(action, form.cleaned_data),
            lambda form, status: self.render_board(request, {action: form}, status=status),
        )

    def perform_action(self, action: str, data: dict):
        request = self.request
        event, user = request.event, request.user
        if action == "assign":
            booking = services.assign_stand(
                event=event,
                stand=data["stand"],
                organisation=data["organisation"],
                actor=user,
                issue_invoice=data["issue_invoice"],
            )
            message = _("Stand %(number)s assigned to %(company)s.") % {
                "number": booking.stand.number,
                "company": booking.organisation,
            }
        elif action == "move":
            booking = services.move_booking(
                event=event, from_stand=data["from_stand"], to_stand=data["to_stand"], actor=user
            )
            message = _("%(company)s moved to stand %(number)s.") % {
                "number": booking.stand.number,
                "company": booking.organisation,
            }
        elif action == "swap":
            services.swap_stands(event=event, stand_a=data["stand_a"], stand_b=data["stand_b"], actor=user)
            message = _("Stands %(a)s and %(b)s swapped.") % {
                "a": data["stand_a"].number,
                "b": data["stand_b"].number,
            }
        else:
            booking = services.vacate_stand(event=event, stand=data["stand"], actor=user)
            message = _("Stand %(number)s is free again.") % {"number": booking.stand.number}
        messages.success(request, message)
        url = reverse("booking:board", kwargs={"event_slug": event.slug})
        q = request.GET.get("q")
        return redirect(f"{url}?q={q}" if q else url)


class InvoiceListView(PermissionMixin, View):
    permission_required = "booking.manage_invoices"
    template_name = "booking/manage/invoices.html"

    def get(self, request, event_slug):
        status = request.GET.get("status") or None
        q = request.GET.get("q", "")
        page = Paginator(selectors.invoices_for_event(request.event, status, q), 50).get_page(
            request.GET.get("page")
        )
        return render(
            request,
            self.template_name,
            {
                "page": page,
                "status": status,
                "q": q,
                "statuses": Invoice.PaymentStatus.choices,
                "stats": selectors.booking_statistics(request.event)["invoices"],
            },
        )


class InvoiceDetailView(DomainFormMixin, PermissionMixin, View):
    """One invoice with its payments; the organiser records a payment here."""

    permission_required = "booking.manage_invoices"
    template_name = "booking/manage/invoice.html"

    def render_invoice(self, request, invoice, form=None, status=200):
        return render(
            request,
            self.template_name,
            {"invoice": invoice, "form": form or PaymentForm(initial={"amount": invoice.balance})},
            status=status,
        )

    def get(self, request, event_slug, pk):
        return self.render_invoice(request, selectors.invoice_for(request.user, request.event, pk))

    def post(self, request, event_slug, pk):
        invoice = selectors.invoice_for(request.user, request.event, pk)
        if not request.user.has_perm("booking.record_payment", invoice):
            raise PermissionDenied

        def record(form):
            services.record_payment(invoice=invoice, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Payment recorded."))
            return redirect("booking:invoice", event_slug=event_slug, pk=pk)

        return self.submit(
            PaymentForm(request.POST),
            record,
            lambda form, status: self.render_invoice(request, invoice, form, status=status),
        )


class InvoiceReminderView(DomainActionMixin, PermissionMixin, View):
    """E-mail the company a reminder to pay one invoice (its page's button)."""

    permission_required = "booking.manage_invoices"

    def post(self, request, event_slug, pk):
        invoice = selectors.invoice_for(request.user, request.event, pk)
        back = redirect("booking:invoice", event_slug=event_slug, pk=pk)

        def remind():
            services.remind_invoice(invoice=invoice, actor=request.user)
            messages.success(
                request,
                _("Payment reminder for %(number)s sent to %(company)s.")
                % {"number": invoice.number, "company": invoice.organisation.name},
            )
            return back

        return self.act(remind, back=back)


class OverdueRemindersView(DomainActionMixin, PermissionMixin, View):
    """Remind every company with an overdue invoice not reminded this past week (the list's button)."""

    permission_required = "booking.manage_invoices"

    def post(self, request, event_slug):
        back = redirect(f"{reverse('booking:invoices', kwargs={'event_slug': event_slug})}?status=due")

        def remind():
            n = services.remind_overdue_invoices(event=request.event, actor=request.user)
            if n:
                messages.success(
                    request,
                    ngettext("%(n)s payment reminder sent.", "%(n)s payment reminders sent.", n)
                    % {"n": formats.number(n)},
                )
            else:
                messages.info(
                    request, _("No overdue invoice left to remind: each was reminded this past week.")
                )
            return back

        return self.act(remind, back=back)


class IssueInvoiceView(DomainActionMixin, PermissionMixin, View):
    permission_required = "booking.manage_invoices"

    def post(self, request, event_slug, pk):
        booking = selectors.booking_for(request.user, request.event, pk)

        def issue():
            invoice = services.issue_invoice(booking=booking, actor=request.user)
            messages.success(request, _("Invoice %(number)s issued.") % {"number": invoice.number})
            return redirect("booking:invoice", event_slug=event_slug, pk=invoice.pk)

        return self.act(issue, back=redirect("booking:board", event_slug=event_slug))


class BookingSettingsView(PermissionMixin, DomainFormView):
    permission_required = "booking.change_settings"
    template_name = "booking/manage/settings.html"
    form_class = BookingSettingsForm
    success_message = gettext_lazy("Booking settings saved.")

    def get_form_kwargs(self):
        return {"instance": selectors.settings_for(self.request.event)}

    def perform(self, form):
        services.update_booking_settings(
            event=self.request.event,
            actor=self.request.user,
            **{k: form.cleaned_data[k] for k in form.Meta.fields},
        )
