"""Exact solution of small components and LNS pieces with the HiGHS MIP solver (via scipy).

The objective is lexicographic. Usually one solve does it: each pair is worth
``1 - eps * cost``, with ``eps`` so small that no saving pays for a lost seat; on the large
benchmark's day pieces that takes 0.15 s on average. It fails on the rare piece whose LP
optimum is fractional in seats (263.4): HiGHS can round a bound down to whole seats only when
the objective is integral, so it cannot prove 263 optimal and branches on. Such a piece is
solved in two stages instead -- most seats (integral objective, proven at once), then least cost
among solutions with that many seats: 0.2 s + 1.1 s against 3.3 s on the worst piece seen,
but five times slower than one stage on ordinary pieces, hence only as a fallback.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, milp

from .compile import CompiledStaffing
from .lpmodel import PairProgramme

COST_GAP = 1e-6
FOLDED_NODES = 10


@dataclass(frozen=True)
class ExactOutcome:
    chosen: NDArray[np.int64]
    """Compiled pair indices of the solution (empty when none was found)."""
    optimal: bool
    """Both stages proved optimal: most seats, and least cost for them."""
    seat_bound: int
    """Seats this programme can hold at most (from the first stage's dual bound)."""


def _milp(
    cost: NDArray[np.float64],
    matrix: sp.csr_matrix,
    rhs: NDArray[np.float64],
    *,
    time_limit: float,
    node_limit: int,
    gap: float,
):
    return milp(
        cost,
        constraints=LinearConstraint(matrix, -np.inf, rhs),
        integrality=np.ones(cost.size),
        bounds=Bounds(0, 1),
        options={
            "time_limit": max(0.01, time_limit),
            "node_limit": node_limit,
            "mip_rel_gap": gap,
            "disp": False,
        },
    )


def _folded(
    cost: NDArray[np.float64], programme: PairProgramme, time_limit: float
) -> tuple[NDArray[np.bool_] | None, bool, int]:
    """One solve of ``seats - eps * cost``: (choice, proven optimal, seat bound)."""
    n = cost.size
    seats = float(programme.rhs[: programme.n_seat_rows].sum())
    eps = 0.5 / (1.0 + seats * float(cost.max(initial=0.0)))
    res = _milp(
        -(1.0 - eps * cost),
        programme.matrix,
        programme.rhs,
        time_limit=time_limit,
        node_limit=FOLDED_NODES,
        gap=1e-9,
    )
    if res.x is None:
        return None, False, n
    dual = getattr(res, "mip_dual_bound", None)
    # The bound is on -(seats - eps * cost), and eps * cost < 1/2 overall.
    finite = dual is not None and math.isfinite(dual)
    return res.x > 0.5, res.status == 0, math.floor(-dual + 0.5 + 1e-6) if finite else n


def _two_stage(
    cost: NDArray[np.float64], programme: PairProgramme, deadline: float, node_limit: int
) -> tuple[NDArray[np.bool_] | None, bool, int]:
    n = cost.size
    seats = _milp(
        -np.ones(n),
        programme.matrix,
        programme.rhs,
        time_limit=deadline - time.monotonic(),
        node_limit=node_limit,
        gap=0.0,
    )
    if seats.x is None:
        return None, False, n
    x = seats.x > 0.5
    filled = int(x.sum())
    dual = getattr(seats, "mip_dual_bound", None)
    bound = math.floor(-dual + 1e-6) if dual is not None and math.isfinite(dual) else n
    cheaper = _milp(
        cost,
        sp.vstack([programme.matrix, -np.ones((1, n))], format="csr"),
        np.append(programme.rhs, -filled),
        time_limit=deadline - time.monotonic(),
        node_limit=node_limit,
        gap=COST_GAP,
    )
    if cheaper.x is not None:
        y = cheaper.x > 0.5
        if int(y.sum()) >= filled and float(cost[y].sum()) <= float(cost[x].sum()):
            x = y
    return x, seats.status == 0 and cheaper.status == 0, max(bound, filled)


def solve_seats(programme: PairProgramme, *, time_limit: float, node_limit: int) -> ExactOutcome:
    """Most seats only, over ``programme``: the first stage alone, for components too large
    for the cost stage (the search improves the cost after it, never losing a seat).

    ``optimal`` says the seat count is proven; ``seat_bound`` is the MIP's dual bound either way.
    """
    n = int(programme.pairs.size)
    if n == 0:
        return ExactOutcome(np.zeros(0, dtype=np.int64), True, 0)
    res = _milp(
        -np.ones(n),
        programme.matrix,
        programme.rhs,
        time_limit=time_limit,
        node_limit=node_limit,
        gap=0.0,
    )
    dual = getattr(res, "mip_dual_bound", None)
    bound = math.floor(-dual + 1e-6) if dual is not None and math.isfinite(dual) else n
    if res.x is None:
        return ExactOutcome(np.zeros(0, dtype=np.int64), False, bound)
    x = res.x > 0.5
    return ExactOutcome(
        programme.pairs[np.flatnonzero(x)], res.status == 0, max(bound, int(x.sum()))
    )


def solve_exact(
    cs: CompiledStaffing,
    programme: PairProgramme,
    *,
    time_limit: float,
    node_limit: int,
) -> ExactOutcome:
    """Most seats, then least cost, over ``programme`` (see the module docstring).

    ``node_limit`` caps each fallback stage; ``time_limit`` is a wall-clock safety net.
    """
    n = int(programme.pairs.size)
    if n == 0:
        return ExactOutcome(np.zeros(0, dtype=np.int64), True, 0)
    cost = cs.pair_cost[programme.pairs]
    deadline = time.monotonic() + time_limit
    x, optimal, bound = _folded(cost, programme, time_limit)
    if not optimal and time.monotonic() < deadline:
        y, optimal, staged_bound = _two_stage(cost, programme, deadline, node_limit)
        bound = min(bound, staged_bound)
        if y is not None and (
            x is None
            or (int(y.sum()), -float(cost[y].sum())) > (int(x.sum()), -float(cost[x].sum()))
        ):
            x = y
    if x is None:
        return ExactOutcome(np.zeros(0, dtype=np.int64), False, n)
    return ExactOutcome(programme.pairs[np.flatnonzero(x)], optimal, max(bound, int(x.sum())))
