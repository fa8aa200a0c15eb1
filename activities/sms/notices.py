"""Which text each shift event sends, inside the transaction of the change.

``activities.notices`` calls these; the texts are written to the outbox there and sent after
commit. Quiet hours hold back what she did not ask for, except urgent news
(``SMS_URGENT_HOURS`` before the start); what answers her own action goes at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

from notifications.services import SmsTo, questions_close, sms_notify_many

from ..models import Assignment, Slot
from .texts import ASSIGNMENT, assignment_question, assignment_tell, is_urgent, slot_values

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


def assignment_confirmed(assignment: Assignment, *, prompted: bool) -> None:
    if _answering.get():
        return
    if assignment.source == Assignment.Source.BACKFILL:
        # She took a free seat by answering Y: this is the answer, so it goes at once.
        assignment_tell(assignment, "backfill_won", immediate=True, ask=False)
    elif prompted:
        assignment_tell(assignment, "confirmed", immediate=True, ask=True)
    else:
        assignment_tell(assignment, "assigned", immediate=is_urgent(assignment.slot), ask=True)


def assignments_given(assignments: list[Assignment]) -> None:
    """Seats given by the matcher or a coordinator (not asked for), on one slot or several:
    the texts of ``assignment_confirmed`` for all of them, written together."""
    if _answering.get() or not assignments:
        return
    now = timezone.now()
    # What a slot's text says is the same for everyone reading it in one language.
    values: dict[tuple[int, str], dict] = {}
    urgent: dict[int, bool] = {}
    texts = []
    for assignment in assignments:
        slot, user = assignment.slot, assignment.volunteer.user
        key = (slot.pk, user.preferred_language)
        if key not in values:
            values[key] = slot_values(slot, language=user.preferred_language)
        if slot.pk not in urgent:
            urgent[slot.pk] = is_urgent(slot, now=now)
        texts.append(
            SmsTo(
                user=user,
                profile=assignment.volunteer,
                values=values[key],
                question=assignment_question(assignment),
                immediate=urgent[slot.pk],
                expires_at=slot.starts_at,
            )
        )
    sms_notify_many(texts=texts, kind="assigned")


def assignment_waitlisted(assignment: Assignment) -> None:
    assignment_tell(assignment, "waitlisted", immediate=True)


def assignment_promoted(assignment: Assignment) -> None:
    assignment_tell(assignment, "promoted", immediate=is_urgent(assignment.slot), ask=True)


def assignment_cancelled(assignment: Assignment) -> None:
    questions_close(kind=ASSIGNMENT, ref=str(assignment.pk))
    if not _answering.get():
        assignment_tell(assignment, "cancelled", immediate=is_urgent(assignment.slot))


def slot_changed(slot: Slot, assignments: Iterable[Assignment]) -> None:
    now = timezone.now()
    for assignment in assignments:
        if assignment.status == Assignment.Status.CONFIRMED:
            assignment_tell(
                assignment, "slot_changed", immediate=is_urgent(slot, now=now), slot=slot
            )


def slot_cancelled(slot: Slot, assignments: Iterable[Assignment]) -> None:
    # ``assignments`` are those that were live on the slot (already marked cancelled).
    for assignment in assignments:
        questions_close(kind=ASSIGNMENT, ref=str(assignment.pk))
        assignment_tell(assignment, "slot_cancelled", immediate=is_urgent(slot), slot=slot)
