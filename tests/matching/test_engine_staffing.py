"""The staffing engine on random small problems: hard constraints, pins, optimality, determinism.

No database: the engine is plain Python. Each property is checked twice, by the engine's own
validator and by the few lines of first-principles checking below.
"""

from __future__ import annotations

import itertools
import math
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.engine import solve_staffing, validate_staffing
from matching.engine.model import Slot, StaffingProblem, TimeWindow, Venue, Volunteer

MONDAY = datetime(2025, 3, 3)
SKILLS = ("lecture", "english", "childcare")
LANGS = ("de", "en", "ar")


def at(half_hours: int) -> datetime:
    return MONDAY + timedelta(minutes=30 * half_hours)


def people_in_a_row(hours: tuple[int, ...], *, step: float = 0.001) -> tuple[Volunteer, ...]:
    """P0, P1, … with these weekly hours, each ``step`` degrees further east of (51.0, 10.0),
    all free from 08:00 to 20:00 on Monday."""
    return tuple(
        Volunteer(
            id=f"P{i}",
            lat=51.0,
            lon=10.0 + step * i,
            availability=(TimeWindow(at(16), at(40)),),
            max_hours=max_hours,
        )
        for i, max_hours in enumerate(hours)
    )


@st.composite
def problems(draw, max_volunteers: int = 6, max_slots: int = 5) -> StaffingProblem:
    """Small problems on one day and a half-hour grid, near one point, every rule in play."""
    venues = tuple(
        Venue(f"V{i}", 51.0 + draw(st.floats(-0.03, 0.03)), 10.0 + draw(st.floats(-0.05, 0.05)))
        for i in range(draw(st.integers(1, 2)))
    )
    slots = []
    for j in range(draw(st.integers(1, max_slots))):
        start = draw(st.integers(16, 40))
        slots.append(
            Slot(
                id=f"S{j}",
                venue=draw(st.sampled_from([v.id for v in venues])),
                activity=draw(st.sampled_from(["class", "market"])),
                start=at(start),
                end=at(start + draw(st.integers(1, 8))),
                needed=draw(st.integers(1, 3)),
                required_skills=frozenset(draw(st.sets(st.sampled_from(SKILLS), max_size=2))),
                preferred_language=draw(st.sampled_from([None, *LANGS])),
            )
        )
    volunteers = []
    for i in range(draw(st.integers(1, max_volunteers))):
        windows = []
        cursor = draw(st.integers(14, 30))
        for _ in range(draw(st.integers(0, 2))):
            length = draw(st.integers(2, 16))
            windows.append(TimeWindow(at(cursor), at(cursor + length)))
            cursor += length + draw(st.integers(0, 4))
        volunteers.append(
            Volunteer(
                id=f"P{i}",
                lat=51.0 + draw(st.floats(-0.03, 0.03)),
                lon=10.0 + draw(st.floats(-0.05, 0.05)),
                skills=frozenset(draw(st.sets(st.sampled_from(SKILLS)))),
                languages=frozenset(draw(st.sets(st.sampled_from(LANGS), min_size=1))),
                availability=tuple(windows),
                max_hours=draw(st.sampled_from([1, 1.5, 2, 3, 4, 6])),
                max_travel_km=draw(st.sampled_from([None, 1.0, 3.0, 20.0])),
                activity_preferences=draw(
                    st.dictionaries(st.sampled_from(["class", "market"]), st.floats(0, 1))
                ),
            )
        )
    return StaffingProblem(volunteers=tuple(volunteers), venues=venues, slots=tuple(slots))


def km(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    p1, p2 = math.radians(a_lat), math.radians(b_lat)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b_lon - a_lon) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, h)))


def possible(problem: StaffingProblem, slot: Slot, vol: Volunteer) -> bool:
    """Every rule about one pair, straight from PROBLEM.md."""
    venue = next(v for v in problem.venues if v.id == slot.venue)
    hours = (slot.end - slot.start).total_seconds() / 3600
    return (
        slot.required_skills <= vol.skills
        and any(w.start <= slot.start and slot.end <= w.end for w in vol.availability)
        and (
            vol.max_travel_km is None
            or km(vol.lat, vol.lon, venue.lat, venue.lon) <= vol.max_travel_km
        )
        and hours <= vol.max_hours
    )


def feasible(problem: StaffingProblem, pairs: list[tuple[str, str]]) -> bool:
    slots = {s.id: s for s in problem.slots}
    vols = {v.id: v for v in problem.volunteers}
    if len(set(pairs)) != len(pairs):
        return False
    if not all(possible(problem, slots[s], vols[v]) for s, v in pairs):
        return False
    for s in slots.values():
        if sum(1 for x, _ in pairs if x == s.id) > s.needed:
            return False
    for v in vols.values():
        mine = sorted((slots[s].start, slots[s].end) for s, x in pairs if x == v.id)
        if any(b_start < a_end for (_, a_end), (b_start, _) in itertools.pairwise(mine)):
            return False
        if sum((e - s).total_seconds() for s, e in mine) / 3600 > v.max_hours + 1e-9:
            return False
    return True


def brute_force_seats(problem: StaffingProblem) -> int:
    pairs = [
        (s.id, v.id) for s in problem.slots for v in problem.volunteers if possible(problem, s, v)
    ]
    for size in range(len(pairs), 0, -1):
        if any(feasible(problem, list(c)) for c in itertools.combinations(pairs, size)):
            return size
    return 0


def solved_pairs(result) -> list[tuple[str, str]]:
    return [(a.slot, a.volunteer) for a in result.assignments]


# Small components are solved exactly; exact_max_pairs=0 sends them through the heuristics.
MODES = st.sampled_from([{}, {"exact_max_pairs": 0}])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=problems(), mode=MODES)
def test_no_hard_constraint_is_ever_broken(problem, mode):
    result = solve_staffing(problem, time_limit=20, **mode)
    pairs = solved_pairs(result)
    assert validate_staffing(problem, pairs) == []
    assert feasible(problem, pairs)
    assert result.score.filled == len(pairs) <= result.bound.value
    # Nobody who could still take an open seat is left out (that would be "not_reached").
    assert all(gap.counts["free"] == 0 for gap in result.empty_seats)
    assert sum(gap.empty for gap in result.empty_seats) == result.score.seats - len(pairs)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=problems(), mode=MODES, data=st.data())
def test_fixed_pairs_stay_and_excluded_pairs_never_appear(problem, mode, data):
    candidates = [
        (s.id, v.id) for s in problem.slots for v in problem.volunteers if possible(problem, s, v)
    ]
    chosen = data.draw(
        st.lists(st.sampled_from(candidates), unique=True) if candidates else st.just([])
    )
    fixed = [p for p in chosen if feasible(problem, [p])][:2]
    if not feasible(problem, fixed):
        fixed = fixed[:1]
    locked = [p for p in chosen[2:3] if feasible(problem, [*fixed, p])]
    excluded = [p for p in candidates if p not in fixed and p not in locked][::2]

    result = solve_staffing(
        problem, time_limit=20, fixed=fixed, locked=locked, excluded=excluded, **mode
    )
    pairs = solved_pairs(result)
    assert set(fixed) | set(locked) <= set(pairs)
    assert not set(excluded) & set(pairs)
    assert validate_staffing(problem, pairs) == []
    assert feasible(problem, pairs)
    sources = {(a.slot, a.volunteer): a.source for a in result.assignments}
    assert all(sources[p] == "fixed" for p in fixed)
    assert all(sources[p] == "locked" for p in locked)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=problems(max_volunteers=3, max_slots=3), mode=MODES)
def test_tiny_problems_reach_the_brute_force_optimum(problem, mode):
    result = solve_staffing(problem, time_limit=20, **mode)
    best = brute_force_seats(problem)
    assert result.score.filled == best
    assert result.bound.value >= best


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=problems(), seed=st.integers(0, 3), mode=MODES)
def test_same_input_and_seed_give_the_same_assignments(problem, seed, mode):
    first = solve_staffing(problem, time_limit=20, seed=seed, **mode)
    second = solve_staffing(problem, time_limit=20, seed=seed, **mode)
    assert first.assignments == second.assignments
    assert first.empty_seats == second.empty_seats


def test_a_fixed_pair_that_breaks_a_rule_is_kept_and_reported():
    problem = StaffingProblem(
        volunteers=(Volunteer("P0", 51.0, 10.0, availability=(), max_hours=1),),
        venues=(Venue("V0", 51.0, 10.0),),
        slots=(Slot("S0", "V0", "class", at(30), at(34), needed=1),),
    )
    result = solve_staffing(problem, time_limit=5, fixed=[("S0", "P0")])
    assert solved_pairs(result) == [("S0", "P0")]
    assert {v.code for v in result.fixed_violations} == {"availability", "hours"}


def test_a_pair_both_excluded_and_fixed_is_refused():
    problem = StaffingProblem(
        volunteers=(Volunteer("P0", 51.0, 10.0, max_hours=4),),
        venues=(Venue("V0", 51.0, 10.0),),
        slots=(Slot("S0", "V0", "class", at(30), at(32), needed=1),),
    )
    with pytest.raises(ValueError, match="both excluded and kept"):
        solve_staffing(problem, fixed=[("S0", "P0")], excluded=[("S0", "P0")])


def test_an_empty_problem_solves_to_nothing():
    result = solve_staffing(StaffingProblem(volunteers=(), venues=(), slots=()), time_limit=5)
    assert result.assignments == ()
    assert result.bound.value == 0
