"""What the plaintext checks look for: a dispute with all the sensitive values filled in."""

from __future__ import annotations

from mediation.services.work import dispute_escalate, visit_log

from .conftest import NARRATIVE, PARTY_NAMES, PARTY_PHONES

VISIT_NOTE = "调解员上门，夫妻双方同意暂时分居冷静。"
NEXT_STEP = "下周联系社区民警一起回访。"
ESCALATION = "男方威胁再次动手，需要派出所介入。"


def secrets_of() -> list[str]:
    national = [p.removeprefix("+86") for p in PARTY_PHONES]
    return [*PARTY_NAMES, *PARTY_PHONES, *national, NARRATIVE, VISIT_NOTE, NEXT_STEP, ESCALATION]


def sensitive_case(world):
    from datetime import date

    dispute = world.assigned()
    visit_log(
        by=world.lead,
        dispute_id=dispute.pk,
        step=1,
        visited_on=date(2026, 3, 9),
        what_happened=VISIT_NOTE,
        next_step=NEXT_STEP,
    )
    dispute_escalate(
        by=world.lead, dispute_id=dispute.pk, contact_ids=[world.partner.pk], reason=ESCALATION
    )
    return dispute
