"""Matcher runs over many disputes: propose, lock, remove, publish (as staffing runs do)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from venues.models import Area

from .disputes import Dispute
from .work import MediatorAssignment


class MediationRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Proposed")
        FAILED = "failed", _("Failed")
        PUBLISHED = "published", _("Published")

    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="mediation_runs"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    seed = models.PositiveIntegerField(default=0)
    stats = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mediator matching run")
        verbose_name_plural = _("mediator matching runs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.area} · {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"

    @property
    def is_finished(self) -> bool:
        return self.status not in {self.Status.QUEUED, self.Status.RUNNING}


class MediationProposal(models.Model):
    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        CONFIRMED = "confirmed", _("Assigned")
        SKIPPED = "skipped", _("Left out")

    run = models.ForeignKey(MediationRun, on_delete=models.CASCADE, related_name="proposals")
    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="+")
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(max_length=10, choices=MediatorAssignment.Role.choices)
    distance_km = models.FloatField(default=0)
    locked = models.BooleanField(default=False)
    removed = models.BooleanField(default=False)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["run", "dispute", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "dispute", "mediator"], name="mediation_proposal_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run_id} · {self.dispute.reference} · {self.get_role_display()}"


class MediationGap(models.Model):
    """A dispute the run could not staff, with the engine's reason code and counts."""

    run = models.ForeignKey(MediationRun, on_delete=models.CASCADE, related_name="gaps")
    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=40)
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["run", "dispute"]

    def __str__(self) -> str:
        return f"{self.run_id} · {self.reason}"
