"""Staffing: the public entry point tying compile, search, bound and explanations together."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.sparse.csgraph import connected_components

from ..model import Bound, StaffingAssignment, StaffingProblem, StaffingResult
from ..validate import score_staffing, validate_staffing
from .bound import ComponentBounds, DualBoundWorker, flow_bound, pdlp_iterations
from .bound_process import RESEAT_MARGIN, BoundProcess, handed_over, start_bound_worker
from .compile import CompiledStaffing, compile_staffing
from .exact import solve_exact, solve_seats
from .lpmodel import addable_pairs, pinned_load, pinned_programme
from .reasons import explain_empty_seats
from .reseat import improve_component, swap_in
from .roster import Roster
from .search import run_search

EXACT_MAX_PAIRS = 4000
"""Components up to this many pairs are solved exactly (HiGHS needs well under a second)."""
EXACT_NODE_LIMIT = 20000
SEATS_FIRST_MAX_PAIRS = 13000
"""Larger components up to this size get their seats from a seats-only MIP before the search
(which then lowers the cost without losing a seat): medium seed 5's component of 4,261 pairs
closes at the root in 1.5 s of CPU, 568 seats where the search alone filled 563."""
SEATS_FIRST_NODES = 200
SEATS_FIRST_MAX_SEARCH_PAIRS = 200_000
"""...but only while the components left to the search hold at most this many pairs in all
(medium: 32,000-40,000): on large instances (700,000 or more) the search is cut in its fill
stage already, and a MIP first would take its seconds (large seeds 3, 4, 5, 7, 8, 10 each have
one component of 5,679-12,881 pairs)."""
RESERVE_SHARE = 0.1
"""Share of the time limit kept, after the search and the bounds, for explaining empty seats."""


def _components(cs: CompiledStaffing, addable: NDArray[np.bool_]) -> list[NDArray[np.int64]]:
    """Addable pair indices per connected component, ordered by their first pair."""
    idx = np.flatnonzero(addable)
    nv = cs.n_volunteers
    n = nv + cs.n_slots
    graph = sp.coo_matrix(
        (np.ones(idx.size), (cs.pair_vol[idx], nv + cs.pair_slot[idx])), shape=(n, n)
    )
    _, label = connected_components(graph, directed=False)
    pair_label = label[cs.pair_vol[idx]]
    order = np.argsort(pair_label, kind="stable")
    cuts = np.flatnonzero(np.diff(pair_label[order])) + 1
    groups = np.split(idx[order], cuts) if idx.size else []
    return sorted(groups, key=lambda g: int(g[0]))


def _resolve_pairs(
    cs: CompiledStaffing, pairs: Iterable[tuple[str, str]], what: str
) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for slot_id, vol_id in pairs:
        if slot_id not in cs.slot_index or vol_id not in cs.vol_index:
            raise ValueError(f"{what} pair refers to an unknown id: {slot_id}/{vol_id}")
        out.append((cs.slot_index[slot_id], cs.vol_index[vol_id]))
    return out


def _pins(
    cs: CompiledStaffing,
    fixed: Iterable[tuple[str, str]],
    locked: Iterable[tuple[str, str]],
    excluded: Iterable[tuple[str, str]],
) -> tuple[dict[tuple[int, int], str], list[tuple[int, int]]]:
    """``{(slot, volunteer): "fixed" | "locked"}`` and the excluded index pairs."""
    sources: dict[tuple[int, int], str] = {}
    for kind, pairs in (("fixed", fixed), ("locked", locked)):
        for pair in _resolve_pairs(cs, pairs, kind):
            sources.setdefault(pair, kind)
    barred = _resolve_pairs(cs, excluded, "excluded")
    clash = sorted(set(sources) & set(barred))
    if clash:
        s, v = clash[0]
        pair = f"{cs.problem.slots[s].id}/{cs.problem.volunteers[v].id}"
        raise ValueError(f"{pair} is both excluded and kept")
    return sources, barred


def _total_bound(
    bounds: ComponentBounds,
    pinned: int,
    worker: DualBoundWorker | BoundProcess,
    flow_seconds: float,
) -> Bound:
    by_kind: dict[str, int] = {}
    for c, value in bounds.value.items():
        by_kind[bounds.kind[c]] = by_kind.get(bounds.kind[c], 0) + value
    kinds = sorted(by_kind)
    if pinned:
        # Pinned pairs are filled whatever happens; components bound only the seats added.
        by_kind["pinned"] = pinned
    return Bound(
        value=sum(by_kind.values()),
        kind=kinds[0] if len(kinds) == 1 else ("mixed" if kinds else "optimal"),
        seconds=flow_seconds + worker.seconds,
        by_kind=by_kind,
        complete=not worker.cut,
    )


def solve_staffing(
    problem: StaffingProblem,
    *,
    time_limit: float = 60.0,
    seed: int = 0,
    fixed: Iterable[tuple[str, str]] = (),
    locked: Iterable[tuple[str, str]] = (),
    excluded: Iterable[tuple[str, str]] = (),
    workers: int = 2,
    exact_max_pairs: int = EXACT_MAX_PAIRS,
) -> StaffingResult:
    """Assign volunteers to slots: most seats, then least cost (PROBLEM.md section 4).

    The third level, the busiest person's load, is reported but not optimised: with
    real-valued distances two plans of equal seats practically never tie on cost.

    ``fixed`` (confirmed sign-ups, published assignments) and ``locked`` (pinned by a
    coordinator) are ``(slot_id, volunteer_id)`` pairs kept as they are, even when they break a
    rule (reported in ``fixed_violations``); they use up seats, hours and time. ``excluded``
    pairs are never proposed; a pair both excluded and fixed or locked is a ``ValueError``.

    The same input and ``seed`` give the same assignments. ``time_limit`` (seconds, wall clock)
    is a safety net: the default work finishes well inside it on the benchmark sizes, and
    ``stats["time_limit_hit"]`` says whether it cut anything; a search it cut has an answer that
    depends on the clock, and on large instances takes the components the bound process
    re-seated with more seats (:mod:`.reseat`, ``stats["reseated"]``); an uncut search takes
    those improved from its final answer (``stats["reseated"]["here"]``: seats this process
    found, on the largest component it handed over), which depend on the clock only when the
    time limit stopped that work (then ``time_limit_hit`` says so). The bounds of the large
    components are computed beside the search (:class:`.bound.BoundRun`, in a thread or, on
    large instances, a process of its own), within the time limit; ``bound.complete`` says
    whether the time stopped a tighter method. ``workers`` threads re-solve independent
    components at once (one while a bound process runs, which has a core of its own); the
    result does not depend on it. Components with at most
    ``exact_max_pairs`` candidate pairs are solved exactly, larger ones heuristically.
    """
    started = time.monotonic()
    excluded = list(excluded)
    cs = compile_staffing(problem, excluded=excluded, seed=seed)
    timings: dict[str, float] = {"compile": time.monotonic() - started}

    mark = time.monotonic()
    sources, barred = _pins(cs, fixed, locked, excluded)
    roster = Roster(cs, pinned=sorted(sources))
    pinned_ids = [(problem.slots[s].id, problem.volunteers[v].id) for s, v in sorted(sources)]
    fixed_violations = validate_staffing(problem, pinned_ids) if pinned_ids else []

    addable = addable_pairs(cs, roster)
    pinned_seats, pinned_seconds = pinned_load(cs, roster)
    components = _components(cs, addable)
    sizes = [int(c.size) for c in components]
    bounds = ComponentBounds()
    small = [c for c, n in enumerate(sizes) if n <= exact_max_pairs]
    large = [c for c, n in enumerate(sizes) if n > exact_max_pairs]
    # The search stops early enough to leave time for explaining the empty seats.
    search_deadline = started + (1.0 - RESERVE_SHARE) * max(0.0, time_limit)
    # The bounds stop a little earlier: turning the last prices into bounds takes a moment.
    bound_deadline = started + (1.0 - 1.5 * RESERVE_SHARE) * max(0.0, time_limit)
    # The bound worker is stopped, if it has not finished, in time for the explanations.
    hard_deadline = started + (1.0 - 0.5 * RESERVE_SHARE) * max(0.0, time_limit)
    worker = start_bound_worker(
        cs,
        roster,
        components,
        sorted(large, key=lambda c: (sizes[c], c)),
        bound_deadline,
        hard_deadline,
        reseat_deadline=search_deadline,
    )
    timings["setup"] = time.monotonic() - mark
    mark = time.monotonic()
    seats_left, seconds_left = cs.slot_needed - pinned_seats, cs.vol_cap - pinned_seconds
    for c in small:
        cut = flow_bound(cs, components[c], seats_left, seconds_left)
        assert cut is not None  # only a stop abandons a flow
        bounds.offer(c, cut.value, "flow")
    flow_seconds = time.monotonic() - mark
    timings["flow_bound"] = flow_seconds

    stats: dict[str, Any] = {
        "seed": seed,
        "pairs": cs.n_pairs,
        "components": len(components),
        "exact_components": len(small),
        "largest_component_pairs": max(sizes, default=0),
    }
    time_cut = False

    mark = time.monotonic()
    exact_optimal = 0
    for c in small:
        left = search_deadline - time.monotonic()
        outcome = solve_exact(
            cs,
            pinned_programme(cs, roster, components[c]),
            time_limit=left,
            node_limit=EXACT_NODE_LIMIT,
        )
        for p in outcome.chosen.tolist():
            roster.add(int(cs.pair_vol[p]), int(cs.pair_slot[p]))
        bounds.offer(c, outcome.seat_bound, "optimal" if outcome.optimal else "mip")
        exact_optimal += outcome.optimal
        time_cut |= not outcome.optimal and time.monotonic() >= search_deadline
    timings["exact"] = time.monotonic() - mark
    stats["exact_proven_optimal"] = exact_optimal

    mark = time.monotonic()
    seats_first = [c for c in large if sizes[c] <= SEATS_FIRST_MAX_PAIRS]
    if sum(sizes[c] for c in large) > SEATS_FIRST_MAX_SEARCH_PAIRS:
        seats_first = []
    seats_proven = 0
    for c in seats_first:
        left = search_deadline - time.monotonic()
        if left <= 0:
            time_cut = True
            break
        outcome = solve_seats(
            pinned_programme(cs, roster, components[c]),
            time_limit=left,
            node_limit=SEATS_FIRST_NODES,
        )
        for p in outcome.chosen.tolist():
            roster.add(int(cs.pair_vol[p]), int(cs.pair_slot[p]))
        bounds.offer(c, outcome.seat_bound, "mip")
        seats_proven += outcome.optimal
        time_cut |= not outcome.optimal and time.monotonic() >= search_deadline
    timings["seats_first"] = time.monotonic() - mark
    stats["seats_first_components"] = len(seats_first)
    stats["seats_first_proven"] = seats_proven

    search_cut = False
    process = isinstance(worker, BoundProcess)
    handed = [c for c in large if process and handed_over(sizes[c])]
    if large:
        # Beside a bound process a second thread of HiGHS starves it: on large seeds 2 and 3
        # (20 s, two cores) the bounds were cut short in all five runs with two threads, in
        # two of four with one, with the same fill within the noise.
        search = run_search(
            cs,
            roster,
            [components[c] for c in large],
            deadline=search_deadline,
            workers=1 if process else workers,
            handed_over=frozenset(i for i, c in enumerate(large) if c in handed),
        )
        stats["search"] = search.stages
        timings.update(search.timings)
        search_cut = search.cut
        time_cut |= search.cut

    mark = time.monotonic()
    own = None
    if isinstance(worker, BoundProcess):
        # The largest component handed over with a seat open is improved here, the others
        # by the child.
        open_ = [c for c in handed if not worker.filled(c)]
        own = max(open_, key=lambda c: (sizes[c], -c)) if open_ and not search_cut else None
        worker.send_final(search_cut, own)
    worker.search_done.set()
    own_gain, own_cut = 0, False
    if own is not None:
        own_gain, own_cut = improve_component(
            cs,
            roster,
            components[own],
            iterations=pdlp_iterations(sizes[own], week_cuts=False),
            time_limit=search_deadline - RESEAT_MARGIN - time.monotonic(),
        )
    worker.join()  # HiGHS stops itself at the worker's deadline
    if worker.error is not None:
        raise worker.error
    for c, (value, kind) in worker.results.items():
        bounds.offer(c, value, kind)
    # Only a search the time limit cut takes the bound process's answers found on its answer
    # of some moment before. An uncut search takes those found on its final answer, which
    # depend on nothing but the input and the seed unless the time cut that work too.
    found = worker.better if search_cut else worker.final
    reseated = 0
    for c, chosen in sorted(found.items()):
        slots = np.unique(cs.pair_slot[components[c]]).tolist()
        pairs = list(zip(cs.pair_vol[chosen].tolist(), cs.pair_slot[chosen].tolist(), strict=True))
        reseated += swap_in(roster, slots, pairs)
    if not search_cut:
        time_cut |= worker.final_cut or own_cut
    stats["reseated"] = {"components": len(found), "seats": reseated, "here": own_gain}
    for c in range(len(components)):
        if c not in bounds.value:  # never happens unless the worker failed: open seats bound
            slots = np.unique(cs.pair_slot[components[c]])
            bounds.offer(c, int((cs.slot_needed[slots] - pinned_seats[slots]).sum()), "seats")
    bound = _total_bound(bounds, len(roster.pinned), worker, flow_seconds)
    stats["bound_stages"] = worker.stages
    timings["bound_wait"] = time.monotonic() - mark

    mark = time.monotonic()
    empty = explain_empty_seats(cs, roster, barred)
    timings["explain"] = time.monotonic() - mark
    mark = time.monotonic()

    assignments = tuple(
        StaffingAssignment(
            slot=problem.slots[s].id,
            volunteer=problem.volunteers[v].id,
            source=sources.get((s, v), "proposed"),
        )
        for s, v in roster.pairs()
    )
    score = score_staffing(problem, [(a.slot, a.volunteer) for a in assignments])
    timings["score"] = time.monotonic() - mark
    timings["total"] = time.monotonic() - started
    stats["time_limit_hit"] = bool(time_cut)
    stats["timings"] = {k: round(t, 3) for k, t in timings.items()}
    stats["lp_bound_components"] = len(worker.results)
    return StaffingResult(
        assignments=assignments,
        empty_seats=tuple(empty),
        score=score,
        bound=bound,
        stats=stats,
        fixed_violations=tuple(fixed_violations),
    )
