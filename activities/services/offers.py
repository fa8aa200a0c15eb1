"""Answering a backfill offer: the first Y takes the seat, through the sign-up service (so every
rule and the seat count hold); once the role is full the others of the round are told."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from django.db import transaction
from django.utils import timezone

from core.errors import DomainError
from notifications.services import questions_close, sms_notify

from ..models import Assignment, BackfillOffer
from ..selectors.seats import role_seats_left
from ..sms.texts import slot_values
from .backfill import OFFER
from .signup import assignment_create_confirmed


class Outcome(StrEnum):
    WON = "won"  # the seat is hers (her confirmation text is the sign-up's notice)
    DECLINED = "declined"
    GONE = "gone"  # too late: taken, expired or closed


def backfill_offer_answer(*, offer_id: int, user, accept: bool) -> Outcome:
    """Her Y (``accept``) or N to offer ``offer_id``, which must be hers."""
    now = timezone.now()
    offer = (
        BackfillOffer.objects.select_for_update()
        .select_related("backfill__role__slot__activity__venue", "volunteer__user")
        .filter(pk=offer_id, volunteer__user=user)
        .first()
    )
    if offer is None or offer.status != BackfillOffer.Status.OPEN or offer.expires_at <= now:
        return Outcome.GONE
    offer.answered_at = now
    if not accept:
        offer.status = BackfillOffer.Status.DECLINED
        offer.save(update_fields=["status", "answered_at"])
        return Outcome.DECLINED
    role = offer.backfill.role
    try:
        with transaction.atomic():
            assignment_create_confirmed(
                volunteer=offer.volunteer, role=role, source=Assignment.Source.BACKFILL
            )
    except DomainError:
        offer.status = BackfillOffer.Status.TAKEN
        offer.save(update_fields=["status", "answered_at"])
        return Outcome.GONE
    offer.status = BackfillOffer.Status.ACCEPTED
    offer.save(update_fields=["status", "answered_at"])
    if role_seats_left(role=role) <= 0:
        _others_told(offer, now=now)
    return Outcome.WON


def _others_told(accepted: BackfillOffer, *, now: datetime) -> None:
    backfill = accepted.backfill
    slot = backfill.role.slot
    for offer in backfill.offers.filter(status=BackfillOffer.Status.OPEN).select_related(
        "volunteer__user"
    ):
        offer.status = BackfillOffer.Status.TAKEN
        offer.save(update_fields=["status"])
        questions_close(kind=OFFER, ref=str(offer.pk))
        user = offer.volunteer.user
        sms_notify(
            user=user,
            kind="backfill_taken",
            values=slot_values(slot, language=user.preferred_language),
            immediate=True,
            expires_at=slot.starts_at,
        )
    backfill.closed_at = now
    backfill.save(update_fields=["closed_at"])
