"""The organiser's page of the show's stand rates, open-side supplements and hall-entry time:
the team reads it, its admins save it (which re-prices the stands not yet booked)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from exhibition.core.views import DomainFormView, PermissionMixin

from .. import pricing, selectors, services
from ..forms import PlanSettingsForm


class PlanSettingsView(PermissionMixin, DomainFormView):
    permission_required = {"GET": "floorplans.view_settings", "POST": "floorplans.change_settings"}
    template_name = "floorplans/manage/settings.html"

    @property
    def can_change(self) -> bool:
        return self.request.user.has_perm("floorplans.change_settings", self.request.event)

    def get_form(self, data=None, files=None):
        settings_ = selectors.plan_settings_for(self.request.event)
        return PlanSettingsForm(data, settings_=settings_, editable=self.can_change)

    def render_form(self, form, status=200):
        event = self.request.event
        saved = selectors.plan_settings_for(event)  # the example shows what stands cost now
        ctx = {
            "form": form,
            "can_change": self.can_change,
            "example": pricing.price_example(saved),
            "counts": selectors.stand_price_counts(event),
        }
        return render(self.request, self.template_name, ctx, status=status)

    def perform(self, form):
        result = services.update_plan_settings(
            event=self.request.event,
            actor=self.request.user,
            **{name: form.cleaned_data[name] for name in PlanSettingsForm.FIELDS},
        )
        messages.success(self.request, saved_message(result))
        return redirect("floorplans:settings", event_slug=self.request.event.slug)


def saved_message(result: services.PlanSettingsSaved) -> str:
    """What saving did, in words: how many stands took the new prices, how many kept theirs."""
    if not result.changed:
        return _("Nothing changed.")
    words = [_("Settings saved.")]
    if result.prices_changed:
        words.append(
            ngettext(
                "%(n)s stand re-priced at the new rates.",
                "%(n)s stands re-priced at the new rates.",
                result.repriced,
            )
            % {"n": result.repriced}
        )
        if result.kept:
            words.append(
                ngettext(
                    "%(n)s booked stand keeps its price.",
                    "%(n)s booked stands keep their price.",
                    result.kept,
                )
                % {"n": result.kept}
            )
    if result.walking_changed:
        words.append(
            _(
                "The walking times must be computed again for the new hall-entry time: the floor plan page shows their state."
            )
        )
    return " ".join(words)
