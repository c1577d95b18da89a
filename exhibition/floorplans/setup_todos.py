"""What the organiser's dashboard asks of a new show's floor plan, in the order of the work: draw
each hall's stands, give the show an entrance (walking routes and delegation days start at one),
and check the stand prices before the first is sold (exhibition.events.selectors.todo_provider)."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from exhibition.core.models import AuditLogEntry
from exhibition.events.models import Event, Hall
from exhibition.events.selectors import Todo, todo_provider

from .models import Door, Stand
from .pricing import SETTLED_STATUSES


@todo_provider
def plan_setup_todos(event: Event) -> list[Todo]:
    halls = list(Hall.objects.filter(event=event).annotate(n=Count("stands")).order_by("position", "code"))
    if not halls:
        return []  # the show setup asks for halls first
    todos = [
        Todo(
            key=f"setup.stands.{hall.code}",
            order=3,
            count=1,
            label=_("Draw the stands of %(hall)s") % {"hall": hall.name},
            url=reverse("floorplans:hall", kwargs={"event_slug": event.slug, "hall_code": hall.code}),
        )
        for hall in halls
        if not hall.n
    ]
    if not Door.objects.filter(event=event, hall_b__isnull=True).exists():
        todos.append(
            Todo(
                key="setup.entrance",
                order=4,
                count=1,
                label=_("Add an entrance to the show"),
                detail=_("walking routes and delegations' days start at one"),
                url=reverse(
                    "floorplans:door_list", kwargs={"event_slug": event.slug, "hall_code": halls[0].code}
                ),
            )
        )
    priced = AuditLogEntry.objects.filter(event=event, action="plan.settings").exists()
    if not priced and not Stand.objects.filter(event=event, status__in=SETTLED_STATUSES).exists():
        todos.append(
            Todo(
                key="setup.prices",
                order=5,
                count=1,
                label=_("Check the stand prices"),
                detail=_("the rates are the defaults until you save yours"),
                url=reverse("floorplans:settings", kwargs={"event_slug": event.slug}),
            )
        )
    return todos
