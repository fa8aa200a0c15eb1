"""The 0/1 programme of a mediation problem as sparse matrices, for HiGHS.

Variables: ``y_d`` (dispute staffed) and one ``x`` per (dispute, role, mediator) candidate.
Rows: each open role of a considered dispute is held exactly ``y_d`` times; a mediator's roles
stay within her free caseload; nobody holds both roles of one dispute. Pinned roles (fixed or
locked teams) are outside the programme: they use caseload, and their holder is not a
candidate for the dispute's other role.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from .compile import ASSIST, LEAD, CompiledMediation


@dataclass(frozen=True, eq=False)
class TeamProgramme:
    disputes: NDArray[np.int64]
    """Column ``i < disputes.size`` is ``y`` of ``disputes[i]``."""
    role: NDArray[np.int64]
    """Per candidate column: ``2 * dispute + LEAD/ASSIST``."""
    med: NDArray[np.int64]
    dist: NDArray[np.float64]
    a_eq: sp.csr_matrix
    a_ub: sp.csr_matrix
    b_ub: NDArray[np.float64]
    n_capacity_rows: int
    """The first ``a_ub`` rows are the caseload rows, one per mediator (in index order)."""


def build_team_programme(
    cm: CompiledMediation,
    disputes: NDArray[np.int64],
    holder: list[int],
    capacity_left: NDArray[np.int64],
    *,
    per_role: int | None = None,
) -> TeamProgramme:
    """Programme over ``disputes`` (sorted); ``holder[role]`` is a pinned mediator or -1.

    ``per_role`` keeps only that many nearest candidates per role (a restriction used to get
    prices cheaply; its optimum is *not* a bound).
    """
    nm = cm.n_mediators
    roles: list[NDArray[np.int64]] = []
    meds: list[NDArray[np.int64]] = []
    dists: list[NDArray[np.float64]] = []
    needed: list[int] = []
    for d in disputes.tolist():
        for r in (LEAD, ASSIST):
            role = 2 * d + r
            if holder[role] >= 0 or (r == ASSIST and not cm.pair[d]):
                continue
            needed.append(role)
            m, km = cm.candidates(r, d)
            other = holder[role ^ 1]
            if other >= 0:
                keep = m != other
                m, km = m[keep], km[keep]
            if per_role is not None:
                m, km = m[:per_role], km[:per_role]
            roles.append(np.full(m.size, role, dtype=np.int64))
            meds.append(m)
            dists.append(km)
    role = np.concatenate(roles) if roles else np.zeros(0, dtype=np.int64)
    med = np.concatenate(meds) if meds else np.zeros(0, dtype=np.int64)
    dist = np.concatenate(dists) if dists else np.zeros(0, dtype=np.float64)
    nd, nx = disputes.size, role.size
    cols = nd + np.arange(nx)

    # Equalities: per open role, sum of its candidates - y = 0 (just y = 0 with none).
    open_roles = np.asarray(needed, dtype=np.int64)
    role_row = np.searchsorted(open_roles, role)
    a_eq = sp.csr_matrix(
        (
            np.concatenate([np.ones(nx), -np.ones(open_roles.size)]),
            (
                np.concatenate([role_row, np.arange(open_roles.size)]),
                np.concatenate([cols, np.searchsorted(disputes, open_roles // 2)]),
            ),
        ),
        shape=(open_roles.size, nd + nx),
    )
    # Caseload rows, then "not both roles" rows for people who are candidates for both.
    capacity = sp.csr_matrix((np.ones(nx), (med, cols)), shape=(nm, nd + nx))
    key = (role // 2) * nm + med
    order = np.argsort(key, kind="stable")
    same = np.flatnonzero(key[order][1:] == key[order][:-1])
    first, second = cols[order][same], cols[order][same + 1]
    both = sp.csr_matrix(
        (
            np.ones(2 * same.size),
            (np.tile(np.arange(same.size), 2), np.concatenate([first, second])),
        ),
        shape=(same.size, nd + nx),
    )
    return TeamProgramme(
        disputes=disputes,
        role=role,
        med=med,
        dist=dist,
        a_eq=a_eq,
        a_ub=sp.vstack([capacity, both], format="csr"),
        b_ub=np.concatenate([capacity_left.astype(np.float64), np.ones(same.size)]),
        n_capacity_rows=nm,
    )
