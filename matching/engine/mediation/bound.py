"""Lagrangian upper bound on the urgency weight a mediation plan can staff.

Price each mediator's free caseload (``lam_m >= 0``). Without the caseload rows the problem
splits by dispute: staff ``d`` if its weight beats the cheapest lead plus (for pairs) the
cheapest *other* assistant. For any prices

    L(lam) = sum_m capacity_m lam_m + sum_d max(0, w_d - cheapest_team_d(lam))

bounds every feasible plan from above (weak duality). One dispute's choices form an integral
polytope (a two-job bipartite matching), so the best prices give exactly the LP bound; a few
hundred vectorised subgradient steps (Polyak's rule, aimed at the best known plan) get close,
in a fraction of the time HiGHS needs for the LP on the large benchmark.
"""

from __future__ import annotations

import math
import time

import numpy as np
from numpy.typing import NDArray

from .compile import ASSIST, LEAD, CompiledMediation
from .exact import lp_prices
from .programme import build_team_programme

RESTRICTED_CANDIDATES = 20


class _Segments:
    """Candidate lists of one role for all disputes, for per-dispute minima."""

    def __init__(self, cm: CompiledMediation, role: int, disputes: NDArray[np.int64]) -> None:
        ptr = cm.role_ptr[role]
        counts = ptr[disputes + 1] - ptr[disputes]
        self.disputes = disputes[counts > 0]
        counts = counts[counts > 0]
        starts = ptr[self.disputes]
        self.heads = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
        idx = np.repeat(starts - self.heads, counts) + np.arange(int(counts.sum()))
        self.med = cm.role_med[role][idx]
        self.run = np.repeat(np.arange(self.disputes.size), counts)

    def _smallest(
        self, value: NDArray[np.float64]
    ) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
        low = np.minimum.reduceat(value, self.heads)
        at_low = np.flatnonzero(value <= low[self.run])
        first = at_low[np.r_[True, self.run[at_low][1:] != self.run[at_low][:-1]]]
        return low, first

    def two_smallest(self, price: NDArray[np.float64]) -> tuple[NDArray, ...]:
        """Per dispute: smallest price and its holder, second smallest (inf if none) and its
        holder (-1 if none)."""
        if self.disputes.size == 0:
            empty = np.zeros(0)
            return empty, empty.astype(np.int64), empty, empty.astype(np.int64)
        value = price[self.med]
        low, first = self._smallest(value)
        masked = value.copy()
        masked[first] = np.inf
        second, nxt = self._smallest(masked)
        return low, self.med[first], second, np.where(np.isfinite(second), self.med[nxt], -1)


class MediationLagrangian:
    """The bound over ``disputes`` (sorted) with ``capacity`` left by pinned roles.

    A pinned role costs nothing here (its caseload is already out of ``capacity``), and its
    holder may still be priced for the other role: both only loosen, never invalidate, the
    bound.
    """

    def __init__(
        self,
        cm: CompiledMediation,
        disputes: NDArray[np.int64],
        capacity: NDArray[np.int64],
        holder: list[int],
    ) -> None:
        nd = cm.n_disputes
        pinned = np.asarray(holder, dtype=np.int64).reshape(nd, 2) >= 0
        self.pinned_lead = pinned[:, LEAD]
        self.pinned_asst = pinned[:, ASSIST]
        self.capacity = capacity.astype(np.float64)
        self.weight = np.zeros(nd)
        self.weight[disputes] = cm.weight[disputes]
        self.lead = _Segments(cm, LEAD, disputes[~self.pinned_lead[disputes]])
        open_asst = disputes[cm.pair[disputes] & ~self.pinned_asst[disputes]]
        self.assist = _Segments(cm, ASSIST, open_asst)
        self.n_disputes = nd
        self.pair = cm.pair
        self.price = np.zeros(cm.n_mediators)
        self.best = math.inf

    def evaluate(self) -> tuple[float, NDArray[np.float64]]:
        """``L`` at the current prices and a subgradient."""
        nd, price = self.n_disputes, self.price
        team = np.full(nd, np.inf)
        lead_who = np.full(nd, -1, dtype=np.int64)
        asst_who = np.full(nd, -1, dtype=np.int64)
        second_lead = np.full(nd, np.inf)
        second_lead_who = np.full(nd, -1, dtype=np.int64)
        d = self.lead.disputes
        team[d], lead_who[d], second_lead[d], second_lead_who[d] = self.lead.two_smallest(price)
        team[self.pinned_lead] = 0.0
        # Open assistant roles are priced below; pinned ones cost nothing.
        team[self.pair & ~self.pinned_asst] = np.inf
        d = self.assist.disputes
        if d.size:
            a_low, a_who, a_second, a_second_who = self.assist.two_smallest(price)
            lead_cost = np.where(
                self.pinned_lead[d],
                0.0,
                np.where(lead_who[d] >= 0, price[np.maximum(lead_who[d], 0)], np.inf),
            )
            clash = a_who == lead_who[d]
            # One person cannot hold both roles: when she is cheapest for both, either the
            # second-cheapest assistant joins her, or she assists the second-cheapest lead.
            with_second_asst = lead_cost + np.where(clash, a_second, a_low)
            with_second_lead = np.where(clash, second_lead[d] + a_low, np.inf)
            swap = with_second_lead < with_second_asst
            team[d] = np.minimum(with_second_asst, with_second_lead)
            lead_who[d] = np.where(swap, second_lead_who[d], lead_who[d])
            asst_who[d] = np.where(clash & ~swap, a_second_who, a_who)
        profit = self.weight - team
        staffed = profit > 0
        value = float(self.capacity @ price + profit[staffed].sum())
        self.best = min(self.best, value)
        m = price.size
        used = np.bincount(lead_who[staffed & (lead_who >= 0)], minlength=m)
        used = used + np.bincount(asst_who[staffed & (asst_who >= 0)], minlength=m)
        return value, self.capacity - used

    def improve(self, iterations: int, target: float) -> None:
        theta, stall, record = 1.0, 0, math.inf
        for _ in range(iterations):
            value, g = self.evaluate()
            if value < record - 1e-9:
                record, stall = value, 0
            else:
                stall += 1
                if stall >= 10:
                    theta, stall = theta / 2, 0
            norm = float(g @ g)
            if norm <= 1e-12 or value - target < 0.5 or theta < 1e-4:
                break
            self.price = np.maximum(0.0, self.price - theta * (value - target) / norm * g)

    def bound(self) -> int:
        return math.floor(self.best + 1e-6)


def certified_bound(
    cm: CompiledMediation,
    disputes: NDArray[np.int64],
    capacity: NDArray[np.int64],
    holder: list[int],
    *,
    target: float,
    time_limit: float,
    iterations: int = 60,
) -> int:
    """The Lagrangian bound at good prices: the caseload duals of the LP restricted to the
    nearest candidates (cheap, and usually already optimal), then a few subgradient steps."""
    lagrangian = MediationLagrangian(cm, disputes, capacity, holder)
    started = time.monotonic()
    for per_role in (RESTRICTED_CANDIDATES, 2 * RESTRICTED_CANDIDATES):
        left = time_limit - (time.monotonic() - started)
        if left <= 0:
            break
        programme = build_team_programme(cm, disputes, holder, capacity, per_role=per_role)
        solved = lp_prices(programme, cm.weight, time_limit=left)
        if solved is None:
            break
        restricted, prices = solved
        lagrangian.price = prices
        lagrangian.evaluate()
        if lagrangian.best < restricted + 1.0:
            break  # the restriction lost nothing that matters
    lagrangian.improve(iterations, target)
    return lagrangian.bound()
