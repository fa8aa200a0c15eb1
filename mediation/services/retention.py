"""Erasing the personal data of closed cases once the retention period has passed.

What stays is what the reports count: kind, source, area, level, status, dates, how many
parties and visits. Names, numbers, narratives and visit notes go; the erasure is audited.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from notifications.models import Message

from ..models import Dispute, Escalation, Party, Visit
from .audit import audit_note

PARTY_TEXT_KINDS = ("mediation_session_party", "mediation_session_party_cancelled")


def retention_due():
    cutoff = timezone.now() - timedelta(days=settings.MEDIATION_RETENTION_DAYS)
    return Dispute.objects.filter(
        status=Dispute.Status.CLOSED, closed_at__lt=cutoff, erased_at__isnull=True
    )


def dispute_erase(*, dispute: Dispute) -> dict:
    """Erase one closed case's personal data; returns what was erased (counts)."""
    with transaction.atomic():
        dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
        if dispute.erased_at is not None:
            return {}
        parties = list(Party.objects.filter(dispute=dispute))
        phones = [p.phone for p in parties if p.phone]
        counts = {
            "parties": len(parties),
            "visits": Visit.objects.filter(dispute=dispute).count(),
            "texts": 0,
        }
        Party.objects.filter(dispute=dispute).update(name=None, phone=None)
        Visit.objects.filter(dispute=dispute).update(
            others=None, what_happened=None, next_step=None
        )
        Escalation.objects.filter(dispute=dispute).update(reason=None)
        if phones:
            # Texts to parties carry only time and place, but their numbers are personal.
            counts["texts"] = Message.objects.filter(
                to__in=phones, kind__in=PARTY_TEXT_KINDS
            ).update(to="", body="")
        Dispute.objects.filter(pk=dispute.pk).update(
            narrative=None, basis_note=None, erased_at=timezone.now()
        )
        audit_note(dispute=dispute, by=None, what="personal data erased", data=counts)
    return counts


def retention_erase() -> int:
    """Erase every case past the retention period; returns how many."""
    done = 0
    for dispute in retention_due().only("pk"):
        if dispute_erase(dispute=dispute):
            done += 1
    return done
