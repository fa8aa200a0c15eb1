"""The statement that locks a slot's roles for a sign-up or a cancellation is built once and
kept: whatever slot or sign-up it is asked about next, it reads that one's roles, each with its
slot, activity, venue, team and skill, as the ORM reads them, and nothing of anyone else's."""

from __future__ import annotations

import pytest
from django.db import transaction

from activities.models import SlotRole
from activities.services.signup import _roles_lock, slot_sign_up
from tests.factories import SkillFactory, SlotRoleFactory, TeamFactory
from tests.world import local, make_slot, make_volunteer

pytestmark = pytest.mark.django_db


def _seen(roles: list[SlotRole]) -> list[tuple]:
    return [
        (
            role.pk,
            role.needed,
            role.language,
            role.skill.code if role.skill else None,
            role.slot.pk,
            role.slot.starts_at,
            role.slot.status,
            role.slot.activity.title,
            role.slot.activity.venue.name,
            role.slot.activity.team.name if role.slot.activity.team else None,
        )
        for role in roles
    ]


def _orm(slot) -> list[SlotRole]:
    return list(
        SlotRole.objects.select_related("slot__activity__venue", "slot__activity__team", "skill")
        .filter(slot=slot)
        .order_by("pk")
    )


def test_each_slot_gets_its_own_roles_read_whole_in_one_query(django_assert_num_queries):
    lecture = SkillFactory(code="lecture")
    team_slot, _first = make_slot(team=TeamFactory(), needed=3, starts_at=local(2, 9))
    SlotRoleFactory(slot=team_slot, needed=1, skill=lecture, language="en")
    plain_slot, _role = make_slot(starts_at=local(5, 18))
    empty_slot, only = make_slot(starts_at=local(6, 18))
    only.delete()
    for _turn in range(2):
        for slot in (team_slot, plain_slot, empty_slot):
            with transaction.atomic(), django_assert_num_queries(1):
                seen = _seen(_roles_lock(slot_id=slot.pk))
            assert seen == _seen(_orm(slot))
    assert len(_seen(_orm(team_slot))) == 2
    assert _seen(_orm(team_slot))[1][3] == "lecture"


def test_her_own_sign_up_locks_its_slot_and_anyone_elses_locks_nothing():
    slot, _role = make_slot()
    other_slot, _other_role = make_slot(starts_at=local(4, 10))
    for _earlier in range(3):
        make_volunteer()
    her, stranger = make_volunteer(), make_volunteer()
    seat = slot_sign_up(volunteer=her, slot=slot)
    assert seat.pk != her.pk  # so that her sign-up's id and hers cannot stand for each other
    slot_sign_up(volunteer=stranger, slot=other_slot)
    with transaction.atomic():
        assert _seen(_roles_lock(own=(seat.pk, her.pk))) == _seen(_orm(slot))
        assert _roles_lock(own=(seat.pk, stranger.pk)) == []
        assert _roles_lock(own=(seat.pk + 1000, her.pk)) == []
        assert _roles_lock(own=(10**20, her.pk)) == []
        assert _seen(_roles_lock(slot_id=other_slot.pk)) == _seen(_orm(other_slot))
