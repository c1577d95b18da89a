"""B2B meetings: who meets (participants, exhibitor hosts), when (availability, busy
blocks), where (stands, tables, rooms), requests, meetings and matchmaking rounds.

Never a double booking: every meeting and every busy block writes one ``Booking`` row
per scarce resource it takes (the visitor or delegation, the exhibitor's staff member,
the table). On PostgreSQL an exclusion constraint over ``tstzrange(start, end)`` with
``=`` on the resource key refuses two overlapping rows for the same resource; the
services also lock the resources (``BookingResource`` rows, in key order) before they
check and write, so that a lost race is a clean 409 and caps hold too.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.db import connections, models
from django.db.models import Func, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from exhibition.core.models import TimeStampedModel


def new_token() -> str:
    return secrets.token_urlsafe(24)


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class PostgresExclusionConstraint(ExclusionConstraint):
    """An ExclusionConstraint that is silently absent on other databases (SQLite demo/tests).

    The services' locking keeps SQLite correct (it serialises writers anyway); the constraint
    is PostgreSQL's last line of defence."""

    def _pg(self, schema_editor) -> bool:
        return schema_editor.connection.vendor == "postgresql"

    def constraint_sql(self, model, schema_editor):
        return super().constraint_sql(model, schema_editor) if self._pg(schema_editor) else None

    def create_sql(self, model, schema_editor):
        return super().create_sql(model, schema_editor) if self._pg(schema_editor) else None

    def remove_sql(self, model, schema_editor):
        return super().remove_sql(model, schema_editor) if self._pg(schema_editor) else None

    def validate(self, model, instance, exclude=None, using="default"):
        if connections[using].vendor == "postgresql":
            super().validate(model, instance, exclude=exclude, using=using)


class MeetingSettings(models.Model):
    event = models.OneToOneField("events.Event", on_delete=models.CASCADE, related_name="meeting_settings")
    slot_minutes = models.PositiveSmallIntegerField(_("meeting slot length (minutes)"), default=30)
    request_expiry_hours = models.PositiveSmallIntegerField(_("requests expire after (hours)"), default=72)
    reminder_hours = models.PositiveSmallIntegerField(
        _("remind the recipient this many hours before expiry"), default=24
    )
    meeting_reminder_minutes = models.PositiveSmallIntegerField(
        _("remind participants before a meeting (minutes)"), default=60
    )
    default_max_requests = models.PositiveSmallIntegerField(
        _("default cap on open requests sent"), default=30
    )
    default_max_meetings = models.PositiveSmallIntegerField(_("default cap on meetings"), default=24)

    class Meta:
        verbose_name = _("meeting settings")
        verbose_name_plural = _("meeting settings")

    def __str__(self) -> str:
        return f"meeting settings of {self.event_id}"


class Participant(TimeStampedModel):
    """Someone who can be met: an exhibiting company, an approved visitor, or a delegation."""

    class Kind(models.TextChoices):
        EXHIBITOR = "exhibitor", _("Exhibitor")
        VISITOR = "visitor", _("Trade visitor")
        DELEGATION = "delegation", _("Delegation")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="meeting_participants")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="meeting_participants",
    )
    visitor = models.ForeignKey(
        "accounts.TradeVisitor",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="meeting_participants",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="meeting_participants",
    )
    name = models.CharField(_("name"), max_length=200)
    headline = models.CharField(_("headline"), max_length=200, blank=True)
    offer = models.TextField(_("what we offer"), blank=True)
    seek = models.TextField(_("what we are looking for"), blank=True)
    sectors = models.ManyToManyField("events.Sector", blank=True, related_name="meeting_participants")
    country = models.CharField(_("country"), max_length=2, blank=True)
    opted_in = models.BooleanField(_("can be found by others"), default=True)
    instant_booking = models.BooleanField(_("allow instant booking of free slots"), default=False)
    max_requests = models.PositiveSmallIntegerField(_("cap on open requests sent"), null=True, blank=True)
    max_meetings = models.PositiveSmallIntegerField(_("cap on meetings"), null=True, blank=True)
    stand = models.ForeignKey(
        "floorplans.Stand", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organisation"],
                condition=Q(organisation__isnull=False),
                name="meetings_participant_unique_org",
            ),
            models.UniqueConstraint(
                fields=["event", "visitor"],
                condition=Q(visitor__isnull=False),
                name="meetings_participant_unique_visitor",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="visitor", visitor__isnull=False, organisation__isnull=True)
                    | (~Q(kind="visitor") & Q(organisation__isnull=False, visitor__isnull=True))
                ),
                name="meetings_participant_kind_matches",
            ),
        ]
        indexes = [models.Index(fields=["event", "kind", "opted_in"])]
        verbose_name = _("meeting participant")
        verbose_name_plural = _("meeting participants")

    def __str__(self) -> str:
        return self.name

    @property
    def resource_key(self) -> str:
        return f"p:{self.pk}"

    @property
    def affiliation(self) -> str:
        """Whom a visitor works for ("" for a company or a delegation: its name says it)."""
        return self.visitor.organisation_name if self.visitor_id else ""

    @property
    def is_admitted(self) -> bool:
        """An approved visitor, or an admitted company or delegation (see accounts.roles)."""
        if self.kind == self.Kind.VISITOR:
            return self.visitor is not None and self.visitor.status == "approved"
        return self.organisation is not None and self.organisation.admitted_at is not None


# Participants who are admitted at their event: the only ones anybody may find, ask or meet.
ADMITTED = Q(visitor__status="approved") | Q(organisation__admitted_at__isnull=False)


class ExhibitorHost(models.Model):
    """A staff member of an exhibiting company who takes meetings."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="hosts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_hosts")
    is_active = models.BooleanField(_("takes meetings"), default=True)

    class Meta:
        ordering = ["participant", "id"]
        constraints = [models.UniqueConstraint(fields=["participant", "user"], name="meetings_host_unique")]
        verbose_name = _("exhibitor host")
        verbose_name_plural = _("exhibitor hosts")

    def __str__(self) -> str:
        return f"{self.user} ({self.participant})"

    @property
    def resource_key(self) -> str:
        return f"u:{self.user_id}"


class Availability(models.Model):
    """A window in which a participant meets on one day. No window on a day = the whole day."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="availability")
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))

    class Meta:
        ordering = ["participant", "date", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=models.F("ends_at")), name="meetings_availability_order"
            )
        ]
        verbose_name = _("availability")
        verbose_name_plural = _("availability")

    def __str__(self) -> str:
        return f"{self.participant} {self.date} {self.starts_at}-{self.ends_at}"


class Place(models.Model):
    """Where meetings happen: an exhibitor's stand, or a table / room of the business meeting centre."""

    class Kind(models.TextChoices):
        STAND = "stand", _("Stand")
        TABLE = "table", _("Table")
        ROOM = "room", _("Room")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="meeting_places")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.TABLE)
    name = models.CharField(_("name"), max_length=100)
    stand = models.ForeignKey(
        "floorplans.Stand", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    walking_id = models.CharField(
        _("place on the plan"),
        max_length=40,
        blank=True,
        help_text=_("Stand number or feature code used for walking times."),
    )
    capacity = models.PositiveSmallIntegerField(_("seats"), default=4)
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "kind", "name"], name="meetings_place_unique_name")
        ]
        verbose_name = _("meeting place")
        verbose_name_plural = _("meeting places")

    def __str__(self) -> str:
        return self.name

    @property
    def is_bookable(self) -> bool:
        """Tables and rooms host one meeting at a time; a stand's limit is its staff."""
        return self.kind != self.Kind.STAND

    @property
    def resource_key(self) -> str:
        return f"t:{self.pk}"


class PlaceBlocking(models.Model):
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="blockings")
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["start"]
        verbose_name = _("place blocking")
        verbose_name_plural = _("place blockings")

    def __str__(self) -> str:
        return f"{self.place} {self.start:%Y-%m-%d %H:%M}"


class Round(TimeStampedModel):
    """A matchmaking round: requests collected, then scheduled in batch, reviewed, published."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open for requests")
        SCHEDULING = "scheduling", _("Scheduling")
        DRAFT = "draft", _("Draft ready")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="meeting_rounds")
    name = models.CharField(_("name"), max_length=120)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    time_limit = models.PositiveIntegerField(_("scheduler time limit (s)"), default=30)
    at_tables = models.BooleanField(
        _("meetings at the business centre's tables"),
        default=False,
        help_text=_("Otherwise meetings with exhibitors are at their stands."),
    )
    progress = models.FloatField(default=0.0)
    progress_message = models.CharField(max_length=200, blank=True)
    draft = models.JSONField(null=True, blank=True, help_text="exhibition.meetings-schedule/v1")
    draft_stats = models.JSONField(default=dict, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # The scheduler's worker, how many times a task took this run up, and its last sign of life
    # (exhibition.core.heartbeat): a run whose worker died ends visibly, its draft kept.
    worker = models.CharField(max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("matchmaking round")
        verbose_name_plural = _("matchmaking rounds")

    def __str__(self) -> str:
        return self.name


class MeetingRequest(TimeStampedModel):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        PROPOSED = "proposed", _("Other time proposed")
        EXPIRED = "expired", _("Expired")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN = (Status.REQUESTED, Status.PROPOSED)

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="meeting_requests")
    round = models.ForeignKey(
        Round, null=True, blank=True, on_delete=models.SET_NULL, related_name="requests"
    )
    sender = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="sent_requests")
    recipient = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="received_requests")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(_("message"), blank=True)
    preferred_times = models.CharField(_("preferred times"), max_length=200, blank=True)
    priority = models.PositiveSmallIntegerField(_("priority"), default=1)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED)
    proposed_start = models.DateTimeField(null=True, blank=True)
    proposed_by = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    response = models.TextField(_("response"), blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(sender=models.F("recipient")), name="meetings_request_not_self"
            ),
            models.CheckConstraint(
                condition=Q(priority__gte=1, priority__lte=5), name="meetings_request_priority"
            ),
            models.UniqueConstraint(
                fields=["sender", "recipient"],
                condition=Q(status__in=["requested", "proposed"]),
                name="meetings_request_one_open",
            ),
        ]
        indexes = [models.Index(fields=["event", "status"])]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")

    def __str__(self) -> str:
        return f"{self.sender} → {self.recipient}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class Meeting(TimeStampedModel):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", pgettext_lazy("meeting status", "Held")
        NO_SHOW = "no_show", _("No-show")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="meetings")
    request = models.OneToOneField(
        MeetingRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="meeting"
    )
    round = models.ForeignKey(
        Round, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    sender = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="meetings_as_sender")
    recipient = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="meetings_as_recipient")
    host = models.ForeignKey(
        ExhibitorHost, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    # When an exhibitor meets another exhibitor, each company sends one of its staff: ``host`` is
    # the recipient's, ``sender_host`` the sender's (empty in every other meeting).
    sender_host = models.ForeignKey(
        ExhibitorHost, null=True, blank=True, on_delete=models.SET_NULL, related_name="sender_meetings"
    )
    start = models.DateTimeField(_("start"), db_index=True)
    end = models.DateTimeField(_("end"))
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    sequence = models.PositiveIntegerField(default=0, help_text="iCalendar SEQUENCE: bumped on each change")
    reminded_at = models.DateTimeField(null=True, blank=True)
    sender_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    recipient_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    sender_comment = models.CharField(max_length=300, blank=True)
    recipient_comment = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=models.F("end")), name="meetings_meeting_order"),
            models.CheckConstraint(
                condition=~Q(sender=models.F("recipient")), name="meetings_meeting_not_self"
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "start"])]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.sender} / {self.recipient} {self.start:%Y-%m-%d %H:%M}"

    @property
    def uid(self) -> str:
        return f"meeting-{self.pk}@exhibition"

    def host_for(self, participant_id: int | None) -> ExhibitorHost | None:
        """The staff member who takes the meeting for this side (None for a visitor or delegation)."""
        side = self.sender if participant_id == self.sender_id else self.recipient
        if side.kind != Participant.Kind.EXHIBITOR:
            return None
        if participant_id == self.sender_id and self.recipient.kind == Participant.Kind.EXHIBITOR:
            return self.sender_host
        return self.host


class AgendaItem(TimeStampedModel):
    """Busy time of one participant (or one exhibitor staff member) that is not a meeting:
    a delegation visit, a conference, a private block. Blocks meetings, and meetings block it."""

    class Kind(models.TextChoices):
        DELEGATION_VISIT = "delegation_visit", _("Delegation visit")
        BUSY = "busy", _("Busy")
        EVENT = "event", _("Programme")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="agenda_items")
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.CASCADE, related_name="agenda_items"
    )
    host = models.ForeignKey(
        ExhibitorHost, null=True, blank=True, on_delete=models.CASCADE, related_name="agenda_items"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.BUSY)
    title = models.CharField(_("title"), max_length=200)
    place_label = models.CharField(_("where"), max_length=100, blank=True)
    walking_id = models.CharField(max_length=40, blank=True)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    source = models.CharField(max_length=80, blank=True, help_text="e.g. delegations.visit:123")

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=models.F("end")), name="meetings_agenda_order"),
            models.CheckConstraint(
                condition=Q(participant__isnull=False) | Q(host__isnull=False), name="meetings_agenda_owner"
            ),
        ]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title


class BookingResource(models.Model):
    """One lockable row per scarce resource ("p:<participant>", "u:<staff user>", "t:<place>").

    Services lock these with ``select_for_update`` in key order before checking and
    writing bookings: the same fixed order everywhere, so two bookings never deadlock."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=24)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "key"], name="meetings_resource_unique")]

    def __str__(self) -> str:
        return self.key


class Booking(models.Model):
    """One resource taken for one time range by a meeting or an agenda item."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    resource = models.CharField(max_length=24)
    start = models.DateTimeField()
    end = models.DateTimeField()
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="bookings"
    )
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.CASCADE, related_name="bookings"
    )

    class Meta:
        indexes = [models.Index(fields=["event", "resource", "start"])]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=models.F("end")), name="meetings_booking_order"),
            models.CheckConstraint(
                condition=Q(meeting__isnull=False) | Q(agenda_item__isnull=False),
                name="meetings_booking_owner",
            ),
            PostgresExclusionConstraint(
                name="meetings_booking_no_overlap",
                expressions=[
                    ("event", RangeOperators.EQUAL),
                    ("resource", RangeOperators.EQUAL),
                    (TsTzRange("start", "end"), RangeOperators.OVERLAPS),
                ],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource} {self.start:%Y-%m-%d %H:%M}"
