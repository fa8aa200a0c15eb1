"""The candidates of "shifts for me" are read by a statement kept for the process, with what
she asks added around it; every other list reads them through the ORM (``slots_candidate_qs``).
Both read the same slots, in the same order, with the same columns, whatever she asks — and
neither ever a confidential slot, a past or cancelled one, or one at a closed venue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import Q

from activities.models import Activity, Slot
from activities.selectors import shifts as selectors
from activities.selectors.shifts import Filters, shifts_for_me
from tests.factories import TeamFactory, VenueFactory
from tests.world import local, make_slot, make_volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    here, there = VenueFactory(), VenueFactory()
    closed = VenueFactory(is_active=False)
    team, other_team = TeamFactory(), TeamFactory()
    made = {
        "class here": make_slot(starts_at=local(1, 9), venue=here)[0],
        "lecture there": make_slot(starts_at=local(1, 9), venue=there, kind="lecture")[0],
        "team's": make_slot(starts_at=local(2, 14), venue=here, team=team)[0],
        "other team's": make_slot(starts_at=local(3, 10), venue=there, team=other_team)[0],
        "salon": make_slot(starts_at=local(6, 19), venue=there, kind="salon")[0],
        "next month": make_slot(starts_at=local(40, 10), venue=here)[0],
        "mediation": make_slot(starts_at=local(2, 10), venue=here, kind="mediation")[0],
        "counselling": make_slot(starts_at=local(2, 11), venue=here, kind="counselling")[0],
        "closed venue": make_slot(starts_at=local(2, 12), venue=closed)[0],
        "cancelled": make_slot(starts_at=local(2, 13), venue=here)[0],
        "past": make_slot(starts_at=local(-1, 10), venue=here)[0],
        "cancelled activity": make_slot(starts_at=local(4, 10), venue=there)[0],
    }
    Slot.objects.filter(pk=made["cancelled"].pk).update(status=Slot.Status.CANCELLED)
    stopped = made["cancelled activity"].activity
    Activity.objects.filter(pk=stopped.pk).update(status=Activity.Status.CANCELLED)
    return {"here": here, "there": there, "team": team, "slots": made}


def _asks(world):
    slots = world["slots"]
    at = slots["team's"].starts_at
    return [
        Filters(),
        Filters(venue=world["here"].pk),
        Filters(kind="lecture"),
        Filters(team=world["team"].pk),
        Filters(activity=slots["salon"].activity_id),
        Filters(start_after=at),  # a slot starting at the very moment is in
        Filters(start_before=at),  # and out
        Filters(start_after=local(0, 0), start_before=local(60, 0)),
        Filters(venue=world["there"].pk, kind="salon", start_before=local(7, 0)),
    ]


def _orm(filters: Filters, team_ids=None) -> list[tuple]:
    qs = selectors.slots_candidate_qs(filters)
    if team_ids is not None:
        qs = qs.filter(Q(activity__team__isnull=True) | Q(activity__team_id__in=team_ids))
    return list(selectors.slots_plain_values(qs.order_by("starts_at", "pk")))


def test_the_kept_statement_reads_what_the_orm_reads_whatever_she_asks(world):
    never = {
        world["slots"][name].pk
        for name in (
            "mediation",
            "counselling",
            "closed venue",
            "cancelled",
            "past",
            "cancelled activity",
        )
    }
    for filters in _asks(world):
        for team_ids in (None, [], [world["team"].pk], [world["team"].pk, 10**9]):
            conditions = selectors._conditions(filters, now=local(0, 0), open_only=True)
            rows, roles = selectors._slots_with_roles(conditions, team_ids=team_ids, open_only=True)
            expected = _orm(filters, team_ids)
            assert rows == expected, (filters, team_ids)
            assert not never & {row[0] for row in rows}
            assert roles == selectors.slot_role_rows(row[0] for row in rows)


def test_her_list_judged_and_her_list_unjudged_agree(world):
    """Without coordinates, "nearest first" keeps the soonest-first order: the judged list
    (the kept statement) and the unjudged one (the ORM) show the same slots alike."""
    volunteer = make_volunteer(latitude=None, longitude=None)
    for filters in _asks(world):
        judged = shifts_for_me(
            volunteer=volunteer, filters=_copy(filters), fits_only=False, sort="nearest"
        )
        plain = shifts_for_me(volunteer=volunteer, filters=_copy(filters), fits_only=False)
        assert [_shown(s) for s in judged] == [_shown(s) for s in plain], filters
    everything = shifts_for_me(volunteer=volunteer, fits_only=False, sort="nearest")
    assert {s.pk for s in everything} == {
        world["slots"][name].pk
        for name in ("class here", "lecture there", "team's", "other team's", "salon")
    }


def _copy(filters: Filters) -> Filters:
    return Filters(**vars(filters))


def _shown(slot) -> tuple:
    activity = slot.activity
    return (
        slot.pk,
        slot.starts_at,
        slot.ends_at,
        str(activity.display_title),
        str(activity.venue.display_name),
        activity.kind,
        activity.team_id,
        [(r.pk, r.needed, r.filled) for r in slot.roles.all()],
    )


def test_a_slot_past_its_start_is_no_longer_a_candidate(world):
    slot = world["slots"]["class here"]
    filters = Filters(venue=world["here"].pk)
    before = selectors._conditions(
        filters, now=slot.starts_at - timedelta(seconds=1), open_only=True
    )
    after = selectors._conditions(filters, now=slot.starts_at, open_only=True)
    rows_before, _ = selectors._slots_with_roles(before, team_ids=None, open_only=True)
    rows_after, _ = selectors._slots_with_roles(after, team_ids=None, open_only=True)
    assert slot.pk in [row[0] for row in rows_before]
    assert slot.pk not in [row[0] for row in rows_after]
