"""Reading the audit log (django-auditlog's entries for mediation's tables)."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..audit_registry import AUDITED
from ..models import Dispute

# How a read or a change came about (``additional_data["via"]``), in words.
VIA = {
    "case page": _("case page"),
    "list": _("list"),
    "my cases": _("my cases"),
    "candidates": _("ranked mediators"),
    "export": _("export"),
    "edit": _("correction form"),
    "audit trail": _("audit trail"),
    "api": _("API"),
    "api list": _("API list"),
    "api after change": _("API"),
    "visits": _("visits"),
    "sessions": _("sessions"),
    "admin": _("admin"),
    "admin list": _("admin list"),
    "personal data erased": _("personal data erased"),
}


def _field_name(model, name: str) -> str:
    """A field's name as its forms call it (a list of related rows by their plural)."""
    try:
        field = model._meta.get_field(name)
    except (FieldDoesNotExist, AttributeError):
        return name
    if field.auto_created and not field.concrete:
        return str(field.related_model._meta.verbose_name_plural)
    return str(getattr(field, "verbose_name", name))


def entries_labelled(entries):
    """Each entry with ``via_label``: how it came about, and ``fields_label``: the fields it
    changed, both in the reader's language (never the columns' own names)."""
    separator = gettext(", ")
    for entry in entries:
        data = entry.additional_data if isinstance(entry.additional_data, dict) else {}
        via = data.get("via", "")
        entry.via_label = str(VIA.get(via, via))
        model = entry.content_type.model_class()
        entry.fields_label = separator.join(
            _field_name(model, name) for name in (entry.changes_dict or {})
        )
    return entries


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
