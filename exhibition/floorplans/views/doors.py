"""The organiser's doors of a hall: its entrances from outside and the doors to other halls. Walking
routes, the walking matrix and delegations' programmes start at entrances."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from .. import selectors, services, walls
from ..forms import DoorForm
from ..shapes import g_hall
from .common import EditMixin
from .editing import FormPage


def doors_url(event, hall) -> str:
    return reverse("floorplans:door_list", kwargs={"event_slug": event.slug, "hall_code": hall.code})


def door_rows(hall, doors) -> list[dict]:
    """Each door as the list reads it: where it leads, on which wall and how far along."""
    gh = g_hall(hall)
    rows = []
    for door in doors:
        other = door.hall_b if door.hall_a_id == hall.pk else door.hall_a
        place = walls.door_place(gh, door.x, door.y)
        rows.append(
            {
                "door": door,
                "other": other,
                "wall": walls.WALLS[place[0]] if place else None,
                "position": place[1] if place else None,
            }
        )
    return rows


class DoorListView(EditMixin, View):
    def get(self, request, event_slug, hall_code):
        hall = selectors.hall_for(request.event, hall_code)
        rows = door_rows(hall, selectors.doors_for_hall(request.event, hall))
        return render(
            request,
            "floorplans/manage/doors.html",
            {"hall": hall, "rows": rows, "has_entrance": any(r["other"] is None for r in rows)},
        )


class _DoorPage(FormPage):
    # the service's fields -> the form's: the door's site point is the wall and the position on it
    field_aliases = {"x": "position", "y": "position", "hall_b": "leads_to", "hall_a": "leads_to"}

    def load(self, request, hall_code, code=None):
        self.hall = selectors.hall_for(request.event, hall_code)
        self.door = selectors.door_for(request.event, self.hall, code) if code else None

    def form(self, data=None, initial=None):
        return DoorForm(
            data, hall=self.hall, halls=list(selectors.halls_for_event(self.request.event)), initial=initial
        )

    def cancel_url(self):
        return doors_url(self.request.event, self.hall)

    def render_form(self, form, status=200, **extra):
        return super().render_form(form, status=status, hall=self.hall, **extra)


class DoorCreateView(_DoorPage):
    @property
    def title(self):
        return _("New door: %(h)s") % {"h": self.hall.name}

    def get(self, request, event_slug, hall_code):
        self.load(request, hall_code)
        return self.render_form(self.form())

    def post(self, request, event_slug, hall_code):
        self.load(request, hall_code)
        return self.submit(self.form(request.POST))

    def perform(self, form):
        door = services.create_door(
            event=self.request.event, actor=self.request.user, **form.service_kwargs()
        )
        messages.success(self.request, _("Door %(d)s added.") % {"d": door.code})
        return redirect(doors_url(self.request.event, self.hall))


class DoorEditView(_DoorPage):
    @property
    def title(self):
        return _("Edit door %(d)s") % {"d": self.door.code}

    def get(self, request, event_slug, hall_code, code):
        self.load(request, hall_code, code)
        return self.render_form(self.form(initial=DoorForm.initial_for(self.door, self.hall)))

    def post(self, request, event_slug, hall_code, code):
        self.load(request, hall_code, code)
        return self.submit(self.form(request.POST))

    def perform(self, form):
        data = form.service_kwargs()
        # a door between two halls edited from the second hall keeps its halls' order
        if {self.hall.pk, getattr(data["hall_b"], "pk", None)} == {self.door.hall_a_id, self.door.hall_b_id}:
            data["hall_a"], data["hall_b"] = self.door.hall_a, self.door.hall_b
        door = services.update_door(door=self.door, actor=self.request.user, **data)
        messages.success(self.request, _("Door %(d)s saved.") % {"d": door.code})
        return redirect(doors_url(self.request.event, self.hall))


class DoorDeleteView(_DoorPage):
    danger = True

    @property
    def title(self):
        return _("Remove door %(d)s") % {"d": self.door.code}

    @property
    def submit_label(self):
        return _("Remove")

    def confirm(self):
        if self.door.hall_b_id is None:
            return _(
                "Remove the entrance %(d)s? Walking routes that start there will no longer be found."
            ) % {"d": self.door.code}
        return _("Remove door %(d)s between %(a)s and %(b)s?") % {
            "d": self.door.code,
            "a": self.door.hall_a.name,
            "b": self.door.hall_b.name,
        }

    def get(self, request, event_slug, hall_code, code):
        self.load(request, hall_code, code)
        return self.render_form(None, confirm=self.confirm())

    def post(self, request, event_slug, hall_code, code):
        self.load(request, hall_code, code)

        def delete():
            services.delete_door(door=self.door, actor=request.user)
            messages.success(request, _("Door %(d)s removed.") % {"d": self.door.code})
            return redirect(doors_url(request.event, self.hall))

        return self.act(delete, failed=lambda exc: self.refused(exc, confirm=self.confirm()))
