"""Official delegations and their members (the people, not accounts)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

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
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="liaised_delegations"
    )
    internal_notes = models.TextField(_("internal notes"), blank=True)

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
