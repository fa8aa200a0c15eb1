"""The work on a case: who is on it, visits (四步走访), escalations, sessions, follow-ups."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedTextField

from venues.models import Room, Venue

from .disputes import Dispute
from .people import PartnerContact


class MediatorAssignment(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Lead mediator")
        ASSISTANT = "assistant", _("Assistant mediator")

    class EndReason(models.TextChoices):
        REPLACED = "replaced", _("Replaced")
        CONFLICT = "conflict", _("Declared a conflict")

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="assignments")
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mediation_assignments"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    end_reason = models.CharField(max_length=10, choices=EndReason.choices, blank=True)

    class Meta:
        verbose_name = _("mediator on a case")
        verbose_name_plural = _("mediators on cases")
        ordering = ["dispute", "role", "assigned_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dispute", "role"],
                condition=Q(ended_at__isnull=True),
                name="assignment_one_per_role",
            ),
            models.UniqueConstraint(
                fields=["dispute", "mediator"],
                condition=Q(ended_at__isnull=True),
                name="assignment_one_role_per_mediator",
            ),
        ]
        indexes = [models.Index(fields=["mediator", "ended_at"], name="assignment_mediator")]

    def __str__(self) -> str:
        return f"{self.dispute.reference} · {self.get_role_display()}"


class Visit(models.Model):
    class Step(models.IntegerChoices):
        # 四步走访
        RISKS = 1, _("Find hidden risks")
        RESOLVE = 2, _("Resolve the conflict")
        LEGAL = 3, _("Legal education")
        SUPPORT = 4, _("Follow-up support")

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="visits")
    step = models.PositiveSmallIntegerField(_("step"), choices=Step.choices)
    visited_on = models.DateField(_("date"))
    mediators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("who went"), related_name="+", blank=True
    )
    others = EncryptedTextField(_("others who went"), null=True, blank=True)
    what_happened = EncryptedTextField(_("what happened"), null=True, blank=True)
    next_step = EncryptedTextField(_("next step"), null=True, blank=True)
    next_visit_on = models.DateField(_("next visit"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(step__gte=1, step__lte=4), name="visit_step_range"),
        ]

    def __str__(self) -> str:
        return f"{self.dispute.reference} · {self.step} · {self.visited_on}"


class Escalation(models.Model):
    """The case goes to joint intervention; the chosen partner agencies are told."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="escalations")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = EncryptedTextField(_("why"), null=True, blank=True)
    contacts = models.ManyToManyField(
        PartnerContact, verbose_name=_("partners told"), related_name="escalations"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.dispute.reference} · {self.created_at:%Y-%m-%d}"


class Session(models.Model):
    """A mediation session in a venue's room. Shown to the mediators as time and place only."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="sessions")
    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.PROTECT, related_name="+"
    )
    room = models.ForeignKey(
        Room,
        verbose_name=_("room"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dispute.reference} · {self.starts_at:%Y-%m-%d %H:%M}"


class FollowUp(models.Model):
    """A follow-up visit due after resolution (7 and 30 days by default)."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="follow_ups")
    due_on = models.DateField(_("due"))
    reminded_at = models.DateTimeField(_("lead reminded"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    visit = models.ForeignKey(
        Visit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dispute", "due_on"], name="follow_up_unique_day"),
        ]

    def __str__(self) -> str:
        return f"{self.dispute.reference} · {self.due_on}"
