"""Shift texts: what each event tells a volunteer by SMS, the reminders, and her Y/N answers.

``activities.notices`` calls the event functions inside the transaction of the change; the
texts are written to the outbox there and sent after commit. Quiet hours hold back what she did
not ask for, except urgent news (``SMS_URGENT_HOURS`` before the start); what answers her own
action goes at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from core.tasks import enqueue_on_commit
from notifications.replies import reply_handler_register
from notifications.services import QuestionSpec, questions_close, sms_notify
from notifications.texts import language_of, sms_text_render, sms_when

from .models import Assignment, Slot

ASSIGNMENT = "assignment"

# Set while an SMS answer is being acted on: the answer itself is the reply, so the event
# texts that her answer causes are not sent on top of it.
_answering: ContextVar[bool] = ContextVar("sms_answering", default=False)


@contextmanager
def answering():
    token = _answering.set(True)
    try:
        yield
    finally:
        _answering.reset(token)


def slot_values(slot: Slot, *, language: str) -> dict:
    """What, when, where and a short link, in her language."""
    venue = slot.activity.venue
    with translation.override(language_of(language)):
        return {
            "title": slot.activity.display_title,
            "venue": venue.display_name,
            "when": sms_when(slot.starts_at, language=language, tz=venue.timezone),
            "link": settings.PUBLIC_BASE_URL + reverse("slot_short", args=[slot.pk]),
        }


def _urgent(slot: Slot, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return slot.starts_at - now <= timedelta(hours=settings.SMS_URGENT_HOURS)


def _assignment_question(assignment: Assignment) -> QuestionSpec:
    return QuestionSpec(
        kind=ASSIGNMENT, ref=str(assignment.pk), expires_at=assignment.slot.starts_at
    )


def _tell(
    assignment: Assignment,
    kind: str,
    *,
    immediate: bool,
    ask: bool = False,
    slot: Slot | None = None,
    dedupe_key: str | None = None,
):
    slot = slot or assignment.slot
    user = assignment.volunteer.user
    return sms_notify(
        user=user,
        kind=kind,
        values=slot_values(slot, language=user.preferred_language),
        immediate=immediate,
        expires_at=slot.starts_at,
        dedupe_key=dedupe_key,
        question=_assignment_question(assignment) if ask else None,
    )


# --- Events (called by activities.notices) -------------------------------------------------


def assignment_confirmed(assignment: Assignment, *, prompted: bool) -> None:
    if _answering.get():
        return
    if assignment.source == Assignment.Source.BACKFILL:
        # She took a free seat by answering Y: this is the answer, so it goes at once.
        _tell(assignment, "backfill_won", immediate=True, ask=False)
    elif prompted:
        _tell(assignment, "confirmed", immediate=True, ask=True)
    else:
        _tell(assignment, "assigned", immediate=_urgent(assignment.slot), ask=True)


def assignment_waitlisted(assignment: Assignment) -> None:
    _tell(assignment, "waitlisted", immediate=True)


def assignment_promoted(assignment: Assignment) -> None:
    _tell(assignment, "promoted", immediate=_urgent(assignment.slot), ask=True)


def assignment_cancelled(assignment: Assignment) -> None:
    questions_close(kind=ASSIGNMENT, ref=str(assignment.pk))
    slot = assignment.slot
    if not _answering.get():
        _tell(assignment, "cancelled", immediate=_urgent(slot))
    now = timezone.now()
    if now < slot.starts_at <= now + timedelta(hours=settings.BACKFILL_WINDOW_HOURS):
        from .tasks import backfill_start

        enqueue_on_commit(backfill_start, assignment.role_id)


def slot_changed(slot: Slot, assignments: Iterable[Assignment]) -> None:
    now = timezone.now()
    for assignment in assignments:
        if assignment.status == Assignment.Status.CONFIRMED:
            _tell(assignment, "slot_changed", immediate=_urgent(slot, now=now), slot=slot)


def slot_cancelled(slot: Slot, assignments: Iterable[Assignment]) -> None:
    # ``assignments`` are those that were live on the slot (already marked cancelled).
    for assignment in assignments:
        questions_close(kind=ASSIGNMENT, ref=str(assignment.pk))
        _tell(assignment, "slot_cancelled", immediate=_urgent(slot), slot=slot)


# --- Reminders (beat) ------------------------------------------------------------------------


def reminders_queue(*, now: datetime | None = None) -> int:
    """Queue the reminders that are due: for each of ``REMINDER_HOURS_BEFORE`` (24 and 2 by
    default), confirmed seats on slots starting between the next smaller reminder and this
    one. The dedupe key (seat, hours, start) makes a second run, or a second beat, write
    nothing; a slot that moves gets its reminders again for the new time."""
    now = now or timezone.now()
    hours = sorted(set(settings.REMINDER_HOURS_BEFORE))
    count = 0
    for i, h in enumerate(hours):
        lower = now + timedelta(hours=hours[i - 1]) if i else now
        seats = (
            Assignment.objects.filter(
                status=Assignment.Status.CONFIRMED,
                slot__status=Slot.Status.SCHEDULED,
                slot__starts_at__gt=lower,
                slot__starts_at__lte=now + timedelta(hours=h),
            )
            .select_related("slot__activity__venue", "volunteer__user")
            .order_by("slot__starts_at", "pk")
        )
        for assignment in seats.iterator(chunk_size=500):
            key = f"reminder:{assignment.pk}:{h}h:{assignment.slot.starts_at:%Y%m%dT%H%M}"
            if _tell(assignment, "reminder", immediate=False, ask=True, dedupe_key=key):
                count += 1
    return count


# --- Answers ---------------------------------------------------------------------------------


def _assignment_answer(*, question, answer: str, user) -> str:
    from .services.signup import assignment_cancel, assignment_reconfirm

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
            assignment_reconfirm(assignment=assignment)
            return sms_text_render("reply_coming", language=language, values=values)
        assignment_cancel(assignment=assignment, by=user)
    return sms_text_render("reply_given_back", language=language, values=values)


def _assignment_label(question) -> str:
    assignment = (
        Assignment.objects.select_related("slot__activity__venue", "volunteer__user")
        .filter(pk=int(question.ref))
        .first()
    )
    if assignment is None:
        return ""
    values = slot_values(assignment.slot, language=assignment.volunteer.user.preferred_language)
    return f"{values['title'][:12]} {values['when']}"


def register() -> None:
    from .services import backfill

    reply_handler_register(ASSIGNMENT, _assignment_answer, label=_assignment_label)
    reply_handler_register(backfill.OFFER, backfill.offer_answer, label=backfill.offer_label)
