"""On PostgreSQL: a matcher run is published while volunteers sign up for the same shifts, each
on her own connection. Publishing confirms a day's slots per transaction, with the sign-up's
lock order (the roles, then the profiles, each by id), so nobody deadlocks; no role is
over-filled; every proposal ends confirmed or skipped with its reason."""

from __future__ import annotations

import random
from datetime import timedelta

from activities.models import Assignment, SlotRole
from activities.services.signup import slot_sign_up
from core.errors import DomainError
from matching.models import MatchProposal, MatchRun
from matching.services import publishing
from tests.concurrency import ON_POSTGRES, race
from tests.world import build_world

pytestmark = ON_POSTGRES

DAYS, HOURS, NEEDED, PEOPLE = 4, (8, 11, 14, 17), 3, 24


def signing_up(volunteer, slots, seed):
    """One person pressing "sign up" for several shifts, one after the other."""

    def call():
        order = list(slots)
        random.Random(seed).shuffle(order)
        outcomes = []
        for slot in order:
            try:
                outcomes.append(slot_sign_up(volunteer=volunteer, slot=slot).status)
            except DomainError as exc:
                outcomes.append(exc.code)
        return outcomes

    return call


def test_publishing_while_people_sign_up_never_deadlocks_nor_overfills(settings):
    settings.MATCHER_TIME_LIMIT_SECONDS = 5
    world = build_world()
    slots, roles = [], []
    for day in range(DAYS):
        for hour in HOURS:
            slot, role = world.slot(
                day=world.tuesday + timedelta(days=day), start=hour, end=hour + 2, needed=NEEDED
            )
            slots.append(slot)
            roles.append(role)
    people = [
        world.volunteer(f"V{i:02d}", windows=[(d, 7, 20) for d in range(7)], max_hours=60)
        for i in range(PEOPLE)
    ]
    run = MatchRun.objects.create(
        area=world.district,
        start=world.tuesday,
        end=world.tuesday + timedelta(days=DAYS),
        created_by=world.coordinator,
        status=MatchRun.Status.DONE,
        progress=100,
    )
    # Every seat proposed: a person is proposed for shifts all over the week, so publishing
    # holds her profile while she signs up for a later shift herself.
    MatchProposal.objects.bulk_create(
        MatchProposal(run=run, slot_role=role, volunteer=people[(3 * i + j) % PEOPLE], hours=2)
        for i, role in enumerate(roles)
        for j in range(NEEDED)
    )
    proposals = run.proposals.count()
    assert proposals == len(roles) * NEEDED

    calls = [lambda: publishing.run_publish(by=world.coordinator, run=run)]
    # Later shifts first: those are the ones publishing reaches last.
    calls += [
        signing_up(person, slots[len(slots) // 2 :], seed=i) for i, person in enumerate(people)
    ]
    results, _refusals, failures = race(calls)

    assert failures == []
    run.refresh_from_db()
    assert run.status == MatchRun.Status.PUBLISHED, run.error
    assert run.error == ""
    for role in SlotRole.objects.filter(pk__in=[r.pk for r in roles]):
        confirmed = Assignment.objects.filter(role=role, status="confirmed").count()
        assert confirmed <= role.needed
    outcomes = list(run.proposals.select_related("assignment"))
    assert {p.outcome for p in outcomes} <= {"confirmed", "skipped"}
    for p in outcomes:
        if p.outcome == "confirmed":
            assert p.assignment.status == Assignment.Status.CONFIRMED
            assert (p.assignment.role_id, p.assignment.volunteer_id) == (
                p.slot_role_id,
                p.volunteer_id,
            )
        else:
            assert p.outcome_note
    assert run.stats["published"] + run.stats["skipped"] == proposals
    assert run.stats["published"] == sum(p.outcome == "confirmed" for p in outcomes)
    # Everyone signing up was answered: a seat, the waitlist, or a rule (she was already
    # confirmed there by the publication), never an error.
    signups = [outcome for r in results if isinstance(r, list) for outcome in r]
    assert len(signups) == PEOPLE * (len(slots) - len(slots) // 2)
    assert "confirmed" in signups and "waitlisted" in signups
