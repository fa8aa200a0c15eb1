"""Calendar invitations by email (iTIP, RFC 5546) that follow a volunteer's shifts.

A seat that becomes hers sends ``METHOD:REQUEST``; a slot that moves sends ``REQUEST`` again
with a higher ``SEQUENCE``, so her calendar updates the entry, and so does a change to what the
entry shows (the activity's title, description or room, her role's name); leaving the slot, or
the slot being cancelled, sends ``METHOD:CANCEL`` and the entry disappears. A cancellation goes
only to someone who was sent an invitation for that seat (``Assignment.invited_at``): a person
who only waited on the waiting list has no entry to take out. She can turn these emails off
(``User.calendar_invites``); her entry's sequence still moves on, so that a later message is
never older than one she already has.

``activities.notices`` calls these functions inside the transaction of the change. The message
is composed there, in her language, and written to the email outbox in the same transaction,
its calendar entry as data (UID, sequence and content as this change leaves them); a task
writes the iCalendar text from it and sends it after commit, and the outbox's sweep if that
task was never queued. A later change sends its own message, with a higher sequence.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from notifications.calendar import (
    METHOD_CANCEL,
    METHOD_REQUEST,
    CalendarEvent,
)
from notifications.services import email_queue, email_queue_many

from ..models import Assignment, Slot
from .entries import absolute_url, role_label, slot_event, slot_event_alike

NEW, MOVED, DETAILS = "new", "moved", "details"
LEFT, SLOT_CANCELLED = "left", "slot_cancelled"
CANCELLING = (LEFT, SLOT_CANCELLED)


def assignment_confirming(assignment: Assignment, *, earlier_top: int | None) -> None:
    """A new seat about to be hers, not written yet: its sequence and, when she takes
    invitations, the time of hers are set on it, so that the row is written with them and
    ``assignment_confirmed(..., written=True)`` has nothing to update. ``earlier_top``: the
    highest sequence of her rows on the slot (None: she has none), read by the caller under the
    slot's locks."""
    assignment.sequence = _sequence_above(assignment.sequence + 1, earlier_top)
    if _sending(assignment, reason=NEW):
        assignment.invited_at = timezone.now()


def assignment_confirmed(
    assignment: Assignment, *, prompted: bool = False, written: bool = False
) -> None:
    """A seat is hers: invite her. ``written``: ``assignment_confirming`` prepared the row."""
    if not written:
        _send(assignment, reason=NEW)
    elif _sending(assignment, reason=NEW):
        _invitation_queue(assignment, reason=NEW)


def assignments_confirmed(assignments: list[Assignment]) -> None:
    """Seats given to several people at once: ``assignment_confirmed`` for each, their
    sequences read and written in one query each."""
    if not assignments:
        return
    earlier = dict(
        (
            (slot_id, volunteer_id),
            top,
        )
        for slot_id, volunteer_id, top in Assignment.objects.filter(
            slot_id__in={a.slot_id for a in assignments},
            volunteer_id__in={a.volunteer_id for a in assignments},
        )
        .exclude(pk__in=[a.pk for a in assignments])
        .values("slot_id", "volunteer_id")
        .annotate(top=Max("sequence"))
        .values_list("slot_id", "volunteer_id", "top")
        .order_by()
    )
    now = timezone.now()
    changes: dict[tuple, list[int]] = defaultdict(list)
    invitations = []
    shared: dict = {}
    for assignment in assignments:
        top = earlier.get((assignment.slot_id, assignment.volunteer_id))
        assignment.sequence = max(assignment.sequence + 1, top + 1 if top is not None else 0)
        user = assignment.volunteer.user
        if user.calendar_invites and user.email:
            if assignment.invited_at is None:
                assignment.invited_at = now
            invitations.append(_invitation(assignment, reason=NEW, shared=shared))
        changes[assignment.sequence, assignment.invited_at].append(assignment.pk)
    # Nearly all share one sequence and one time: an update each, not one per person.
    for (sequence, invited_at), pks in changes.items():
        Assignment.objects.filter(pk__in=pks).update(sequence=sequence, invited_at=invited_at)
    email_queue_many(invitations)


def assignment_promoted(assignment: Assignment) -> None:
    """She moved up from the waiting list: invite her."""
    _send(assignment, reason=NEW)


def assignment_cancelled(assignment: Assignment, *, written: bool = False) -> None:
    """She left the slot or was removed: take the entry out of her calendar. ``written``: the
    row was saved with its sequence one step up already, and nothing is left to update."""
    if not written:
        _send(assignment, reason=LEFT)
    elif _sending(assignment, reason=LEFT):
        _invitation_queue(assignment, reason=LEFT)


def slot_changed(slot: Slot, assignments: Iterable[Assignment]) -> None:
    """The slot moved: the people holding a seat get the updated entry."""
    for assignment in assignments:
        if assignment.status == Assignment.Status.CONFIRMED:
            _send(assignment, reason=MOVED, slot=slot)


def slot_details_changed(slot: Slot, assignments: Iterable[Assignment]) -> None:
    """What the entry shows changed, not its time: the people holding a seat who were sent the
    invitation get the updated entry."""
    for assignment in assignments:
        if assignment.status == Assignment.Status.CONFIRMED and assignment.invited_at is not None:
            _send(assignment, reason=DETAILS, slot=slot)


def slot_cancelled(slot: Slot, assignments: Iterable[Assignment]) -> None:
    """The slot will not take place: everyone who was invited to it loses the entry."""
    for assignment in assignments:
        _send(assignment, reason=SLOT_CANCELLED, slot=slot)


def _sequence_next(assignment: Assignment, *, above_earlier: bool) -> int:
    """One step up for every message; a new seat also goes above her earlier seats on the slot,
    since they share one calendar entry (UID per slot and person)."""
    new = assignment.sequence + 1
    if above_earlier:
        earlier = Assignment.objects.filter(
            slot_id=assignment.slot_id, volunteer_id=assignment.volunteer_id
        )
        if assignment.pk is not None:
            earlier = earlier.exclude(pk=assignment.pk)
        new = _sequence_above(new, earlier.aggregate(top=Max("sequence"))["top"])
    return new


def _sequence_above(new: int, earlier_top: int | None) -> int:
    return new if earlier_top is None else max(new, earlier_top + 1)


def _send(assignment: Assignment, *, reason: str, slot: Slot | None = None) -> None:
    if slot is not None:
        assignment.slot = slot
    changes = {"sequence": _sequence_next(assignment, above_earlier=reason == NEW)}
    cancelling = reason in CANCELLING
    sending = _sending(assignment, reason=reason)
    if sending and not cancelling and assignment.invited_at is None:
        changes["invited_at"] = timezone.now()
    Assignment.objects.filter(pk=assignment.pk).update(**changes)
    for field, value in changes.items():
        setattr(assignment, field, value)
    if sending:
        _invitation_queue(assignment, reason=reason)


def _sending(assignment: Assignment, *, reason: str) -> bool:
    """Whether she is sent the message: she takes invitations by email, and a cancellation
    only when she was invited to the seat."""
    user = assignment.volunteer.user
    # The hooks see the assignment already cancelled, so whether her calendar holds the entry
    # is read from the record of the invitation, not from the status it had.
    return bool(user.calendar_invites and user.email) and (
        reason not in CANCELLING or assignment.invited_at is not None
    )


def _invitation_queue(assignment: Assignment, *, reason: str) -> None:
    email_queue(**_invitation(assignment, reason=reason))


def _invitation(assignment: Assignment, *, reason: str, shared: dict | None = None) -> dict:
    """The outbox email of an invitation, composed now, in her language. ``shared``: what was
    composed for other people of the same call, reused where it is the same for everyone
    holding the same role of the slot with the same status and reading the same language
    (the entry but what is hers, the subject and the body)."""
    user = assignment.volunteer.user
    language = user.preferred_language or settings.LANGUAGE_CODE
    cancelling = reason in CANCELLING
    method = METHOD_CANCEL if cancelling else METHOD_REQUEST
    shared = {} if shared is None else shared
    key = (assignment.slot_id, assignment.role_id, assignment.status, language, reason)
    slot = assignment.slot
    with translation.override(language):
        if key in shared:
            alike, subject, body = shared[key]
            event = slot_event_alike(alike, slot=slot, assignment=assignment, user=user)
        else:
            event = slot_event(slot=slot, assignment=assignment, user=user)
            subject, body = _texts(assignment, event, reason=reason)
            shared[key] = (event, subject, body)
    return {
        "to": user.email,
        "subject": subject,
        "body": body,
        # Its iCalendar text is written from the entry when the email is sent.
        "event": event,
        "method": method,
        "kind": "calendar_invitation",
        "language": language,
        "user": user,
    }


def _texts(assignment: Assignment, event: CalendarEvent, *, reason: str) -> tuple[str, str]:
    tz = ZoneInfo(event.tz)
    start = timezone.localtime(event.starts_at, tz)
    end = timezone.localtime(event.ends_at, tz)
    when = f"{date_format(start, 'Y-m-d (D) H:i')}–{date_format(end, 'H:i')}"
    values = {"title": event.summary, "when": when}
    if reason == NEW:
        subject = _("Shift confirmed: %(title)s, %(when)s") % values
        intro = _("Your place is confirmed. Your calendar can add it from this invitation.")
    elif reason == MOVED:
        subject = _("Shift moved: %(title)s, now %(when)s") % values
        intro = _("The time of your shift has changed; the entry in your calendar follows it.")
    elif reason == DETAILS:
        subject = _("Shift details updated: %(title)s, %(when)s") % values
        intro = _(
            "The details of your shift have changed; its time has not. The entry in your "
            "calendar follows them."
        )
    elif reason == LEFT:
        subject = _("Removed from your calendar: %(title)s, %(when)s") % values
        intro = _("You are no longer on this shift, so it leaves your calendar.")
    else:
        subject = _("Shift cancelled: %(title)s, %(when)s") % values
        intro = _("This shift will not take place, so it leaves your calendar.")
    lines = [
        intro,
        "",
        event.summary,
        when,
        event.location,
        _("Your role: %(role)s") % {"role": role_label(assignment.role)},
        event.url,
        "",
        _("You can turn these invitations off on your calendar page: %(url)s")
        % {"url": absolute_url(reverse("calendar_subscribe"))},
    ]
    return subject, "\n".join(lines)
