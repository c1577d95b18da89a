"""Official delegations and their members (the people, not accounts)."""

from __future__ import annotations

import secrets
import uuid
from datetime import time

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from exhibition.core.models import TimeStampedModel


class Delegation(TimeStampedModel):
    class ProtocolLevel(models.TextChoices):
        MINISTERIAL = "ministerial", _("Ministerial")
        HIGH_LEVEL = "high_level", _("High-level")
        TECHNICAL = "technical", _("Technical")

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="delegation"
    )
    official_name = models.CharField(_("official name"), max_length=250)
    protocol_level = models.CharField(
        _("protocol level"), max_length=16, choices=ProtocolLevel.choices, default=ProtocolLevel.TECHNICAL
    )
    languages = models.CharField(_("languages"), max_length=100, blank=True)
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    liaison_officer = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="liaised_delegations",
        verbose_name=_("Liaison officer"),
    )
    internal_notes = models.TextField(_("internal notes"), blank=True)
    lunch_minutes = models.PositiveSmallIntegerField(
        _("lunch break (min)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(120)],
        help_text=_("Empty: the show's usual lunch break. 0: no lunch break in the programme."),
    )

    class Meta:
        ordering = ["official_name"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")

    def __str__(self) -> str:
        return self.official_name

    @property
    def event(self):
        return self.organisation.event


class DelegationMember(models.Model):
    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=150)
    title = models.CharField(_("title or rank"), max_length=150, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    role = models.CharField(_("role in the delegation"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    is_head = models.BooleanField(_("head of delegation"), default=False)

    class Meta:
        ordering = ["delegation", "-is_head", "name"]
        verbose_name = _("delegation member")
        verbose_name_plural = _("delegation members")

    def __str__(self) -> str:
        return self.name


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class DelegationDay(models.Model):
    """One day the delegation is on the show floor: its hours and where it starts and ends
    (an entrance door code or a place feature code such as the VIP lounge)."""

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("day"))
    start = models.TimeField(_("on the floor from"))
    end = models.TimeField(_("on the floor until"))
    start_point = models.CharField(_("start point"), max_length=40)
    end_point = models.CharField(_("end point"), max_length=40)
    # the lunch break the planner placed (local times) and where (a place code)
    lunch_start = models.TimeField(_("lunch from"), null=True, blank=True)
    lunch_end = models.TimeField(_("lunch until"), null=True, blank=True)
    lunch_place = models.CharField(_("lunch place"), max_length=40, blank=True)

    class Meta:
        ordering = ["delegation", "date"]
        constraints = [
            models.UniqueConstraint(fields=["delegation", "date"], name="delegationday_unique_date"),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="delegationday_end_after_start"
            ),
        ]
        verbose_name = _("day on site")
        verbose_name_plural = _("days on site")

    def __str__(self) -> str:
        return f"{self.delegation} {self.date}"


class ProgrammeRules(models.Model):
    """How the show's delegation programmes are laid out: a lunch break inside the lunch
    period, visits starting on a grid of minutes, and slack between two stands beside the
    walk. An event without a row uses the defaults."""

    event = models.OneToOneField("events.Event", on_delete=models.CASCADE, related_name="programme_rules")
    lunch_minutes = models.PositiveSmallIntegerField(
        _("lunch break (min)"),
        default=45,
        validators=[MaxValueValidator(120)],
        help_text=_("0: no lunch break in the programmes."),
    )
    lunch_from = models.TimeField(_("lunch period from"), default=time(12, 0))
    lunch_until = models.TimeField(_("lunch period until"), default=time(14, 0))
    grid_minutes = models.PositiveSmallIntegerField(
        _("visits start every (min)"), default=5, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    buffer_minutes = models.PositiveSmallIntegerField(
        _("slack between two visits (min)"),
        default=5,
        validators=[MaxValueValidator(30)],
        help_text=_("Besides the walk."),
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lunch_until__gt=models.F("lunch_from")), name="programmerules_lunch_period"
            ),
        ]
        verbose_name = _("programme rules")
        verbose_name_plural = _("programme rules")

    def __str__(self) -> str:
        return f"Programme rules of {self.event}"


class Interest(models.Model):
    """What a delegation wants to see: a sector, or a named exhibiting company, with a priority."""

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="interests")
    sector = models.ForeignKey(
        "events.Sector", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    exhibitor = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="delegation_interests",
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        ordering = ["delegation", "-priority", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(sector__isnull=False, exhibitor__isnull=True)
                    | models.Q(sector__isnull=True, exhibitor__isnull=False)
                ),
                name="interest_sector_xor_exhibitor",
            ),
            models.CheckConstraint(
                condition=models.Q(priority__gte=1, priority__lte=5), name="interest_priority_1_5"
            ),
            models.UniqueConstraint(fields=["delegation", "sector"], name="interest_unique_sector"),
            models.UniqueConstraint(fields=["delegation", "exhibitor"], name="interest_unique_exhibitor"),
        ]
        verbose_name = _("interest")
        verbose_name_plural = _("interests")

    def __str__(self) -> str:
        return f"{self.sector or self.exhibitor} ({self.priority})"


class CandidateVisit(models.Model):
    """A visit the planner may put in the programme (derived from interests; adjustable)."""

    class Source(models.TextChoices):
        EXHIBITOR = "exhibitor", _("Named exhibitor")
        SECTOR = "sector", _("Sector match")
        REQUEST = "request", _("Accepted request")
        MANUAL = "manual", _("Added by the organiser")

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="candidates")
    stand = models.ForeignKey(
        "floorplans.Stand", on_delete=models.CASCADE, related_name="delegation_candidates"
    )
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, default=Source.SECTOR)
    score = models.FloatField(_("score"), default=1.0, validators=[MinValueValidator(0.1)])
    score_adjusted = models.BooleanField(_("score set by hand"), default=False)
    duration = models.PositiveSmallIntegerField(
        _("duration (min)"), default=20, validators=[MinValueValidator(5), MaxValueValidator(240)]
    )
    required = models.BooleanField(_("required"), default=False)

    class Meta:
        ordering = ["delegation", "-required", "-score", "stand__number"]
        constraints = [
            models.UniqueConstraint(fields=["delegation", "stand"], name="candidate_unique_stand"),
            models.CheckConstraint(condition=models.Q(score__gt=0), name="candidate_score_positive"),
        ]
        verbose_name = _("candidate visit")
        verbose_name_plural = _("candidate visits")

    def __str__(self) -> str:
        return f"{self.delegation} → {self.stand}"


class StandHosting(models.Model):
    """How many delegations a stand can receive at once."""

    stand = models.OneToOneField("floorplans.Stand", on_delete=models.CASCADE, related_name="hosting")
    capacity = models.PositiveSmallIntegerField(
        _("delegations received at once"), default=1, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )

    class Meta:
        verbose_name = _("stand hosting")
        verbose_name_plural = _("stand hosting")

    def __str__(self) -> str:
        return f"{self.stand} × {self.capacity}"


class HostingWindow(models.Model):
    """When an exhibitor receives delegations on a day: for all its stands, or one stand."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="hosting_windows")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="hosting_windows"
    )
    stand = models.ForeignKey(
        "floorplans.Stand", null=True, blank=True, on_delete=models.CASCADE, related_name="hosting_windows"
    )
    date = models.DateField(_("day"))
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))

    class Meta:
        ordering = ["organisation", "date", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="hostingwindow_end_after_start"
            ),
        ]
        indexes = [models.Index(fields=["event", "date"])]
        verbose_name = _("hosting window")
        verbose_name_plural = _("hosting windows")

    def __str__(self) -> str:
        return f"{self.organisation} {self.date} {self.start:%H:%M}-{self.end:%H:%M}"


class VisitRequest(TimeStampedModel):
    """A delegation asks an exhibiting company for a visit; the company accepts or declines."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="visit_requests")
    company = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="delegation_requests"
    )
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    answered_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["delegation", "company"], name="visitrequest_unique_pair")
        ]
        verbose_name = _("visit request")
        verbose_name_plural = _("visit requests")

    def __str__(self) -> str:
        return f"{self.delegation} → {self.company} ({self.status})"


class HostWish(TimeStampedModel):
    """An exhibitor would like to host this delegation (organisers see it as a suggestion)."""

    company = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="delegation_wishes"
    )
    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="host_wishes")
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["company", "delegation"]
        constraints = [models.UniqueConstraint(fields=["company", "delegation"], name="hostwish_unique_pair")]
        verbose_name = _("wish to host")
        verbose_name_plural = _("wishes to host")

    def __str__(self) -> str:
        return f"{self.company} ♥ {self.delegation}"


class Exclusion(TimeStampedModel):
    """A pairing that must never be planned: a delegation and one company, or all companies of a country."""

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="exclusions")
    company = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="delegation_exclusions",
    )
    country = CountryField(_("companies of country"), blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["delegation", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(company__isnull=False, country="")
                    | models.Q(company__isnull=True) & ~models.Q(country="")
                ),
                name="exclusion_company_xor_country",
            ),
        ]
        verbose_name = _("exclusion")
        verbose_name_plural = _("exclusions")

    def __str__(self) -> str:
        return f"{self.delegation} ✗ {self.company or self.country}"


class Programme(models.Model):
    """A delegation's programme: its publication state and the secret token of its calendar feed.
    The published programme itself is the delegation's PublishedVisit rows."""

    delegation = models.OneToOneField(Delegation, on_delete=models.CASCADE, related_name="programme")
    published_at = models.DateTimeField(null=True, blank=True)
    published_version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return f"Programme of {self.delegation}"


class Visit(TimeStampedModel):
    """One stand visit in a delegation's programme. Times are stored in UTC."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="visits")
    date = models.DateField(_("day"))
    stand = models.ForeignKey("floorplans.Stand", on_delete=models.CASCADE, related_name="delegation_visits")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    pinned = models.BooleanField(_("pinned"), default=False)
    sequence = models.PositiveIntegerField(
        default=0, help_text=_("Bumped when the visit changes (calendar feeds).")
    )

    class Meta:
        ordering = ["delegation", "start"]
        constraints = [
            models.UniqueConstraint(fields=["delegation", "stand"], name="visit_unique_stand"),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="visit_end_after_start"
            ),
        ]
        indexes = [models.Index(fields=["stand", "start"]), models.Index(fields=["delegation", "date"])]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")

    def __str__(self) -> str:
        return f"{self.delegation} at {self.stand} {self.start:%Y-%m-%d %H:%M}"

    @property
    def minutes(self) -> int:
        """How long the visit lasts, in minutes (the move form starts from it)."""
        return round((self.end - self.start).total_seconds() / 60)


class PublishedVisit(models.Model):
    """A visit as last published: what the delegation, the exhibitors and the calendar feed see.
    Publishing compares the working programme (Visit) with these rows, by ``uid``."""

    uid = models.UUIDField(unique=True)
    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="published_visits")
    date = models.DateField(_("day"))
    stand = models.ForeignKey(
        "floorplans.Stand", on_delete=models.CASCADE, related_name="published_delegation_visits"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    sequence = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["delegation", "start"]
        indexes = [models.Index(fields=["stand", "start"]), models.Index(fields=["delegation", "date"])]
        verbose_name = _("published visit")
        verbose_name_plural = _("published visits")

    def __str__(self) -> str:
        return f"{self.delegation} at {self.stand} {self.start:%Y-%m-%d %H:%M}"


class PlanningRun(models.Model):
    """One run of the itinerary planner, in the background, with progress and cancellation."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")
        FAILED = "failed", _("Failed")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="planning_runs")
    delegation = models.ForeignKey(
        Delegation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="planning_runs",
        help_text=_("Empty: every delegation."),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.FloatField(default=0.0)
    message = models.CharField(max_length=300, blank=True)
    cancel_requested = models.BooleanField(default=False)
    time_limit = models.FloatField(_("time limit (s)"), default=20.0)
    seed = models.IntegerField(default=0)
    stats = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Which worker process is on the run, how many times a task took it up, and when it last
    # said it was alive (exhibition.core.heartbeat): a run whose worker died ends visibly.
    worker = models.CharField(max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event"],
                condition=models.Q(status__in=["queued", "running"]),
                name="planningrun_one_active",
            ),
        ]
        verbose_name = _("planning run")
        verbose_name_plural = _("planning runs")

    def __str__(self) -> str:
        return f"Planning run {self.pk} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE
