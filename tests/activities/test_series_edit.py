"""Editing and cancelling one occurrence, this and the following, or the whole series."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.core import mail

from activities import notices
from activities.models import Activity, Assignment, Slot
from activities.services.activities import slots_generate
from activities.services.series import slot_cancel, slot_update
from core.errors import Conflict, NotAllowed, ValidationFailed
from notifications.models import Message
from tests.clock import SH
from tests.factories import UserFactory, VenueFactory, VolunteerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def told() -> list[tuple[str, int]]:
    """The texts the people on the slots were sent (the outbox), as (kind, volunteer id)."""
    return [
        (m.kind, m.user.volunteer.pk)
        for m in Message.objects.filter(kind__in=["slot_changed", "slot_cancelled"])
        .select_related("user__volunteer")
        .order_by("pk")
    ]


def text_to(assignment) -> str:
    [message] = Message.objects.filter(user=assignment.volunteer.user).exclude(kind="reminder")
    return message.body


@pytest.fixture
def activity(post_series):
    return post_series()


def slots(activity_id=None):
    qs = Slot.objects.order_by("original_start")
    return list(qs.filter(activity_id=activity_id) if activity_id else qs)


def seat(slot):
    return Assignment.objects.create(
        slot=slot, role=slot.roles.first(), volunteer=VolunteerFactory(), status="confirmed"
    )


def local(instant):
    return instant.astimezone(SH).strftime("%m-%d %H:%M")


def test_moving_this_occurrence_keeps_the_people_and_tells_them(activity, host):
    third = slots()[2]
    mine = seat(third)
    slot_update(
        slot=third,
        scope="this",
        by=host,
        starts_at=datetime(2026, 6, 17, 18, 0, tzinfo=SH),
        ends_at=datetime(2026, 6, 17, 19, 30, tzinfo=SH),
    )
    third.refresh_from_db()
    assert local(third.starts_at) == "06-17 18:00"
    assert third.detached and third.sequence == 1
    mine.refresh_from_db()
    assert mine.status == "confirmed" and mine.slot_id == third.pk
    assert told() == [("slot_changed", mine.volunteer_id)]
    assert "Wed 17 Jun 18:00" in text_to(mine)
    # The periodic run does not bring back the original Tuesday.
    assert slots_generate() == 0
    assert len(slots()) == 6


def test_whole_series_to_a_new_time_keeps_everyone(activity, host):
    all_slots = slots()
    mine = seat(all_slots[4])
    slot_update(
        slot=all_slots[1],
        scope="all",
        by=host,
        starts_at=datetime(2026, 6, 9, 18, 30, tzinfo=SH),
        ends_at=datetime(2026, 6, 9, 20, 0, tzinfo=SH),
    )
    after = slots()
    assert [local(s.starts_at) for s in after] == [
        "06-02 18:30",
        "06-09 18:30",
        "06-16 18:30",
        "06-23 18:30",
        "06-30 18:30",
        "07-07 18:30",
    ]
    assert all(s.sequence == 1 and s.original_start == s.starts_at for s in after)
    assert [s.pk for s in after] == [s.pk for s in all_slots]
    mine.refresh_from_db()
    assert mine.status == "confirmed"
    assert told() == [("slot_changed", mine.volunteer_id)]
    assert "Tue 30 Jun 18:30" in text_to(mine)
    assert slots_generate() == 0


def test_this_and_following_splits_the_series(activity, host):
    fourth = slots()[3]
    mine = seat(fourth)
    changed = slot_update(
        slot=fourth,
        scope="following",
        by=host,
        starts_at=datetime(2026, 6, 23, 19, 30, tzinfo=SH),
        ends_at=datetime(2026, 6, 23, 21, 0, tzinfo=SH),
    )
    assert len(changed) == 3
    activity.refresh_from_db()
    successor = Activity.objects.exclude(pk=activity.pk).get()
    assert [local(s.starts_at) for s in slots(activity.pk)] == [
        "06-02 19:00",
        "06-09 19:00",
        "06-16 19:00",
    ]
    assert [local(s.starts_at) for s in slots(successor.pk)] == [
        "06-23 19:30",
        "06-30 19:30",
        "07-07 19:30",
    ]
    assert "UNTIL=" in activity.rrule and "COUNT" not in activity.rrule
    assert "COUNT=3" in successor.rrule
    assert successor.roles.count() == 1
    assert all(
        r.activity_role.activity_id == successor.pk
        for s in slots(successor.pk)
        for r in s.roles.all()
    )
    mine.refresh_from_db()
    assert mine.status == "confirmed" and mine.slot.activity_id == successor.pk
    # Nothing is regenerated on either side of the split.
    assert slots_generate() == 0


def test_cancel_this_occurrence_ends_the_seats_and_tells_people(activity, host):
    second = slots()[1]
    mine = seat(second)
    slot_cancel(slot=second, scope="this", by=host)
    second.refresh_from_db()
    mine.refresh_from_db()
    assert second.status == "cancelled" and second.sequence == 1
    assert mine.status == "cancelled"
    assert told() == [("slot_cancelled", mine.volunteer_id)]
    assert "will not take place" in text_to(mine)
    assert slots_generate() == 0


def test_cancel_following_ends_the_rule(activity, host):
    cancelled = slot_cancel(slot=slots()[4], scope="following", by=host)
    assert len(cancelled) == 2
    assert [s.status for s in slots()] == ["scheduled"] * 4 + ["cancelled"] * 2
    activity.refresh_from_db()
    assert activity.status == "active" and "UNTIL=" in activity.rrule


def test_cancel_all(activity, host, django_capture_on_commit_callbacks):
    first, last = seat(slots()[0]), seat(slots()[5])
    with django_capture_on_commit_callbacks(execute=True):
        slot_cancel(slot=slots()[2], scope="all", by=host)
    activity.refresh_from_db()
    assert activity.status == "cancelled"
    assert {s.status for s in slots()} == {"cancelled"}
    assert told() == [
        ("slot_cancelled", first.volunteer_id),
        ("slot_cancelled", last.volunteer_id),
    ]
    # Seats made without the sign-up service were never sent an invitation: no CANCEL mail.
    assert mail.outbox == []


def test_a_failure_midway_changes_nothing(activity, host, monkeypatch):
    for s in slots():
        seat(s)
    calls = []

    def fail_on_third(slot, assignments):
        calls.append(slot.pk)
        if len(calls) == 3:
            raise RuntimeError("the outbox is down")

    monkeypatch.setattr(notices, "slot_changed", fail_on_third)
    before = [(s.pk, s.starts_at, s.ends_at, s.original_start, s.sequence) for s in slots()]
    rule_before = Activity.objects.get().rrule
    with pytest.raises(RuntimeError):
        slot_update(
            slot=slots()[2],
            scope="following",
            by=host,
            starts_at=datetime(2026, 6, 16, 8, 0, tzinfo=SH),
            ends_at=datetime(2026, 6, 16, 9, 0, tzinfo=SH),
        )
    after = [(s.pk, s.starts_at, s.ends_at, s.original_start, s.sequence) for s in slots()]
    assert after == before
    assert Activity.objects.count() == 1
    assert Activity.objects.get().rrule == rule_before
    assert Assignment.objects.filter(status="confirmed").count() == 6


def test_a_failed_cancellation_changes_nothing(activity, host, monkeypatch):
    for s in slots():
        seat(s)

    def fail(slot, assignments):
        raise RuntimeError("the outbox is down")

    monkeypatch.setattr(notices, "slot_cancelled", fail)
    with pytest.raises(RuntimeError):
        slot_cancel(slot=slots()[0], scope="all", by=host)
    assert {s.status for s in slots()} == {"scheduled"}
    assert Assignment.objects.filter(status="confirmed").count() == 6
    assert Activity.objects.get().status == "active"


def test_series_keeps_its_days(activity, host):
    with pytest.raises(ValidationFailed) as exc:
        slot_update(
            slot=slots()[1],
            scope="all",
            by=host,
            starts_at=datetime(2026, 6, 10, 19, 0, tzinfo=SH),
            ends_at=datetime(2026, 6, 10, 20, 0, tzinfo=SH),
        )
    assert "starts_at" in exc.value.errors


def test_another_host_may_not_edit_or_cancel(activity):
    stranger = UserFactory()
    VenueFactory(hosts=[stranger])
    with pytest.raises(NotAllowed):
        slot_cancel(slot=slots()[0], scope="all", by=stranger)
    with pytest.raises(NotAllowed):
        slot_update(
            slot=slots()[0],
            scope="this",
            by=stranger,
            starts_at=datetime(2026, 6, 2, 18, 0, tzinfo=SH),
            ends_at=datetime(2026, 6, 2, 19, 0, tzinfo=SH),
        )
    assert {s.status for s in slots()} == {"scheduled"}


def test_a_cancelled_occurrence_cannot_be_cancelled_again(activity, host):
    first = slots()[0]
    slot_cancel(slot=first, scope="this", by=host)
    with pytest.raises(Conflict):
        slot_cancel(slot=first, scope="this", by=host)


def test_new_local_times_instead_of_instants(activity, host):
    from datetime import time

    slot_update(slot=slots()[0], scope="all", by=host, start_time=time(18, 0), end_time=time(19, 0))
    assert {local(s.starts_at)[-5:] for s in slots()} == {"18:00"}
    assert {local(s.ends_at)[-5:] for s in slots()} == {"19:00"}
