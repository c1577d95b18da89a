"""The exhibitor's hosting page: capacity, windows, requests and wishes."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from exhibition.core.ids import as_id

from .. import forms as f
from .. import selectors, services
from .common import DelegationPage, posted_id

# --- exhibitors ------------------------------------------------------------------------------------------


class HostingView(DelegationPage, View):
    permission_required = "delegations.host_delegations"

    def company(self):
        event, user = self.request.event, self.request.user
        companies = list(selectors.companies_of_user(user, event))
        wanted = self.request.GET.get("company") or self.request.POST.get("company")
        if as_id(wanted):
            company = selectors.company_in_event(event, as_id(wanted))
            if company is None or not user.has_perm("delegations.view_hosting", company):
                raise Http404
            return company
        if not companies:
            raise Http404
        return companies[0]

    def context(self, company, **forms):
        data = selectors.hosting_overview(company)
        event = self.request.event
        return {
            "company": company,
            **data,
            "can_change": self.request.user.has_perm("delegations.change_hosting", company),
            "window_form": forms.get("window_form")
            or f.HostingWindowForm(event=event, stands=data["stands"]),
            "capacity_form": forms.get("capacity_form") or f.CapacityForm(stands=data["stands"]),
            "wish_form": forms.get("wish_form") or f.WishForm(event=event),
        }

    def get(self, request, event_slug):
        return render(request, "delegations/hosting.html", self.context(self.company()))

    def post(self, request, event_slug):
        company, user, post, event = self.company(), request.user, request.POST, request.event
        action = post.get("action", "")
        stands = list(selectors.stands_of_company(company))
        back = redirect(reverse("delegations:hosting", args=[event.slug]) + f"?company={company.pk}")
        if action in ("window", "capacity", "wish"):
            if action == "window":
                form = f.HostingWindowForm(post, event=event, stands=stands)

                def save(form):
                    services.add_hosting_window(
                        company=company,
                        actor=user,
                        day=date.fromisoformat(form.cleaned_data["date"]),
                        start=form.cleaned_data["start"],
                        end=form.cleaned_data["end"],
                        stand=next((s for s in stands if str(s.pk) == form.cleaned_data["stand"]), None),
                    )

            elif action == "capacity":
                form = f.CapacityForm(post, stands=stands)

                def save(form):
                    services.set_capacity(
                        stand=next(s for s in stands if str(s.pk) == form.cleaned_data["stand"]),
                        actor=user,
                        capacity=form.cleaned_data["capacity"],
                    )

            else:
                form = f.WishForm(post, event=event)

                def save(form):
                    services.add_wish(
                        company=company,
                        actor=user,
                        delegation=form.cleaned_data["delegation"],
                        note=form.cleaned_data["note"],
                    )

            def saved(form):
                save(form)
                messages.success(request, _("Saved."))
                return back

            return self.submit(
                form,
                saved,
                lambda form, status: render(
                    request,
                    "delegations/hosting.html",
                    self.context(company, **{f"{action}_form": form}),
                    status=status,
                ),
            )

        def change():
            if action == "remove_window":
                services.remove_hosting_window(
                    window=selectors.hosting_window_of_company(company, posted_id(post)), actor=user
                )
            elif action == "remove_wish":
                services.remove_wish(wish=selectors.wish_of_company(company, posted_id(post)), actor=user)
            elif action in ("accept", "decline"):
                services.answer_request(
                    request=selectors.request_to_company(company, posted_id(post)),
                    actor=user,
                    accept=action == "accept",
                )
            else:
                raise Http404
            messages.success(request, _("Saved."))

        return self.act(change, back=back)
