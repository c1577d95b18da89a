"""The floor plan as data: pavilions, doors, fixed features, stands, pricing and the
stored walking matrix. Geometry is in metres; stand and feature positions are relative to
their hall's top-left corner, doors are in site coordinates (halls sit on one site)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from exhibition.core.colours import validate_colour
from exhibition.core.models import TimeStampedModel

from . import codes


def _check_place_code(obj: models.Model, field: str, **own: int | None) -> None:
    """Forms that save a model directly (the admin) keep the one namespace of place codes too."""
    value = getattr(obj, field)
    if getattr(obj, "event_id", None) and value:
        kind = codes.owner_of(obj.event_id, value, **own)
        if kind is not None:
            raise ValidationError({field: codes.clash_message(value, kind)})


def localized_name(name: str, name_fr: str) -> str:
    """The name a reader of the current language reads: the French one on a French page when
    there is one, else the (English) name, which stays the identifier."""
    if name_fr and (get_language() or "").startswith("fr"):
        return name_fr
    return name


class PlanSettings(models.Model):
    """Per-event pricing and the plan version that invalidates derived data."""

    event = models.OneToOneField("events.Event", on_delete=models.CASCADE, related_name="plan_settings")
    shell_rate = models.DecimalField(
        _("shell scheme rate per m²"), max_digits=8, decimal_places=2, default=Decimal("520.00")
    )
    raw_rate = models.DecimalField(
        _("raw space rate per m²"), max_digits=8, decimal_places=2, default=Decimal("420.00")
    )
    corner_supplement = models.DecimalField(
        _("corner supplement (%)"), max_digits=5, decimal_places=2, default=Decimal("5")
    )
    peninsula_supplement = models.DecimalField(
        _("peninsula supplement (%)"), max_digits=5, decimal_places=2, default=Decimal("10")
    )
    island_supplement = models.DecimalField(
        _("island supplement (%)"), max_digits=5, decimal_places=2, default=Decimal("15")
    )
    hall_entry_minutes = models.FloatField(
        _("minutes to enter a hall (badge control)"), default=0.0, validators=[MinValueValidator(0)]
    )
    version = models.PositiveIntegerField(default=1, help_text=_("Bumped on every change of the plan."))

    class Meta:
        verbose_name = _("plan settings")
        verbose_name_plural = _("plan settings")

    def __str__(self) -> str:
        return f"Plan settings of {self.event}"


class Pavilion(models.Model):
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="pavilions")
    name = models.CharField(_("name"), max_length=150)
    name_fr = models.CharField(_("name in French"), max_length=150, blank=True)
    country = CountryField(_("country"), blank=True)
    colour = models.CharField(_("colour"), max_length=7, default="#0ea5e9", validators=[validate_colour])
    contact_name = models.CharField(_("contact name"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    class Meta:
        ordering = ["event", "name"]
        constraints = [models.UniqueConstraint(fields=["event", "name"], name="pavilion_unique_name")]
        verbose_name = _("pavilion")
        verbose_name_plural = _("pavilions")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name people read: the French one on French pages if set, else ``name``."""
        return localized_name(self.name, self.name_fr)


class Door(models.Model):
    """A door between two halls, or an entrance from outside (``hall_b`` empty)."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="doors")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100, blank=True)
    name_fr = models.CharField(_("name in French"), max_length=100, blank=True)
    hall_a = models.ForeignKey("events.Hall", on_delete=models.CASCADE, related_name="+")
    hall_b = models.ForeignKey(
        "events.Hall", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    x = models.FloatField(_("x (site, m)"))
    y = models.FloatField(_("y (site, m)"))
    width = models.FloatField(_("width (m)"), default=2.0, validators=[MinValueValidator(0.5)])

    class Meta:
        ordering = ["event", "code"]
        constraints = [models.UniqueConstraint(fields=["event", "code"], name="door_unique_code")]
        verbose_name = _("door")
        verbose_name_plural = _("doors")

    def __str__(self) -> str:
        return self.label

    @property
    def display_name(self) -> str:
        """The door's name in the reader's language (the French one on French pages if set),
        or "" when it has none."""
        return localized_name(self.name, self.name_fr)

    @property
    def label(self) -> str:
        """How people read the door: its name in their language, else its code."""
        return self.display_name or self.code

    def clean(self) -> None:
        _check_place_code(self, "code", door=self.pk)

    @property
    def is_entrance(self) -> bool:
        return self.hall_b_id is None


class Feature(models.Model):
    """A fixed feature of a hall: columns, service areas, and places one can walk to."""

    class Kind(models.TextChoices):
        COLUMN = "column", _("Column")
        SERVICE = "service", _("Service area")
        LOUNGE = "lounge", _("Lounge")
        MEETING_ROOM = "meeting_room", _("Meeting room")
        THEATRE = "theatre", _("Conference theatre")
        RESTAURANT = "restaurant", _("Restaurant")
        TOILETS = "toilets", _("Toilets")

    PLACE_KINDS = {Kind.LOUNGE, Kind.MEETING_ROOM, Kind.THEATRE, Kind.RESTAURANT}

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="features")
    hall = models.ForeignKey("events.Hall", on_delete=models.CASCADE, related_name="features")
    code = models.CharField(_("code"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True)
    x = models.FloatField(_("x (m)"), validators=[MinValueValidator(0)])
    y = models.FloatField(_("y (m)"), validators=[MinValueValidator(0)])
    width = models.FloatField(_("width (m)"), validators=[MinValueValidator(0.1)])
    depth = models.FloatField(_("depth (m)"), validators=[MinValueValidator(0.1)])

    class Meta:
        ordering = ["hall", "code"]
        constraints = [models.UniqueConstraint(fields=["event", "code"], name="feature_unique_code")]
        verbose_name = _("feature")
        verbose_name_plural = _("features")

    def __str__(self) -> str:
        return self.name or f"{self.get_kind_display()} {self.code}"

    def clean(self) -> None:
        _check_place_code(self, "code", feature=self.pk)

    @property
    def is_place(self) -> bool:
        return self.kind in self.PLACE_KINDS


class Stand(TimeStampedModel):
    class Kind(models.TextChoices):
        SHELL = "shell", _("Shell scheme")
        RAW = "raw", _("Raw space")

    class Status(models.TextChoices):
        AVAILABLE = "available", _("Available")
        HELD = "held", _("Held")
        RESERVED = "reserved", _("Reserved")
        SOLD = "sold", _("Sold")
        BLOCKED = "blocked", _("Blocked")

    class OpenSides(models.IntegerChoices):
        INLINE = 1, _("Inline (1 open side)")
        CORNER = 2, _("Corner (2 open sides)")
        PENINSULA = 3, _("Peninsula (3 open sides)")
        ISLAND = 4, _("Island (4 open sides)")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="stands")
    hall = models.ForeignKey("events.Hall", on_delete=models.CASCADE, related_name="stands")
    number = models.CharField(_("stand number"), max_length=20)
    x = models.FloatField(_("x (m)"), validators=[MinValueValidator(0)])
    y = models.FloatField(_("y (m)"), validators=[MinValueValidator(0)])
    width = models.FloatField(_("width (m)"), validators=[MinValueValidator(1)])
    depth = models.FloatField(_("depth (m)"), validators=[MinValueValidator(1)])
    rotation = models.PositiveSmallIntegerField(_("rotation"), default=0, choices=[(0, "0°"), (90, "90°")])
    area = models.FloatField(_("area (m²)"), editable=False)
    open_sides = models.PositiveSmallIntegerField(
        _("open sides"),
        choices=OpenSides.choices,
        default=OpenSides.INLINE,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    open_sides_fixed = models.BooleanField(
        _("open sides set by hand"), default=False, help_text=_("Otherwise derived from the neighbours.")
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.SHELL)
    price = models.DecimalField(
        _("price"), max_digits=12, decimal_places=2, default=Decimal("0"), editable=False
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.AVAILABLE)
    held_until = models.DateTimeField(_("held until"), null=True, blank=True)
    exhibitor = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stands",
        limit_choices_to={"kind": "company"},
    )
    pavilion = models.ForeignKey(
        Pavilion, null=True, blank=True, on_delete=models.SET_NULL, related_name="stands"
    )
    version = models.PositiveIntegerField(default=1, help_text=_("Optimistic lock for editors."))

    class Meta:
        ordering = ["hall", "number"]
        constraints = [
            models.UniqueConstraint(fields=["event", "number"], name="stand_unique_number"),
            models.CheckConstraint(condition=models.Q(width__gt=0, depth__gt=0), name="stand_positive_size"),
        ]
        indexes = [models.Index(fields=["event", "status"]), models.Index(fields=["hall", "status"])]
        verbose_name = _("stand")
        verbose_name_plural = _("stands")

    def __str__(self) -> str:
        return self.number

    def clean(self) -> None:
        _check_place_code(self, "number", stand=self.pk)

    @property
    def footprint(self) -> tuple[float, float]:
        """(width, depth) as laid on the plan, rotation applied."""
        return (self.depth, self.width) if self.rotation == 90 else (self.width, self.depth)

    @property
    def is_taken(self) -> bool:
        if self.status == self.Status.HELD:
            return self.held_until is not None and self.held_until > timezone.now()
        return self.status in (self.Status.RESERVED, self.Status.SOLD, self.Status.BLOCKED)

    @property
    def effective_status(self) -> str:
        """Expired holds never count as taken."""
        if self.status == self.Status.HELD and not self.is_taken:
            return self.Status.AVAILABLE
        return self.status


class WalkingMatrix(models.Model):
    """Walking minutes between every stand and place of an event, for one plan version.

    Stored in the database (the one copy every process shares), as float32 row-major bytes
    with the place ids in ``places``.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Computing")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    event = models.OneToOneField("events.Event", on_delete=models.CASCADE, related_name="walking_matrix")
    plan_version = models.PositiveIntegerField()
    # the settings it was computed with: not plan edits (no new version), but they change
    # every figure, so a matrix computed with others is stale too
    walking_speed = models.FloatField(null=True, blank=True)
    hall_entry_minutes = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.FloatField(default=0.0)
    places = models.JSONField(default=list)
    minutes = models.BinaryField(default=b"")
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("walking matrix")
        verbose_name_plural = _("walking matrices")

    def __str__(self) -> str:
        return f"Walking matrix of {self.event} (v{self.plan_version}, {self.status})"

    def is_for(self, event, settings_: PlanSettings) -> bool:
        """Computed for the current plan version, walking speed and hall-entry time."""
        return (
            self.plan_version == settings_.version
            and self.walking_speed == event.walking_speed
            and self.hall_entry_minutes == settings_.hall_entry_minutes
        )
