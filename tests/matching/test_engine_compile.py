"""The engine's possible pairs: exactly those PROBLEM.md allows, each slot's cheapest first.

No database. The pairs are compiled slot by slot with shared availability masks; these tests
hold them to the first-principles rule of one pair (``possible``) and to PROBLEM.md's cost.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.engine.model import Slot, StaffingProblem, TimeWindow, Venue, Volunteer
from matching.engine.staffing import compile as compile_module
from matching.engine.staffing.compile import compile_staffing

from .test_engine_staffing import MONDAY, km, possible, problems


def expected_cost(problem: StaffingProblem, slot: Slot, vol: Volunteer) -> float:
    venue = next(v for v in problem.venues if v.id == slot.venue)
    cost = km(vol.lat, vol.lon, venue.lat, venue.lon) + 4.0 * (
        1 - vol.preference(venue.id, slot.activity)
    )
    if slot.preferred_language and slot.preferred_language not in vol.languages:
        cost += 3.0
    return cost


def compiled_pairs(problem: StaffingProblem, **kwargs) -> list[tuple[str, str, float]]:
    cs = compile_staffing(problem, **kwargs)
    out = []
    for j, slot in enumerate(problem.slots):
        lo, hi = int(cs.slot_ptr[j]), int(cs.slot_ptr[j + 1])
        costs = cs.pair_cost[lo:hi].tolist()
        assert costs == sorted(costs), "a slot's candidates come cheapest first"
        assert (cs.pair_slot[lo:hi] == j).all()
        out += [
            (slot.id, problem.volunteers[v].id, c)
            for v, c in zip(cs.pair_vol[lo:hi].tolist(), costs, strict=True)
        ]
    return out


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=problems(), data=st.data())
def test_the_pairs_are_exactly_the_possible_ones_at_their_cost(problem, data):
    everything = [(s.id, v.id) for s in problem.slots for v in problem.volunteers]
    excluded = data.draw(st.lists(st.sampled_from(everything), max_size=3))
    pairs = compiled_pairs(problem, excluded=excluded)
    wanted = {
        (s.id, v.id)
        for s in problem.slots
        for v in problem.volunteers
        if possible(problem, s, v) and (s.id, v.id) not in excluded
    }
    assert {(s, v) for s, v, _ in pairs} == wanted
    assert len(pairs) == len(wanted)
    slots = {s.id: s for s in problem.slots}
    people = {v.id: v for v in problem.volunteers}
    for s, v, cost in pairs:
        assert abs(cost - expected_cost(problem, slots[s], people[v])) < 1e-6


def _many_at_one_time() -> StaffingProblem:
    """Forty people and slots at two venues sharing three time spans: the masks are shared."""
    venues = (Venue("V0", 51.0, 10.0), Venue("V1", 51.02, 10.03))
    evening = (MONDAY + timedelta(hours=18), MONDAY + timedelta(hours=20))
    morning = (MONDAY + timedelta(hours=9), MONDAY + timedelta(hours=12))
    late = (MONDAY + timedelta(hours=19), MONDAY + timedelta(hours=21))
    spans = (evening, morning, late)
    slots = tuple(Slot(f"S{j}", f"V{j % 2}", "class", *spans[j % 3], needed=2) for j in range(40))
    volunteers = tuple(
        Volunteer(
            f"P{i}",
            51.0 + 0.001 * (i % 7),
            10.0 + 0.002 * (i % 5),
            availability=(
                (TimeWindow(MONDAY + timedelta(hours=17), MONDAY + timedelta(hours=21)),)
                if i % 3
                else (TimeWindow(MONDAY + timedelta(hours=8), MONDAY + timedelta(hours=13)),)
            ),
            max_hours=2 + i % 3,
            max_travel_km=None if i % 4 == 0 else 2.5,
        )
        for i in range(40)
    )
    return StaffingProblem(volunteers=volunteers, venues=venues, slots=slots)


def test_shared_availability_gives_the_same_pairs_as_checking_each_slot(monkeypatch):
    problem = _many_at_one_time()
    assert compile_staffing(problem).people.shared  # the spans were shared here
    shared = compiled_pairs(problem, seed=5)
    wanted = {
        (s.id, v.id) for s in problem.slots for v in problem.volunteers if possible(problem, s, v)
    }
    assert {(s, v) for s, v, _ in shared} == wanted
    monkeypatch.setattr(compile_module, "SHARED_AVAILABILITY_BYTES", 0)
    assert compiled_pairs(problem, seed=5) == shared
