"""Who works on disputes: mediators' settings and declared conflicts, the partner agencies of
joint intervention (the "X+N" team of each area), and hotline operators."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from venues.models import Area
from volunteers.models import VolunteerProfile

from .disputes import Compound, Dispute

DEFAULT_SPECIALTIES = ["family", "neighbour", "property", "other"]


def default_specialties() -> list[str]:
    return list(DEFAULT_SPECIALTIES)


class MediatorProfile(models.Model):
    """Mediation's view of a volunteer with the verified mediation skill.

    A mediator without a row counts with the defaults (three cases, can lead, every kind but
    domestic violence, which needs training recorded here).
    """

    class Gender(models.TextChoices):
        FEMALE = "female", _("Woman")
        MALE = "male", _("Man")
        UNSAID = "", _("Not said")

    volunteer = models.OneToOneField(
        VolunteerProfile, on_delete=models.CASCADE, related_name="mediator"
    )
    gender = models.CharField(
        _("gender"), max_length=8, choices=Gender.choices, blank=True, default=""
    )
    compound = models.ForeignKey(
        Compound,
        verbose_name=_("lives in"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    caseload_cap = models.PositiveSmallIntegerField(
        _("most open cases"), default=3, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    can_lead = models.BooleanField(_("can lead a case"), default=True)
    specialties = models.JSONField(_("kinds of dispute"), default=default_specialties, blank=True)
    active = models.BooleanField(_("takes new cases"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mediator")
        verbose_name_plural = _("mediators")
        constraints = [
            models.CheckConstraint(
                condition=Q(caseload_cap__gte=1, caseload_cap__lte=20),
                name="mediator_caseload_cap_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.volunteer.user)


class MediatorConflict(models.Model):
    """A mediator who must not work on a dispute (she knows a party, is related, ...)."""

    class Reason(models.TextChoices):
        KNOWS_PARTY = "knows_party", _("Knows a party personally")
        RELATED = "related", _("Related to a party")
        BUSINESS = "business", _("Business or work ties with a party")
        OTHER = "other", _("Other conflict of interest")

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="conflicts")
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mediation_conflicts"
    )
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("declared conflict")
        verbose_name_plural = _("declared conflicts")
        constraints = [
            models.UniqueConstraint(fields=["dispute", "mediator"], name="conflict_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.dispute.reference} · {self.get_reason_display()}"


class PartnerContact(models.Model):
    """An agency of joint intervention for an area: police station, justice bureau, court."""

    class Kind(models.TextChoices):
        POLICE = "police", _("Police station")
        JUSTICE = "justice", _("Justice bureau")
        COURT = "court", _("Court liaison")
        SOCIAL_WORK = "social_work", _("Social work agency")
        OTHER = "other", _("Other")

    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="partner_contacts"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    organisation = models.CharField(_("organisation"), max_length=150)
    person = models.CharField(_("contact person"), max_length=100, blank=True)
    phone = models.CharField(_("mobile number"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")
        ordering = ["area", "kind", "organisation"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.organisation}"


class HotlineOperator(models.Model):
    """Takes in disputes by phone for an area; does not read them afterwards."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hotline_areas"
    )
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="hotline_operators")

    class Meta:
        verbose_name = _("hotline operator")
        verbose_name_plural = _("hotline operators")
        constraints = [
            models.UniqueConstraint(fields=["user", "area"], name="hotline_operator_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.area}"
