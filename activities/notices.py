"""What happens to a person's shifts, told to her: the one place activity events fan out.

Services of this app call these functions inside the transaction that makes the change, so the
outbox rows (SMS) and calendar invites are written together with the change and sent after
commit. Each function hands the event to the SMS notices and to the calendar invites, whose
send tasks go to the broker together, in one message.
"""

from __future__ import annotations

from collections.abc import Iterable

from core.tasks import hand_overs_together

from .calendar import invites as calendar_invites
from .models import Assignment, Slot
from .sms import notices as sms


def assignment_confirming(assignment: Assignment, *, earlier_top: int | None) -> None:
    """A new seat will be hers: called before its row is written, so that the row is written
    with what the invitation records on it (then ``assignment_confirmed(..., written=True)``).
    ``earlier_top``: the highest sequence of her rows on the slot (None: she has none)."""
    calendar_invites.assignment_confirming(assignment, earlier_top=earlier_top)


def assignment_confirmed(assignment: Assignment, *, prompted: bool, written: bool = False) -> None:
    """A seat is hers: by her own sign-up (``prompted``), or given by a coordinator/the matcher.
    ``written``: ``assignment_confirming`` was called before the row was written."""
    with hand_overs_together():
        sms.assignment_confirmed(assignment, prompted=prompted)
        calendar_invites.assignment_confirmed(assignment, prompted=prompted, written=written)


def assignments_given(assignments: list[Assignment]) -> None:
    """Seats given by the matcher or a coordinator (on one slot or several), told together:
    what ``assignment_confirmed(prompted=False)`` tells each, in a fixed number of queries."""
    with hand_overs_together():
        sms.assignments_given(assignments)
        calendar_invites.assignments_confirmed(assignments)


def assignment_waitlisted(assignment: Assignment) -> None:
    """She joined the waitlist of a full slot."""
    sms.assignment_waitlisted(assignment)


def assignment_promoted(assignment: Assignment) -> None:
    """She moved up from the waitlist to a confirmed seat."""
    with hand_overs_together():
        sms.assignment_promoted(assignment)
        calendar_invites.assignment_promoted(assignment)


def assignment_cancelled(assignment: Assignment, *, written: bool = False) -> None:
    """She left the slot (or was removed): her calendar entry goes away. ``written``: the
    cancelled row was written with its sequence already one step up, for this message."""
    with hand_overs_together():
        sms.assignment_cancelled(assignment)
        calendar_invites.assignment_cancelled(assignment, written=written)


def slot_changed(slot: Slot, assignments: Iterable[Assignment]) -> None:
    """The slot's time moved; the people on it keep their place and are told."""
    assignments = list(assignments)
    with hand_overs_together():
        sms.slot_changed(slot, assignments)
        calendar_invites.slot_changed(slot, assignments)


def slot_details_changed(slot: Slot, assignments: Iterable[Assignment]) -> None:
    """What the slot's calendar entry shows changed (title, description, room, role names) but
    not its time: the calendars follow. No text: nothing she must act on has changed."""
    calendar_invites.slot_details_changed(slot, list(assignments))


def slot_cancelled(slot: Slot, assignments: Iterable[Assignment]) -> None:
    """The slot will not take place."""
    assignments = list(assignments)
    with hand_overs_together():
        sms.slot_cancelled(slot, assignments)
        calendar_invites.slot_cancelled(slot, assignments)
