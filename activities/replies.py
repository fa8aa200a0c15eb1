"""SMS answers to shift questions: a Y/N that ``notifications.replies`` routes here.

A way in, like the pages and the API: each handler finds what the question is about (only if
it is hers), calls the service, and returns the text that answers her. The texts that the
service would send about the change are held back (``answering``): her answer is the reply.
"""

from __future__ import annotations

from notifications.replies import reply_handler_register
from notifications.texts import sms_text_render, sms_time

from .models import Assignment, BackfillOffer
from .services.backfill import OFFER
from .services.offers import Outcome, backfill_offer_answer
from .services.signup import assignment_cancel, assignment_reconfirm
from .sms.notices import answering
from .sms.texts import ASSIGNMENT, slot_title, slot_values

_OFFER_TEXTS = {Outcome.GONE: "backfill_gone", Outcome.DECLINED: "backfill_declined"}


def assignment_answer(*, question, answer: str, user) -> str:
    """Y: she is coming; N: she gives her seat back."""
    assignment = (
        Assignment.objects.select_related("slot__activity__venue", "volunteer__user")
        .filter(pk=int(question.ref), volunteer__user=user)
        .first()
    )
    language = user.preferred_language
    if assignment is None or assignment.status != Assignment.Status.CONFIRMED:
        return sms_text_render("reply_nothing_open", language=language)
    values = slot_values(assignment.slot, language=language)
    with answering():
        if answer == "yes":
            assignment_reconfirm(assignment=assignment, by=user)
            return sms_text_render("reply_coming", language=language, values=values)
        assignment_cancel(assignment=assignment, by=user)
    return sms_text_render("reply_given_back", language=language, values=values)


def assignment_label(question) -> str:
    assignment = (
        Assignment.objects.select_related("slot__activity__venue", "volunteer__user")
        .filter(pk=int(question.ref))
        .first()
    )
    if assignment is None:
        return ""
    values = slot_values(assignment.slot, language=assignment.volunteer.user.preferred_language)
    return f"{values['title'][:12]} {values['when']}"


def offer_answer(*, question, answer: str, user) -> str:
    """Y takes the free seat if it is still free; N declines it."""
    outcome = backfill_offer_answer(offer_id=int(question.ref), user=user, accept=answer == "yes")
    if outcome == Outcome.WON:
        return ""  # "It's yours" was written by the sign-up service's notice
    return sms_text_render(_OFFER_TEXTS[outcome], language=user.preferred_language)


def offer_label(question) -> str:
    offer = (
        BackfillOffer.objects.select_related("backfill__role__slot__activity")
        .filter(pk=int(question.ref))
        .first()
    )
    if offer is None:
        return ""
    slot = offer.backfill.role.slot
    return f"{slot_title(slot)[:12]} {sms_time(slot.starts_at)}"


def register() -> None:
    reply_handler_register(ASSIGNMENT, assignment_answer, label=assignment_label)
    reply_handler_register(OFFER, offer_answer, label=offer_label)
