"""Write the event's delegation itinerary problem (``exhibition.itineraries/v1``) to a file."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from exhibition.events.models import Event

from ...services.problem import build_problem


class Command(BaseCommand):
    help = "Export the delegation itinerary problem of an event, as the planner reads it."

    def add_arguments(self, parser):
        parser.add_argument("--event", required=True, help="event slug")
        parser.add_argument("--out", required=True, help="output file ('-' for standard output)")
        parser.add_argument(
            "--with-fixed",
            action="store_true",
            help="also write the pinned and published visits to OUT.fixed.json",
        )

    def handle(self, *args, event: str, out: str, with_fixed: bool = False, **options):
        ev = Event.objects.filter(slug=event).first()
        if ev is None:
            raise CommandError(f"No event with slug {event!r}")
        built = build_problem(ev)
        text = json.dumps(built.data, indent=None, separators=(",", ":"))
        if out == "-":
            self.stdout.write(text)
        else:
            with open(out, "w", encoding="utf-8") as fh:
                fh.write(text)
            if with_fixed:
                with open(out + ".fixed.json", "w", encoding="utf-8") as fh:
                    json.dump(built.fixed, fh)
            self.stderr.write(
                f"{len(built.data['delegations'])} delegations, {len(built.data['stands'])} stands, "
                f"{sum(len(d['visits']) for d in built.data['delegations'])} candidate visits, "
                f"{len(built.fixed)} fixed visits, travel {built.travel_kind} -> {out}"
            )
