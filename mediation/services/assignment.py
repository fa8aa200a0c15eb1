"""Assigning a lead (and an assistant) to a dispute, and conflicts of interest.

Lock order: the dispute row, then the mediators' volunteer rows by id. Counting a mediator's
open cases happens under her row's lock, so two coordinators assigning her at the same moment
cannot take her past her cap.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, NotFound, ValidationFailed
from notifications.services import sms_notify
from volunteers.models import VolunteerProfile

from ..models import Dispute, MediatorAssignment, MediatorConflict
from ..selectors.candidates import conflicts_of, hard_exclusion, party_compound_ids
from ..selectors.mediators import MediatorRow, mediator_pool
from .common import dispute_for, require_open

LEAD, ASSISTANT = MediatorAssignment.Role.LEAD, MediatorAssignment.Role.ASSISTANT


def case_link(dispute: Dispute) -> str:
    return settings.PUBLIC_BASE_URL + reverse("mediation_dispute", args=[dispute.pk])


def _problem(dispute: Dispute, row: MediatorRow | None, role: str, on_case: set[int]) -> str:
    """Why ``row`` cannot take ``role`` on ``dispute`` ("" when she can)."""
    if row is None or not row.active:
        return _("This person is not an active mediator.")
    compounds = party_compound_ids(dispute)
    hard = hard_exclusion(
        dispute=dispute, row=row, compounds=compounds, conflicts=conflicts_of(dispute)
    )
    if hard is not None:
        return hard[1]
    if dispute.language not in row.languages:
        return _("She does not speak the language of the case.")
    if role == LEAD and not (row.can_lead and dispute.kind in row.specialties):
        return _("She does not lead %(kind)s disputes.") % {
            "kind": dispute.get_kind_display().lower()
        }
    if row.user_id not in on_case and row.caseload >= row.cap:
        return _("She already has %(n)d open cases, her most.") % {"n": row.caseload}
    return ""


def _notify(dispute: Dispute, assignment: MediatorAssignment, dedupe_key: str) -> None:
    sms_notify(
        user=assignment.mediator,
        kind="dispute_assigned",
        values={"link": case_link(dispute)},
        immediate=dispute.safety_risk or dispute.urgency >= Dispute.Urgency.HIGH,
        dedupe_key=dedupe_key,
    )


def dispute_assign(
    *,
    by,
    dispute_id: int,
    lead_id: int | None,
    assistant_id: int | None = None,
    dedupe_prefix: str = "",
) -> list[MediatorAssignment]:
    """Put ``lead_id`` (and ``assistant_id``) on the case; returns the new assignments.

    People already on the case in that role stay (nobody is told twice); anyone replaced
    leaves it and no longer sees it. Each new person gets the ``dispute_assigned`` text (a
    sign-in link, nothing else). Domestic-violence cases need two people.
    """
    errors: dict[str, list[str]] = {}
    try:
        lead_id = int(lead_id) if lead_id not in (None, "") else None
        assistant_id = int(assistant_id) if assistant_id not in (None, "") else None
    except (TypeError, ValueError):
        raise ValidationFailed({"lead": [_("Choose mediators from the list.")]}) from None
    if lead_id is None:
        errors["lead"] = [_("Choose the lead mediator.")]
    if assistant_id is not None and assistant_id == lead_id:
        errors["assistant"] = [_("The assistant must be someone other than the lead.")]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        dispute = dispute_for(by=by, dispute_id=dispute_id, action="assign", lock=True)
        require_open(dispute)
        if dispute.needs_pair and assistant_id is None:
            raise ValidationFailed(
                {"assistant": [_("A domestic-violence case needs an assistant mediator too.")]}
            )
        wanted = {LEAD: lead_id, ASSISTANT: assistant_id}
        people = sorted(pk for pk in wanted.values() if pk is not None)
        list(
            VolunteerProfile.objects.select_for_update()
            .filter(user_id__in=people)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        rows = {r.user_id: r for r in mediator_pool(include_inactive=True, user_ids=people)}
        current = {
            a.role: a
            for a in MediatorAssignment.objects.filter(dispute=dispute, ended_at__isnull=True)
        }
        on_case = {a.mediator_id for a in current.values()}
        for role, pk in wanted.items():
            if pk is None:
                continue
            problem = _problem(dispute, rows.get(pk), role, on_case)
            if problem:
                errors[role] = [problem]
        if errors:
            raise ValidationFailed(errors)
        now = timezone.now()
        made: list[MediatorAssignment] = []
        leaving = [a for role, a in current.items() if wanted.get(role) != a.mediator_id]
        for a in leaving:
            a.ended_at = now
            a.end_reason = MediatorAssignment.EndReason.REPLACED
            a.save(update_fields=["ended_at", "end_reason"])
        for role, pk in wanted.items():
            if pk is None or (role in current and current[role].mediator_id == pk):
                continue
            made.append(
                MediatorAssignment.objects.create(
                    dispute=dispute, mediator_id=pk, role=role, assigned_by=by
                )
            )
        if dispute.status in Dispute.UNASSIGNED:
            dispute.status = Dispute.Status.ASSIGNED
            dispute.save(update_fields=["status", "updated_at"])
        for a in made:
            key = f"{dedupe_prefix}:{a.mediator_id}" if dedupe_prefix else f"case-{a.pk}"
            _notify(dispute, a, f"dispute-assigned:{key}")
    return made


def _leave(dispute: Dispute, mediator_id: int) -> None:
    ended = MediatorAssignment.objects.filter(
        dispute=dispute, mediator_id=mediator_id, ended_at__isnull=True
    ).first()
    if ended is None:
        return
    ended.ended_at = timezone.now()
    ended.end_reason = MediatorAssignment.EndReason.CONFLICT
    ended.save(update_fields=["ended_at", "end_reason"])
    if ended.role == LEAD and dispute.status in Dispute.ACTIVE_WORK:
        # Without a lead the case waits for a new one (and shows among the unassigned).
        dispute.status = Dispute.Status.ASSESSED
        dispute.save(update_fields=["status", "updated_at"])


def conflict_record(*, by, dispute_id: int, mediator_id: int, reason: str) -> MediatorConflict:
    """A coordinator records that a mediator must not work on this case."""
    if reason not in MediatorConflict.Reason.values:
        raise ValidationFailed({"reason": [_("Choose one of the options.")]})
    with transaction.atomic():
        dispute = dispute_for(by=by, dispute_id=dispute_id, action="conflict_record", lock=True)
        if not mediator_pool(include_inactive=True, user_ids=[mediator_id]):
            raise NotFound(_("No such mediator."), code="mediator_not_found")
        conflict, created = MediatorConflict.objects.get_or_create(
            dispute=dispute,
            mediator_id=mediator_id,
            defaults={"reason": reason, "declared_by": by},
        )
        if not created:
            raise Conflict(_("This conflict is already recorded."), code="conflict_exists")
        _leave(dispute, mediator_id)
    return conflict


def conflict_declare(*, by, dispute_id: int, reason: str) -> MediatorConflict:
    """A mediator on the case declares a conflict: she leaves it and will not be proposed."""
    if reason not in MediatorConflict.Reason.values:
        raise ValidationFailed({"reason": [_("Choose one of the options.")]})
    with transaction.atomic():
        dispute = dispute_for(by=by, dispute_id=dispute_id, action="conflict_declare", lock=True)
        conflict, _created = MediatorConflict.objects.get_or_create(
            dispute=dispute, mediator=by, defaults={"reason": reason, "declared_by": by}
        )
        _leave(dispute, by.pk)
    return conflict
