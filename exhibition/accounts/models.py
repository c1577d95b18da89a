"""Users (e-mail login), organisations, memberships, event roles and invitations."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from knox.models import AbstractAuthToken

from exhibition.core.models import TimeStampedModel


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        # whoever runs ``createsuperuser`` typed the address at the server's console: no need to prove it
        extra.setdefault("email_verified_at", timezone.now())
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    language = models.CharField(
        _("language"), max_length=8, default="en", choices=[("en", "English"), ("fr", "Français")]
    )
    is_staff = models.BooleanField(
        _("staff status"), default=False, help_text=_("May sign in to the Django admin site.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Set when the person proved the address (a confirmation link, a reset link or an accepted
    # invitation sent to it). No event role counts before that.
    email_verified_at = models.DateTimeField(_("e-mail address confirmed"), null=True, blank=True)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None


class Organisation(TimeStampedModel):
    """An exhibiting company or an official delegation, within one event."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("Exhibiting company")
        DELEGATION = "delegation", _("Official delegation")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="organisations")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    country = CountryField(_("country"))
    website = models.URLField(_("website"), blank=True)
    sectors = models.ManyToManyField("events.Sector", blank=True, related_name="organisations")
    # Admission at the event: a company once its application is approved (and while no
    # restricted-party hit is confirmed), a delegation once the organiser registers it.
    # Only ``exhibition.accounts.admission`` writes these two fields.
    admitted_at = models.DateTimeField(_("admitted"), null=True, blank=True)
    admission_note = models.CharField(_("admission note"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "kind", "name"], name="organisation_unique_name")
        ]
        indexes = [models.Index(fields=["event", "kind"]), models.Index(fields=["event", "admitted_at"])]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def is_admitted(self) -> bool:
        return self.admitted_at is not None


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Company admin")
        STAFF = "staff", _("Company staff")
        LEAD = "lead", _("Head of delegation")
        MEMBER = "member", _("Delegation member")

    COMPANY_ROLES = (Role.ADMIN, Role.STAFF)
    DELEGATION_ROLES = (Role.LEAD, Role.MEMBER)

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organisation", "user"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="membership_unique_user")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} - {self.organisation} ({self.get_role_display()})"

    @property
    def is_manager(self) -> bool:
        return self.role in (self.Role.ADMIN, self.Role.LEAD)


class EventStaff(models.Model):
    """The organiser's team for one event."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Organiser admin")
        STAFF = "staff", _("Organiser staff")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="event_staff")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)

    class Meta:
        ordering = ["event", "user"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="eventstaff_unique_user")]
        verbose_name = _("organiser")
        verbose_name_plural = _("organisers")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.event})"


class TradeVisitor(TimeStampedModel):
    """A professional visitor registered for one event, vetted by the organiser."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting vetting")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="visitors")
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="visits_as_visitor")
    organisation_name = models.CharField(_("organisation"), max_length=200)
    job_title = models.CharField(_("job title"), max_length=150)
    country = CountryField(_("country"))
    sectors = models.ManyToManyField("events.Sector", blank=True, related_name="visitors")
    looking_for = models.TextField(_("looking for"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)

    class Meta:
        ordering = ["event", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="visitor_unique_user")]
        indexes = [models.Index(fields=["event", "status"])]
        verbose_name = _("trade visitor")
        verbose_name_plural = _("trade visitors")

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation_name})"


class Invitation(models.Model):
    """An e-mailed, signed, expiring invitation to join an event in a role."""

    class Role(models.TextChoices):
        ORGANISER_ADMIN = "organiser_admin", _("Organiser admin")
        ORGANISER_STAFF = "organiser_staff", _("Organiser staff")
        COMPANY_ADMIN = "company_admin", _("Company admin")
        COMPANY_STAFF = "company_staff", _("Company staff")
        DELEGATION_LEAD = "delegation_lead", _("Head of delegation")
        DELEGATION_MEMBER = "delegation_member", _("Delegation member")

    # keyed by the role's value: callers look up the plain string a form or the API sent
    ORGANISATION_ROLES: ClassVar[dict[str, tuple[Organisation.Kind, Membership.Role]]] = {
        Role.COMPANY_ADMIN: (Organisation.Kind.COMPANY, Membership.Role.ADMIN),
        Role.COMPANY_STAFF: (Organisation.Kind.COMPANY, Membership.Role.STAFF),
        Role.DELEGATION_LEAD: (Organisation.Kind.DELEGATION, Membership.Role.LEAD),
        Role.DELEGATION_MEMBER: (Organisation.Kind.DELEGATION, Membership.Role.MEMBER),
    }

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    invited_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    # why the invitation comes: the e-mail says so (a company imported from last year's exhibitors
    # has a draft application waiting for its admin)
    purpose = models.CharField(
        max_length=24, blank=True, choices=[("prefilled_application", "prefilled application")]
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} as {self.get_role_display()}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None


class ApiToken(AbstractAuthToken):
    """A named API token (one per device or script). Only a hash of it is stored (knox)."""

    name = models.CharField(_("name"), max_length=80)
    # Django's session hash of the password when the token was made: a token made before a
    # password change (or reset) no longer matches and is refused, whatever changed it.
    password_hash = models.CharField(max_length=128, editable=False)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.token_key}…)"


class CalendarFeed(models.Model):
    """One person's calendar address at one event. The address is signed over ``version``:
    rotating it (or losing admission) bumps the version and the old address stops working."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="calendar_feeds")
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField(default=1)
    rotated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "event"], name="calendarfeed_unique_user")]
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.user} at {self.event_id} (v{self.version})"
