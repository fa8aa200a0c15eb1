"""What django-auditlog records of mediation's tables, and how.

Every change of these rows is logged with who and from where. The values of encrypted fields
never reach the log: the change is recorded, the value shows as a mask. Each row's ``__str__``
is a reference code, never a name. Reads and exports are logged by ``services.audit``.
"""

from __future__ import annotations

from auditlog.registry import auditlog

ENCRYPTED = {
    "Dispute": ["narrative", "basis_note"],
    "Party": ["name", "phone"],
    "Visit": ["others", "what_happened", "next_step"],
    "Escalation": ["reason"],
}
AUDITED = [
    "Dispute",
    "Party",
    "MediatorAssignment",
    "MediatorConflict",
    "Visit",
    "Escalation",
    "Session",
    "FollowUp",
]
MASK = "mediation.audit_registry.mask"


def mask(_value: str) -> str:
    return "••••"


def register_all() -> None:
    from . import models

    for name in AUDITED:
        model = getattr(models, name)
        if auditlog.contains(model):
            continue
        auditlog.register(
            model,
            mask_fields=ENCRYPTED.get(name, []),
            mask_callable=MASK,
            exclude_fields=["updated_at"],
        )
