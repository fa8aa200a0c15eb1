"""Every bound the staffing engine reports is a true upper bound: never below the optimum.

The Lagrangian bound holds for *any* slot prices, so it is checked here with random prices and
random splits against the brute-force optimum of tiny problems, and its two dynamic programmes
against a direct enumeration of each person's possible weeks.
"""

from __future__ import annotations

import itertools
import threading
import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.engine import solve_staffing
from matching.engine.model import Slot, StaffingProblem, TimeWindow, Venue, Volunteer
from matching.engine.staffing import bound, bound_process
from matching.engine.staffing.compile import compile_staffing
from matching.engine.staffing.dual import ComponentDual, best_values, most_slots
from matching.engine.staffing.lpmodel import addable_pairs
from matching.engine.staffing.roster import Roster
from matching.engine.staffing.solve import _components

from .test_engine_staffing import at, brute_force_seats, people_in_a_row, problems


def weeks(starts, ends, room):
    """Every set of pairwise disjoint slots fitting ``room`` seconds, by brute force."""
    n = len(starts)
    for size in range(n + 1):
        for chosen in itertools.combinations(range(n), size):
            if sum(ends[i] - starts[i] for i in chosen) > room:
                continue
            spans = sorted((starts[i], ends[i]) for i in chosen)
            if all(b[0] >= a[1] for a, b in itertools.pairwise(spans)):
                yield chosen


@st.composite
def candidate_sets(draw):
    n_people = draw(st.integers(1, 4))
    vol, start, end, value = [], [], [], []
    for v in range(n_people):
        for _ in range(draw(st.integers(0, 6))):
            a = draw(st.integers(0, 20))
            vol.append(v)
            start.append(a * 1800)
            end.append((a + draw(st.integers(1, 6))) * 1800)
            value.append(draw(st.sampled_from([0.0, 0.25, 0.5, 1.0, -0.5])))
    rooms = [draw(st.integers(0, 12)) * 1800 for _ in range(n_people)]
    return n_people, vol, start, end, value, rooms


@settings(max_examples=150, deadline=None)
@given(data=candidate_sets())
def test_the_week_programmes_match_enumeration(data):
    n_people, vol, start, end, value, rooms = data
    arr = {k: np.asarray(x, dtype=np.int64) for k, x in (("v", vol), ("s", start), ("e", end))}
    counts = most_slots(arr["v"], arr["s"], arr["e"], np.asarray(rooms), n_people)
    values = np.asarray(value, dtype=np.float64)
    units = (arr["e"] - arr["s"]) // 1800
    chosen = np.zeros(len(vol), dtype=bool)
    best = best_values(
        arr["v"],
        arr["s"],
        arr["e"],
        values,
        units,
        np.asarray(rooms) // 1800,
        n_people,
        chosen=chosen,
    )
    for v in range(n_people):
        mine = [i for i in range(len(vol)) if vol[i] == v]
        options = list(weeks([start[i] for i in mine], [end[i] for i in mine], rooms[v]))
        assert counts[v] == max(len(w) for w in options)
        assert best[v] == max(sum(max(0.0, value[mine[i]]) for i in w) for w in options)
        picked = [i for i in mine if chosen[i]]
        assert sum(value[i] for i in picked) == best[v]
        assert any(sorted(mine[i] for i in w) == picked for w in options)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=problems(max_volunteers=4, max_slots=4), data=st.data())
def test_any_prices_and_any_split_bound_the_optimum(problem, data):
    best = brute_force_seats(problem)
    cs = compile_staffing(problem)
    pairs = np.arange(cs.n_pairs, dtype=np.int64)
    dual = ComponentDual(cs, pairs, cs.slot_needed, cs.vol_cap)
    n = dual.slots.size
    price = np.asarray(data.draw(st.lists(st.floats(0, 1), min_size=n, max_size=n)))
    split = np.asarray(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
    assert dual.value(price) >= best - 1e-9
    assert dual.split_bound(split) >= best
    assert dual.refine(price, deadline=float("inf"), steps=5) >= best - 1e-9


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=problems(max_volunteers=4, max_slots=4))
def test_the_reported_bound_holds_when_every_component_is_searched(problem):
    # exact_max_pairs=0 sends every component through the search and the priced bounds.
    result = solve_staffing(problem, time_limit=20, exact_max_pairs=0)
    assert result.bound.value >= brute_force_seats(problem) >= result.score.filled


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=problems(max_volunteers=4, max_slots=4))
def test_the_bound_holds_when_the_time_limit_is_already_over(problem):
    # With no time at all, every component must still get a bound (the flow relaxation).
    result = solve_staffing(problem, time_limit=0, exact_max_pairs=0)
    assert result.bound.value >= brute_force_seats(problem) >= result.score.filled


def test_a_component_whose_seats_are_all_filled_is_proven_by_their_count():
    # Three people for two one-seat slots at different times: the search fills both, and the
    # open seats themselves prove it, with nothing cut short.
    venue = Venue("V0", 51.0, 10.0)
    slots = tuple(
        Slot(f"S{j}", "V0", "class", at(20 + 4 * j), at(22 + 4 * j), needed=1) for j in range(2)
    )
    problem = StaffingProblem(volunteers=people_in_a_row((4, 4, 4)), venues=(venue,), slots=slots)
    result = solve_staffing(problem, time_limit=20, exact_max_pairs=0)
    assert result.score.filled == 2
    assert (result.bound.value, dict(result.bound.by_kind)) == (2, {"seats": 2})
    assert result.bound.complete


def short_handed() -> StaffingProblem:
    """Three people for three two-seat classes, two of them at the same time: one seat stays
    empty, so the flow, the LP and the priced bounds all run."""
    venue = Venue("V0", 51.0, 10.0)
    times = (20, 20, 24)
    slots = tuple(
        Slot(f"S{j}", "V0", "class", at(t), at(t + 2), needed=2) for j, t in enumerate(times)
    )
    return StaffingProblem(volunteers=people_in_a_row((1, 4, 4)), venues=(venue,), slots=slots)


def test_the_bound_process_proves_what_the_thread_proves(monkeypatch):
    problem = short_handed()
    thread = solve_staffing(problem, time_limit=20, exact_max_pairs=0)
    monkeypatch.setattr(bound_process, "PROCESS_MIN_PAIRS", 0)
    process = solve_staffing(problem, time_limit=20, exact_max_pairs=0)
    assert process.assignments == thread.assignments
    assert process.score.filled == brute_force_seats(problem) == 5
    assert (process.bound.value, process.bound.by_kind) == (5, thread.bound.by_kind)
    assert process.bound.complete and thread.bound.complete


def test_the_bound_is_computed_in_a_thread_when_no_process_can_start(monkeypatch):
    monkeypatch.setattr(bound_process, "PROCESS_MIN_PAIRS", 0)
    monkeypatch.setattr(bound_process.sys, "executable", "/nonexistent/python")
    result = solve_staffing(short_handed(), time_limit=20, exact_max_pairs=0)
    assert (result.score.filled, result.bound.value, result.bound.complete) == (5, 5, True)


def test_a_bound_process_that_dies_without_a_word_fails_the_solve(monkeypatch, tmp_path):
    # A child that cannot even start its work (here: it reads its header and exits) must not
    # leave open seats to pass for the bound of a process that ran.
    dies = tmp_path / "python"
    dies.write_text("#!/bin/sh\nread header\nexit 3\n")
    dies.chmod(0o755)
    monkeypatch.setattr(bound_process, "PROCESS_MIN_PAIRS", 0)
    monkeypatch.setattr(bound_process.sys, "executable", str(dies))
    with pytest.raises(RuntimeError, match="ended with code 3"):
        solve_staffing(short_handed(), time_limit=20, exact_max_pairs=0)


def test_a_small_component_is_priced_before_a_larger_ones_flow(monkeypatch):
    # Two components, the second one's flow running until the deadline has passed: the first
    # still gets its LP's prices (it is cheap and came first), the second keeps its flow.
    venue = Venue("V0", 51.0, 10.0)
    slots, people = [], []
    for day, size in ((0, 2), (1, 3)):
        base = 48 * day
        slots += [
            Slot(f"S{day}{j}", "V0", "class", at(base + 20 + 6 * j), at(base + 24 + 6 * j), 2)
            for j in range(2)
        ]
        people += [
            Volunteer(
                id=f"P{day}{i}",
                lat=51.0,
                lon=10.0 + 0.001 * i,
                availability=(TimeWindow(at(base + 16), at(base + 40)),),
                max_hours=2,
            )
            for i in range(size)
        ]
    problem = StaffingProblem(volunteers=tuple(people), venues=(venue,), slots=tuple(slots))
    cs = compile_staffing(problem)
    first, second = _components(cs, addable_pairs(cs, Roster(cs, pinned=[])))
    assert first.size < second.size
    monkeypatch.setattr(bound, "EARLY_LP_MAX_PAIRS", int(first.size))
    priced, offers = [], []
    flow, lp = bound.flow_bound, bound.lp_prices

    def slow_flow(cs, pairs, *args, **kwargs):
        if pairs.size == second.size:
            run.deadline = time.monotonic() - 1.0  # the deadline passes meanwhile
        return flow(cs, pairs, *args, **kwargs)

    def recorded_lp(programme, **kwargs):
        priced.append(programme.pairs.size)
        return lp(programme, **kwargs)

    monkeypatch.setattr(bound, "flow_bound", slow_flow)
    monkeypatch.setattr(bound, "lp_prices", recorded_lp)
    seats = cs.slot_needed.astype(np.int64)
    run = bound.BoundRun(
        cs,
        [first, second],
        [0, 1],
        time.monotonic() + 60.0,
        seats,
        cs.vol_cap.astype(np.int64),
        filled=lambda c: False,
        search_done=threading.Event(),
        sink=lambda c, value, kind: offers.append((c, value, kind)),
    )
    run.run()
    assert priced == [first.size]
    assert (1, 3, "flow") in offers  # three people, one two-hour class each
    assert min(v for c, v, _ in offers if c == 0) == 2
    assert run.cut and run.unflowed == []
