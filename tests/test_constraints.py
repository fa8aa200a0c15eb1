"""What the database itself refuses, whatever code tries to write."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.db import IntegrityError, transaction

from activities.models import Activity, ActivityRole, Assignment, Slot, SlotRole
from tests.factories import (
    ActivityFactory,
    AreaFactory,
    AssignmentFactory,
    AvailabilityFactory,
    SlotFactory,
    SlotRoleFactory,
    VolunteerFactory,
)
from venues.models import Area

pytestmark = pytest.mark.django_db


def _refused(make) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_activity_must_end_after_it_starts():
    activity = ActivityFactory()
    _refused(lambda: Activity.objects.filter(pk=activity.pk).update(ends_at=activity.starts_at))
    _refused(
        lambda: ActivityFactory(
            starts_at=activity.starts_at, ends_at=activity.starts_at - timedelta(hours=1)
        )
    )


def test_slot_must_end_after_it_starts():
    slot = SlotFactory()
    _refused(lambda: Slot.objects.filter(pk=slot.pk).update(ends_at=slot.starts_at))
    assert Slot.objects.get(pk=slot.pk).ends_at > slot.starts_at


def test_roles_need_at_least_one_person():
    activity = ActivityFactory()
    _refused(lambda: ActivityRole.objects.create(activity=activity, needed=0))
    slot = SlotFactory(activity=activity)
    _refused(lambda: SlotRole.objects.create(slot=slot, needed=0))
    assert SlotRole.objects.create(slot=slot, needed=1).pk


def test_one_live_assignment_per_volunteer_and_slot():
    first = AssignmentFactory()
    _refused(
        lambda: Assignment.objects.create(
            slot=first.slot,
            role=first.role,
            volunteer=first.volunteer,
            status=Assignment.Status.WAITLISTED,
        )
    )
    assert Assignment.objects.count() == 1


def test_a_cancelled_assignment_leaves_room_for_a_new_live_one():
    first = AssignmentFactory(status=Assignment.Status.CANCELLED)
    again = Assignment.objects.create(
        slot=first.slot,
        role=first.role,
        volunteer=first.volunteer,
        status=Assignment.Status.CONFIRMED,
    )
    assert again.pk
    # Several cancelled ones may pile up; live ones may not.
    Assignment.objects.create(
        slot=first.slot,
        role=first.role,
        volunteer=first.volunteer,
        status=Assignment.Status.CANCELLED,
    )
    assert Assignment.objects.filter(volunteer=first.volunteer).count() == 3


def test_two_volunteers_share_a_slot():
    role = SlotRoleFactory()
    AssignmentFactory(role=role)
    AssignmentFactory(role=role)
    assert Assignment.objects.filter(slot=role.slot).count() == 2


def test_only_a_district_has_no_parent():
    district = AreaFactory()
    _refused(lambda: Area.objects.create(name="孤街", level=Area.Level.STREET))
    _refused(lambda: Area.objects.create(name="二区", level=Area.Level.DISTRICT, parent=district))


def test_availability_ends_after_it_starts_on_a_real_weekday():
    volunteer = VolunteerFactory()
    _refused(lambda: AvailabilityFactory(volunteer=volunteer, start=time(20), end=time(19)))
    _refused(lambda: AvailabilityFactory(volunteer=volunteer, weekday=7))


def test_weekly_hours_stay_in_range_and_phones_are_unique():
    volunteer = VolunteerFactory(phone="+8613800001111")
    _refused(lambda: type(volunteer).objects.filter(pk=volunteer.pk).update(max_hours_per_week=0))
    _refused(lambda: VolunteerFactory(phone="+8613800001111"))
