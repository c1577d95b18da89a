"""Events, their show days, halls and sector taxonomy."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from exhibition.core.colours import validate_colour
from exhibition.core.models import TimeStampedModel


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


class Event(TimeStampedModel):
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    venue = models.CharField(_("venue"), max_length=200)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = CountryField(_("country"), blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Paris", validators=[validate_time_zone]
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    is_public = models.BooleanField(_("public"), default=True, help_text=_("Shown in the public directory."))
    walking_speed = models.FloatField(
        _("walking speed (m/min)"), default=60.0, validators=[MinValueValidator(10.0)]
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.name

    @property
    def date_range(self) -> tuple[date, date] | None:
        """First and last show day (uses prefetched ``days`` when present)."""
        days = sorted(d.date for d in self.days.all())
        return (days[0], days[-1]) if days else None

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def today(self, now: datetime | None = None) -> date:
        """The date at the show (in its time zone) now, or at ``now``: due dates, "overdue",
        what the dashboards count as today."""
        return timezone.localdate(now or timezone.now(), self.tz)

    def local(self, day: date, at: time) -> datetime:
        """An aware datetime for a wall-clock time of a show day, in the event's zone."""
        return datetime.combine(day, at, tzinfo=self.tz)


class ShowDay(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"))
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))

    class Meta:
        ordering = ["event", "date"]
        constraints = [
            models.UniqueConstraint(fields=["event", "date"], name="showday_unique_date"),
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="showday_opens_before_close"
            ),
        ]
        verbose_name = _("show day")
        verbose_name_plural = _("show days")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.opens_at:%H:%M}-{self.closes_at:%H:%M}"

    @property
    def opens(self) -> datetime:
        return self.event.local(self.date, self.opens_at)

    @property
    def closes(self) -> datetime:
        return self.event.local(self.date, self.closes_at)


class Hall(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="halls")
    code = models.CharField(
        _("code"), max_length=10, help_text=_("Short code used in stand numbers, e.g. 5A.")
    )
    name = models.CharField(_("name"), max_length=100)
    width = models.FloatField(_("width (m)"), validators=[MinValueValidator(1.0)])
    depth = models.FloatField(_("depth (m)"), validators=[MinValueValidator(1.0)])
    origin_x = models.FloatField(_("site position x (m)"), default=0.0)
    origin_y = models.FloatField(_("site position y (m)"), default=0.0)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["event", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["event", "code"], name="hall_unique_code")]
        verbose_name = _("hall")
        verbose_name_plural = _("halls")

    def __str__(self) -> str:
        return self.name

    @property
    def area(self) -> float:
        return self.width * self.depth


class Sector(models.Model):
    """The event's taxonomy of sectors (cyber security, drones, forensics, ...)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sectors")
    code = models.SlugField(_("code"), max_length=40)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_fr = models.CharField(_("name (French)"), max_length=100)
    colour = models.CharField(_("colour"), max_length=7, default="#6b7280", validators=[validate_colour])

    class Meta:
        ordering = ["event", "name_en"]
        constraints = [models.UniqueConstraint(fields=["event", "code"], name="sector_unique_code")]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_fr if (get_language() or "en").startswith("fr") else self.name_en
