"""On PostgreSQL: many people pressing "sign up" for the last seats at the same moment, each on
her own connection, never over-fill a role; one person racing into overlapping slots ends with
at most one of them."""

from __future__ import annotations

from datetime import timedelta

from activities.models import Assignment
from activities.services.signup import slot_sign_up
from tests.concurrency import ON_POSTGRES, race
from tests.world import local, make_slot, make_volunteer

pytestmark = ON_POSTGRES


def test_last_seats_never_overfilled():
    slot, role = make_slot(needed=8)
    for _ in range(3):  # three seats already taken
        slot_sign_up(volunteer=make_volunteer(), slot=slot)
    people = [make_volunteer() for _ in range(40)]

    results, errors, failures = race(
        [lambda v=v: slot_sign_up(volunteer=v, slot=slot) for v in people]
    )
    assert failures == []

    assert errors == []
    assert len(results) == 40
    confirmed = Assignment.objects.filter(role=role, status="confirmed").count()
    waitlisted = Assignment.objects.filter(role=role, status="waitlisted").count()
    assert confirmed == role.needed
    assert waitlisted == 40 - 5
    assert sum(a.status == "confirmed" for a in results) == 5


def test_one_person_racing_into_overlapping_slots_gets_at_most_one():
    volunteer = make_volunteer()
    start = local(3, 10)
    slots = [make_slot(starts_at=start + timedelta(minutes=10 * i))[0] for i in range(12)]

    results, errors, failures = race(
        [lambda s=s: slot_sign_up(volunteer=volunteer, slot=s) for s in slots]
    )
    assert failures == []

    confirmed = Assignment.objects.filter(volunteer=volunteer, status="confirmed").count()
    assert confirmed == 1
    assert len(results) == 1
    assert {e.code for e in errors} == {"overlap"}


def test_cancel_and_signups_racing_keep_the_count():
    from activities.services.signup import assignment_cancel

    slot, role = make_slot(needed=3)
    holders = [make_volunteer() for _ in range(3)]
    seats = [slot_sign_up(volunteer=v, slot=slot) for v in holders]
    waiting = [make_volunteer() for _ in range(5)]
    for v in waiting:
        slot_sign_up(volunteer=v, slot=slot)
    newcomers = [make_volunteer() for _ in range(10)]

    calls = [
        lambda a=a, v=v: assignment_cancel(assignment=a, by=v.user)
        for a, v in zip(seats, holders, strict=True)
    ]
    calls += [lambda v=v: slot_sign_up(volunteer=v, slot=slot) for v in newcomers]
    _results, errors, failures = race(calls)
    assert failures == []

    assert errors == []
    assert Assignment.objects.filter(role=role, status="confirmed").count() == 3
    # The freed seats went to the first three on the waitlist, in order.
    promoted = set(
        Assignment.objects.filter(role=role, status="confirmed").values_list("volunteer", flat=True)
    )
    assert promoted == {v.pk for v in waiting[:3]}
