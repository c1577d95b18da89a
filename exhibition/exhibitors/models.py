"""Exhibitor registration: applications and their documents, screening against
restricted-party lists, the exhibitor's public profile, and badge requests.

Exhibiting companies are ``accounts.Organisation(kind=company)``; everything here hangs
off them. Stand sales live in the ``booking`` app."""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from exhibition.core.models import TimeStampedModel


class PrivateStorage(FileSystemStorage):
    """Files that are never served by the web server: only through a permission-checked view.

    Lives outside MEDIA_ROOT: ``PRIVATE_MEDIA_ROOT`` (default ``<BASE_DIR>/private_media``), read on
    every access so that tests can point it at a temporary folder."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        root = getattr(settings, "PRIVATE_MEDIA_ROOT", None)
        return str(root or os.path.join(str(settings.BASE_DIR), "private_media"))

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no public URL.")


def _private_storage():
    """The ``private`` storage of settings.STORAGES (PrivateStorage on disk by default; a private
    bucket in production): documents are only ever read back through permission-checked views."""
    return storages["private"]


def document_path(instance: ApplicationDocument, filename: str) -> str:
    return f"exhibitors/{instance.application.event_id}/{instance.application_id}/{uuid.uuid4().hex}.pdf"


def logo_path(instance: ExhibitorProfile, filename: str) -> str:
    """A name the server chooses: logos are re-encoded images (PNG or WebP), whatever they were called."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return (
        f"exhibitors/logos/{instance.event_id}/{uuid.uuid4().hex}.{ext if ext in ('png', 'webp') else 'png'}"
    )


class ExhibitorSettings(models.Model):
    """Per-event rules of exhibitor registration."""

    event = models.OneToOneField("events.Event", on_delete=models.CASCADE, related_name="exhibitor_settings")
    application_deadline = models.DateTimeField(
        _("application deadline"),
        null=True,
        blank=True,
        help_text=_("Applications submitted after this are waitlisted."),
    )
    profile_deadline = models.DateField(_("profile due by"), null=True, blank=True)
    badge_deadline = models.DateField(_("badge requests due by"), null=True, blank=True)
    terms = models.TextField(_("terms and conditions"), blank=True, default="")
    terms_version = models.CharField(_("terms version"), max_length=20, default="1")
    max_document_mb = models.PositiveSmallIntegerField(
        _("maximum document size (MB)"), default=10, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    badge_base = models.PositiveSmallIntegerField(_("badges included"), default=2)
    badge_base_area = models.FloatField(_("up to (m²)"), default=9.0)
    badge_step_area = models.FloatField(
        _("one more badge per extra (m²)"), default=10.0, validators=[MinValueValidator(1)]
    )
    embargoed_countries = models.JSONField(_("embargoed countries"), default=list, blank=True)
    match_threshold = models.FloatField(
        _("screening threshold"), default=0.86, validators=[MinValueValidator(0.5), MaxValueValidator(1.0)]
    )
    list_version = models.PositiveIntegerField(
        default=0, help_text=_("Bumped whenever the screening list changes.")
    )

    # What the organiser sets on the settings page and through the API alike (deadlines, terms,
    # document size, the badge rule, the screening threshold); the embargoes are set with the
    # screening list.
    ORGANISER_FIELDS = (
        "application_deadline",
        "profile_deadline",
        "badge_deadline",
        "terms",
        "terms_version",
        "max_document_mb",
        "badge_base",
        "badge_base_area",
        "badge_step_area",
        "match_threshold",
    )

    class Meta:
        verbose_name = _("exhibitor settings")
        verbose_name_plural = _("exhibitor settings")

    def __str__(self) -> str:
        return f"Exhibitor settings of {self.event}"


class Application(TimeStampedModel):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", pgettext_lazy("application state", "Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        APPROVED = "approved", pgettext_lazy("application state", "Approved")
        WAITLISTED = "waitlisted", _("Waitlisted")
        REJECTED = "rejected", pgettext_lazy("application state", "Rejected")
        WITHDRAWN = "withdrawn", pgettext_lazy("application state", "Withdrawn")

    class Screening(models.TextChoices):
        NOT_SCREENED = "not_screened", _("Not screened")
        CLEAR = "clear", _("Clear")
        HITS = "hits", _("Unresolved hits")
        CONFIRMED = "confirmed", _("Confirmed hit")
        RESOLVED = "resolved", _("Hits cleared")

    class StandKind(models.TextChoices):
        SHELL = "shell", _("Shell scheme")
        RAW = "raw", _("Raw space")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="applications")
    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="exhibitor_application"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    # company
    legal_name = models.CharField(_("legal name"), max_length=200)
    trading_name = models.CharField(_("trading name"), max_length=200, blank=True)
    country = CountryField(_("country of registration"))
    address = models.TextField(_("address"), blank=True)
    registration_number = models.CharField(_("company registration number"), max_length=60, blank=True)
    vat_number = models.CharField(_("VAT number"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    # contacts: [{"name", "email", "phone", "role"}]; co-exhibitors: [{"name", "country"}]
    contacts = models.JSONField(_("contacts"), default=list, blank=True)
    co_exhibitors = models.JSONField(_("co-exhibitors"), default=list, blank=True)
    sectors = models.ManyToManyField("events.Sector", blank=True, related_name="+")
    products = models.TextField(_("products"), blank=True)
    exhibits = models.TextField(_("what you will show"), blank=True)
    # stand request
    stand_kind = models.CharField(
        _("stand type"), max_length=10, choices=StandKind.choices, default=StandKind.SHELL
    )
    stand_area = models.PositiveIntegerField(
        _("area wanted (m²)"), default=9, validators=[MinValueValidator(6)]
    )
    preferred_halls = models.ManyToManyField("events.Hall", blank=True, related_name="+")
    pavilion = models.ForeignKey(
        "floorplans.Pavilion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    open_sides = models.PositiveSmallIntegerField(
        _("open sides wanted"), default=1, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    # terms and workflow
    terms_accepted_at = models.DateTimeField(null=True, blank=True)
    terms_version = models.CharField(max_length=20, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    is_late = models.BooleanField(default=False)
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True, help_text=_("Shown to the company."))
    internal_notes = models.TextField(_("internal notes"), blank=True)
    screening = models.CharField(max_length=16, choices=Screening.choices, default=Screening.NOT_SCREENED)
    screened_version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["event", "-submitted_at", "legal_name"]
        indexes = [models.Index(fields=["event", "state"]), models.Index(fields=["event", "screening"])]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.trading_name or self.legal_name

    @property
    def is_editable(self) -> bool:
        return self.state == self.State.DRAFT


class ApplicationDocument(models.Model):
    class Kind(models.TextChoices):
        REGISTRATION = "registration", _("Company registration certificate")
        BROCHURE = "brochure", _("Product brochure")
        EXPORT = "export", _("Export licence")
        OTHER = "other", _("Other")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    file = models.FileField(upload_to=document_path, storage=_private_storage, max_length=255)
    original_name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "uploaded_at"]
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")

    def __str__(self) -> str:
        return self.original_name

    @property
    def event(self):
        return self.application.event


class RestrictedParty(models.Model):
    """One row of the organiser's restricted-party list."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="restricted_parties")
    name = models.CharField(_("name"), max_length=200)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    country = CountryField(_("country"), blank=True)
    source = models.CharField(_("source"), max_length=120, blank=True)

    class Meta:
        ordering = ["event", "name"]
        verbose_name = _("restricted party")
        verbose_name_plural = _("restricted parties")

    def __str__(self) -> str:
        return self.name


class ScreeningHit(models.Model):
    class Field(models.TextChoices):
        LEGAL_NAME = "legal_name", _("Legal name")
        TRADING_NAME = "trading_name", _("Trading name")
        CONTACT = "contact", _("Contact")
        CO_EXHIBITOR = "co_exhibitor", _("Co-exhibitor")
        COUNTRY = "country", _("Country of registration")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLEARED = "cleared", _("Cleared (false positive)")
        CONFIRMED = "confirmed", _("Confirmed")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="hits")
    party = models.ForeignKey(
        RestrictedParty, null=True, blank=True, on_delete=models.SET_NULL, related_name="hits"
    )
    field = models.CharField(max_length=16, choices=Field.choices)
    candidate = models.CharField(_("applicant's value"), max_length=200)
    matched = models.CharField(_("listed value"), max_length=200)
    score = models.FloatField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    reason = models.TextField(_("reason"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "-score"]
        indexes = [models.Index(fields=["application", "status"])]
        verbose_name = _("screening hit")
        verbose_name_plural = _("screening hits")

    def __str__(self) -> str:
        return f"{self.candidate} ~ {self.matched} ({self.score:.2f})"

    @property
    def event(self):
        return self.application.event

    @property
    def key(self) -> tuple:
        return (self.party_id, self.field, self.candidate, self.matched)


class ScreeningRun(models.Model):
    """A re-screen of an event's applications in the background, with progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="screening_runs")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    hits = models.PositiveIntegerField(default=0)
    list_version = models.PositiveIntegerField(default=0)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("screening run")
        verbose_name_plural = _("screening runs")

    def __str__(self) -> str:
        return f"Screening of {self.event_id} ({self.status})"

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * self.done / self.total)


class ExhibitorImport(models.Model):
    """Last year's exhibitors imported from CSV in the background, all or nothing, with progress.

    The file is checked in the request (row errors come back at once); the rows are written by a
    worker in one transaction, which checks them again first. The CSV is kept only until the
    import is over: it holds people's e-mail addresses."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Not imported")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="exhibitor_imports")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    csv = models.TextField(blank=True)
    filename = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=8, blank=True)  # of the page that sent it: the errors' language
    total = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [[row, message], ...]; row 0: the whole file
    applications = models.JSONField(default=list, blank=True)  # the drafts' ids, once imported
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("exhibitor import")
        verbose_name_plural = _("exhibitor imports")

    def __str__(self) -> str:
        return f"Exhibitor import {self.pk} ({self.status})"

    # Rows written so far: not a column. The selectors set it; a running import keeps it in the
    # shared cache, because its rows are written in one transaction nobody else sees until the end.
    done: int = 0

    @property
    def is_over(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * self.done / self.total)


class ExhibitorProfile(TimeStampedModel):
    """What the public directory shows about an exhibiting company."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="exhibitor_profiles")
    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="exhibitor_profile"
    )
    logo = models.ImageField(_("logo"), upload_to=logo_path, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    website = models.URLField(_("website"), blank=True)
    search_text = models.TextField(
        editable=False,
        blank=True,
        default="",
        help_text=_("Name, products and sectors, kept by the services for search."),
    )

    class Meta:
        ordering = ["event", "organisation__name"]
        verbose_name = _("exhibitor profile")
        verbose_name_plural = _("exhibitor profiles")

    def __str__(self) -> str:
        return f"Profile of {self.organisation_id}"

    @property
    def description(self) -> str:
        if (get_language() or "en").startswith("fr"):
            return self.description_fr or self.description_en
        return self.description_en or self.description_fr


class Product(models.Model):
    profile = models.ForeignKey(ExhibitorProfile, on_delete=models.CASCADE, related_name="products")
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    sectors = models.ManyToManyField("events.Sector", blank=True, related_name="+")

    class Meta:
        ordering = ["profile", "name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return self.name


class ProfileContact(models.Model):
    profile = models.ForeignKey(ExhibitorProfile, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_public = models.BooleanField(_("shown in the directory"), default=False)

    class Meta:
        ordering = ["profile", "name"]
        verbose_name = _("profile contact")
        verbose_name_plural = _("profile contacts")

    def __str__(self) -> str:
        return self.name


class BadgeRequest(models.Model):
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="badge_requests")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="badge_requests"
    )
    name = models.CharField(_("name on badge"), max_length=150)
    role = models.CharField(_("role"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="badge_unique_name")]
        verbose_name = _("badge request")
        verbose_name_plural = _("badge requests")

    def __str__(self) -> str:
        return self.name
