"""The organiser's set-up of a show (its details, show days, halls and sectors) and a new show.

Organisers read the set-up; organiser admins change it. Each form runs one service; a change
that would strand something (a meeting outside new opening hours, a stand outside a smaller hall)
is refused with what it would strand, and nothing is written."""

from __future__ import annotations

import copy
from typing import Any, ClassVar

from django.contrib import messages
from django.forms import BaseForm
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from exhibition.core import formats
from exhibition.core.views import DomainActionMixin, DomainFormMixin, DomainFormView, PermissionMixin

from .. import selectors, services
from ..forms import HallForm, NewShowForm, SectorForm, ShowDayForm, ShowDetailsForm
from ..models import Hall, Sector, ShowDay


class NewShowView(PermissionMixin, DomainFormView):
    """Whoever runs the installation opens a show; they become its first organiser admin."""

    permission_required = "events.create_event"
    template_name = "events/manage/new_show.html"
    form_class = NewShowForm

    def perform(self, form):
        event = services.create_show(actor=self.request.user, **form.cleaned_data)
        messages.success(
            self.request,
            _("%(name)s is set up, not public yet. Add its halls and sectors, then invite your team.")
            % {"name": event.name},
        )
        return redirect("events:setup", event_slug=event.slug)


class ShowSetupView(DomainFormMixin, PermissionMixin, View):
    template_name = "events/manage/setup.html"
    permission_required: ClassVar[dict[str, str]] = {
        "GET": "events.view_setup",
        "POST": "events.change_event",
    }
    forms: ClassVar[dict[str, tuple[type[BaseForm], str]]] = {
        "details": (ShowDetailsForm, ""),
        "day": (ShowDayForm, "day"),
        "hall": (HallForm, "hall"),
        "sector": (SectorForm, "sector"),
    }

    def _form(self, part: str, data: Any = None) -> BaseForm:
        form_class, prefix = self.forms[part]
        event = self.request.event
        if part == "details":  # a copy: a form that fails must not change the request's event
            return form_class(data, instance=copy.copy(event))
        instance = {"day": ShowDay, "hall": Hall, "sector": Sector}[part](event=event)
        return form_class(data, prefix=prefix, instance=instance)

    def _render(self, bound: BaseForm | None = None, part: str = "", status: int = 200):
        event = self.request.event
        halls = list(selectors.halls_of_event(event))
        forms = {
            name: bound if name == part and bound is not None else self._form(name) for name in self.forms
        }
        return render(
            self.request,
            self.template_name,
            {
                "forms": forms,
                "days": list(selectors.show_days(event)),
                "halls": halls,
                "sectors": list(selectors.sectors_of_event(event)),
                "may_change": self.request.user.has_perm("events.change_event", event),
                # The add-form to show unfolded: the one just sent back, else a
                # first hall while the show has none.
                "open_part": part or ("" if halls else "hall"),
            },
            status=status,
        )

    def get(self, request, event_slug):
        return self._render()

    def post(self, request, event_slug):
        part = request.POST.get("part", "")
        if part not in self.forms:
            part = "details"
        event, actor = request.event, request.user

        def perform(form):
            data = form.cleaned_data
            if part == "details":
                services.update_event(event=event, actor=actor, **data)
                messages.success(request, _("The show's details are saved."))
            elif part == "day":
                day = services.add_show_day(
                    event=event,
                    actor=actor,
                    day=data["date"],
                    opens_at=data["opens_at"],
                    closes_at=data["closes_at"],
                )
                messages.success(request, _("%(day)s added.") % {"day": day_words(day)})
            elif part == "hall":
                hall = services.add_hall(event=event, actor=actor, **data)
                messages.success(
                    request, _("%(hall)s added: draw its stands on the floor plan.") % {"hall": hall.name}
                )
            else:
                sector = services.add_sector(event=event, actor=actor, **data)
                messages.success(request, _("Sector %(sector)s added.") % {"sector": sector.name})
            return redirect(f"{request.path}#{part}s" if part != "details" else request.path)

        return self.submit(
            self._form(part, request.POST), perform, lambda form, status: self._render(form, part, status)
        )


def day_words(day: ShowDay) -> str:
    return formats.when(day.date, "longday")


class _SetupItemView(DomainActionMixin, DomainFormMixin, PermissionMixin, View):
    """Change or remove one day, hall or sector of the show."""

    template_name = "events/manage/setup_item.html"
    permission_required: ClassVar[dict[str, str]] = {
        "GET": "events.change_event",
        "POST": "events.change_event",
    }
    anchor = ""
    form_class: type[BaseForm]

    def get_object(self):
        raise NotImplementedError

    def title(self, obj) -> str:
        raise NotImplementedError

    def save(self, obj, data) -> str:
        raise NotImplementedError

    def remove(self, obj) -> str:
        raise NotImplementedError

    def back(self):
        return redirect(
            reverse("events:setup", kwargs={"event_slug": self.request.event.slug}) + f"#{self.anchor}"
        )

    remove_note = ""

    def _render(self, obj, form, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "item": obj,
                "title": self.title(obj),
                "anchor": self.anchor,
                "remove_note": self.remove_note,
            },
            status=status,
        )

    def get(self, request, event_slug, pk):
        obj = self.get_object()
        return self._render(obj, self.form_class(instance=obj))

    def post(self, request, event_slug, pk):
        obj = self.get_object()
        if request.POST.get("action") == "remove":
            if request.POST.get("confirmed") != "yes":  # a second step: removing is not undone
                return render(
                    request,
                    "events/manage/setup_remove.html",
                    {"item": obj, "title": self.title(obj), "anchor": self.anchor},
                )

            def remove():
                messages.success(request, self.remove(obj))
                return self.back()

            return self.act(remove, back=self.back())

        def save(form):
            messages.success(request, self.save(obj, form.cleaned_data))
            return self.back()

        return self.submit(
            self.form_class(request.POST, instance=copy.copy(obj)),
            save,
            lambda form, status: self._render(obj, form, status),
        )


class ShowDayView(_SetupItemView):
    form_class = ShowDayForm
    anchor = "days"
    remove_note = gettext_lazy(
        "Refused while meetings, delegation visits or delegations' days on the floor are on it: you will be told which."
    )

    def get_object(self):
        return selectors.show_day_in_event(self.request.event, self.kwargs["pk"])

    def title(self, obj):
        return day_words(obj)

    def save(self, obj, data):
        services.update_show_day(
            event=self.request.event,
            actor=self.request.user,
            show_day=obj,
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
        )
        return _("The hours of %(day)s are saved.") % {"day": day_words(obj)}

    def remove(self, obj):
        services.remove_show_day(event=self.request.event, actor=self.request.user, show_day=obj)
        return _("%(day)s removed from the show.") % {"day": day_words(obj)}


class HallView(_SetupItemView):
    form_class = HallForm
    anchor = "halls"
    remove_note = gettext_lazy("Refused while the hall has stands or features on its plan.")

    def get_object(self):
        return selectors.hall_in_event(self.request.event, self.kwargs["pk"])

    def title(self, obj):
        return obj.name

    def save(self, obj, data):
        hall = services.update_hall(event=self.request.event, actor=self.request.user, hall=obj, **data)
        return _("%(hall)s saved.") % {"hall": hall.name}

    def remove(self, obj):
        services.remove_hall(event=self.request.event, actor=self.request.user, hall=obj)
        return _("%(hall)s removed.") % {"hall": obj.name}


class SectorView(_SetupItemView):
    form_class = SectorForm
    anchor = "sectors"
    remove_note = gettext_lazy(
        "Refused while companies, visitors, delegations or products have chosen it: rename it instead."
    )

    def get_object(self):
        return selectors.sector_in_event(self.request.event, self.kwargs["pk"])

    def title(self, obj):
        return obj.name

    def save(self, obj, data):
        sector = services.update_sector(event=self.request.event, actor=self.request.user, sector=obj, **data)
        return _("Sector %(sector)s saved.") % {"sector": sector.name}

    def remove(self, obj):
        services.remove_sector(event=self.request.event, actor=self.request.user, sector=obj)
        return _("Sector %(sector)s removed.") % {"sector": obj.name}
