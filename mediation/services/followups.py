"""Reminders of follow-up visits after a case is resolved, to its lead mediator."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from notifications.services import sms_notify

from ..models import Dispute, FollowUp, MediatorAssignment


def follow_ups_remind() -> int:
    """Text the lead of each resolved case whose follow-up is due (once per follow-up)."""
    today = timezone.localdate()
    due = FollowUp.objects.filter(
        due_on__lte=today,
        reminded_at__isnull=True,
        done_at__isnull=True,
        dispute__status=Dispute.Status.RESOLVED,
    ).select_related("dispute")
    sent = 0
    for follow_up in due:
        with transaction.atomic():
            claimed = FollowUp.objects.filter(pk=follow_up.pk, reminded_at__isnull=True).update(
                reminded_at=timezone.now()
            )
            if not claimed:
                continue
            lead = (
                MediatorAssignment.objects.filter(
                    dispute=follow_up.dispute, role="lead", ended_at__isnull=True
                )
                .select_related("mediator")
                .first()
            )
            if lead is None:
                continue
            link = settings.PUBLIC_BASE_URL + reverse(
                "mediation_dispute", args=[follow_up.dispute_id]
            )
            sms_notify(
                user=lead.mediator,
                kind="mediation_follow_up",
                values={"link": link},
                dedupe_key=f"mediation-follow-up:{follow_up.pk}",
            )
            sent += 1
    return sent
