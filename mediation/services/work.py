"""The work on a case: visits (四步走访), its status, joint intervention (三级干预)."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.errors import Conflict, ValidationFailed
from notifications.services import email_queue, sms_queue
from notifications.texts import sms_text_render
from venues.models import Area, Coordinator

from ..models import Dispute, Escalation, FollowUp, MediatorAssignment, PartnerContact, Visit
from .common import dispute_for

logger = logging.getLogger(__name__)

# status → statuses it may move to, and who may move it (action of selectors.access).
TRANSITIONS: dict[str, dict[str, str]] = {
    Dispute.Status.NEW: {Dispute.Status.CLOSED: "close"},
    Dispute.Status.ASSESSED: {Dispute.Status.CLOSED: "close"},
    Dispute.Status.ASSIGNED: {
        Dispute.Status.IN_PROGRESS: "progress",
        Dispute.Status.RESOLVED: "progress",
        Dispute.Status.REFERRED: "progress",
    },
    Dispute.Status.IN_PROGRESS: {
        Dispute.Status.RESOLVED: "progress",
        Dispute.Status.REFERRED: "progress",
    },
    Dispute.Status.RESOLVED: {
        Dispute.Status.CLOSED: "close",
        Dispute.Status.IN_PROGRESS: "progress",
    },
    Dispute.Status.REFERRED: {Dispute.Status.CLOSED: "close"},
    Dispute.Status.CLOSED: {},
}


def visit_log(
    *,
    by,
    dispute_id: int,
    step: int,
    visited_on: date | None,
    what_happened: str,
    next_step: str = "",
    next_visit_on: date | None = None,
    mediator_ids: list[int] | None = None,
    others: str = "",
) -> Visit:
    """Record a visit: date, who went, what happened, the next step. The first visit of an
    assigned case puts it in progress; a follow-up-support visit after resolution closes the
    earliest open follow-up."""
    errors: dict[str, list[str]] = {}
    if step not in Visit.Step.values:
        errors["step"] = [_("Choose the step of this visit.")]
    today = timezone.localdate()
    if visited_on is None:
        errors["visited_on"] = [_("Give the date of the visit.")]
    elif visited_on > today:
        errors["visited_on"] = [_("A visit is logged once it has taken place.")]
    if not (what_happened or "").strip():
        errors["what_happened"] = [_("Say what happened.")]
    if next_visit_on and visited_on and next_visit_on < visited_on:
        errors["next_visit_on"] = [_("The next visit cannot come before this one.")]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        dispute = dispute_for(by=by, dispute_id=dispute_id, action="visit", lock=True)
        if dispute.status in (Dispute.Status.CLOSED, Dispute.Status.REFERRED):
            raise Conflict(
                _("This case is %(status)s: no more visits are logged.")
                % {"status": dispute.get_status_display()},
                code="case_not_open",
            )
        on_case = set(
            MediatorAssignment.objects.filter(dispute=dispute, ended_at__isnull=True).values_list(
                "mediator_id", flat=True
            )
        )
        went = set(mediator_ids or [])
        if went - on_case:
            raise ValidationFailed({"mediators": [_("Choose people who work on this case.")]})
        if not went and by.pk in on_case:
            went = {by.pk}
        visit = Visit.objects.create(
            dispute=dispute,
            step=step,
            visited_on=visited_on,
            others=(others or "").strip() or None,
            what_happened=what_happened.strip(),
            next_step=(next_step or "").strip() or None,
            next_visit_on=next_visit_on,
            created_by=by,
        )
        visit.mediators.set(went)
        if dispute.status == Dispute.Status.ASSIGNED:
            dispute.status = Dispute.Status.IN_PROGRESS
            dispute.save(update_fields=["status", "updated_at"])
        if step == Visit.Step.SUPPORT and dispute.status == Dispute.Status.RESOLVED:
            due = (
                FollowUp.objects.filter(dispute=dispute, done_at__isnull=True)
                .order_by("due_on")
                .first()
            )
            if due is not None:
                due.done_at = timezone.now()
                due.visit = visit
                due.save(update_fields=["done_at", "visit"])
    return visit


def dispute_status_set(*, by, dispute_id: int, status: str, referred_to: str = "") -> Dispute:
    """Move the case along: in progress, resolved (follow-ups are planned), referred, closed,
    or reopened. Refused (409) when the move does not follow from the present status."""
    with transaction.atomic():
        dispute = dispute_for(by=by, dispute_id=dispute_id, action="view", lock=True)
        action = TRANSITIONS.get(dispute.status, {}).get(status)
        if action is None:
            raise Conflict(
                _("A case that is %(now)s cannot become %(next)s.")
                % {
                    "now": dispute.get_status_display(),
                    "next": Dispute.Status(status).label
                    if status in Dispute.Status.values
                    else status,
                },
                code="bad_transition",
            )
        dispute = dispute_for(by=by, dispute_id=dispute_id, action=action)
        if status == Dispute.Status.REFERRED:
            if referred_to not in Dispute.ReferredTo.values:
                raise ValidationFailed({"referred_to": [_("Say where the case was referred.")]})
            dispute.referred_to = referred_to
        now = timezone.now()
        if status == Dispute.Status.RESOLVED:
            dispute.resolved_at = now
            follow_ups_plan(dispute=dispute, resolved_on=timezone.localdate(now))
        if status == Dispute.Status.CLOSED:
            dispute.closed_at = now
        if status == Dispute.Status.IN_PROGRESS and dispute.status == Dispute.Status.RESOLVED:
            dispute.resolved_at = None
            FollowUp.objects.filter(dispute=dispute, done_at__isnull=True).delete()
        dispute.status = status
        dispute.save()
    return dispute


def follow_ups_plan(*, dispute: Dispute, resolved_on: date) -> list[FollowUp]:
    made = []
    for days in settings.MEDIATION_FOLLOW_UP_DAYS:
        follow_up, _created = FollowUp.objects.get_or_create(
            dispute=dispute, due_on=resolved_on + timedelta(days=days)
        )
        made.append(follow_up)
    return made


def partner_contacts_for(*, area: Area):
    """The "X+N" team a case of ``area`` can call on: the area's partners and those above."""
    chain = [area.pk]
    if area.parent_id:
        chain.append(area.parent_id)
        parent = Area.objects.filter(pk=area.parent_id).values_list("parent_id", flat=True).first()
        if parent:
            chain.append(parent)
    return PartnerContact.objects.filter(area_id__in=chain, active=True).select_related("area")


def federation_contact(area: Area) -> str:
    phones = dict(Coordinator.objects.exclude(phone="").values_list("area_id", "phone"))
    node = area
    while node is not None:
        if node.pk in phones:
            return phones[node.pk]
        node = node.parent
    return settings.COORDINATOR_CONTACT


def dispute_escalate(*, by, dispute_id: int, contact_ids: list[int], reason: str) -> Escalation:
    """Joint intervention: the level becomes 3 and each chosen partner gets a text (and an
    email) with the case's reference and whom to call — no names, no details."""
    errors: dict[str, list[str]] = {}
    if not contact_ids:
        errors["contacts"] = [_("Choose the partners to call in.")]
    if not (reason or "").strip():
        errors["reason"] = [_("Say why the case needs joint intervention.")]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        dispute = dispute_for(by=by, dispute_id=dispute_id, action="escalate", lock=True)
        if not dispute.is_open:
            raise Conflict(
                _("This case is %(status)s: reopen it first.")
                % {"status": dispute.get_status_display()},
                code="case_not_open",
            )
        allowed = {c.pk: c for c in partner_contacts_for(area=dispute.area)}
        chosen = [allowed[pk] for pk in {int(pk) for pk in contact_ids} if pk in allowed]
        if len(chosen) != len(set(contact_ids)):
            raise ValidationFailed({"contacts": [_("Choose partners of this case's area.")]})
        escalation = Escalation.objects.create(dispute=dispute, by=by, reason=reason.strip())
        escalation.contacts.set(chosen)
        if dispute.level != Dispute.Level.JOINT:
            dispute.level = Dispute.Level.JOINT
            dispute.save(update_fields=["level", "updated_at"])
        contact = federation_contact(dispute.area)
        values = {"ref": dispute.reference, "contact": contact}
        for partner in chosen:
            _tell_partner(partner, escalation, values)
    return escalation


def _tell_partner(partner: PartnerContact, escalation: Escalation, values: dict) -> None:
    language = settings.LANGUAGE_CODE
    if partner.phone:
        sms_queue(
            to=partner.phone,
            body=sms_text_render("mediation_joint_request", language=language, values=values),
            kind="mediation_joint_request",
            language=language,
            immediate=True,
            dedupe_key=f"joint:{escalation.pk}:{partner.pk}",
        )
    if partner.email:
        with translation.override(language):
            subject = _("Joint intervention requested: case %(ref)s") % values
            body = sms_text_render("mediation_joint_request", language=language, values=values)
        # In the outbox, like the text: sent after commit, retried while the server is down.
        email_queue(
            to=partner.email,
            subject=subject,
            body=body,
            kind="mediation_joint_request",
            language=language,
        )
