"""Reads and exports of disputes, written to the audit log (django-auditlog's ``access``).

Changes are logged by django-auditlog itself (see ``audit_registry``). A read is logged here,
once per dispute read, with what was read: the case page, the ranked mediators, a list, an
export, the admin.
"""

from __future__ import annotations

from collections.abc import Iterable

from auditlog.cid import get_cid
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from ..middleware import request_origin
from ..models import Dispute


def audit_read(*, by, disputes: Iterable[Dispute], via: str) -> int:
    """Record that ``by`` read each of ``disputes`` through ``via``; returns how many."""
    content_type = ContentType.objects.get_for_model(Dispute)
    origin = request_origin()
    actor = by if getattr(by, "is_authenticated", False) else None
    entries = [
        LogEntry(
            content_type=content_type,
            object_pk=str(d.pk),
            object_id=d.pk,
            object_repr=d.reference,
            action=LogEntry.Action.ACCESS,
            changes=None,
            actor=actor,
            actor_email=getattr(actor, "email", None),
            remote_addr=origin.get("remote_addr"),
            remote_port=origin.get("remote_port"),
            additional_data={"via": via},
            cid=get_cid(),
        )
        for d in disputes
    ]
    LogEntry.objects.bulk_create(entries, batch_size=500)
    return len(entries)


def audit_note(*, dispute: Dispute, by, what: str, data: dict | None = None) -> LogEntry:
    """A change that is not a row's save (an erasure, a notification sent): logged as such."""
    origin = request_origin()
    actor = by if getattr(by, "is_authenticated", False) else None
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Dispute),
        object_pk=str(dispute.pk),
        object_id=dispute.pk,
        object_repr=dispute.reference,
        action=LogEntry.Action.UPDATE,
        changes={what: ["", "done"]},
        actor=actor,
        actor_email=getattr(actor, "email", None),
        remote_addr=origin.get("remote_addr"),
        remote_port=origin.get("remote_port"),
        additional_data={"via": what, **(data or {})},
        cid=get_cid(),
    )
