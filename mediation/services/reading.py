"""Opening disputes to read them: the scope check and the audit entry, together."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import Dispute
from .audit import audit_read
from .common import dispute_for


def dispute_open(*, by, dispute_id, via: str = "case", action: str = "view") -> Dispute:
    """The dispute, for reading: 404 outside her scope; the read is audited."""
    dispute = dispute_for(by=by, dispute_id=dispute_id, action=action)
    audit_read(by=by, disputes=[dispute], via=via)
    return dispute


def disputes_read(*, by, disputes: QuerySet[Dispute] | list[Dispute], via: str) -> list[Dispute]:
    """A list she reads (a page of it, an export): each dispute shown is audited."""
    shown = list(disputes)
    audit_read(by=by, disputes=shown, via=via)
    return shown
