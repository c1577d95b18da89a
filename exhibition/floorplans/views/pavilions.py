"""National pavilions: everyone who sees the plan reads the list; organisers also read the desks'
contacts, and add, change and remove pavilions (removing one leaves its stands without one)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from .. import selectors, services
from ..forms import PavilionForm
from .common import PlanMixin
from .editing import FormPage


def pavilions_url(event) -> str:
    return reverse("floorplans:pavilions", kwargs={"event_slug": event.slug})


class PavilionListView(PlanMixin, View):
    def get(self, request, event_slug):
        event = request.event
        return render(
            request,
            "floorplans/pavilions.html",
            {
                "pavilions": list(selectors.pavilions_with_stands(event)),
                "can_edit": self.can_edit,
                "contacts": request.user.has_perm("floorplans.view_pavilion_contacts", event),
            },
        )


class _PavilionPage(FormPage):
    def load(self, request, pk=None):
        self.pavilion = selectors.pavilion_for(request.event, pk) if pk is not None else None

    def cancel_url(self):
        return pavilions_url(self.request.event)


class PavilionCreateView(_PavilionPage):
    @property
    def title(self):
        return _("New pavilion")

    def get(self, request, event_slug):
        return self.render_form(
            PavilionForm(initial={"colour": selectors.next_pavilion_colour(request.event)})
        )

    def post(self, request, event_slug):
        return self.submit(PavilionForm(request.POST))

    def perform(self, form):
        pavilion = services.create_pavilion(
            event=self.request.event, actor=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, _("%(p)s added.") % {"p": pavilion.label})
        return redirect(pavilions_url(self.request.event))


class PavilionEditView(_PavilionPage):
    @property
    def title(self):
        return _("Edit %(p)s") % {"p": self.pavilion.label}

    def get(self, request, event_slug, pk):
        self.load(request, pk)
        return self.render_form(PavilionForm(initial=PavilionForm.initial_for(self.pavilion)))

    def post(self, request, event_slug, pk):
        self.load(request, pk)
        return self.submit(PavilionForm(request.POST))

    def perform(self, form):
        pavilion = services.update_pavilion(
            pavilion=self.pavilion, actor=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, _("%(p)s saved.") % {"p": pavilion.label})
        return redirect(pavilions_url(self.request.event))


class PavilionDeleteView(_PavilionPage):
    danger = True

    @property
    def title(self):
        return _("Remove %(p)s") % {"p": self.pavilion.label}

    @property
    def submit_label(self):
        return _("Remove")

    def confirm(self):
        n = self.pavilion.stand_count
        if not n:
            return _("Remove %(p)s? No stand belongs to it.") % {"p": self.pavilion.label}
        return ngettext(
            "Remove %(p)s? Its %(n)d stand stays on the plan, without a pavilion.",
            "Remove %(p)s? Its %(n)d stands stay on the plan, without a pavilion.",
            n,
        ) % {"p": self.pavilion.label, "n": n}

    def get(self, request, event_slug, pk):
        self.load(request, pk)
        return self.render_form(None, confirm=self.confirm())

    def post(self, request, event_slug, pk):
        self.load(request, pk)

        def delete():
            services.delete_pavilion(pavilion=self.pavilion, actor=request.user)
            messages.success(request, _("%(p)s removed.") % {"p": self.pavilion.label})
            return redirect(pavilions_url(request.event))

        return self.act(delete, failed=lambda exc: self.refused(exc, confirm=self.confirm()))
