"""Re-seating a component around the search's answer: it may only ever add seats, and every
rule still holds; the search's own answer stays whenever the improvement cannot be used."""

from __future__ import annotations

import threading
import time

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.engine import solve_staffing, validate_staffing
from matching.engine.staffing import bound_process, solve
from matching.engine.staffing.compile import compile_staffing
from matching.engine.staffing.construct import greedy_fill, scarcity_order
from matching.engine.staffing.lpmodel import addable_pairs, pinned_programme
from matching.engine.staffing.reseat import (
    feasible,
    improve,
    improve_around,
    improve_component,
    repair,
    swap_in,
)
from matching.engine.staffing.roster import Roster
from matching.engine.staffing.search import SearchReport

from .test_engine_bound import short_handed
from .test_engine_staffing import brute_force_seats, problems


def ids(problem, roster):
    return [(problem.slots[s].id, problem.volunteers[v].id) for s, v in roster.pairs()]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=problems(), data=st.data())
def test_a_swap_never_loses_a_seat_nor_breaks_a_rule(problem, data):
    cs = compile_staffing(problem)
    pinned = (
        []
        if cs.n_pairs == 0 or data.draw(st.booleans())
        else [(int(cs.pair_slot[0]), int(cs.pair_vol[0]))]
    )
    roster = Roster(cs, pinned=pinned)
    greedy_fill(roster, scarcity_order(roster))
    before = roster.pairs()
    # Any pairs at all, the problem's own or not, feasible together or not.
    chosen = data.draw(
        st.lists(
            st.tuples(st.integers(0, cs.n_volunteers - 1), st.integers(0, cs.n_slots - 1)),
            max_size=8,
        )
    )
    gained = swap_in(roster, list(range(cs.n_slots)), chosen)
    after = roster.pairs()
    assert gained >= 0
    assert len(after) == len(before) + gained
    assert validate_staffing(problem, ids(problem, roster)) == []
    assert all((s, v) in after for s, v in pinned)
    if gained == 0:
        assert after == before


def test_a_swap_takes_an_answer_with_more_seats():
    problem = short_handed()
    cs = compile_staffing(problem)
    roster = Roster(cs)
    s0, v0 = int(cs.pair_slot[0]), int(cs.pair_vol[0])
    roster.add(v0, s0)
    programme = pinned_programme(cs, Roster(cs), np.flatnonzero(addable_pairs(cs, Roster(cs))))
    best = improve(
        programme,
        cs.pair_cost[programme.pairs],
        np.zeros(programme.pairs.size, dtype=bool),
        time_limit=10,
    )
    assert best is not None and feasible(programme, best)
    chosen = programme.pairs[best]
    pairs = list(zip(cs.pair_vol[chosen].tolist(), cs.pair_slot[chosen].tolist(), strict=True))
    assert swap_in(roster, list(range(cs.n_slots)), pairs) == len(pairs) - 1
    assert len(roster.pairs()) == len(pairs) == brute_force_seats(problem) == 5
    assert validate_staffing(problem, ids(problem, roster)) == []


def any_start(problem, data):
    """The problem's compiled form, its programme and any start, repaired into a feasible one
    (as the bound process does with what it reads)."""
    cs = compile_staffing(problem)
    roster = Roster(cs)
    programme = pinned_programme(cs, roster, np.flatnonzero(addable_pairs(cs, roster)))
    n = programme.pairs.size
    start = repair(
        programme,
        np.asarray(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool),
    )
    assert feasible(programme, start)
    return cs, programme, start


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=problems(max_volunteers=4, max_slots=4), data=st.data())
def test_an_improvement_is_feasible_and_never_beyond_the_optimum(problem, data):
    cs, programme, start = any_start(problem, data)
    best = improve(programme, cs.pair_cost[programme.pairs], start, time_limit=10)
    if best is not None:
        assert feasible(programme, best)
        assert start.sum() < best.sum() <= brute_force_seats(problem)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=problems(max_volunteers=4, max_slots=4), data=st.data())
def test_an_improvement_around_any_lp_values_is_feasible_and_never_beyond_the_optimum(
    problem, data
):
    cs, programme, start = any_start(problem, data)
    n = programme.pairs.size
    # PDLP stopped early may give any values in [0, 1]: the answer must not rely on them.
    x_lp = np.asarray(
        data.draw(st.lists(st.floats(0.0, 1.0), min_size=n, max_size=n)), dtype=np.float32
    )
    best, cut = improve_around(programme, cs.pair_cost[programme.pairs], start, x_lp, time_limit=10)
    assert not cut
    if best is not None:
        assert feasible(programme, best)
        assert start.sum() < best.sum() <= brute_force_seats(problem)


def test_an_improvement_around_the_lp_values_finds_the_seats_they_point_to():
    problem = short_handed()
    cs = compile_staffing(problem)
    roster = Roster(cs)
    programme = pinned_programme(cs, roster, np.flatnonzero(addable_pairs(cs, roster)))
    empty = np.zeros(programme.pairs.size, dtype=bool)
    exact = improve(programme, cs.pair_cost[programme.pairs], empty, time_limit=10)
    assert exact is not None
    # Values near the optimum's, as PDLP gives them when stopped early.
    x_lp = np.where(exact, 0.85, 0.05).astype(np.float32)
    best, cut = improve_around(programme, cs.pair_cost[programme.pairs], empty, x_lp, time_limit=10)
    assert not cut
    assert best is not None and int(best.sum()) == brute_force_seats(problem) == 5


def test_an_improvement_stops_when_asked():
    problem = short_handed()
    cs = compile_staffing(problem)
    roster = Roster(cs)
    programme = pinned_programme(cs, roster, np.flatnonzero(addable_pairs(cs, roster)))
    empty = np.zeros(programme.pairs.size, dtype=bool)
    stop = threading.Event()
    assert (
        improve(programme, cs.pair_cost[programme.pairs], empty, time_limit=10, stop=stop)
        is not None
    )
    stop.set()
    assert (
        improve(programme, cs.pair_cost[programme.pairs], empty, time_limit=10, stop=stop) is None
    )


def test_a_component_improved_in_place_gains_the_seats_its_lp_points_to():
    problem = short_handed()
    cs = compile_staffing(problem)
    roster = Roster(cs)
    pairs = np.flatnonzero(addable_pairs(cs, roster))
    gained, cut = improve_component(cs, roster, pairs, iterations=1000, time_limit=10)
    assert (gained, cut) == (5, False)
    assert len(roster.pairs()) == brute_force_seats(problem) == 5
    assert validate_staffing(problem, ids(problem, roster)) == []


def cut_search_waiting_for(captured, cut):
    """A search that adds nothing, waits for the bound process's improvement, and reports
    itself ``cut`` or not."""

    def run_search(cs, roster, components, *, deadline, workers=2, handed_over=frozenset()):
        for _ in range(600):
            if captured[0].better:
                break
            time.sleep(0.05)
        return SearchReport(cut=cut)

    return run_search


def solve_with_process(monkeypatch, cut):
    monkeypatch.setattr(bound_process, "PROCESS_MIN_PAIRS", 0)
    monkeypatch.setattr(solve, "SEATS_FIRST_MAX_PAIRS", 0)  # the search alone fills
    captured = []
    start = bound_process.start_bound_worker

    def capturing(*args, **kwargs):
        captured.append(start(*args, **kwargs))
        return captured[0]

    monkeypatch.setattr(solve, "start_bound_worker", capturing)
    monkeypatch.setattr(solve, "run_search", cut_search_waiting_for(captured, cut))
    return solve_staffing(short_handed(), time_limit=60, exact_max_pairs=0)


def test_a_cut_search_takes_the_bound_process_answer_with_more_seats(monkeypatch):
    problem = short_handed()
    result = solve_with_process(monkeypatch, cut=True)
    assert result.stats["reseated"] == {"components": 1, "seats": 5, "here": 0}
    assert result.score.filled == brute_force_seats(problem) == 5
    assert validate_staffing(problem, [(a.slot, a.volunteer) for a in result.assignments]) == []


def test_a_search_that_finished_takes_only_what_was_found_on_its_final_answer(monkeypatch):
    # Same input and seed, same assignments: an uncut search's answer never depends on what
    # the bound process found meanwhile, only on what it found from the final answer.
    runs = []
    for _ in range(2):
        result = solve_with_process(monkeypatch, cut=False)
        runs.append(result.assignments)
        assert result.stats["reseated"] == {"components": 1, "seats": 5, "here": 0}
        assert result.stats["time_limit_hit"] is False
        assert result.score.filled == 5
    assert runs[0] == runs[1]


def test_the_search_answer_reaches_the_bound_process_as_its_own_pairs():
    problem = short_handed()
    cs = compile_staffing(problem)
    roster = Roster(cs)
    greedy_fill(roster, scarcity_order(roster))
    assert roster.pairs()
    components = solve._components(cs, addable_pairs(cs, Roster(cs)))
    order = list(range(len(components)))
    process = bound_process.BoundProcess(cs, roster, components, order, 0.0, 0.0)
    try:
        sent = []
        for i, pairs in enumerate(components):
            word, index, *positions = process._start_line(i).split()
            assert (word, index) == ("start", str(i))
            chosen = pairs[np.asarray(positions, dtype=np.int64)]
            sent += zip(cs.pair_slot[chosen].tolist(), cs.pair_vol[chosen].tolist(), strict=True)
    finally:
        process._data.close()
    assert sorted(sent) == roster.pairs()


def test_a_component_handed_over_is_improved_by_the_search_process_itself(monkeypatch):
    monkeypatch.setattr(bound_process, "PROCESS_MIN_PAIRS", 0)
    monkeypatch.setattr(bound_process, "RESEAT_MAX_PAIRS", 0)  # every component handed over
    monkeypatch.setattr(solve, "SEATS_FIRST_MAX_PAIRS", 0)
    handed = []

    def adds_nothing(cs, roster, components, *, deadline, workers=2, handed_over=frozenset()):
        handed.append(handed_over)
        return SearchReport(cut=False)

    monkeypatch.setattr(solve, "run_search", adds_nothing)
    problem = short_handed()
    result = solve_staffing(problem, time_limit=60, exact_max_pairs=0)
    assert handed == [frozenset({0})]
    assert result.stats["reseated"] == {"components": 0, "seats": 0, "here": 5}
    assert result.stats["time_limit_hit"] is False
    assert result.score.filled == brute_force_seats(problem) == 5
    assert validate_staffing(problem, [(a.slot, a.volunteer) for a in result.assignments]) == []
