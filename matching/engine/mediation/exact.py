"""HiGHS on the team programme: exact plans for small components, prices for the bound."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from .programme import TeamProgramme


@dataclass(frozen=True)
class ExactTeams:
    roles: NDArray[np.int64]
    meds: NDArray[np.int64]
    """The chosen (role, mediator) columns."""
    optimal: bool
    weight_bound: int


def _objective(programme: TeamProgramme, weight: NDArray[np.int64]) -> NDArray[np.float64]:
    # Weight first, distance second: eps * (all distance) < 1/2 < one unit of weight.
    w = weight[programme.disputes].astype(np.float64)
    eps = 0.5 / (1.0 + float(programme.dist.sum()))
    return np.concatenate([-w, eps * programme.dist])


def solve_teams_exact(
    programme: TeamProgramme,
    weight: NDArray[np.int64],
    *,
    time_limit: float,
    node_limit: int,
) -> ExactTeams:
    nd = programme.disputes.size
    n = nd + programme.role.size
    res = milp(
        _objective(programme, weight),
        constraints=[
            LinearConstraint(programme.a_eq, 0.0, 0.0),
            LinearConstraint(programme.a_ub, -np.inf, programme.b_ub),
        ],
        integrality=np.ones(n),
        bounds=Bounds(0, 1),
        options={
            "time_limit": max(0.01, time_limit),
            "node_limit": node_limit,
            "mip_rel_gap": 1e-9,
            "disp": False,
        },
    )
    total = int(weight[programme.disputes].sum())
    if res.x is None:
        empty = np.zeros(0, dtype=np.int64)
        return ExactTeams(empty, empty, False, total)
    x = res.x[nd:] > 0.5
    dual = getattr(res, "mip_dual_bound", None)
    finite = dual is not None and math.isfinite(dual)
    bound = math.floor(-dual + 0.5 + 1e-6) if finite else total
    return ExactTeams(programme.role[x], programme.med[x], res.status == 0, bound)


def lp_prices(
    programme: TeamProgramme, weight: NDArray[np.int64], *, time_limit: float
) -> tuple[float, NDArray[np.float64]] | None:
    """LP optimum (weight only) and the caseload rows' duals, or None if not solved."""
    c = np.concatenate(
        [-weight[programme.disputes].astype(np.float64), np.zeros(programme.role.size)]
    )
    res = linprog(
        c,
        A_ub=programme.a_ub,
        b_ub=programme.b_ub,
        A_eq=programme.a_eq,
        b_eq=np.zeros(programme.a_eq.shape[0]),
        bounds=(0, 1),
        method="highs",
        options={"time_limit": max(0.01, time_limit)},
    )
    if res.status != 0 or res.ineqlin is None:
        return None
    duals = np.maximum(0.0, -np.asarray(res.ineqlin.marginals)[: programme.n_capacity_rows])
    return float(-res.fun), duals
