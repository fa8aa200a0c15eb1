"""What a shift text says: the slot's values in her language, and the question it asks."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications.services import QuestionSpec, sms_notify
from notifications.texts import language_of, sms_when

from ..models import Assignment, Slot

# The kind of question a shift text asks (Y: coming, N: give the seat back).
ASSIGNMENT = "assignment"


def slot_title(slot: Slot) -> str:
    """The slot's title in a text; a confidential one is only "an appointment": a text may be
    read by anyone holding the phone, so it says the time and place and nothing more."""
    if slot.activity.is_confidential:
        return _("Appointment")
    return slot.activity.display_title


def slot_values(slot: Slot, *, language: str) -> dict:
    """What, when, where and a short link, in her language. The link of a confidential slot
    leads to her shifts (behind sign-in), not to the slot."""
    venue = slot.activity.venue
    with translation.override(language_of(language)):
        path = (
            reverse("my_shifts")
            if slot.activity.is_confidential
            else reverse("slot_short", args=[slot.pk])
        )
        return {
            "title": slot_title(slot),
            "venue": venue.display_name,
            "when": sms_when(slot.starts_at, language=language, tz=venue.timezone),
            "link": settings.PUBLIC_BASE_URL + path,
        }


def is_urgent(slot: Slot, *, now: datetime | None = None) -> bool:
    """Close enough to the start that quiet hours must not hold the text back."""
    now = now or timezone.now()
    return slot.starts_at - now <= timedelta(hours=settings.SMS_URGENT_HOURS)


def assignment_question(assignment: Assignment) -> QuestionSpec:
    return QuestionSpec(
        kind=ASSIGNMENT, ref=str(assignment.pk), expires_at=assignment.slot.starts_at
    )


def assignment_tell(
    assignment: Assignment,
    kind: str,
    *,
    immediate: bool,
    ask: bool = False,
    slot: Slot | None = None,
    dedupe_key: str | None = None,
):
    """Text her about her seat (``ask``: with the Y/N question about it)."""
    slot = slot or assignment.slot
    user = assignment.volunteer.user
    return sms_notify(
        user=user,
        kind=kind,
        values=slot_values(slot, language=user.preferred_language),
        immediate=immediate,
        expires_at=slot.starts_at,
        dedupe_key=dedupe_key,
        question=assignment_question(assignment) if ask else None,
    )
