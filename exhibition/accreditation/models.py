"""Accreditation: badges with signed codes, the zones and rules of the site, scanner devices,
every scan at the gates, and exhibitors' leads.

A badge exists only while its holder is admitted at the event (see ``accounts.roles``): it is
issued to an admitted person (or to a name an admitted organisation gave: an exhibitor's badge
request, a delegation member) and revoked the moment that admission is lost. Its QR code is a
compact payload signed with the event's Ed25519 key (``codes.py``); nothing secret about a
badge is stored, the code is signed again whenever it is printed.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from exhibition.core.models import TimeStampedModel

colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #rrggbb."))


def _storage():
    """The ``private`` storage (never served by URL; S3 or disk, see settings.STORAGES)."""
    return storages["private"]


def private_storage() -> Storage:
    """Where badge photos and print batches live (``_storage`` is the name migrations know)."""
    return _storage()


def photo_path(instance: Badge, filename: str) -> str:
    return f"accreditation/photos/{instance.event_id}/{uuid.uuid4().hex}.jpg"


def print_path(instance: PrintJob, filename: str) -> str:
    return f"accreditation/prints/{instance.event_id}/{uuid.uuid4().hex}.pdf"


def new_rules_version() -> int:
    return secrets.randbelow(2**31 - 2) + 1


class Bilingual:
    @property
    def name(self) -> str:
        return self.name_fr if (get_language() or "en").startswith("fr") else self.name_en  # type: ignore[attr-defined]

    @property
    def bilingual(self) -> str:
        en, fr = self.name_en, self.name_fr  # type: ignore[attr-defined]
        return en if en == fr else f"{en} / {fr}"


class AccreditationSettings(models.Model):
    event = models.OneToOneField(
        "events.Event", on_delete=models.CASCADE, related_name="accreditation_settings"
    )
    meeting_grace_minutes = models.PositiveSmallIntegerField(
        _("a meeting is a no-show when nobody scanned in this many minutes after its start"),
        default=15,
        validators=[MaxValueValidator(240)],
    )
    # A new random value after every change to days, zones, categories, rules, gates or keys:
    # scanners re-sync, and the servers' cached rules are looked up under it.
    rules_version = models.PositiveIntegerField(default=new_rules_version)

    class Meta:
        verbose_name = _("accreditation settings")
        verbose_name_plural = _("accreditation settings")

    def __str__(self) -> str:
        return f"accreditation settings of {self.event_id}"


class AccessDay(models.Model):
    """A day the site is open to badge holders: build-up, show or dismantling, with the site's
    hours (for staff; visitors keep to the show's opening hours)."""

    class Kind(models.TextChoices):
        BUILD_UP = "build_up", _("Build-up")
        SHOW = "show", _("Show day")
        DISMANTLING = "dismantling", _("Dismantling")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="access_days")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.SHOW)
    opens_at = models.TimeField(_("site opens"))
    closes_at = models.TimeField(_("site closes"))

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["event", "date"], name="accreditation_day_unique"),
            models.CheckConstraint(
                condition=Q(opens_at__lt=models.F("closes_at")), name="accreditation_day_order"
            ),
        ]
        verbose_name = _("site day")
        verbose_name_plural = _("site days")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} ({self.get_kind_display()})"


class Zone(Bilingual, models.Model):
    class Kind(models.TextChoices):
        SITE = "site", _("Site entrance")
        HALL = "hall", _("Hall")
        CONFERENCE = "conference", _("Conference room")
        LOUNGE = "lounge", _("Delegation lounge")
        PRESS = "press", _("Press area")
        MEETINGS = "meetings", _("Business meeting centre")
        OTHER = "other", _("Other")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="zones")
    code = models.SlugField(_("code"), max_length=30)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_fr = models.CharField(_("name (French)"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.HALL)
    hall = models.ForeignKey(
        "events.Hall", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    tracks_presence = models.BooleanField(
        _("count who is inside"),
        default=True,
        help_text=_("Entries and exits are counted; a second entry without an exit is refused."),
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name_en"]
        constraints = [
            models.UniqueConstraint(fields=["event", "code"], name="accreditation_zone_unique_code")
        ]
        verbose_name = _("zone")
        verbose_name_plural = _("zones")

    def __str__(self) -> str:
        return self.name


class BadgeCategory(Bilingual, models.Model):
    """Organiser, exhibitor, contractor, visitor, delegation, press, ... editable per event."""

    class Hours(models.TextChoices):
        OPENING = "opening", _("Show opening hours only")
        SITE = "site", _("Site hours (before opening and after closing)")
        ALWAYS = "always", _("Round the clock")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="badge_categories")
    code = models.SlugField(_("code"), max_length=20)
    # Signed into every code of the category (one byte): never reused within the event.
    number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(255)])
    name_en = models.CharField(_("name (English)"), max_length=60)
    name_fr = models.CharField(_("name (French)"), max_length=60)
    colour = models.CharField(_("colour"), max_length=7, default="#1d4ed8", validators=[colour_validator])
    requires_photo = models.BooleanField(_("photo required"), default=False)
    hours = models.CharField(_("hours"), max_length=8, choices=Hours.choices, default=Hours.OPENING)
    allows_reentry = models.BooleanField(_("may re-enter after leaving"), default=True)
    self_print = models.BooleanField(_("holders print their own badge"), default=False)
    zones = models.ManyToManyField(Zone, blank=True, related_name="categories", verbose_name=_("zones"))
    days = models.ManyToManyField(AccessDay, blank=True, related_name="categories", verbose_name=_("days"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "number"]
        constraints = [
            models.UniqueConstraint(fields=["event", "code"], name="accreditation_category_unique_code"),
            models.UniqueConstraint(fields=["event", "number"], name="accreditation_category_unique_number"),
        ]
        verbose_name = _("badge category")
        verbose_name_plural = _("badge categories")

    def __str__(self) -> str:
        return self.name


class AccessRule(models.Model):
    """A narrower window for one category in one zone (on one day, or every day): where rules
    exist for a category and zone, entries are accepted only within one of them."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="access_rules")
    category = models.ForeignKey(BadgeCategory, on_delete=models.CASCADE, related_name="rules")
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="rules")
    day = models.ForeignKey(
        AccessDay,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rules",
        help_text=_("Empty: every day."),
    )
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))

    class Meta:
        ordering = ["category", "zone", "day", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=models.F("ends_at")), name="accreditation_rule_order"
            )
        ]
        verbose_name = _("access rule")
        verbose_name_plural = _("access rules")

    def __str__(self) -> str:
        return f"{self.category} @ {self.zone} {self.starts_at:%H:%M}-{self.ends_at:%H:%M}"


class Gate(models.Model):
    """Where a scanner stands: a gate of a zone, or a table of the business meeting centre."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="gates")
    name = models.CharField(_("name"), max_length=100)
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="gates", verbose_name=_("zone"))
    place = models.ForeignKey(
        "meetings.Place",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("meeting table"),
        help_text=_("Scans here check people in for their meeting at this table."),
    )

    class Meta:
        ordering = ["zone__position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="accreditation_gate_unique_name")
        ]
        verbose_name = _("gate")
        verbose_name_plural = _("gates")

    def __str__(self) -> str:
        return self.name


class SigningKey(models.Model):
    """One Ed25519 key of an event. The newest active key signs new codes; every key that is not
    withdrawn verifies, so keys can be rotated without reprinting. The private key is stored
    encrypted with a key derived from ``SECRET_KEY``."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="signing_keys")
    kid = models.PositiveIntegerField(validators=[MinValueValidator(1), MaxValueValidator(65535)])
    public_key = models.BinaryField(max_length=32)
    private_key = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(
        null=True, blank=True, help_text=_("No longer signs new badges; still verifies.")
    )
    withdrawn_at = models.DateTimeField(
        null=True, blank=True, help_text=_("No longer verifies: its codes are refused.")
    )

    class Meta:
        ordering = ["-kid"]
        constraints = [models.UniqueConstraint(fields=["event", "kid"], name="accreditation_key_unique_kid")]
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")

    def __str__(self) -> str:
        return f"key {self.kid} of {self.event_id}"

    @property
    def verifies(self) -> bool:
        return self.withdrawn_at is None


class Badge(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a photo")
        VALID = "valid", _("Valid")
        REVOKED = "revoked", _("Revoked")

    class Source(models.TextChoices):
        ORGANISER = "organiser", _("Organiser staff")
        EXHIBITOR = "exhibitor", _("Exhibitor staff")
        VISITOR = "visitor", _("Trade visitor")
        DELEGATION = "delegation", _("Delegation member")
        MANUAL = "manual", _("Issued by the organiser")

    class RevokeReason(models.TextChoices):
        REISSUED = "reissued", _("Replaced by a new badge")
        ADMISSION_LOST = "admission_lost", _("Admission withdrawn")
        HOLDER_REMOVED = "holder_removed", _("Holder removed")
        ORGANISER = "organiser", _("Revoked by the organiser")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="badges")
    category = models.ForeignKey(
        BadgeCategory, on_delete=models.RESTRICT, related_name="badges", verbose_name=_("category")
    )
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="badges"
    )
    visitor = models.ForeignKey(
        "accounts.TradeVisitor", null=True, blank=True, on_delete=models.SET_NULL, related_name="badges"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="badges"
    )
    badge_request = models.ForeignKey(
        "exhibitors.BadgeRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="badges"
    )
    delegation_member = models.ForeignKey(
        "delegations.DelegationMember",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="badges",
    )
    name = models.CharField(_("name"), max_length=150)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    country = CountryField(_("country"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    photo = models.ImageField(_("photo"), storage=_storage, upload_to=photo_path, blank=True)
    # A small JPEG of the photo as a data: URI, shown to the steward with each scan.
    photo_thumb = models.TextField(blank=True, editable=False)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    key = models.ForeignKey(
        SigningKey, null=True, blank=True, on_delete=models.RESTRICT, related_name="badges"
    )
    # Days signed into the code: a 16-bit mask of days from ``valid_from``.
    valid_from = models.DateField(null=True, blank=True)
    valid_mask = models.PositiveIntegerField(default=0)
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoke_reason = models.CharField(
        _("why revoked"), max_length=16, choices=RevokeReason.choices, blank=True
    )
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaced_by"
    )
    printed_at = models.DateTimeField(_("last printed"), null=True, blank=True)
    print_count = models.PositiveIntegerField(default=0)
    leads_opt_out = models.BooleanField(_("exhibitors may not record my badge as a lead"), default=False)

    LIVE = Q(status__in=["pending", "valid"])

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(
                    status__in=["pending", "valid"], user__isnull=False, source__in=["organiser", "visitor"]
                ),
                name="accreditation_badge_one_per_person",
            ),
            models.UniqueConstraint(
                fields=["visitor"],
                condition=Q(status__in=["pending", "valid"], visitor__isnull=False),
                name="accreditation_badge_one_per_visitor",
            ),
            models.UniqueConstraint(
                fields=["badge_request"],
                condition=Q(status__in=["pending", "valid"], badge_request__isnull=False),
                name="accreditation_badge_one_per_request",
            ),
            models.UniqueConstraint(
                fields=["delegation_member"],
                condition=Q(status__in=["pending", "valid"], delegation_member__isnull=False),
                name="accreditation_badge_one_per_member",
            ),
            models.CheckConstraint(
                condition=~Q(status="valid") | Q(key__isnull=False),
                name="accreditation_badge_signed_when_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status"]),
            models.Index(fields=["event", "category", "status"]),
            models.Index(fields=["event", "revoked_at"]),
        ]
        verbose_name = _("badge")
        verbose_name_plural = _("badges")

    def __str__(self) -> str:
        return f"{self.name} ({self.number})"

    @property
    def number(self) -> str:
        """The number printed on the badge and read out by stewards."""
        return f"{self.pk:07d}" if self.pk else "-"

    @property
    def is_live(self) -> bool:
        return self.status != self.Status.REVOKED


class Device(models.Model):
    """A scanner (phone, tablet, turnstile) registered by an organiser with a one-time code.
    Only hashes of the code and of the device's token are stored."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="scanner_devices")
    name = models.CharField(_("name"), max_length=100)
    gate = models.ForeignKey(
        Gate, null=True, blank=True, on_delete=models.SET_NULL, related_name="devices", verbose_name=_("gate")
    )
    code_hash = models.CharField(max_length=64, blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    token_prefix = models.CharField(max_length=8, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    registered_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("scanner device")
        verbose_name_plural = _("scanner devices")

    def __str__(self) -> str:
        return self.name

    @property
    def state(self) -> str:
        if self.revoked_at:
            return "revoked"
        return "registered" if self.registered_at else "waiting"


class Presence(models.Model):
    """Whether a badge is inside a zone: the row the gates lock, so that two gates scanning the
    same badge at the same moment give exactly one entry."""

    badge = models.ForeignKey(Badge, on_delete=models.CASCADE, related_name="presence")
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="presence")
    inside = models.BooleanField(default=False)
    last_entry_at = models.DateTimeField(null=True, blank=True)
    last_exit_at = models.DateTimeField(null=True, blank=True)
    last_scan_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["badge", "zone"], name="accreditation_presence_unique")
        ]
        indexes = [models.Index(fields=["zone", "inside"])]

    def __str__(self) -> str:
        return f"{self.badge_id} in {self.zone_id}: {self.inside}"


class Scan(models.Model):
    """Every scan at a gate, accepted or refused, with its reason."""

    class Direction(models.TextChoices):
        ENTRY = "entry", _("Entry")
        EXIT = "exit", _("Exit")

    class Result(models.TextChoices):
        OK = "ok", _("Accepted")
        INVALID = "invalid", _("Not a valid badge")
        REVOKED = "revoked", _("Badge revoked")
        NOT_ADMITTED = "not_admitted", _("Holder not admitted")
        WRONG_ZONE = "wrong_zone", _("Not allowed in this zone")
        WRONG_DAY = "wrong_day", _("Not valid today")
        OUTSIDE_HOURS = "outside_hours", _("Outside the hours")
        ALREADY_INSIDE = "already_inside", _("Already inside")
        NO_REENTRY = "no_reentry", _("No re-entry")
        REFUSED_OFFLINE = "refused_offline", _("Refused by the scanner offline")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="scans")
    device = models.ForeignKey(Device, null=True, blank=True, on_delete=models.SET_NULL, related_name="scans")
    nonce = models.CharField(max_length=64)
    badge = models.ForeignKey(Badge, null=True, blank=True, on_delete=models.SET_NULL, related_name="scans")
    category = models.ForeignKey(
        BadgeCategory, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    country = models.CharField(max_length=2, blank=True)
    gate = models.ForeignKey(Gate, null=True, blank=True, on_delete=models.SET_NULL, related_name="scans")
    zone = models.ForeignKey(Zone, null=True, blank=True, on_delete=models.SET_NULL, related_name="scans")
    direction = models.CharField(max_length=5, choices=Direction.choices, default=Direction.ENTRY)
    scanned_at = models.DateTimeField(_("scanned"))
    received_at = models.DateTimeField(default=timezone.now)
    result = models.CharField(_("result"), max_length=16, choices=Result.choices)
    forced = models.BooleanField(
        default=False, help_text="An offline scan the gate accepted, uploaded later."
    )
    offline = models.BooleanField(default=False)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-scanned_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["device", "nonce"], name="accreditation_scan_unique_nonce")
        ]
        indexes = [
            models.Index(fields=["event", "scanned_at"]),
            models.Index(fields=["event", "result", "scanned_at"]),
            models.Index(fields=["badge", "scanned_at"]),
        ]
        verbose_name = _("scan")
        verbose_name_plural = _("scans")

    def __str__(self) -> str:
        return f"{self.scanned_at:%Y-%m-%d %H:%M:%S} {self.result}"


class MeetingArrival(models.Model):
    """One side of a meeting scanned in at its table."""

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="arrivals")
    participant = models.ForeignKey("meetings.Participant", on_delete=models.CASCADE, related_name="+")
    scan = models.ForeignKey(Scan, null=True, on_delete=models.SET_NULL, related_name="+")
    arrived_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "participant"], name="accreditation_arrival_unique")
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} at meeting {self.meeting_id}"


class Lead(models.Model):
    """A visitor whose badge an exhibitor's staff scanned, with their note and rating."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="leads")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="leads")
    badge = models.ForeignKey(Badge, on_delete=models.CASCADE, related_name="leads")
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    captured_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-captured_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "badge"], name="accreditation_lead_unique"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="accreditation_lead_rating",
            ),
        ]
        verbose_name = _("lead")
        verbose_name_plural = _("leads")

    def __str__(self) -> str:
        return f"{self.badge_id} for {self.organisation_id}"


class PrintJob(models.Model):
    """A batch of badges printed into one PDF in the background."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Printing")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Format(models.TextChoices):
        A6 = "a6", _("A6 (105 × 148 mm)")
        LABEL = "label", _("Label (102 × 76 mm)")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="print_jobs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    format = models.CharField(_("format"), max_length=6, choices=Format.choices, default=Format.A6)
    category = models.ForeignKey(
        BadgeCategory, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    new_only = models.BooleanField(_("only badges never printed"), default=False)
    badge_ids = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.FloatField(default=0.0)
    message = models.CharField(max_length=200, blank=True)
    file = models.FileField(storage=_storage, upload_to=print_path, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("print job")
        verbose_name_plural = _("print jobs")

    def __str__(self) -> str:
        return f"print {self.pk} ({self.status})"
