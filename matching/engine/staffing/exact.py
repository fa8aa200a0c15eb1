"""Exact solution of small components with the HiGHS MIP solver (through scipy).

Seats come first and cost second, folded into one objective: each pair is worth
``1 - eps * cost`` with ``eps`` small enough that no cost saving can pay for a lost seat.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, milp

from .compile import CompiledStaffing
from .lpmodel import PairProgramme


@dataclass(frozen=True)
class ExactOutcome:
    chosen: NDArray[np.int64]
    """Compiled pair indices of the solution (empty when none was found)."""
    optimal: bool
    seat_bound: int
    """Seats this component can hold at most (from the solver's dual bound)."""


def solve_exact(
    cs: CompiledStaffing, programme: PairProgramme, *, time_limit: float, node_limit: int
) -> ExactOutcome:
    n = int(programme.pairs.size)
    cost = cs.pair_cost[programme.pairs]
    seats = float(programme.rhs[: programme.n_seat_rows].sum())
    eps = 0.5 / (1.0 + seats * float(cost.max(initial=0.0)))
    res = milp(
        -(1.0 - eps * cost),
        constraints=LinearConstraint(programme.matrix, -np.inf, programme.rhs),
        integrality=np.ones(n),
        bounds=Bounds(0, 1),
        options={
            "time_limit": max(0.01, time_limit),
            "node_limit": node_limit,
            "mip_rel_gap": 1e-9,
            "disp": False,
        },
    )
    if res.x is None:
        return ExactOutcome(np.zeros(0, dtype=np.int64), False, n)
    chosen = programme.pairs[np.flatnonzero(res.x > 0.5)]
    dual = getattr(res, "mip_dual_bound", None)
    # The dual bound is on -(seats - eps * cost), and eps * cost < 1/2 overall.
    finite = dual is not None and math.isfinite(dual)
    bound = math.floor(-dual + 0.5 + 1e-6) if finite else n
    return ExactOutcome(chosen, res.status == 0, max(bound, chosen.size))
