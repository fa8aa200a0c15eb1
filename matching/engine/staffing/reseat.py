"""More seats for a mid-sized component, found exactly around the search's own answer.

On large instances the search is cut by the time limit and leaves components of 5,000-45,000
pairs 34-75 seats (per instance) below their proven optimum, while the bound process's core
is idle for the last seconds. A seats-only MIP of such a component from scratch finds too few
seats in that time (5 s: 1,327-1,734 where the search has 1,703-2,642), and one started from
the search's answer is still cutting planes at its root when the time is up (HiGHS's own
neighbourhood search found large seed 2's optimum 1,444 after 7.6 s of wall). So the bound
process does that neighbourhood search itself, the way HiGHS's RINS does: it solves the
component's LP once, keeps every pair on which the LP and the search's answer agree as the
search has it, and lets the MIP re-staff the rest, seats first and cost second, started from
the search's answer (:func:`improve`). Large seed 2's component of 22,752 pairs: 1,428 ->
1,444 seats, the optimum, in 0.8 s of CPU; seed 8's of 5,679, 21,716 and 42,255 pairs: 644 ->
656 (optimal), 1,669 -> 1,717 and 2,592 -> 2,655 in 0.2, 3.9 and 4.0 s.

The parent then takes such an answer only if it holds more seats than the search's final one
for that component and every pair passes the roster's own checks (:func:`swap_in`).

Larger components (60,000-500,000 pairs) are improved the same way once the search has
finished, from its final answer and around the values PDLP reached for their bound, which are
not the LP's optimum: a pair is kept as the answer has it while it lies within a tolerance of
them, widened in turn (:func:`improve_around`). The bound process does so for all of them but
the largest, which the search's own process does at the same time (:func:`improve_component`).
"""

from __future__ import annotations

import threading
import time

import highspy
import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from .bound import lp_prices
from .compile import CompiledStaffing
from .lpmodel import PairProgramme, highs_of, pinned_programme
from .roster import Roster

ABS_GAP = 0.49
"""The neighbourhood's MIP stops within this of its bound: the seats are then proven."""
ROUNDS = 3
"""Neighbourhoods solved at most per component: each from the last one's answer (the LP's
solution stays), while they gain seats."""
AROUND_TOLERANCES = (0.2, 0.1)
"""How far from PDLP's unfinished values a pair may be and still be kept as the answer has it,
in turn. From large seeds' final answers (20 s runs), PDLP at the bound's 110 iterations:
seed 2's component of 138,659 pairs (4,332 seats, optimum 4,392 proven by HiGHS in 250 s)
gains 20 seats in 0.9 s at 0.2 and 54 in 3.6 s at 0.1 (at 0.02 the MIP, 39,000 pairs free,
finds nothing in 10 s); seed 5's of 285,572 and 434,217 pairs gain 57 and 35 in 5.6 and 3.9 s
at 0.2, 88 and 63 in 10 s (cut) at 0.15, nothing in 10 s at 0.1 (38,570 and 42,353 pairs
free)."""
AROUND_MAX_FREE = 25_000
"""A neighbourhood freeing more pairs is not tried (see :data:`AROUND_TOLERANCES`)."""
AROUND_MIP_SECONDS = 8.0
"""Longest a neighbourhood's MIP may take: with a 60 s limit, large seed 5's component of
285,572 pairs had its 72 seats within the first 8 s, then kept the bound process 36 s more
without one, and the components after it never had their turn."""


def _highs(
    programme: PairProgramme,
    objective: NDArray[np.float64],
    time_limit: float,
    fixed: tuple[NDArray[np.bool_], NDArray[np.bool_]] | None = None,
    stop: threading.Event | None = None,
) -> highspy.Highs:
    """HiGHS holding the programme: its LP, or with ``fixed = (which, values)`` the 0/1
    programme with those columns fixed to those values; it stops soon after ``stop`` is set
    (keeping the best answer it has)."""
    if fixed is None:
        highs = highs_of(programme, objective, time_limit=time_limit)
        _stopped_by(highs, stop)
        return highs
    which, values = fixed
    n = int(objective.size)
    lower, upper = np.zeros(n), np.ones(n)
    lower[which] = upper[which] = values[which]
    highs = highs_of(
        programme, objective, time_limit=time_limit, lower=lower, upper=upper, integral=True
    )
    # Stop once no neighbour has one more seat: the cost in the objective adds up to less than
    # half a seat, so the cheapest arrangement is not worth proving.
    highs.setOptionValue("mip_rel_gap", 0.0)
    highs.setOptionValue("mip_abs_gap", ABS_GAP)
    _stopped_by(highs, stop)
    return highs


def _stopped_by(highs: highspy.Highs, stop: threading.Event | None) -> None:
    if stop is None:
        return

    def interrupt(event: highspy.highs.HighsCallbackEvent) -> None:
        if stop.is_set():
            event.interrupt()

    highs.cbSimplexInterrupt += interrupt
    highs.cbMipInterrupt += interrupt


STOPPED = (highspy.HighsModelStatus.kTimeLimit, highspy.HighsModelStatus.kInterrupt)


def feasible(programme: PairProgramme, x: NDArray[np.bool_]) -> bool:
    return bool(np.all(programme.matrix @ x.astype(np.float64) <= programme.rhs + 1e-9))


def repair(programme: PairProgramme, x: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """``x`` with pairs dropped until every row holds: the search's answer is read while the
    search runs, and a move under way (someone on her new slot before leaving the old one) may
    break a row for a moment."""
    x = x.copy()
    matrix = sp.csr_matrix(programme.matrix)
    while True:
        over = np.flatnonzero(matrix @ x.astype(np.float64) > programme.rhs + 1e-9)
        if over.size == 0:
            return x
        row = int(over[0])
        cols = matrix.indices[matrix.indptr[row] : matrix.indptr[row + 1]]
        x[int(cols[x[cols]][0])] = False


def _objective(programme: PairProgramme, cost: NDArray[np.float64]) -> NDArray[np.float64]:
    """Seats first, cost second, in one objective: no saving pays for a lost seat."""
    seats = float(programme.rhs[: programme.n_seat_rows].sum())
    eps = 0.5 / (1.0 + seats * float(cost.max(initial=0.0)))
    return -(1.0 - eps * cost)


def _neighbourhoods(
    programme: PairProgramme,
    objective: NDArray[np.float64],
    x_lp: NDArray[np.floating],
    start: NDArray[np.bool_],
    deadline: float,
    tolerances: tuple[float, ...],
    max_free: int | None = None,
    stop: threading.Event | None = None,
    mip_seconds: float = float("inf"),
) -> tuple[NDArray[np.bool_] | None, bool]:
    """The MIP re-staffing every pair further than the tolerance from the LP's value, for
    each tolerance in turn, each from the last answer: ``(answer with more seats than
    ``start`` or None, whether the time stopped a MIP or left a tolerance untried)``."""
    best = start.copy()
    improved = False
    for k, tolerance in enumerate(tolerances):
        left = deadline - time.monotonic()
        if left <= 0.05:
            return (best if improved else None), True
        agree = np.abs(x_lp - best) < tolerance
        if agree.all() or (max_free is not None and int((~agree).sum()) > max_free):
            break
        fixed = (agree, best.astype(np.float64))
        mip = _highs(programme, objective, min(left, mip_seconds), fixed, stop)
        given = highspy.HighsSolution()
        given.col_value = best.astype(np.float64).tolist()
        given.value_valid = True
        mip.setSolution(given)
        mip.run()
        stopped = mip.getModelStatus() in STOPPED
        solution = mip.getSolution()
        x = np.asarray(solution.col_value, dtype=np.float64) > 0.5
        gained = solution.value_valid and int(x.sum()) > int(best.sum()) and feasible(programme, x)
        if gained:
            best, improved = x, True
        if stopped:
            return (best if improved else None), True
        wider = k + 1 < len(tolerances) and tolerances[k + 1] != tolerance
        if not gained and not wider:
            break
    return (best if improved else None), False


def improve(
    programme: PairProgramme,
    cost: NDArray[np.float64],
    start: NDArray[np.bool_],
    *,
    time_limit: float,
    stop: threading.Event | None = None,
) -> NDArray[np.bool_] | None:
    """A choice of the programme's columns with more seats than ``start`` (a feasible
    choice), or None, within about ``time_limit`` seconds (HiGHS keeps its limits roughly),
    or soon after ``stop`` is set."""
    deadline = time.monotonic() + time_limit
    n = int(cost.size)
    if n == 0:
        return None
    objective = _objective(programme, cost)
    relaxation = _highs(programme, objective, deadline - time.monotonic(), stop=stop)
    relaxation.run()
    if relaxation.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    x_lp = np.asarray(relaxation.getSolution().col_value, dtype=np.float64)
    del relaxation
    better, _ = _neighbourhoods(
        programme, objective, x_lp, start, deadline, (1e-6,) * ROUNDS, stop=stop
    )
    return better


def improve_around(
    programme: PairProgramme,
    cost: NDArray[np.float64],
    start: NDArray[np.bool_],
    x_lp: NDArray[np.floating],
    *,
    time_limit: float,
) -> tuple[NDArray[np.bool_] | None, bool]:
    """As :func:`improve`, around LP values found earlier (PDLP's, stopped at its iteration
    limit: near the optimum, not at it), with the neighbourhood widened in
    :data:`AROUND_TOLERANCES` up to :data:`AROUND_MAX_FREE` pairs; also says whether the time
    cut it short."""
    if cost.size == 0:
        return None, False
    deadline = time.monotonic() + time_limit
    return _neighbourhoods(
        programme,
        _objective(programme, cost),
        x_lp,
        start,
        deadline,
        AROUND_TOLERANCES,
        AROUND_MAX_FREE,
        mip_seconds=AROUND_MIP_SECONDS,
    )


def swap_in(roster: Roster, slots: list[int], chosen: list[tuple[int, int]]) -> int:
    """Put ``chosen`` (``(volunteer, slot)`` pairs, every slot among ``slots``: one component's)
    in place of the roster's movable pairs on ``slots``, if it holds more seats and every pair
    passes the roster's checks (a candidate, a free seat, her hours, no overlap); otherwise
    leave the roster as it was. Returns the seats gained (0 when refused). Pinned pairs stay.
    """
    own = set(slots)
    current = [
        (v, s) for s in slots for v in sorted(roster.members[s]) if not roster.is_pinned(v, s)
    ]
    if len(chosen) <= len(current) or len(set(chosen)) != len(chosen):
        return 0
    if any(s not in own for _, s in chosen):
        return 0
    for v, s in current:
        roster.remove(v, s)
    added: list[tuple[int, int]] = []
    for v, s in chosen:
        if v not in roster.cands[s] or roster.free(s) <= 0 or v in roster.members[s]:
            break
        if not roster.can_add(v, s):
            break
        roster.add(v, s)
        added.append((v, s))
    else:
        return len(chosen) - len(current)
    for v, s in added:
        roster.remove(v, s)
    for v, s in current:
        roster.add(v, s)
    return 0


def improve_component(
    cs: CompiledStaffing,
    roster: Roster,
    pairs: NDArray[np.int64],
    *,
    iterations: int,
    time_limit: float,
) -> tuple[int, bool]:
    """The roster's answer on one component (``pairs``: its addable pairs, sorted), improved
    around its LP's values from ``iterations`` of PDLP, as the bound process does for the
    others at the same time: ``(seats gained, whether the time cut it short)``."""
    deadline = time.monotonic() + time_limit
    programme = pinned_programme(cs, roster, pairs)
    prices = lp_prices(programme, time_limit=time_limit, iterations=iterations)
    if prices.timed_out:
        return 0, True
    slots = np.unique(cs.pair_slot[pairs]).tolist()
    start = np.isin(pairs, np.asarray(roster.movable_pairs(slots), dtype=np.int64))
    better, cut = improve_around(
        programme,
        cs.pair_cost[pairs],
        start,
        prices.primal,
        time_limit=deadline - time.monotonic(),
    )
    if better is None:
        return 0, cut
    chosen = pairs[better]
    found = list(zip(cs.pair_vol[chosen].tolist(), cs.pair_slot[chosen].tolist(), strict=True))
    return swap_in(roster, slots, found), cut
