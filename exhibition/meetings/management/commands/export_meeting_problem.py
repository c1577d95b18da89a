"""Export the accepted, unscheduled requests of an event (or of one round) as a
meetings-v1 problem: ``python manage.py export_meeting_problem --event SLUG --out FILE``."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from exhibition.events.models import Event
from exhibition.meetings.models import Round
from exhibition.meetings.services import build_problem


class Command(BaseCommand):
    help = "Write the meeting scheduling problem (exhibition.meetings/v1) of an event to a JSON file."

    def add_arguments(self, parser):
        parser.add_argument("--event", required=True, help="event slug")
        parser.add_argument("--out", required=True, help="output file ('-' for stdout)")
        parser.add_argument("--round", type=int, default=None, help="round id (default: the latest round)")
        parser.add_argument(
            "--all", action="store_true", help="every accepted request without a meeting, any round"
        )
        parser.add_argument(
            "--tables", action="store_true", help="meetings take the business centre's tables"
        )

    def handle(self, *args, **opts):
        event = Event.objects.filter(slug=opts["event"]).first()
        if event is None:
            raise CommandError(f"No event {opts['event']!r}.")
        rnd = None
        if not opts["all"]:
            qs = Round.objects.filter(event=event)
            rnd = (
                qs.filter(pk=opts["round"]).first()
                if opts["round"]
                else qs.order_by("-created_at", "-id").first()
            )
            if opts["round"] and rnd is None:
                raise CommandError(f"No round {opts['round']} in {event.slug}.")
        problem, _mapping = build_problem(
            event, rnd, at_tables=opts["tables"] or (rnd.at_tables if rnd else False)
        )
        text = json.dumps(problem, indent=1, ensure_ascii=False)
        if opts["out"] == "-":
            self.stdout.write(text)
        else:
            with open(opts["out"], "w", encoding="utf-8") as fh:
                fh.write(text)
        self.stderr.write(
            f"{len(problem['meetings'])} meetings, {len(problem['participants'])} participants, "
            f"{len(problem['slots'])} slots, {len(problem['locations'])} locations"
        )
