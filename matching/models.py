"""Matcher runs: what a coordinator asked for, what the engine proposed, why seats stay empty."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from activities.models import Assignment, SlotRole
from venues.models import Area
from volunteers.models import VolunteerProfile


class MatchRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Proposal ready")
        FAILED = "failed", _("Failed")
        PUBLISHING = "publishing", _("Publishing")
        PUBLISHED = "published", _("Published")

    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="match_runs"
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    # Restricts the run to these slots (the coordinator board's "re-run for these"); empty means
    # every slot of the area in the date range.
    slot_ids = models.JSONField(default=list, blank=True)
    seed = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    # filled, seats, share, bound, ratio, cost, volunteers, slots; after publishing also
    # published and skipped.
    stats = models.JSONField(default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("matcher run")
        verbose_name_plural = _("matcher runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="match_run_end_after_start"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="match_run_progress_range"),
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.start}–{self.end} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED, self.Status.PUBLISHED}


class MatchProposal(models.Model):
    """One person proposed for one seat group (slot role). Locked ones survive a re-run."""

    class Outcome(models.TextChoices):
        PENDING = "", _("Proposed")
        CONFIRMED = "confirmed", _("Confirmed")
        SKIPPED = "skipped", _("Skipped")

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="proposals")
    slot_role = models.ForeignKey(SlotRole, on_delete=models.CASCADE, related_name="+")
    volunteer = models.ForeignKey(VolunteerProfile, on_delete=models.CASCADE, related_name="+")
    locked = models.BooleanField(_("locked"), default=False)
    # Kept (not deleted) so that a re-run never proposes the pair again.
    removed = models.BooleanField(_("removed"), default=False)
    cost = models.FloatField(null=True, blank=True)
    hours = models.FloatField(default=0)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING, blank=True
    )
    outcome_note = models.CharField(max_length=300, blank=True)
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "slot_role", "volunteer"], name="match_proposal_unique_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} → {self.slot_role}"


class MatchGap(models.Model):
    """Seats of a slot role the run left empty, and the engine's reason for it."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="gaps")
    slot_role = models.ForeignKey(SlotRole, on_delete=models.CASCADE, related_name="+")
    empty = models.PositiveSmallIntegerField(_("empty seats"))
    # no_skill, no_one_available, all_at_weekly_hours, all_booked_elsewhere,
    # out_of_travel_range, lost_to_other_slots (see matching.reasons).
    reason = models.CharField(_("reason"), max_length=40)
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("empty seat")
        verbose_name_plural = _("empty seats")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.slot_role}: {self.empty} ({self.reason})"
