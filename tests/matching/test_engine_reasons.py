"""Every empty-seat reason, each on the smallest problem that produces it."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from matching.engine import solve_mediation, solve_staffing
from matching.engine.model import (
    Dispute,
    MediationProblem,
    Mediator,
    Slot,
    StaffingProblem,
    TimeWindow,
    Venue,
    Volunteer,
)

MONDAY = datetime(2025, 3, 3)
EVENING = TimeWindow(MONDAY + timedelta(hours=17), MONDAY + timedelta(hours=22))


def hours(h: float) -> datetime:
    return MONDAY + timedelta(hours=h)


def person(pid: str, **kw) -> Volunteer:
    base = dict(lat=51.0, lon=10.0, skills=frozenset({"law"}), availability=(EVENING,))
    base.update(max_hours=4, max_travel_km=10.0)
    return Volunteer(pid, **{**base, **kw})


TARGET = Slot(
    "S0", "V0", "legal-aid", hours(18), hours(20), needed=1, required_skills=frozenset({"law"})
)
OTHER_OVERLAPPING = Slot("S1", "V0", "legal-aid", hours(19), hours(21), needed=1)
OTHER_LATER = Slot("S2", "V0", "legal-aid", hours(20), hours(22), needed=1)


def only_gap(people, slots=(TARGET,), **pins):
    problem = StaffingProblem(
        volunteers=tuple(people), venues=(Venue("V0", 51.0, 10.0),), slots=tuple(slots)
    )
    result = solve_staffing(problem, time_limit=10, **pins)
    gaps = {g.slot: g for g in result.empty_seats}
    return gaps["S0"]


def test_nobody_holds_the_skill():
    gap = only_gap([person("P0", skills=frozenset())])
    assert (gap.reason, gap.empty, gap.counts["lacks_skills"]) == ("no_skill", 1, 1)


def test_skilled_people_exist_but_none_is_available():
    gap = only_gap([person("P0", availability=()), person("P1", skills=frozenset())])
    assert gap.reason == "no_one_available"
    assert (gap.counts["unavailable"], gap.counts["lacks_skills"]) == (1, 1)


def test_the_only_fit_lives_too_far():
    gap = only_gap([person("P0", lat=51.5, max_travel_km=5.0)])
    assert (gap.reason, gap.counts["out_of_range"]) == ("out_of_travel_range", 1)


def test_the_slot_is_longer_than_anybodys_weekly_hours():
    gap = only_gap([person("P0", max_hours=1)])
    assert (gap.reason, gap.counts["max_hours_too_low"]) == ("all_at_weekly_hours", 1)


def test_the_fits_have_used_up_their_weekly_hours():
    gap = only_gap(
        [person("P0", max_hours=2), person("P1", max_hours=2)],
        slots=(TARGET, OTHER_LATER, Slot("S3", "V0", "x", hours(17), hours(18), needed=1)),
        fixed=[("S2", "P0"), ("S2", "P1")],
    )
    assert (gap.reason, gap.counts["at_weekly_hours"]) == ("all_at_weekly_hours", 2)


def test_the_fits_are_booked_at_the_same_time():
    gap = only_gap(
        [person("P0"), person("P1")],
        slots=(TARGET, OTHER_OVERLAPPING),
        fixed=[("S1", "P0")],
        locked=[("S1", "P1")],
    )
    assert (gap.reason, gap.counts["booked_elsewhere"]) == ("all_booked_elsewhere", 2)


def test_fits_split_between_other_slots_and_their_hours():
    gap = only_gap(
        [person("P0"), person("P1", max_hours=2)],
        slots=(TARGET, OTHER_OVERLAPPING, OTHER_LATER),
        fixed=[("S1", "P0"), ("S2", "P1")],
    )
    assert gap.reason == "lost_to_other_slots"
    assert (gap.counts["booked_elsewhere"], gap.counts["at_weekly_hours"]) == (1, 1)


def test_the_only_fit_was_excluded_by_a_coordinator():
    gap = only_gap([person("P0")], excluded=[("S0", "P0")])
    assert (gap.reason, gap.counts["excluded"]) == ("excluded", 1)


def test_a_full_slot_reports_nothing():
    problem = StaffingProblem(
        volunteers=(person("P0"),), venues=(Venue("V0", 51.0, 10.0),), slots=(TARGET,)
    )
    assert solve_staffing(problem, time_limit=10).empty_seats == ()


MEDIATOR = dict(
    lat=51.0,
    lon=10.0,
    compound="K0",
    caseload_cap=1,
    can_lead=True,
    specialties=frozenset({"family"}),
    languages=frozenset({"de"}),
)
DISPUTE = dict(kind="family", language="de", lat=51.0, lon=10.0)


@pytest.mark.parametrize(
    ("mediator", "dispute", "reason"),
    [
        ({"languages": frozenset({"tr"})}, {}, "no_language"),
        ({}, {"party_compounds": frozenset({"K0"})}, "conflict_of_interest"),
        ({"lat": 51.5, "max_travel_km": 5.0}, {}, "out_of_travel_range"),
        ({"can_lead": False}, {}, "no_qualified_lead"),
        ({"current_caseload": 1}, {}, "all_at_caseload"),
        ({}, {"requires_pair": True}, "needs_two_people"),
    ],
)
def test_why_a_dispute_has_no_team(mediator, dispute, reason):
    problem = MediationProblem(
        mediators=(Mediator("M0", **{**MEDIATOR, **mediator}),),
        disputes=(Dispute("D0", **{**DISPUTE, **dispute}),),
    )
    (unstaffed,) = solve_mediation(problem, time_limit=10).unstaffed
    assert unstaffed.reason == reason


def test_a_dispute_loses_its_only_mediator_to_a_more_urgent_one():
    problem = MediationProblem(
        mediators=(Mediator("M0", **MEDIATOR),),
        disputes=(Dispute("D0", **DISPUTE, urgency=1), Dispute("D1", **DISPUTE, urgency=3)),
    )
    result = solve_mediation(problem, time_limit=10)
    assert [a.dispute for a in result.assignments] == ["D1"]
    (unstaffed,) = result.unstaffed
    assert (unstaffed.dispute, unstaffed.reason) == ("D0", "lost_to_other_disputes")
    assert unstaffed.counts["lead"]["busy"] == 1
