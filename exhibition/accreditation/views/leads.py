"""Leads: the company's list and CSV, the lead scanner, and the gate scanner page."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from exhibition.accounts.roles import roles_for
from exhibition.core.csvio import download
from exhibition.core.errors import DomainError
from exhibition.core.ids import as_id
from exhibition.core.views import DomainActionMixin, PermissionMixin

from .. import forms, selectors, services
from ..services.checkin import REASONS
from ..services.leads import company_of

# --- leads ---------------------------------------------------------------------------------------------------


class LeadsMixin(DomainActionMixin, PermissionMixin):
    permission_required = "accreditation.capture_leads"

    def company(self):
        c = self.request.GET.get("company", "")
        try:
            return company_of(self.request.user, self.request.event, as_id(c))
        except DomainError:  # handled here: a lookup; a company not yours is not found (404)
            raise Http404 from None


class LeadsView(LeadsMixin, View):
    template_name = "accreditation/leads.html"

    def get(self, request, event_slug):
        company = self.company()
        page = Paginator(selectors.leads_of(company), 50).get_page(request.GET.get("page"))
        return render(
            request,
            self.template_name,
            {
                "company": company,
                "page": page,
                "companies": sorted(roles_for(request.user, request.event).company_ids),
            },
        )

    def post(self, request, event_slug):
        company = self.company()
        lead = selectors.lead_of(company, request.POST.get("lead"))
        return self.act(lambda: self._change(request, lead), back=redirect(request.get_full_path()))

    def _change(self, request, lead):
        if request.POST.get("action") == "delete":
            services.delete_lead(lead=lead, actor=request.user)
            messages.success(request, _("Lead deleted."))
        else:
            form = forms.LeadForm(request.POST)
            if form.is_valid():
                services.update_lead(lead=lead, actor=request.user, **form.cleaned_data)
                messages.success(request, _("Lead saved."))
            else:
                messages.error(request, _("Rate from 1 to 5."))


class LeadsCsvView(LeadsMixin, View):
    def get(self, request, event_slug):
        # UTF-8 with a byte-order mark, so that a spreadsheet reads the accents right
        return download("leads.csv", selectors.leads_csv(self.company()))


def scanner_i18n() -> dict[str, str]:
    """The words the scanner page's script shows (it runs offline: no round trip to translate)."""
    words = {k: str(v) for k, v in REASONS.items()}
    words.update(
        {
            "ok": _("Welcome"),
            "ok_exit": _("Goodbye"),
            "refused": _("Refused"),
            "online": _("Online"),
            "offline": _("Offline: deciding on this device"),
            "queued": _("%(n)s scans waiting to upload"),
            "queued_one": _("1 scan waiting to upload"),
            "synced": _("Rules from %(t)s"),
            "checked_offline": _("Checked offline"),
            "camera_start": _("Start the camera"),
            "camera_stop": _("Stop the camera"),
            "camera_error": _("The camera could not be started: type the code instead."),
            "revoked_device": _("This scanner was withdrawn by the organiser: its data was erased."),
            "bad_code": _("This code is not valid: ask the organiser for a new one."),
            "no_gate": _("Choose a gate."),
            "lead_saved": _("Lead saved."),
            "lead_offline": _("You are offline: scan again when connected."),
            "lead_ok": _("Lead recorded"),
            "lead_again": _("Already in your leads: note updated"),
            "meeting_held": _("Meeting with %(who)s at %(t)s: held"),
            "meeting_waiting": _("Meeting with %(who)s at %(t)s: waiting for them"),
            "meeting_none": _("No meeting at this table now"),
            "forced": _("Let through offline; flagged"),
            "badge_no": _("Badge no. %(n)s"),
            "error": _("Something went wrong: try again."),
        }
    )
    return words


class LeadScannerView(LeadsMixin, View):
    def get(self, request, event_slug):
        company = self.company()
        return render(
            request,
            "accreditation/scanner.html",
            {"mode": "leads", "company": company, "i18n": scanner_i18n()},
        )


class ScannerView(View):
    """Public by name (core.gate): the page's shell. It holds nothing until a device registers
    with its one-time code; everything else goes through the device-authenticated API."""

    def get(self, request, event_slug):
        return render(request, "accreditation/scanner.html", {"mode": "gate", "i18n": scanner_i18n()})
