"""Reading the audit log (django-auditlog's entries for mediation's tables)."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from ..audit_registry import AUDITED
from ..models import Dispute


def mediation_content_types() -> list[ContentType]:
    from .. import models

    return [ContentType.objects.get_for_model(getattr(models, name)) for name in AUDITED]


def audit_entries(*, dispute: Dispute | None = None) -> QuerySet[LogEntry]:
    """Entries about mediation's rows, newest first; for one dispute, its own and those of
    its parties, visits, sessions and the rest (which name it in their text)."""
    qs = LogEntry.objects.filter(content_type__in=mediation_content_types())
    if dispute is not None:
        dispute_type = ContentType.objects.get_for_model(Dispute)
        qs = qs.filter(
            Q(content_type=dispute_type, object_pk=str(dispute.pk))
            | Q(~Q(content_type=dispute_type), object_repr__startswith=f"{dispute.reference} ")
        )
    return qs.select_related("actor", "content_type").order_by("-timestamp", "-id")
