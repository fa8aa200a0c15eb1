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
"""

from __future__ import annotations

import time

import highspy
import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from .lpmodel import PairProgramme, highs_of
from .roster import Roster

ABS_GAP = 0.49
"""The neighbourhood's MIP stops within this of its bound: the seats are then proven."""
ROUNDS = 3
"""Neighbourhoods solved at most per component: each from the last one's answer (the LP's
solution stays), while they gain seats."""


def _highs(
    programme: PairProgramme,
    objective: NDArray[np.float64],
    time_limit: float,
    fixed: tuple[NDArray[np.bool_], NDArray[np.bool_]] | None = None,
) -> highspy.Highs:
    """HiGHS holding the programme: its LP, or with ``fixed = (which, values)`` the 0/1
    programme with those columns fixed to those values."""
    if fixed is None:
        return highs_of(programme, objective, time_limit=time_limit)
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
    return highs


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


def improve(
    programme: PairProgramme,
    cost: NDArray[np.float64],
    start: NDArray[np.bool_],
    *,
    time_limit: float,
) -> NDArray[np.bool_] | None:
    """A choice of the programme's columns with more seats than ``start`` (a feasible
    choice), or None, within about ``time_limit`` seconds (HiGHS keeps its limits roughly)."""
    deadline = time.monotonic() + time_limit
    n = int(cost.size)
    if n == 0:
        return None
    seats = float(programme.rhs[: programme.n_seat_rows].sum())
    # Seats first, cost second, in one objective: no saving pays for a lost seat.
    eps = 0.5 / (1.0 + seats * float(cost.max(initial=0.0)))
    objective = -(1.0 - eps * cost)
    relaxation = _highs(programme, objective, deadline - time.monotonic())
    relaxation.run()
    if relaxation.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    x_lp = np.asarray(relaxation.getSolution().col_value, dtype=np.float64)
    del relaxation
    best = start.copy()
    improved = False
    for _ in range(ROUNDS):
        left = deadline - time.monotonic()
        if left <= 0.05:
            break
        agree = np.abs(x_lp - best) < 1e-6
        if agree.all():
            break
        mip = _highs(programme, objective, left, (agree, best.astype(np.float64)))
        given = highspy.HighsSolution()
        given.col_value = best.astype(np.float64).tolist()
        given.value_valid = True
        mip.setSolution(given)
        mip.run()
        solution = mip.getSolution()
        if not solution.value_valid:
            break
        x = np.asarray(solution.col_value, dtype=np.float64) > 0.5
        if int(x.sum()) <= int(best.sum()) or not feasible(programme, x):
            break
        best, improved = x, True
    return best if improved else None


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
